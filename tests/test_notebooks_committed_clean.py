"""Committed notebooks carry no outputs: the build executes them, and outputs in git go stale."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from zjinnov.data.paths import ROOT

NOTEBOOKS = sorted(
    p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} hold outputs or execution counts; run `make strip`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_starts_with_a_title(path: Path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.lstrip().startswith("# "), (
        f"{path.name}: the first cell must be a markdown `# title` (a strict build needs one)"
    )


def test_strip_tool_removes_outputs(tmp_path):
    import subprocess
    import sys

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "2"}, execution_count=1)
    ]
    cell.execution_count = 1
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    path = tmp_path / "x.ipynb"
    nbformat.write(nb, path)
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "strip_notebooks.py"), str(tmp_path)], check=True
    )
    again = nbformat.read(path, as_version=4)
    assert again.cells[1].outputs == [] and again.cells[1].execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_is_folded_for_readers(path: Path):
    """Planners read prose, tables and figures; the code stays one click away."""
    nb = nbformat.read(path, as_version=4)
    shown = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and not {"hide-input", "remove-input", "remove-cell", "hide-cell"}
        & set(c.metadata.get("tags", []))
    ]
    assert not shown, f"{path.name}: code cells {shown} are shown unfolded; tag them hide-input"

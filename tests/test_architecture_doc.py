"""docs/ARCHITECTURE.md stays true: every module, function, file and stage it names exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from zjinnov.study import stages
from zjinnov.study.study import Study

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
NAMES = sorted(set(re.findall(r"`([^`\s]+)`", DOC)))
DOTTED = [n for n in NAMES if n.startswith("zjinnov.") and "*" not in n]
# Files of the repository (what a build writes, under _build/, is not in it).
PATHS = [n for n in NAMES if "/" in n and "*" not in n and not n.startswith(("{", "_build/"))]


def _resolve(dotted: str):
    """The module, or the object inside a module, that a dotted name names."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


@pytest.mark.parametrize("dotted", DOTTED)
def test_every_module_and_function_it_names_exists(dotted):
    assert _resolve(dotted) is not None


@pytest.mark.parametrize("path", PATHS)
def test_every_file_it_names_exists(path):
    assert (ROOT / path).exists(), path


def test_the_stage_table_is_the_studys():
    table = [row.split("|")[1].strip(" `") for row in DOC.splitlines() if row.startswith("| `")]
    assert table == [s.name for s in stages.declared()]
    for name in table:
        assert hasattr(Study, name)


def test_the_doc_is_read():
    assert len(DOTTED) > 20 and len(PATHS) > 10

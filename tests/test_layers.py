"""The package's layers, read from its imports: data -> engine -> study -> present, never upward.

A module may import from its own layer or a lower one; no two modules import each other,
directly or through a longer loop. The package root (`__main__`, the command line) sits on top.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "zjinnov"
RANK = {"data": 0, "engine": 1, "study": 2, "present": 3, "": 4}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every zjinnov module this file imports (a `from zjinnov.x import y` names x.y if y is a module)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("zjinnov")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("zjinnov"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                sub = PACKAGE.parent / Path(*candidate.split("."))
                is_module = sub.with_suffix(".py").exists() or (sub / "__init__.py").exists()
                out.add(candidate if is_module else node.module)
    return out


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in RANK else ""


GRAPH = {_module(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def test_layers_are_folders():
    for layer in ("data", "engine", "study", "present"):
        assert (PACKAGE / layer / "__init__.py").exists(), f"zjinnov/{layer}/ is missing"
    flat = sorted(
        p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}
    )
    assert not flat, f"modules outside a layer: {flat}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_upward_import(module):
    upward = [
        target
        for target in GRAPH[module]
        if _layer(target) and RANK[_layer(target)] > RANK[_layer(module)]
    ]
    assert not upward, f"{module} ({_layer(module) or 'root'}) imports a higher layer: {upward}"


def test_no_import_cycle():
    modules = {m: {t for t in targets if t in GRAPH and t != m} for m, targets in GRAPH.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(m, stack):
        state[m] = 1
        for t in modules[m]:
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t) :] + [t] if t in stack else [m, t])
            elif t not in state:
                visit(t, stack + [t])
        state[m] = 2

    for m in sorted(modules):
        if m not in state:
            visit(m, [m])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_check_sees_a_violation(tmp_path):
    """The reader of imports is not blind: an engine module importing present is found."""
    src = tmp_path / "x.py"
    src.write_text("from zjinnov.present import style\nimport zjinnov.study.trends\n")
    found = _imports(src)
    assert "zjinnov.present.style" in found and "zjinnov.study.trends" in found
    assert (
        _layer("zjinnov.present.style") == "present" and _layer("zjinnov.engine.index") == "engine"
    )


# --------------------------------------------------------------------- the study layer's rules
STUDY = PACKAGE / "study"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Chinese that is data, not display: each string, where it stands, and why.
DATA_NOT_WORDS = {
    "chapters/rerun_guide.py": (
        "the demonstration workbook is written in the official table's shape (its sheet name, "
        "title, headers and a misspelt county name are input for the importer, not words for a "
        "reader)"
    ),
    "rerun.py": "the worked example's typing slip is a unit as the raw tables write it (亿元)",
}
# A chapter reads the Study's stages; these build one (selection, indicator values, an index,
# the full index, the census, trend runs, the audit) and belong to the stages.
STAGE_BUILDERS = {
    "select",
    "best",
    "select_all",
    "select_series",
    "indicator_values",
    "build_index",
    "base_table",
    "as_ratios",
    "with_bases",
    "partial_index",
    "full_index",
    "identification",
    "identify",
    "census",
    "trend_runs",
    "run_indicator",
    "project_all",
    "backtest",
    "audit",
    "analyse",
    "removal_table",
    "coverage_matrix",
    "consistency_table",
    "load_observations",
    "validate_all",
}


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (module, class, function)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def cjk_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string literal outside a docstring holding CJK characters."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and CJK.search(node.value)
    ]


def stage_calls(source: str) -> list[tuple[int, str]]:
    """(line, call) of every call of a stage builder through an imported module or name."""
    tree = ast.parse(source)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in STAGE_BUILDERS and f.id in imported:
            out.append((node.lineno, f.id))
        elif (
            isinstance(f, ast.Attribute)
            and f.attr in STAGE_BUILDERS
            and isinstance(f.value, ast.Name)
            and f.value.id in imported
        ):
            out.append((node.lineno, f"{f.value.id}.{f.attr}"))
    return out


@pytest.mark.parametrize("path", sorted(STUDY.rglob("*.py")), ids=lambda p: p.name)
def test_the_study_layer_holds_no_display_text(path):
    relative = path.relative_to(STUDY).as_posix()
    found = cjk_literals(path.read_text(encoding="utf-8"))
    if relative in DATA_NOT_WORDS:
        return
    assert not found, f"study/{relative}: words belong in present/ (labels.csv): {found}"


def test_the_check_finds_display_text_and_passes_docstrings():
    source = '"""模块说明。"""\nYES = {True: "是"}\nx = f"{1}年"\n'
    assert [text for _, text in cjk_literals(source)] == ["是", "年"]


@pytest.mark.parametrize("path", sorted((STUDY / "chapters").glob("*.py")), ids=lambda p: p.name)
def test_a_chapter_reads_stages_and_never_builds_one(path):
    source = path.read_text(encoding="utf-8")
    if "def build(study" not in source:
        return  # a page of its own reference data (appendix A4), no county's stages
    assert not stage_calls(source), f"{path.name} rebuilds a stage of the Study"


def test_the_check_finds_a_stage_rebuilt_in_a_chapter():
    source = (
        "from zjinnov.data import selection\nfrom zjinnov.study import full_index as fi\n"
        "def build(study):\n    selection.best(study.observations)\n"
        "    study.full_index()\n    fi.full_index(county='x')\n"
    )
    assert [call for _, call in stage_calls(source)] == ["selection.best", "fi.full_index"]


def test_a_notebook_calls_chapters_not_stages():
    for nb in sorted((PACKAGE.parents[1] / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert not stage_calls(code), f"{nb.name} builds a stage of the Study itself"

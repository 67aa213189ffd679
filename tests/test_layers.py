"""The package's layers, read from its imports: data -> engine -> study -> present, never upward.

A module may import from its own layer or a lower one; no two modules import each other,
directly or through a longer loop. The package root (`__main__`, the command line) sits on top.
"""

from __future__ import annotations

import ast
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

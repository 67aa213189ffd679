"""Remove outputs and execution counts from notebooks, in place: the build executes them."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def strip(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.outputs or cell.execution_count is not None:
            cell.outputs, cell.execution_count = [], None
            changed = True
    for key in ("widgets", "execution"):
        if nb.metadata.pop(key, None) is not None:
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path("notebooks")]
    for root in roots:
        for path in sorted(root.rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in path.parts and strip(path):
                print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

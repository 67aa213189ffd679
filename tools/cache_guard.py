"""Drop stale build state when the study's inputs change.

jupyter-cache keys on notebook text only; a corrected table in data/ or a change in lib/
would otherwise leave stale results in the book. Hash what the notebooks read and clear the
cache when the hash moves, so `make book` after dropping in a new table is the whole job. Sphinx, for its part, keeps
the table of contents of unchanged pages in its environment: a new _toc.yml needs a fresh one.

A build on data laid over the public data (`make book DATA_EXTRA=...`, env ZJINNOV_DATA) also
hashes that folder, following its links into the extra tables: a corrected confidential table
re-runs every page as a corrected public one does.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_ENV = "$ZJINNOV_DATA"  # the data folder a build reads, when it is not data/
# What each piece of state depends on: (state folders, stamp name, inputs). Published tables
# live and die with the execution cache that produced them, and Sphinx must re-read every
# page (its saved doctrees hold the old outputs), or unchanged notebooks would not re-run.
GUARDS = [
    ((".jupyter_cache", "downloads", ".doctrees"), ".inputs.sha256", ["data", "lib", DATA_ENV]),
    ((".doctrees",), ".config.sha256", ["_toc.yml", "_config.yml", "book/_ext"]),
]


def fingerprint(inputs: list[str]) -> str:
    h = hashlib.sha256()
    h.update(os.environ.get("STUDY_COUNTY", "").encode())
    for top in inputs:
        if top == DATA_ENV:
            folder = os.environ.get("ZJINNOV_DATA", "").strip()
            h.update(b"overlay" if folder else b"public")
            if folder:
                _hash_tree(h, Path(folder), Path(folder))
            continue
        _hash_tree(h, ROOT / top, ROOT)
    return h.hexdigest()


def _hash_tree(h, base: Path, relative_to: Path) -> None:
    """Names (relative, so the folder's place does not count) and bytes of every file; links
    are followed (an overlay links to the extra tables)."""
    files = [base] if base.is_file() else sorted(base.rglob("*"))
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(relative_to)).encode())
            h.update(path.read_bytes())


def main(build_dir: str) -> int:
    build = Path(build_dir)
    build.mkdir(parents=True, exist_ok=True)
    for states, stamp_name, inputs in GUARDS:
        stamp = build / stamp_name
        now = fingerprint(inputs)
        if stamp.exists() and stamp.read_text().strip() == now:
            continue
        for state in states:
            if (build / state).exists():
                shutil.rmtree(build / state)
                print(f"inputs changed: cleared {build / state}")
        stamp.write_text(now)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

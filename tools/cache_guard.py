"""Drop the notebook execution cache when the study's inputs change.

jupyter-cache keys on notebook text only; a corrected table in data/ or a change in lib/
would otherwise leave stale results in the book. Hash what the notebooks read and clear the
cache when the hash moves, so `make book` after dropping in a new table is the whole job.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ["data", "lib"]


def fingerprint() -> str:
    h = hashlib.sha256()
    h.update(os.environ.get("STUDY_COUNTY", "").encode())
    for top in INPUTS:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(ROOT)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def main(build_dir: str) -> int:
    build = Path(build_dir)
    stamp = build / ".inputs.sha256"
    now = fingerprint()
    if stamp.exists() and stamp.read_text().strip() == now:
        return 0
    cache = build / ".jupyter_cache"
    if cache.exists():
        shutil.rmtree(cache)
        print(f"inputs changed: cleared {cache}")
    build.mkdir(parents=True, exist_ok=True)
    stamp.write_text(now)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

"""Where things live. Code reads under data/ and writes only under _build/."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data"
RAW = DATA / "raw"
FRAMEWORK = DATA / "framework"
BUILD = Path(os.environ.get("ZJINNOV_BUILD_DIR", ROOT / "_build"))


def output_dir(*parts: str) -> Path:
    """A folder under _build/ for derived outputs, created on demand.

    Refuses anything that would land under data/raw/, which holds sources as published.
    """
    path = BUILD.joinpath(*parts).resolve()
    if RAW.resolve() in (path, *path.parents):
        raise ValueError(f"refusing to write under data/raw/: {path}")
    path.mkdir(parents=True, exist_ok=True)
    return path

"""The county a build is for: read once, in a notebook's first cell, from `make book COUNTY=...`."""

from __future__ import annotations

import os
from pathlib import Path

from zjinnov.data import geography, paths


def county_code() -> str:
    """env STUDY_COUNTY (set by `make book COUNTY=...`), else Lin'an; refused unless a current unit."""
    code = os.environ.get("STUDY_COUNTY", "").strip() or geography.DEFAULT_COUNTY
    try:
        return geography.require_current(code)
    except ValueError as err:
        raise ValueError(f"STUDY_COUNTY={code}: {err}") from None


def data_dir() -> Path:
    """env ZJINNOV_DATA (set by `make book DATA_EXTRA=...` to the overlay under _build/), else
    the repository's data/. Read once, in a notebook's first cell, like the county."""
    folder = os.environ.get("ZJINNOV_DATA", "").strip()
    if not folder:
        return paths.DATA
    path = Path(folder)
    if not (path / "raw").is_dir() or not (path / "framework").is_dir():
        raise ValueError(f"ZJINNOV_DATA={folder}: not a data folder (needs raw/ and framework/)")
    return path

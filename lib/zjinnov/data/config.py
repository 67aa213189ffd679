"""The county a build is for: read once, in a notebook's first cell, from `make book COUNTY=...`."""

from __future__ import annotations

import os

from zjinnov.data import geography


def county_code() -> str:
    """env STUDY_COUNTY (set by `make book COUNTY=...`), else Lin'an; refused unless a current unit."""
    code = os.environ.get("STUDY_COUNTY", "").strip() or geography.DEFAULT_COUNTY
    try:
        return geography.require_current(code)
    except ValueError as err:
        raise ValueError(f"STUDY_COUNTY={code}: {err}") from None

"""What a build is for, read from the environment: the county (`make book COUNTY=...`), the
data folder and the build date; a notebook's first cell reads them once."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from zjinnov.data import geography, paths

# Build dates are given as the planning offices read them.
TIMEZONE = ZoneInfo("Asia/Shanghai")


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


def build_date(now: datetime | None = None) -> str:
    """The build's date, YYYY-MM-DD in Beijing: SOURCE_DATE_EPOCH (the reproducible-builds
    convention) when set, else today. A chapter that says what is past and what is to come
    (the plan period over, a year's figures not yet published) reads it here."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if now is None and epoch:
        now = datetime.fromtimestamp(int(epoch), UTC)
    now = now or datetime.now(UTC)
    return now.astimezone(TIMEZONE).date().isoformat()

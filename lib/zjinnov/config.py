"""Study-wide settings that an analyst may change without touching code."""

from __future__ import annotations

import os

DEFAULT_COUNTY = "330112"  # 临安区
ZHEJIANG = "330000"
HANGZHOU = "330100"
CHINA = "100000"


def county_code() -> str:
    """The county under study: env STUDY_COUNTY (set by `make book COUNTY=...`), else Lin'an."""
    code = os.environ.get("STUDY_COUNTY", "").strip() or DEFAULT_COUNTY
    if not (code.isdigit() and len(code) == 6 and code.startswith("33")):
        raise ValueError(
            f"STUDY_COUNTY={code!r}: expected a 6-digit Zhejiang county code such as 330112"
        )
    return code


def city_code(code: str) -> str:
    """The prefecture-level city of a county code (330112 -> 330100)."""
    return code[:4] + "00"

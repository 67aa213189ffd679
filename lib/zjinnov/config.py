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
    _require_current(code)
    return code


def _require_current(code: str) -> None:
    """The study is of a county that exists now; an old code gets a pointer, not a half-built book."""
    from zjinnov import counties

    table = counties.load_counties()
    current = table[table["valid_to"].isna() | (table["valid_to"].astype(str) == "")]
    if code in set(current["code"].astype(str)):
        return
    row = table[table["code"].astype(str) == code]
    if row.empty:
        raise ValueError(
            f"STUDY_COUNTY={code}: not a Zhejiang county-level unit in data/framework/counties.csv"
        )
    r = row.iloc[-1]
    if r["type"] == "statistical_zone":
        raise ValueError(
            f"STUDY_COUNTY={code} ({r['name']}) is a statistical zone, not a county-level unit"
        )
    raise ValueError(
        f"STUDY_COUNTY={code} ({r['name']}) is no longer a county-level unit (valid to {r['valid_to']}); "
        "choose a current code from data/framework/counties.csv"
    )


def city_code(code: str) -> str:
    """The prefecture-level city of a county code (330112 -> 330100)."""
    return code[:4] + "00"

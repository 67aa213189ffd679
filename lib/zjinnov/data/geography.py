"""Zhejiang's county-level units per year (90 from 2019; 89 in 2018), and which region codes a table may use."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from zjinnov.data.paths import FRAMEWORK

DEFAULT_COUNTY = "330112"  # 临安区
ZHEJIANG = "330000"
CHINA = "100000"

STATISTICAL_ZONE = (
    "statistical_zone"  # e.g. 330371 温州经开区: a statistics code, not a county unit
)
# Prefecture-level cities 330100 .. 331100.
CITY_CODES = [f"33{i:02d}00" for i in range(1, 12)]
# Units that changed code without changing territory: old code -> current code.
RENAMED = {"330185": "330112"}  # 临安市 -> 临安区 (2017)


def harmonise_codes(codes: pd.Series) -> pd.Series:
    """Map renamed units to their current code so a series runs across the rename."""
    return codes.astype(str).replace(RENAMED)


@cache
def _read(path: Path) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("valid_from", "valid_to"):
        table[col] = pd.to_numeric(table[col].replace("", None)).astype("Int64")
    return table


def load_counties(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """code, name, city_code, city_name, type, valid_from, valid_to (inclusive years; NA = open)."""
    return _read(framework_dir / "counties.csv").copy()


def _valid_in(table: pd.DataFrame, year: int) -> pd.Series:
    starts = table["valid_from"].isna() | (table["valid_from"] <= year)
    ends = table["valid_to"].isna() | (table["valid_to"] >= year)
    return (starts & ends).fillna(False).astype(bool)


def units_in_year(year: int, framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """The county-level units that existed in `year` (statistical zones excluded)."""
    table = load_counties(framework_dir)
    keep = _valid_in(table, int(year)) & table["type"].ne(STATISTICAL_ZONE)
    return table[keep].reset_index(drop=True)


def name_of(code: str, year: int | None = None, framework_dir: Path = FRAMEWORK) -> str:
    """Chinese name of a county, city, Zhejiang (330000) or China (100000)."""
    code = str(code)
    regions = region_names(framework_dir)
    if code in regions:
        return regions[code]
    table = load_counties(framework_dir)
    rows = table[table["code"] == code]
    if year is not None:
        rows = rows[_valid_in(rows, int(year))]
    if rows.empty:
        when = f" in {year}" if year is not None else ""
        raise KeyError(f"unknown county code {code}{when}")
    return rows["name"].iloc[0]


@cache
def region_names(framework_dir: Path = FRAMEWORK) -> dict[str, str]:
    """Codes allowed in every year besides county units: China, Zhejiang and the 11 cities."""
    table = _read(framework_dir / "counties.csv")
    cities = table.drop_duplicates("city_code").set_index("city_code")["city_name"].to_dict()
    return {CHINA: "全国", ZHEJIANG: "浙江省", **cities}


def valid_codes(
    years: pd.Series,
    codes: pd.Series,
    boundary_years: pd.Series | None = None,
    framework_dir: Path = FRAMEWORK,
) -> pd.Series:
    """Boolean per row: is the code a region, or a unit (or statistical zone) that existed that year?

    `boundary_years` overrides the year for rows whose figures use another year's boundaries
    (e.g. census 2020 counts re-cut to the post-2021 districts).
    """
    table = load_counties(framework_dir)
    when = pd.to_numeric(years, errors="coerce")
    if boundary_years is not None:
        when = pd.to_numeric(boundary_years, errors="coerce").fillna(when)
    pairs = pd.DataFrame({"code": codes.astype(str).values, "year": when.values}, index=codes.index)
    merged = (
        pairs.rename_axis("_row")
        .reset_index()
        .merge(table[["code", "valid_from", "valid_to"]], on="code", how="left")
    )
    ok = (merged["valid_from"].isna() | (merged["valid_from"] <= merged["year"])) & (
        merged["valid_to"].isna() | (merged["valid_to"] >= merged["year"])
    )
    ok = ok & merged["code"].isin(table["code"])
    per_row = ok.fillna(False).astype(bool).groupby(merged["_row"]).any()
    per_row = per_row.reindex(codes.index, fill_value=False)
    return per_row | codes.astype(str).isin(region_names(framework_dir))


def city_code(code: str) -> str:
    """The prefecture-level city of a county code (330112 -> 330100)."""
    return code[:4] + "00"


def require_current(code: str, framework_dir: Path = FRAMEWORK) -> str:
    """`code` if it is a county-level unit now; an old code or a statistical zone gets a pointer."""
    if not (code.isdigit() and len(code) == 6 and code.startswith("33")):
        raise ValueError(f"county {code!r}: expected a 6-digit Zhejiang county code such as 330112")
    table = load_counties(framework_dir)
    current = table[table["valid_to"].isna()]
    if code in set(current["code"]):
        return code
    row = table[table["code"] == code]
    if row.empty:
        raise ValueError(
            f"county {code}: not a Zhejiang county-level unit in data/framework/counties.csv"
        )
    r = row.iloc[-1]
    if r["type"] == STATISTICAL_ZONE:
        raise ValueError(
            f"county {code} ({r['name']}) is a statistical zone, not a county-level unit"
        )
    raise ValueError(
        f"county {code} ({r['name']}) is no longer a county-level unit (valid to {r['valid_to']}); "
        "choose a current code from data/framework/counties.csv"
    )

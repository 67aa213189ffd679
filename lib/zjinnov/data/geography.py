"""Zhejiang's county-level units and how their territory changed: one registry in two tables.

`data/framework/counties.csv`, one row per code (a county-level unit, or a statistical zone):
name, city, type, the years the code is in use (`valid_from`..`valid_to`, inclusive; blank =
open), `source_id`, note. Which units exist in a year is read from here only.

`data/framework/boundary_changes.csv`, one row per territory link: the territory of `from_code`
(on the boundaries before `change_year`) that lies in `to_code` from `change_year` on.
- `change`: `renamed` (the same territory under a new code), `merged` (the whole of from_code
  went into to_code together with other territory), `split` (part of from_code went to
  to_code), `within` (no year: a statistical zone lies in the unit that administers it; the
  unit's own `within` row says its figures, counted without the zone, belong to it too).
- `relation`: `whole` (all of from_code lies in to_code) or `part`.
- `evidence`: `+`-joined `snapshot_flags` (NBS code snapshots), `stored_source` (a stored
  document or figure), `background` (background knowledge, not in the stored sources).
A unit whose territory changed while its code stayed has a row to itself, so every change is a
row; a unit with no row kept its territory. Nothing reads the notes: every question about
codes, predecessors and boundary vintages is answered here, from these columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from zjinnov.data import county_registry
from zjinnov.data.paths import FRAMEWORK

DEFAULT_COUNTY = "330112"  # 临安区
ZHEJIANG = "330000"
CHINA = "100000"

STATISTICAL_ZONE = county_registry.STATISTICAL_ZONE
CITY_CODES = county_registry.CITY_CODES
# The columns of a territory link between two boundary years (`links_between`).
LINK_COLUMNS = (
    "from_code from_name from_type to_code to_name relation change change_year evidence note source"
).split()


# --- the registry's two tables, validated (zjinnov.data.county_registry) -------------------


def _valid_in(table: pd.DataFrame, year) -> pd.Series:
    starts = table["valid_from"].isna() | (table["valid_from"] <= year)
    ends = table["valid_to"].isna() | (table["valid_to"] >= year)
    return (starts & ends).fillna(False).astype(bool)


@cache
def _registry(framework_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    report, counties, changes = county_registry.validate_registry(framework_dir)
    report.raise_if_any()
    return counties, changes


def load_counties(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """code, name, city_code, city_name, type, valid_from, valid_to (inclusive years; NA = open),
    source_id, note. Validated with boundary_changes.csv; every problem raised at once."""
    return _registry(Path(framework_dir))[0].copy()


def load_changes(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """from_code, to_code, change_year (Int64; NA for `within`), change, relation, evidence,
    note, source: every territory link, validated with counties.csv."""
    return _registry(Path(framework_dir))[1].copy()


# --- units and codes ----------------------------------------------------------------------


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
    table = load_counties(framework_dir)
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


# --- predecessors, successors, renames ----------------------------------------------------


def _dated(framework_dir: Path) -> pd.DataFrame:
    changes = load_changes(framework_dir)
    return changes[changes["change"].ne("within")]


def predecessors(code: str, framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """The links into `code` from other codes (from_code, change_year, change, relation, ...):
    330112 <- 330185 (renamed); 330114 <- 330104 and 330109 (split)."""
    links = _dated(framework_dir)
    return links[links["to_code"].eq(code) & links["from_code"].ne(code)].reset_index(drop=True)


def successors(code: str, framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """The links out of `code` to other codes: 330104 -> 330102 and 330114 (split)."""
    links = _dated(framework_dir)
    return links[links["from_code"].eq(code) & links["to_code"].ne(code)].reset_index(drop=True)


def successor_chain(code: str, framework_dir: Path = FRAMEWORK) -> list[str]:
    """`code` and the units its whole territory went into, in order (330185 -> 330112;
    330103 -> 330105). The chain stops where a unit is split or goes on under its own code.
    Only `renamed` steps keep the territory the same; see `series_codes`."""
    links = _dated(framework_dir)
    chain = [str(code)]
    while True:
        out = links[links["from_code"].eq(chain[-1])]
        if len(out) != 1 or out["relation"].iloc[0] != "whole":
            return chain
        nxt = out["to_code"].iloc[0]
        if nxt in chain:
            return chain
        chain.append(nxt)


@cache
def _renames(framework_dir: Path) -> dict[str, str]:
    """old code -> the code its territory carries now, through every rename."""
    links = load_changes(framework_dir)
    step = dict(links.loc[links["change"].eq("renamed"), ["from_code", "to_code"]].values)
    out = {}
    for old in step:
        new, seen = step[old], {old}
        while new in step and new not in seen:
            seen.add(new)
            new = step[new]
        out[old] = new
    return out


def harmonise_codes(codes: pd.Series, framework_dir: Path = FRAMEWORK) -> pd.Series:
    """Codes of renamed units (same territory, new code) replaced by the code they carry now,
    so a series runs across the rename (临安市 330185 -> 临安区 330112). Merged and split units
    keep their code: their territory is not the later unit's."""
    return codes.astype(str).replace(_renames(Path(framework_dir)))


def series_codes(code: str, framework_dir: Path = FRAMEWORK) -> list[str]:
    """`code` and every earlier code of the same territory: the codes whose figures make one
    series for the unit (330112 -> ['330112', '330185']). Exactly the codes that
    `harmonise_codes` carries to `code`, so a coverage table and a trend agree."""
    codes = pd.Series(sorted(set(load_counties(framework_dir)["code"]) | {str(code)}))
    same = codes[harmonise_codes(codes, framework_dir).eq(str(code)) & codes.ne(str(code))]
    return [str(code), *same]


# --- boundary vintages --------------------------------------------------------------------


def current_boundary_year(framework_dir: Path = FRAMEWORK) -> int:
    """First year of today's boundaries: the latest year the registry records a unit starting,
    ending or changing territory (2021, the Hangzhou adjustment). Maps draw these units."""
    counties, changes = load_counties(framework_dir), load_changes(framework_dir)
    units = counties[counties["type"].ne(STATISTICAL_ZONE)]
    years = [*changes["change_year"].dropna(), *units["valid_from"].dropna()]
    years += [y + 1 for y in units["valid_to"].dropna()]
    return int(max(years))


def boundary_years(obs: pd.DataFrame) -> pd.Series:
    """The year whose boundaries each row's figure uses: `boundary_year` where the raw table
    gives one (a figure re-cut to other boundaries), else the data year."""
    year = pd.to_numeric(obs["year"], errors="coerce")
    if "boundary_year" in obs:
        year = pd.to_numeric(obs["boundary_year"], errors="coerce").fillna(year)
    return year.astype("Int64")


def recut(obs: pd.DataFrame) -> pd.Series:
    """True for rows re-cut to another year's boundaries (`boundary_year` set and not `year`)."""
    if "boundary_year" not in obs:
        return pd.Series(False, index=obs.index)
    boundary = pd.to_numeric(obs["boundary_year"], errors="coerce")
    year = pd.to_numeric(obs["year"], errors="coerce")
    return (boundary.notna() & boundary.ne(year)).astype(bool)


def links_between(from_year: int, to_year: int, framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """Where the territory of `from_year`'s units lies among `to_year`'s: one row per pair
    (LINK_COLUMNS), for every unit whose territory changed in between, and for statistical
    zones and the units that hold them. Links of several years are chained (whole only if
    every step is whole); a unit without a row kept its territory and code.

    Empty when from_year >= to_year: figures on a year's own boundaries need no link.
    """
    fw = Path(framework_dir)
    from_year, to_year = int(from_year), int(to_year)
    if from_year >= to_year:
        return pd.DataFrame(columns=LINK_COLUMNS)
    counties, changes = load_counties(fw), load_changes(fw)
    present = counties[_valid_in(counties, from_year)]
    zones = set(present.loc[present["type"].eq(STATISTICAL_ZONE), "code"])
    within = changes[changes["change"].eq("within")]
    # A unit's own 'within' row matters only while one of its zones exists.
    hosts = set(within.loc[within["from_code"].isin(zones), "to_code"])
    own = within["from_code"].eq(within["to_code"]) & within["to_code"].isin(hosts)
    steps = [within[within["from_code"].isin(zones) | own]]
    dated = changes[changes["change_year"].between(from_year + 1, to_year).fillna(False)]
    steps += [links for _, links in dated.groupby("change_year", sort=True)]

    paths = [(code, code, True, ()) for code in present["code"]]
    for links in steps:
        by_from = {code: rows for code, rows in links.groupby("from_code")}
        moved = []
        for origin, target, whole, trail in paths:
            if target not in by_from:
                moved.append((origin, target, whole, trail))
                continue
            for i, link in by_from[target].iterrows():
                moved.append(
                    (origin, link["to_code"], whole and link["relation"] == "whole", (*trail, i))
                )
        paths = moved

    names = counties.set_index("code")
    rows = []
    for origin, target, whole, trail in (p for p in paths if p[3]):
        used = changes.loc[list(trail)]
        rows.append(
            {
                "from_code": origin,
                "from_name": names.at[origin, "name"],
                "from_type": names.at[origin, "type"],
                "to_code": target,
                "to_name": names.at[target, "name"],
                "relation": "whole" if whole else "part",
                "change": "+".join(used["change"]),
                "change_year": used["change_year"].max(),
                "evidence": "; ".join(dict.fromkeys(used["evidence"])),
                "note": " | ".join(used["note"]),
                "source": "; ".join(dict.fromkeys(used["source"])),
            }
        )
    out = pd.DataFrame(rows, columns=LINK_COLUMNS)
    # Two routes into one unit: the link is whole if either route carries all of it.
    out = out.sort_values("relation", key=lambda r: r.ne("whole"), kind="stable")
    out = out.drop_duplicates(["from_code", "to_code"]).sort_index()
    return out.assign(change_year=out["change_year"].astype("Int64")).reset_index(drop=True)


def unit_composition(links: pd.DataFrame) -> pd.DataFrame:
    """Per unit reached by `links` (from `links_between`): to_code, to_name, the units it is
    made of ("名(code)+..."), n_parts, and `exact`: every part whole, so counts can be summed.
    The registry lists every part of a unit it reaches (validated: a receiving unit that
    existed before has a row to itself)."""
    grouped = links.groupby("to_code", sort=True)
    return (
        pd.DataFrame(
            {
                "to_name": grouped["to_name"].first(),
                "parts": grouped.apply(
                    lambda g: "+".join(g["from_name"] + "(" + g["from_code"] + ")"),
                    include_groups=False,
                ),
                "n_parts": grouped.size(),
                "exact": grouped["relation"].agg(lambda r: bool((r == "whole").all())),
            },
            columns=["to_name", "parts", "n_parts", "exact"],
        )
        .rename_axis("to_code")
        .reset_index()
    )


def same_territory(
    codes: Iterable[str],
    boundary_years: Iterable,
    year: int | None = None,
    framework_dir: Path = FRAMEWORK,
) -> pd.Series:
    """True where a figure for `code`, on the boundaries of its boundary year, covers exactly
    the unit `code` of `year` (default: today's boundaries, `current_boundary_year`): the code
    is in use at both dates, and no change or statistical zone links it in between. Indexed
    like `boundary_years` when that is a Series."""
    year = current_boundary_year(framework_dir) if year is None else int(year)
    index = boundary_years.index if isinstance(boundary_years, pd.Series) else None
    codes = pd.Series([str(c) for c in codes])
    boundaries = pd.Series(pd.array(list(boundary_years), dtype="Int64"))
    counties = load_counties(framework_dir)
    ok = codes.isin(units_in_year(year, framework_dir)["code"])
    for boundary in boundaries.dropna().unique():
        then = counties[_valid_in(counties, int(boundary))]["code"]
        touched = links_between(int(boundary), year, framework_dir)["from_code"]
        fits = codes.isin(then) & ~codes.isin(touched)
        ok &= ~boundaries.eq(boundary).fillna(False) | fits
    out = (ok & boundaries.notna()).astype(bool)
    if index is not None:
        out.index = index
    return out

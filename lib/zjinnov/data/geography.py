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
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from zjinnov.data.errors import Problem, ValidationReport
from zjinnov.data.paths import FRAMEWORK

DEFAULT_COUNTY = "330112"  # 临安区
ZHEJIANG = "330000"
CHINA = "100000"

STATISTICAL_ZONE = (
    "statistical_zone"  # e.g. 330371 温州经开区: a statistics code, not a county unit
)
UNIT_TYPES = ("district", "county", "county_city", STATISTICAL_ZONE)
# Prefecture-level cities 330100 .. 331100.
CITY_CODES = [f"33{i:02d}00" for i in range(1, 12)]

COUNTIES_FILE = "counties.csv"
CHANGES_FILE = "boundary_changes.csv"
CHANGES = ("renamed", "merged", "split", "within")
RELATIONS = ("whole", "part")
EVIDENCE = ("snapshot_flags", "stored_source", "background")
LINK_COLUMNS = (
    "from_code from_name from_type to_code to_name relation change change_year evidence note source"
).split()


# --- the registry: schemas, checks, loaders -----------------------------------------------


def _col(*checks: pa.Check, **kwargs) -> pa.Column:
    return pa.Column(str, coerce=True, checks=list(checks), **kwargs)


def _one_of(values) -> pa.Check:
    return pa.Check.isin(values, error=f"one of {', '.join(values)}")


_FILLED = pa.Check(lambda s: s.str.strip().str.len() > 0, error="must not be empty")
_CODE = pa.Check.str_matches(r"^33\d{4}$", error="6-digit Zhejiang code (33xxxx)")
_YEAR = pa.Check.str_matches(r"^((19|20)\d{2})?$", error="blank or a year")
_EVIDENCE = pa.Check(
    lambda v: all(t in EVIDENCE for t in v.split("+")),
    element_wise=True,
    error=f"'+'-joined tokens from {', '.join(EVIDENCE)}",
)


def counties_schema() -> pa.DataFrameSchema:
    """counties.csv column by column; rules across columns and tables are in RULES."""
    columns = {
        "code": _col(_CODE, unique=True),
        "name": _col(_FILLED),
        "city_code": _col(_one_of(CITY_CODES)),
        "city_name": _col(_FILLED),
        "type": _col(_one_of(UNIT_TYPES)),
        "valid_from": _col(_YEAR),
        "valid_to": _col(_YEAR),
        "source_id": _col(_FILLED),
        "note": _col(),
    }
    return pa.DataFrameSchema(columns, name="counties")


def changes_schema() -> pa.DataFrameSchema:
    """boundary_changes.csv column by column."""
    columns = {
        "from_code": _col(_CODE),
        "to_code": _col(_CODE),
        "change_year": _col(_YEAR),
        "change": _col(_one_of(CHANGES)),
        "relation": _col(_one_of(RELATIONS)),
        "evidence": _col(_EVIDENCE),
        "note": _col(_FILLED),
        "source": _col(_FILLED),
    }
    return pa.DataFrameSchema(columns, name="boundary_changes")


# Rules across columns and between the two tables, as reported.
RULES = {
    "city": "the code's city (its first four digits + 00)",
    "order": "valid_to before valid_from",
    "source": "unknown source id (not in data/sources.csv)",
    "untold": f"an ended unit needs a row in {CHANGES_FILE} saying where its territory went",
    "unknown": f"unknown code (not in {COUNTIES_FILE})",
    "duplicate": "duplicate link (from_code, to_code, change_year)",
    "within_year": "a 'within' row has no year: it holds in every year",
    "year": "a year is required for a renamed, merged or split link",
    "split_part": "a 'split' link moves part of a unit",
    "whole": "a renamed, merged or 'within' link moves a whole unit",
    "zone_in_zone": "a zone lies within a county-level unit, not within another zone",
    "within": "'within' links a statistical zone (or a unit to itself) to the unit holding it",
    "from_dead": "not a unit in the year before the change",
    "to_dead": "not a unit in change_year",
    "goes_on": "the unit goes on after the change: it needs a row to itself saying what it kept",
    "received": "the receiving unit existed before: it needs a row to itself saying what it kept",
    "whole_one": "a unit that goes whole into one unit has no other link that year",
    "split_two": "a split unit has at least two links that year",
    "merged_two": "a merged unit receives at least two links that year",
    "rename": "a rename ends one code and starts another, one to one",
}


def _schema_problems(
    schema: pa.DataFrameSchema, frame: pd.DataFrame, label: str, county: str
) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        out = []
        for case in err.failure_cases.itertuples(index=False):
            if case.check == "column_in_dataframe":
                out.append(Problem(label, None, str(case.failure_case), "missing column"))
                continue
            rule = "duplicate code" if case.check == "field_uniqueness" else str(case.check)
            if case.index is None or pd.isna(case.index):
                out.append(Problem(label, None, case.column, rule, case.failure_case))
                continue
            row = frame.loc[int(case.index)]
            found = row.get(case.column, case.failure_case)
            out.append(Problem(label, int(case.index) + 2, case.column, rule, found, row[county]))
        return out
    return []


def _read(path: Path, report: ValidationReport) -> pd.DataFrame | None:
    label = f"framework/{path.name}"
    if not path.exists():
        report.add(label, None, None, "file missing")
        return None
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        report.add(label, None, None, f"cannot be read as UTF-8 CSV: {err}")
        return None


def _years(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.replace("", None), errors="coerce").astype("Int64")


def _valid_in(table: pd.DataFrame, year) -> pd.Series:
    starts = table["valid_from"].isna() | (table["valid_from"] <= year)
    ends = table["valid_to"].isna() | (table["valid_to"] >= year)
    return (starts & ends).fillna(False).astype(bool)


def _emit(report, label, frame, rules, seen: set, county: str, year: str | None = None) -> None:
    """One problem per row each rule (mask, column, RULES key) flags, naming the cell found."""
    for mask, column, key in rules:
        for i in frame.index[mask.fillna(False).astype(bool)]:
            if (label, i + 2, column) in seen:
                continue
            found, when = frame.at[i, column], frame.at[i, year] if year else None
            found = "" if pd.isna(found) else found
            when = None if when is None or pd.isna(when) else int(when)
            report.add(label, i + 2, column, RULES[key], found, frame.at[i, county], when)


def _counties_rules(counties: pd.DataFrame, changes: pd.DataFrame | None, source_ids) -> list:
    rules = [
        (counties["code"].str[:4] + "00" != counties["city_code"], "city_code", "city"),
        (counties["valid_from"] > counties["valid_to"], "valid_to", "order"),
    ]
    if source_ids is not None:
        rules.append((~counties["source_id"].isin(source_ids), "source_id", "source"))
    if changes is not None:
        # Where an ended unit's territory went is a row of boundary_changes.csv.
        gone = set(zip(changes["from_code"], changes["change_year"] - 1, strict=True))
        pairs = zip(counties["code"], counties["valid_to"], strict=True)
        untold = pd.Series([p not in gone for p in pairs], index=counties.index)
        ended = counties["valid_to"].notna() & counties["type"].ne(STATISTICAL_ZONE)
        rules.append((ended & untold, "valid_to", "untold"))
    return rules


def _changes_rules(counties: pd.DataFrame, changes: pd.DataFrame) -> list:
    """Rules that tie the links to the units and to each other."""
    units = counties.drop_duplicates("code").set_index("code")
    src, dst, year = changes["from_code"], changes["to_code"], changes["change_year"]
    kind, whole = changes["change"], changes["relation"].eq("whole")

    def alive(codes: pd.Series, when: pd.Series) -> pd.Series:
        start, end = codes.map(units["valid_from"]), codes.map(units["valid_to"])
        ok = (start.isna() | (start <= when)) & (end.isna() | (end >= when))
        return codes.isin(units.index) & ok

    def has_self(codes: pd.Series) -> pd.Series:
        selfs = set(zip(src[src.eq(dst)], year[src.eq(dst)], strict=True))
        return pd.Series([k in selfs for k in zip(codes, year, strict=True)], index=codes.index)

    zone_src = src.map(units["type"]).eq(STATISTICAL_ZONE)
    zone_dst = dst.map(units["type"]).eq(STATISTICAL_ZONE)
    within = kind.eq("within")
    dated = ~within & year.notna() & src.isin(units.index) & dst.isin(units.index)
    n_out = changes.groupby([src, year], dropna=False)["to_code"].transform("size")
    n_in = changes.groupby([dst, year], dropna=False)["from_code"].transform("size")
    one_to_one = src.ne(dst) & n_in.eq(1) & ~alive(src, year) & ~alive(dst, year - 1)
    return [
        (~src.isin(units.index), "from_code", "unknown"),
        (~dst.isin(units.index), "to_code", "unknown"),
        (changes.duplicated(["from_code", "to_code", "change_year"]), "to_code", "duplicate"),
        (within & year.notna(), "change_year", "within_year"),
        (~within & year.isna(), "change_year", "year"),
        (kind.eq("split") & whole, "relation", "split_part"),
        (kind.ne("split") & ~whole, "relation", "whole"),
        (within & zone_dst, "to_code", "zone_in_zone"),
        (within & ~zone_src & src.ne(dst), "from_code", "within"),
        (dated & ~alive(src, year - 1), "from_code", "from_dead"),
        (dated & ~alive(dst, year), "to_code", "to_dead"),
        (dated & alive(src, year) & ~has_self(src), "from_code", "goes_on"),
        (dated & alive(dst, year - 1) & ~has_self(dst), "to_code", "received"),
        (dated & whole & n_out.gt(1), "relation", "whole_one"),
        (dated & kind.eq("split") & n_out.lt(2), "change", "split_two"),
        (dated & kind.eq("merged") & n_in.lt(2), "change", "merged_two"),
        (dated & kind.eq("renamed") & ~one_to_one, "change", "rename"),
    ]


def validate_registry(
    framework_dir: Path = FRAMEWORK,
    report: ValidationReport | None = None,
    source_ids: set[str] | None = None,
) -> tuple[ValidationReport, pd.DataFrame | None, pd.DataFrame | None]:
    """Check counties.csv and boundary_changes.csv together; add every problem to `report`.

    Returns the report and the typed tables (None where a file is missing, unreadable or lacks
    a column).
    `source_ids` (from data/sources.csv) checks counties.csv's source_id column.
    """
    report = ValidationReport() if report is None else report
    fw = Path(framework_dir)
    c_label, l_label = f"framework/{COUNTIES_FILE}", f"framework/{CHANGES_FILE}"
    counties, changes = _read(fw / COUNTIES_FILE, report), _read(fw / CHANGES_FILE, report)
    if counties is not None:
        counties = _checked(counties, counties_schema(), c_label, "code", report)
    if changes is not None:
        changes = _checked(changes, changes_schema(), l_label, "from_code", report)
    # A cell the schema already flagged is not reported again by the rules across tables.
    seen = {(p.file, p.row, p.column) for p in report.problems}
    if counties is not None:
        counties = counties.assign(
            valid_from=_years(counties["valid_from"]), valid_to=_years(counties["valid_to"])
        )
    if changes is not None:
        changes = changes.assign(change_year=_years(changes["change_year"]))
    if counties is not None:
        rules = _counties_rules(counties, changes, source_ids)
        _emit(report, c_label, counties, rules, seen, "code")
    if counties is not None and changes is not None:
        rules = _changes_rules(counties, changes)
        _emit(report, l_label, changes, rules, seen, "from_code", "change_year")
    return report, counties, changes


def _checked(frame, schema, label, county, report) -> pd.DataFrame | None:
    """The frame after its column schema, or None if a column is missing (nothing to check)."""
    found = _schema_problems(schema, frame, label, county)
    report.problems.extend(found)
    return None if any(p.rule == "missing column" for p in found) else frame


@cache
def _registry(framework_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    report, counties, changes = validate_registry(framework_dir)
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

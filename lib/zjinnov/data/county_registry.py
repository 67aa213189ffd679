"""The county registry's two tables, checked: their columns (pandera schemas) and the rules
across columns and between the tables, every problem reported at once with file, row, column,
county and year. `zjinnov.data.geography` loads the registry through `validate_registry` and
answers every question about units, codes and boundaries from it; this module only says whether
the tables are well formed (see geography's docstring for what the columns mean).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from zjinnov.data.errors import Problem, ValidationReport
from zjinnov.data.paths import FRAMEWORK

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

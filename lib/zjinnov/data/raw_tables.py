"""Read one raw table (data/raw/*.csv) through its rules into rows in canonical units.

Text first (the raw schema), then numbers and units (the typed schema), then the rules that
need other tables (the source id exists, the county code is valid for its year). Every
problem goes into the report, each naming file, row, column, county, year, rule and the value
as written; a malformed value or unit is a problem, never an exception.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zjinnov.data import geography, selection, units
from zjinnov.data.errors import ValidationReport
from zjinnov.data.raw_schema import KEY, OUTPUT_COLUMNS, raw_schema, typed_schema
from zjinnov.data.reading import read_table
from zjinnov.data.validation import check_schema, fold
from zjinnov.data.variables import variables_table


def validate_raw(
    path: Path, report: ValidationReport, source_ids: set[str] | None, framework_dir: Path
) -> pd.DataFrame | None:
    """Validate one raw table; add its problems to `report`; return its rows in canonical units."""
    label = path.name
    frame = read_table(path, report, label)
    if frame is None:
        return None
    original, frame = frame, fold(frame)
    variables = variables_table(framework_dir)
    key = [k for k in KEY if k in frame.columns or k != "boundary_year"]
    key = [k for k in key if k in frame.columns] if set(key) <= set(frame.columns) else KEY[:-1]
    problems = check_schema(raw_schema(variables, framework_dir, key), frame, label, key, original)
    report.problems.extend(problems)
    if any(p.rule == "missing column" for p in problems):
        return None
    bad_rows = {
        p.row - 2 for p in problems if p.row is not None and not p.rule.startswith("duplicate")
    }
    good = frame.drop(index=[i for i in bad_rows if i in frame.index])
    typed = _typed(good, variables, framework_dir, label, original, report)
    typed_problems = check_schema(typed_schema(), typed, label, key, original)
    report.problems.extend(typed_problems)
    typed = typed.drop(index=[p.row - 2 for p in typed_problems if p.row is not None])
    _cross_checks(typed, label, report, source_ids, framework_dir)
    typed = _to_canonical(typed, framework_dir, label, original, report)
    return _finish(typed, label)


def _typed(
    frame: pd.DataFrame,
    variables: pd.DataFrame,
    framework_dir: Path,
    label: str,
    original: pd.DataFrame,
    report: ValidationReport,
) -> pd.DataFrame:
    """Numbers and units read from the text; a value its unit contradicts is reported, not raised."""
    numbers, printed, unreadable = [], [], []
    for idx, value, unit in zip(frame.index, frame["value"], frame["unit"], strict=True):
        try:
            number, glued = units.parse_quantity(value, unit, framework_dir)
        except units.UnitError as err:
            shown = original.loc[idx]
            report.add(
                label,
                idx + 2,
                "value",
                f"value and unit do not agree: {err}",
                f"{shown['value']} (unit column: {shown['unit'] or 'blank'})",
                frame.at[idx, "county_code"],
                frame.at[idx, "year"],
            )
            unreadable.append(idx)
            number, glued = np.nan, ""
        numbers.append(number)
        printed.append(glued)
    out = frame.copy()
    out["value_as_published"] = frame["value"]
    out["unit_as_published"] = frame["unit"]
    out["value"] = numbers
    out["unit"] = printed
    meta = variables.reindex(out["variable"])
    out["kind"] = meta["kind"].to_numpy()
    out["canonical"] = meta["unit"].to_numpy()
    allowed = meta["allowed"].to_numpy()
    # A blank unit means "already in the canonical unit"; printed units must be allowed.
    out["unit"] = out["unit"].where(out["unit"].ne(""), out["canonical"])
    out["unit_ok"] = [u in a for u, a in zip(out["unit"], allowed, strict=True)]
    return out.drop(index=unreadable)


def _to_canonical(
    frame: pd.DataFrame,
    framework_dir: Path,
    label: str,
    original: pd.DataFrame,
    report: ValidationReport,
) -> pd.DataFrame:
    """Values in each variable's canonical unit; a unit that cannot be converted is reported."""
    pairs = frame[["unit", "canonical"]].drop_duplicates()
    refused = {}
    for unit, canonical in pairs.itertuples(index=False):
        try:
            units.conversion_factor(unit, canonical, framework_dir)
        except units.UnitError as err:
            refused[unit, canonical] = str(err)
    pair = pd.Series(list(zip(frame["unit"], frame["canonical"], strict=True)), index=frame.index)
    bad = pair.isin(list(refused))
    for idx in frame.index[bad]:
        report.add(
            label,
            idx + 2,
            "unit",
            f"unit cannot be converted: {refused[pair[idx]]}",
            original.at[idx, "unit"],
            frame.at[idx, "county_code"],
            frame.at[idx, "year"],
        )
    out = frame[~bad].copy()
    out["value"] = units.to_canonical(out["value"], out["unit"], out["canonical"], framework_dir)
    out["unit"] = out["canonical"]
    return out


def _cross_checks(
    frame: pd.DataFrame,
    label: str,
    report: ValidationReport,
    source_ids: set[str] | None,
    framework_dir: Path,
) -> None:
    if source_ids is not None:
        for idx, row in frame[~frame["source_id"].isin(source_ids)].iterrows():
            report.add(
                label,
                idx + 2,
                "source_id",
                "unknown source id (not in data/sources.csv)",
                row["source_id"],
                row["county_code"],
                row["year"],
            )
    boundary = frame["boundary_year"].replace("", None) if "boundary_year" in frame else None
    ok = geography.valid_codes(frame["year"], frame["county_code"], boundary, framework_dir)
    for idx, row in frame[~ok].iterrows():
        report.add(
            label,
            idx + 2,
            "county_code",
            "county code not in the registry for that year",
            row["county_code"],
            row["county_code"],
            row["year"],
        )


def _finish(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    out = frame.copy()
    out["period"] = out["period"].map(units.parse_period)
    out["partial"] = units.is_partial(out["period"])
    release = out["release"] if "release" in out else pd.Series("", index=out.index)
    out["preliminary"] = release.eq(selection.PRELIMINARY)
    out["year"] = out["year"].astype(int)
    out["report_year"] = pd.to_numeric(out["report_year"].replace("", None)).astype("Int64")
    if "boundary_year" not in out:
        out["boundary_year"] = ""
    out["boundary_year"] = pd.to_numeric(out["boundary_year"].replace("", None)).astype("Int64")
    out["file"] = label
    out["row"] = out.index + 2
    out["date_published"] = ""  # filled from sources.csv once every table is read
    return out[OUTPUT_COLUMNS].reset_index(drop=True)

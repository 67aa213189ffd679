"""Plan targets (data/targets.csv): their schema, check and loader."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from zjinnov.data import geography, reading, validation, variables
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import DATA

TARGET_COLUMNS = [
    "region_code",
    "region_name",
    "plan",
    "plan_kind",
    "plan_period",
    "variable",
    "base_year",
    "base_value",
    "target_year",
    "target_value",
    "comparator",
    "unit",
    "source_id",
    "quote",
    "confidence",
    "note",
]
COMPARATORS = [">=", ">", "~", "=", "<=", "<"]
# Which kind of plan a target belongs to, so a sentence names it rightly (a 2027 target of a
# 2025 action plan is not a 14th five-year plan target). Codes only; words are in present/.
PLAN_KINDS = {
    "fyp14": "the 14th five-year plan (2021-2025) or a five-year special plan under it",
    "action_plan": "a multi-year action or implementation plan (行动方案, 实施方案)",
    "annual_plan": "a year's work plan or work conference (工作要点, 工作会议)",
    "programme": "the targets of a programme (e.g. a demonstration zone's build-up)",
}
FYP14 = "fyp14"


def targets_schema(variables: set[str]) -> pa.DataFrameSchema:
    text = {"dtype": str, "coerce": True}
    number = r"^(-?\d+(\.\d+)?)?$"
    missing = lambda d: d["confidence"].eq("missing")  # noqa: E731
    return pa.DataFrameSchema(
        {
            "region_code": pa.Column(
                **text,
                checks=pa.Check.str_matches(r"^\d{6}$", error="region code must be 6 digits"),
            ),
            "variable": pa.Column(
                **text,
                checks=pa.Check.isin(
                    sorted(variables), error="unknown variable (not in variables.csv)"
                ),
            ),
            "base_year": pa.Column(
                **text,
                checks=pa.Check.str_matches(
                    r"^(\d{4})?$", error="base year must be blank or a year"
                ),
            ),
            "base_value": pa.Column(
                **text,
                checks=pa.Check.str_matches(number, error="base value must be a number or blank"),
            ),
            "target_year": pa.Column(
                **text,
                checks=pa.Check.str_matches(r"^(19|20)\d{2}$", error="target year must be a year"),
            ),
            "target_value": pa.Column(
                **text, checks=pa.Check.str_matches(number, error="target value must be a number")
            ),
            "comparator": pa.Column(
                **text,
                checks=pa.Check.isin(
                    COMPARATORS + [""], error=f"comparator must be one of {' '.join(COMPARATORS)}"
                ),
            ),
            "unit": pa.Column(**text),
            "source_id": pa.Column(**text),
            "quote": pa.Column(**text),
            "confidence": pa.Column(
                **text,
                checks=pa.Check.isin(
                    ["high", "medium", "low", "missing"],
                    error="confidence must be high, medium, low or missing",
                ),
            ),
            "note": pa.Column(**text),
            "region_name": pa.Column(**text),
            "plan": pa.Column(**text),
            "plan_kind": pa.Column(
                **text,
                required=False,
                checks=pa.Check.isin(
                    list(PLAN_KINDS), error=f"plan kind must be one of {', '.join(PLAN_KINDS)}"
                ),
            ),
            # The years the plan covers as its title and targets show them: 2021-2025, 2025.
            "plan_period": pa.Column(
                **text,
                required=False,
                checks=pa.Check.str_matches(
                    r"^\d{4}(-\d{4})?$", error="plan period must be a year or years as 2021-2025"
                ),
            ),
        },
        checks=[
            # Blank targets only for rows that record a target as not found.
            pa.Check(
                lambda d: (
                    missing(d)
                    | (d["target_value"].str.len().gt(0) & d["comparator"].str.len().gt(0))
                ),
                error="target value and comparator required unless confidence is 'missing'",
            ),
            pa.Check(
                lambda d: ~missing(d) | d["note"].str.len().gt(0),
                error="a missing target needs a note saying what was searched",
            ),
            pa.Check(
                lambda d: missing(d) | d["quote"].str.len().gt(0),
                error="quote required for a published target",
            ),
        ],
        unique=["region_code", "plan", "variable", "target_year"],
        report_duplicates="all",
        name="targets",
    )


def check_targets(
    data_dir: Path, report: ValidationReport, source_ids: set[str] | None
) -> pd.DataFrame | None:
    path = Path(data_dir) / "targets.csv"
    frame = reading.read_table(path, report, "targets.csv")
    if frame is None:
        return None
    frame = validation.fold(frame.rename(columns={"region_code": "county_code"})).rename(
        columns={"county_code": "region_code"}
    )
    known = set(variables.load_variables(data_dir)["variable"])
    problems = validation.check_schema(
        targets_schema(known),
        frame,
        "targets.csv",
        ["region_code", "plan", "variable", "target_year"],
    )
    report.problems.extend(problems)
    if any(p.rule == "missing column" for p in problems):
        return None
    if source_ids is not None:
        for idx, row in frame[~frame["source_id"].isin(source_ids)].iterrows():
            report.add(
                "targets.csv",
                idx + 2,
                "source_id",
                "unknown source id (not in data/sources.csv)",
                row["source_id"],
                row["region_code"],
            )
    ok = geography.valid_codes(
        pd.to_numeric(frame["target_year"], errors="coerce"),
        frame["region_code"],
        framework_dir=Path(data_dir) / "framework",
    )
    for idx, row in frame[~ok].iterrows():
        report.add(
            "targets.csv",
            idx + 2,
            "region_code",
            "region code not in the registry for the target year",
            row["region_code"],
            row["region_code"],
            row["target_year"],
        )
    return frame


def load_targets(data_dir: Path = DATA) -> pd.DataFrame:
    """Every target row, typed (years int, values float); rows recorded as not found keep NaN.

    `plan_kind` (PLAN_KINDS) says which kind of plan each target belongs to; `is_fyp14` marks
    the targets of the 14th five-year plan."""
    report = ValidationReport()
    frame = check_targets(Path(data_dir), report, None)
    report.raise_if_any()
    out = frame.copy()
    for col in ("base_year", "target_year"):
        out[col] = pd.to_numeric(out[col].replace("", None)).astype("Int64")
    for col in ("base_value", "target_value"):
        out[col] = pd.to_numeric(out[col].replace("", None)).astype(float)
    for col in ("plan_kind", "plan_period"):
        if col not in out:
            out[col] = ""
    out["is_fyp14"] = out["plan_kind"].eq(FYP14)
    return out

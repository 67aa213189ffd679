"""Schema checks that report, never raise: a pandera schema run lazily over a table read as
text, each failure turned into a Problem naming file, row, column, county, year and rule.

`fold` prepares a table for the checks: identifiers and numbers typed in full-width forms
(common in Chinese spreadsheets) are folded (NFKC) so that ３３０１１２ is 330112.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from zjinnov.data import units
from zjinnov.data.errors import Problem

# Columns whose content is an identifier or a number: full-width forms are folded (NFKC) there.
FOLDED = (
    "county_code",
    "year",
    "report_year",
    "variable",
    "value",
    "unit",
    "period",
    "source_id",
    "confidence",
    "boundary_year",
    "release",
)
# Which column a frame-level rule is about, for the report (schemas add their own rules).
RULE_COLUMN: dict[str, str] = {}


def fold(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its identifier and number columns folded (NFKC)."""
    out = frame.copy()
    for col in FOLDED:
        if col in out:
            # Each distinct cell folded once: a workbook repeats codes, years and units.
            folded = {cell: units.normalise_text(cell) for cell in out[col].unique()}
            out[col] = out[col].map(folded)
    return out


def check_schema(
    schema: pa.DataFrameSchema,
    frame: pd.DataFrame,
    label: str,
    key: list[str],
    shown: pd.DataFrame | None = None,
) -> list[Problem]:
    """Every failure of `schema` on `frame` as a Problem (empty list: the table passes).

    `label` names the file; `key` the columns of its uniqueness rule; `shown` the table as
    written (before folding), so a problem quotes what the person typed.
    """
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        return _problems(err, frame, label, key, shown)
    return []


def _problems(
    err: SchemaErrors,
    frame: pd.DataFrame,
    label: str,
    key: list[str],
    shown: pd.DataFrame | None = None,
) -> list[Problem]:
    cases = err.failure_cases
    out: list[Problem] = []
    seen: set = set()
    for case in cases.itertuples(index=False):
        rule, column, idx = str(case.check), case.column, case.index
        if case.check == "column_in_dataframe":
            out.append(Problem(label, None, str(case.failure_case), "missing column"))
            continue
        if rule == "multiple_fields_uniqueness":
            rule, column = f"duplicate key ({', '.join(key)})", ", ".join(key)
        elif case.schema_context == "DataFrameSchema":
            column = RULE_COLUMN.get(rule, column)
        if idx is None or (isinstance(idx, float) and np.isnan(idx)):
            out.append(Problem(label, None, column, rule, case.failure_case))
            continue
        idx = int(idx)
        if (idx, rule) in seen:
            continue
        seen.add((idx, rule))
        row = frame.loc[idx]
        # Report the cell as written in the file (before full-width folding) where we have it.
        as_written = shown.loc[idx] if shown is not None and idx in shown.index else row
        found = as_written.get(column) if column in frame.columns else case.failure_case
        if rule.startswith("duplicate key"):
            found = "/".join(str(row.get(c, "")) for c in key)
        out.append(
            Problem(label, idx + 2, column, rule, found, row.get("county_code"), row.get("year"))
        )
    return sorted(out, key=lambda p: (p.row or 0, p.column or ""))

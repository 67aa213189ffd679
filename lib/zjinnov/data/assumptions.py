"""The assumptions-and-caveats log (UK Aqua Book style): each assumption rated red/amber/green
for the quality of its evidence and for its impact on the results.

The words and colours a reader sees are the presentation layer's
(`zjinnov.present.assumptions_log`); here the log is read and checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import paths
from zjinnov.data.errors import ValidationReport

RAG = ("green", "amber", "red")
COLUMNS = [
    "id",
    "assumption",
    "where_used",
    "quality",
    "impact",
    "evidence",
    "what_would_change_it",
]


def check_assumptions(path: Path, report: ValidationReport) -> pd.DataFrame | None:
    """Add every problem of the log to `report`; the table if it can be read."""
    name = f"framework/{Path(path).name}"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        report.add(name, None, None, f"missing columns {missing}")
        return None
    for col in ("quality", "impact"):
        for i in df.index[~df[col].isin(RAG)]:
            report.add(name, i + 2, col, f"must be one of {', '.join(RAG)}", df.at[i, col])
    for i in df.index[df["id"].duplicated()]:
        report.add(name, i + 2, "id", "id listed twice", df.at[i, "id"])
    return df[COLUMNS]


def load_assumptions(path: Path | None = None) -> pd.DataFrame:
    """The log, checked; raises DataValidationError naming every problem."""
    report = ValidationReport()
    df = check_assumptions(path or paths.FRAMEWORK / "assumptions.csv", report)
    report.raise_if_any()
    return df


def rag_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Assumptions by quality × impact, red first."""
    table = pd.crosstab(df["quality"], df["impact"]).reindex(
        index=RAG[::-1], columns=RAG[::-1], fill_value=0
    )
    return table

"""The assumptions-and-caveats log (UK Aqua Book style): each assumption rated red/amber/green
for the quality of its evidence and for its impact on the results.

The words and colours a reader sees are the presentation layer's
(`zjinnov.present.assumptions_log`); here the log is read and checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import paths

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


def load_assumptions(path: Path | None = None) -> pd.DataFrame:
    path = path or paths.FRAMEWORK / "assumptions.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name}: missing columns {missing}")
    problems = [
        f"{path.name}:{i + 2} | column {col} | rule: one of {RAG} | found {df.at[i, col]!r}"
        for col in ("quality", "impact")
        for i in df.index
        if df.at[i, col] not in RAG
    ]
    if df["id"].duplicated().any():
        problems.append(
            f"{path.name} | column id | rule: unique | found {df['id'][df['id'].duplicated()].tolist()}"
        )
    if problems:
        raise ValueError("\n".join(problems))
    return df[COLUMNS]


def rag_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Assumptions by quality × impact, red first."""
    table = pd.crosstab(df["quality"], df["impact"]).reindex(
        index=RAG[::-1], columns=RAG[::-1], fill_value=0
    )
    return table

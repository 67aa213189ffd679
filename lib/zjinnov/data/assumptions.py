"""The assumptions-and-caveats log (UK Aqua Book style): each assumption rated red/amber/green
for the quality of its evidence and for its impact on the results."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import paths

RAG = ("green", "amber", "red")
RAG_ZH = {"green": "绿", "amber": "黄", "red": "红"}
RAG_HEX = {"green": "#d5f5e3", "amber": "#fdebd0", "red": "#fadbd8"}
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


def styled(df: pd.DataFrame):
    """Colour the rating cells; labels in Chinese for the book."""
    shown = df.rename(
        columns={
            "id": "编号",
            "assumption": "假设",
            "where_used": "用于",
            "quality": "证据质量",
            "impact": "影响",
            "evidence": "依据",
            "what_would_change_it": "如何改进",
        }
    )

    def colour(v):
        key = {v2: k for k, v2 in RAG_ZH.items()}.get(v, v)
        return f"background-color: {RAG_HEX[key]}" if key in RAG_HEX else ""

    shown[["证据质量", "影响"]] = shown[["证据质量", "影响"]].replace(RAG_ZH)
    return shown.style.map(colour, subset=["证据质量", "影响"]).hide(axis="index")

"""What the three modules of chapter 06 share: the interval levels, the registry's names of the
variables they project (a code without a name keeps its code), how many of a series' fitted
points are published figures, and whether a year is past, current or to come when the book is
built (a past year's value is an estimate awaiting its published figure, not a projection)."""

from __future__ import annotations

import pandas as pd

from zjinnov.data import selection
from zjinnov.study.trend_runs import kind_of

LEVELS = (0.8, 0.95)
__all__ = ["LEVELS", "kind_of", "n_published", "names_of", "timing"]
# A year as the build date sees it (words in the labels table, group `term`).
PAST, CURRENT, FUTURE = "timing_past", "timing_current", "timing_future"


def names_of(variables: pd.DataFrame, codes) -> dict[str, pd.Series]:
    """The registry's Chinese and English names of variable codes (`variables` by code)."""
    codes = pd.Series(list(codes))
    return {
        "name_zh": codes.map(variables["label_zh"]).fillna(codes),
        "name_en": codes.map(variables["label_en"]).fillna(codes),
    }


def n_published(rows: pd.DataFrame) -> int:
    """How many of a series' fitted points are published figures."""
    return int((rows["used"] & rows["status"].eq(selection.PUBLISHED)).sum())


def timing(year: int, built_year: int) -> str:
    """PAST for a year over when the book is built (its figure awaits publication), CURRENT
    for the build's own year, FUTURE for a year to come."""
    year, built_year = int(year), int(built_year)
    return PAST if year < built_year else CURRENT if year == built_year else FUTURE

"""What a chapter function returns: facts to glue, tables to show.

A fact carries its kind (index, pct, count, ...) so that the presentation layer formats it
the one way the book formats that kind; a missing fact is `None`, and the sentence that needs
it falls back to its wording for the missing case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

KINDS = (
    "index",  # an index value: 1 decimal
    "pct",  # a percentage: 1 decimal (the % sign is the template's)
    "pct2",  # a percentage needing 2 decimals (R&D intensity)
    "share",  # a probability or share 0..1 shown as a whole percent
    "count",  # a count: integer
    "rank",  # a rank: integer
    "year",  # a year: no thousands separator
    "money",  # an amount with its unit (`unit`)
    "value",  # a measured value with its unit (`unit`), as few decimals as it needs
    "ratio",  # a plain ratio: 2 decimals
    "code",  # a code: as is
    "text",  # words: as is
    "items",  # a table of rows, each rendered by the template `<key>_item` and joined
)


@dataclass(frozen=True)
class Fact:
    value: Any
    kind: str
    unit: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"fact kind {self.kind!r} is not one of {', '.join(KINDS)}")

    @property
    def missing(self) -> bool:
        v = self.value
        if v is None or v is pd.NA:
            return True
        if isinstance(v, float) and math.isnan(v):
            return True
        if isinstance(v, (str, list, tuple, pd.DataFrame)) and len(v) == 0:
            return True
        return False


@dataclass
class ChapterResult:
    """A chapter's computation: `facts` (name -> Fact) to glue, `tables` (name -> tidy frame)."""

    chapter: str
    facts: dict[str, Fact] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def fact(self, name: str, value: Any, kind: str, unit: str | None = None) -> None:
        self.facts[name] = Fact(value, kind, unit)

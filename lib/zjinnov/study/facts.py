"""What a chapter function returns: facts to glue, tables to show.

A fact carries its kind (index, pct, count, term, ...) so that the presentation layer writes it
the one way the book writes that kind; a missing fact is `None`, and the sentence that needs it
falls back to its wording for the missing case. Facts hold codes and numbers, never words: a
vocabulary key is kind `term`, a period code kind `period`, a region code kind `place`, a list
of names kind `list`; the present layer words and joins them.

Every fact key is written out in full where the fact is made (`result.fact("c03_pi_index", ...)`),
so that a key glued in a page can be found by searching for it.

A fact may carry its evidence: the keys of the raw rows it rests on (county_code, year,
variable, source_id, status, and where known the row's file under data/raw and its line),
written to the facts file beside its value.
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
    "text",  # a name or a quoted text from the data: as is
    "place",  # a region code: its Chinese name, or in English its pinyin name and kind
    "term",  # a vocabulary key: worded by the labels table (group `term`)
    "period",  # a period code ("year", "1-11"): a part year is written with its months
    "list",  # a sequence of names or years, joined as the sentence's language joins them
    "items",  # a table of rows, each rendered by the item template the sentence names
)
# The columns that name a raw row: what a fact's evidence lists (file and line where known).
EVIDENCE_COLUMNS = ("county_code", "year", "variable", "source_id", "status", "file", "row")


def evidence_rows(rows: pd.DataFrame | None) -> tuple[dict, ...]:
    """The raw rows' keys (EVIDENCE_COLUMNS) as records, once each, in a stable order.

    `rows` is any frame holding those columns (a `source_ids` column of "a; b" is split into
    one `source_id` each); a column it lacks is left out of the records."""
    if rows is None or len(rows) == 0:
        return ()
    frame = rows
    if "source_id" not in frame and "source_ids" in frame:
        ids = frame["source_ids"].fillna("").astype(str).str.split("; ")
        frame = frame.assign(source_id=ids).explode("source_id")
    cols = [c for c in EVIDENCE_COLUMNS if c in frame]
    keys = frame[cols].drop_duplicates().astype(object)
    keys = keys.where(keys.notna(), None)
    for whole in ("year", "row"):
        if whole in keys:
            keys[whole] = [None if v is None else int(v) for v in keys[whole]]
    records = [
        {c: (None if v is None else v) for c, v in row.items()} for row in keys.to_dict("records")
    ]
    return tuple(sorted(records, key=lambda r: tuple(str(r[c]) for c in cols)))


@dataclass(frozen=True)
class Fact:
    value: Any
    kind: str
    unit: str | None = None
    evidence: tuple[dict, ...] = ()

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
    """A chapter's computation: `facts` (key -> Fact) to glue, `tables` (name -> tidy frame)."""

    chapter: str
    facts: dict[str, Fact] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def fact(
        self,
        key: str,
        value: Any,
        kind: str,
        unit: str | None = None,
        evidence: pd.DataFrame | None = None,
    ) -> None:
        """Record the fact `key` (written in full: `c03_pi_index`); `evidence`: the raw rows
        it rests on, as any frame with the columns of EVIDENCE_COLUMNS."""
        if not key.startswith(self.chapter + "_"):
            raise ValueError(f"fact {key!r} of chapter {self.chapter} must start {self.chapter}_")
        if key in self.facts:
            raise ValueError(f"fact {key!r} is made twice in chapter {self.chapter}")
        self.facts[key] = Fact(value, kind, unit, evidence_rows(evidence))

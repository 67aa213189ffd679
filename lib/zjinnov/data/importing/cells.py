"""Reading one cell's value as printed: a number, a number stored as text (1,234; 3.42%;
full-width digits), a missing-value marker (—, －, -, …, blank), or something that is not a
number. And which rows are footnotes (注：…, 资料来源：…) rather than data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zjinnov.data import units

MARKERS = {"—", "——", "-", "--", "－", "－－", "–", "…", "……", "...", "/", "／", "*", "x", "X"}
FOOTNOTE = re.compile(r"^(注|说明|备注|资料来源|数据来源|附注|来源)\s*[:：\d]?")
NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


@dataclass(frozen=True)
class Cell:
    value: str | None  # the number as text (no thousands separator, no %), None if missing
    unit: str  # a unit printed with the value ('%' for 3.42% or a percent-format cell)
    missing: str | None  # None, 'blank' or the marker printed ('—')


def text(v: object) -> str:
    return "" if v is None else str(v).strip()


def read_cell(raw: object, percent: bool) -> Cell:
    """What a value cell holds; not-a-number text comes back as it is, for the unit parser to
    refuse with its own message."""
    if isinstance(raw, bool):
        return Cell(str(raw), "", None)
    if isinstance(raw, (int, float)):
        if raw != raw:  # NaN from a CSV reader
            return Cell(None, "", "blank")
        if percent:  # shown as 3.42% in Excel, stored as 0.0342
            return Cell(repr(round(float(raw) * 100, 10)), "%", None)
        return Cell(str(int(raw)) if float(raw).is_integer() else repr(float(raw)), "", None)
    s = units.normalise_text(raw)  # folds full-width forms, drops thousands separators
    if not s:
        return Cell(None, "", "blank")
    if s in MARKERS or set(s) <= set("—－-–…./／*"):
        return Cell(None, "", text(raw))
    if s.endswith("%") and NUMBER.match(s):
        return Cell(s[:-1], "%", None)
    return Cell(s, "", None)


def is_number_text(v: object) -> bool:
    return (
        isinstance(v, (int, float))
        and not isinstance(v, bool)
        or bool(NUMBER.match(units.normalise_text(v)))
    )


def is_footnote(row: list) -> bool:
    """A row whose first filled cell begins 注, 说明, 资料来源, ...: not data."""
    texts = [text(v) for v in row if text(v)]
    return bool(texts) and bool(FOOTNOTE.match(texts[0]))


def has_numbers(rows: list[list]) -> bool:
    return any(is_number_text(v) for row in rows for v in row if v is not None)

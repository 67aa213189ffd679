"""Number formats by kind: the one way the book writes an index, a percentage, a count...

index 1 decimal; pct 1 decimal, pct2 2; share 0..1 as a whole percent; count and rank as
integers; year as is; money and value with their unit; ratio 2 decimals; a period code as the
months it covers (nothing for a full year); a list joined with 、 or ", " (a sentence's items
by `listing`). Missing -> "—" in a table cell (a sentence never shows it: its template has a wording for the
missing case).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

NA = "—"
DECIMALS = {"index": 1, "pct": 1, "pct2": 2, "ratio": 2, "score": 1}
SEPARATOR = {"zh": "、", "en": ", "}
FULL_YEAR = "year"


def is_missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, (float, np.floating)) and math.isnan(v)


def _plain(v: float, max_decimals: int = 2) -> str:
    """As few decimals as the value needs, at most `max_decimals`: 20.05, 350, 3.4."""
    text = f"{v:,.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def listing(items: list[str], lang: str = "zh") -> str:
    """Items as a list of the language: 甲、乙、丙 and "a, b and c". Items that hold a comma
    themselves are set off by semicolons (甲，第 2 位；乙，第 5 位), so that the reader can tell
    where one ends."""
    if lang == "zh":
        return ("；" if any("，" in item for item in items) else SEPARATOR[lang]).join(items)
    if any("," in item for item in items):
        return "; ".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def fmt(value, kind: str, unit: str | None = None, lang: str = "zh") -> str:
    """`value` written as the book writes its kind (see the module doc)."""
    if kind == "list" and isinstance(value, (list, tuple)):
        return SEPARATOR[lang].join(str(v) for v in value)
    if is_missing(value):
        return NA
    if kind == "period":
        return period(str(value), lang)
    if kind in ("text", "code", "place"):
        return str(value)
    if kind == "year":
        return str(int(value))
    if kind in ("count", "rank"):
        return f"{int(round(float(value))):,d}"
    if kind == "share":
        return f"{100 * float(value):.0f}"
    if kind in DECIMALS:
        return f"{float(value):,.{DECIMALS[kind]}f}"
    if kind in ("money", "value"):
        text = _plain(float(value))
        return f"{text} {unit}" if unit else text
    raise ValueError(f"no number format for kind {kind!r}")


def period(code: str, lang: str = "zh") -> str:
    """A part-year period ("1-11") in words, in brackets after the figure; a full year: nothing."""
    if code == FULL_YEAR:
        return ""
    first, last = code.split("-")
    return f"（{first}—{last} 月）" if lang == "zh" else f" (months {first}–{last})"

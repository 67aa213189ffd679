"""Read numbers the way Chinese publications print them, and convert them to one unit per variable.

"20.05亿元", full-width "３.４２％", "4万" (人次) and periods such as "1~11月" are parsed here;
anything else is rejected with a message that says what was found and what was expected.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from zjinnov.data.paths import FRAMEWORK

FULL_YEAR = "year"
# Number multipliers that publications glue to a number when no unit word follows ("4万人次").
_MULTIPLIERS = {"万": 1e4, "亿": 1e8}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_PERIOD = re.compile(r"^(\d{1,2})\s*[-~～—–至到]\s*(\d{1,2})\s*月?(份)?$")


class UnitError(ValueError):
    """A value or unit that cannot be read; the message says what was found."""


def normalise_text(text: object) -> str:
    """NFKC-fold full-width digits, signs and spaces ("３.４２％" -> "3.42%"), drop thousands separators."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    return _normalised(str(text))


@lru_cache(maxsize=65536)
def _normalised(s: str) -> str:
    # A large table repeats the same cells (units, codes) many times: each is folded once.
    if not s.isascii():  # ASCII is NFKC already; most cells of a large table are
        s = unicodedata.normalize("NFKC", s)
    return s.strip().replace(",", "").replace(" ", "")


@cache
def unit_table(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """data/framework/units.csv: unit, dimension, factor (to the dimension's base), label_en."""
    table = pd.read_csv(framework_dir / "units.csv", dtype={"unit": str, "dimension": str})
    table["unit"] = table["unit"].map(normalise_text)
    return table.set_index("unit")


@cache
def known_units(framework_dir: Path = FRAMEWORK) -> tuple[str, ...]:
    # Longest first, so "万元" wins over "元" when splitting "458万元". Cached: it is asked
    # for every value read, and a monitoring workbook has tens of thousands.
    return tuple(sorted(unit_table(framework_dir).index, key=len, reverse=True))


def parse_quantity(text: object, unit: object = None, framework_dir: Path = FRAMEWORK):
    """Split a printed value into (number, unit).

    The unit may be glued to the number ("20.05亿元") or given separately; if both are given they
    must agree. A bare 万/亿 after the number is a multiplier ("4万" with unit 人次 -> 40000).
    """
    raw = text
    s = normalise_text(text)
    given = normalise_text(unit)
    if not s:
        raise UnitError(f"empty value (found {raw!r})")
    glued = ""
    if not _NUMBER.match(s):  # a bare number has no unit glued to it
        for u in known_units(framework_dir):
            if s.endswith(u) and len(s) > len(u):
                glued, s = u, s[: -len(u)]
                break
    factor = 1.0
    if s and s[-1] in _MULTIPLIERS:
        factor, s = _MULTIPLIERS[s[-1]], s[:-1]
    if not _NUMBER.match(s):
        raise UnitError(f"not a number: {raw!r} (expected digits such as 20.05 or 20.05亿元)")
    if glued and given and glued != given:
        raise UnitError(
            f"unit printed with the value ({glued}) disagrees with the unit column ({given})"
        )
    final = glued or given
    if final and final not in unit_table(framework_dir).index:
        raise UnitError(
            f"unknown unit {final!r} (known: {', '.join(unit_table(framework_dir).index)})"
        )
    return float(s) * factor, final


def conversion_factor(unit: str, canonical: str, framework_dir: Path = FRAMEWORK) -> float:
    """Multiply a value in `unit` by this to express it in `canonical`; refuses across dimensions."""
    table = unit_table(framework_dir)
    for u in (unit, canonical):
        if u not in table.index:
            raise UnitError(f"unknown unit {u!r}")
    a, b = table.loc[unit], table.loc[canonical]
    if a["dimension"] != b["dimension"]:
        raise UnitError(
            f"cannot convert {unit} ({a['dimension']}) to {canonical} ({b['dimension']})"
        )
    return float(a["factor"]) / float(b["factor"])


def to_canonical(
    values: pd.Series, units: pd.Series, canonical: pd.Series, framework_dir: Path = FRAMEWORK
) -> pd.Series:
    """Vectorised conversion: one factor per (unit, canonical) pair, looked up once."""
    pairs = pd.DataFrame({"u": units, "c": canonical}).drop_duplicates()
    factors = {
        (u, c): conversion_factor(u, c, framework_dir) for u, c in pairs.itertuples(index=False)
    }
    key = pd.Series(list(zip(units, canonical, strict=True)), index=values.index)
    return values * key.map(factors).astype(float)


def parse_period(text: object) -> str:
    """'1~11月' -> '1-11'; blank, 'year' or '全年' -> 'year'. Anything else is rejected."""
    s = normalise_text(text)
    if s in ("", FULL_YEAR, "全年", "1-12", "1-12月"):
        return FULL_YEAR
    m = _PERIOD.match(s)
    if not m:
        raise UnitError(
            f"period {text!r} not understood (expected 'year' or months such as 1~11月)"
        )
    first, last = int(m.group(1)), int(m.group(2))
    if not 1 <= first <= last <= 12:
        raise UnitError(f"period {text!r}: months must run from 1 to 12")
    return FULL_YEAR if (first, last) == (1, 12) else f"{first}-{last}"


def is_partial(period: pd.Series) -> pd.Series:
    return period.ne(FULL_YEAR)

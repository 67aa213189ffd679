"""English as a reader expects it: counts that agree with their noun, amounts in English
scales, places by their pinyin names.

The Chinese sentences write amounts in the units the sources print (208.31 亿元, 63.5 万人);
an English reader counts in thousands, millions and billions. `amount` converts through the
unit registry (data/framework/units.csv: each unit's factor to its dimension's base unit, and
the base unit's English word), so 208.31 亿元 reads "20.83 billion yuan" and 5,000 万元 "50
million yuan". Units that are not a multiple of a base unit (%, per 10,000 residents) keep the
registry's English label.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from zjinnov.data import geography, place_names, units

# English scale words, largest first: a value at or above the threshold is written in it.
SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
# Dimensions whose amounts are rescaled (the base unit's English word comes from the registry).
SCALED = ("money", "people")


def agree(count, singular: str, plural: str) -> str:
    """'1 year', '2 years', '1,234 rows': the number written as a count, the noun agreeing."""
    n = int(round(float(count)))
    return f"{n:,d} {singular if n == 1 else plural}"


@cache
def _registry() -> dict[str, tuple[str, float, str]]:
    """unit -> (dimension, factor, base unit's English word) for the rescaled dimensions."""
    table = units.unit_table()
    ones = table[table["factor"].astype(float) == 1.0]
    base = dict(zip(ones["dimension"], ones["label_en"].astype(str), strict=False))
    return {
        unit: (row["dimension"], float(row["factor"]), base[row["dimension"]])
        for unit, row in table.iterrows()
        if row["dimension"] in SCALED and row["dimension"] in base
    }


def amount(value: float, unit: str | None) -> str | None:
    """`value` in `unit` written for an English sentence ('20.83 billion yuan'), or None when
    the unit is not one the English scales rewrite."""
    if not unit:
        return None
    found = _registry().get(units.normalise_text(unit))
    if found is None:
        return None
    _, factor, word = found
    # In decimals, so that 1265.5 万人 rounds to 12.66 million as a reader would round it.
    base = Decimal(repr(float(value))) * Decimal(repr(factor))
    for threshold, scale in SCALES:
        if abs(base) >= Decimal(repr(threshold)):
            return f"{_plain(base / Decimal(repr(threshold)))} {scale} {word}"
    return f"{_plain(base)} {word}"


def _plain(v: Decimal) -> str:
    text = f"{v.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def place(code: str, lang: str) -> str:
    """A region's name: Chinese from the county registry, English in pinyin with its kind."""
    code = str(code)
    return place_names.name_en(code) if lang == "en" else geography.name_of(code)

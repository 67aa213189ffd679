"""Sentences that state findings, kept as data (`vocabulary/sentences.csv`, Chinese and English).

Each row: `key` (chapter prefix + name, e.g. c03_headline), `zh`, `en`, and `zh_missing`,
`en_missing`: the wording used when a fact the sentence needs is missing. Placeholders are
fact names in braces, `{first_index}`; each is written by its fact's kind (`formats.fmt`).
A fact of kind `items` (a table) is written row by row with the template `<key>_item` and
joined with 、 (zh) or ", " (en).

No sentence is assembled by if/else in a notebook: a chapter function computes facts, and
`render` chooses the wording that the facts support.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd

from zjinnov.data import units
from zjinnov.present import formats
from zjinnov.study.facts import Fact

SENTENCES = Path(__file__).with_name("vocabulary") / "sentences.csv"
COLUMNS = ["key", "zh", "en", "zh_missing", "en_missing"]
SEPARATOR = {"zh": "、", "en": ", "}
# Words that must never stand where a number belongs (a test fails on them in built pages).
PLACEHOLDERS = ("无", "—", "nan", "None", "NaN", "<NA>")


class SentenceError(KeyError):
    pass


@cache
def load(path: Path = SENTENCES) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise SentenceError(f"{path.name}: missing column(s) {missing}")
    dup = table[table["key"].duplicated(keep=False)]
    if len(dup):
        raise SentenceError(f"{path.name}: duplicate keys {sorted(set(dup['key']))}")
    return table.set_index("key")


def fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _written(name: str, fact: Fact, key: str, lang: str) -> str:
    if fact.kind == "items":
        item = template(f"{key}_{name}_item", lang)
        rows = fact.value.to_dict("records")
        return SEPARATOR[lang].join(
            item.format_map({k: _cell(v, lang) for k, v in row.items()}) for row in rows
        )
    return formats.fmt(fact.value, fact.kind, _unit(fact.unit, lang), lang)


def _cell(value, lang: str) -> str:
    # Item rows arrive as already-typed cells: Facts are written by kind, anything else as is.
    if isinstance(value, Fact):
        return formats.fmt(value.value, value.kind, _unit(value.unit, lang), lang)
    return str(value)


def _unit(unit: str | None, lang: str) -> str | None:
    """A unit in the sentence's language: English sentences take the unit registry's words
    (data/framework/units.csv, label_en: 亿元 -> × 100 million yuan)."""
    if lang == "zh" or not unit:
        return unit
    words = units.unit_table()["label_en"]
    return words.get(units.normalise_text(unit), unit)


def template(key: str, lang: str = "zh", missing: bool = False) -> str:
    table = load(SENTENCES)
    if key not in table.index:
        raise SentenceError(f"no sentence {key!r} in {SENTENCES.name}")
    column = f"{lang}_missing" if missing else lang
    return table.at[key, column]


def render(key: str, facts: Mapping[str, Fact], lang: str = "zh") -> str:
    """The sentence `key` in `lang`, filled from `facts`; the missing wording if a fact is absent.

    An error (naming the sentence and the fact) if a placeholder names no fact at all, or if
    facts are missing and the sentence has no wording for that case.
    """
    text = template(key, lang)
    names = fields(text)
    unknown = [n for n in names if n not in facts]
    if unknown:
        raise SentenceError(
            f"sentence {key!r} ({lang}) names facts that were not computed: {unknown}"
        )
    absent = [n for n in names if facts[n].missing]
    if absent:
        text = template(key, lang, missing=True)
        if not text:
            raise SentenceError(
                f"sentence {key!r} ({lang}): facts {absent} are missing and there is no "
                f"{lang}_missing wording"
            )
        names = fields(text)
        still = [n for n in names if n not in facts or facts[n].missing]
        if still:
            raise SentenceError(f"sentence {key!r} ({lang}_missing) needs missing facts {still}")
    return text.format_map({n: _written(n, facts[n], key, lang) for n in names})


def keys(prefix: str) -> list[str]:
    """The sentences of one chapter (keys starting with `prefix_`), item templates excluded."""
    table = load(SENTENCES)
    return [k for k in table.index if k.startswith(prefix + "_") and not k.endswith("_item")]

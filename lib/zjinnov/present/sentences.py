"""Sentences that state findings, kept as data (`vocabulary/sentences.csv`, Chinese and English).

Each row: `key` (the glue key of the Chinese sentence, e.g. c03_index_record), `key_en` (the glue key
of the English one, c03_index_record_en), `zh`, `en`, and `zh_missing`, `en_missing`: the wording used
when a fact the sentence needs is missing. Placeholders are fact keys written in full,
`{c03_first_index}`; each is written by its fact's kind (`fact_words.text`). A fact of kind
`items` (a table) is written row by row with the item template its placeholder names,
`{c03_strengths:c03_strengths_strengths_item}`, and joined with 、 (zh) or as an English list
(`formats.listing`: "a, b and c"); items that hold commas are set off by semicolons in both.
A count may name its noun in both numbers, `{c01_n_years:year|years}`: English then writes
"1 year", "2 years" (the noun agrees with the count; Chinese has no need of it). A row of an
`items` table may name its own item template in a column `item` (a comparison of two years
reads differently from one of the same year).

The wording for missing facts may hand over to another sentence, `=c03_tier_published` (which
may hand over in turn), or be `-`: the sentence says nothing then, for a finding that has no
meaning for the county (no caution about an index the county does not have). A page places
such a sentence after another in the same paragraph, never alone in a list item or a box.

No sentence is assembled by if/else in a notebook: a chapter function computes facts, and
`render` chooses the wording that the facts support.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd

from zjinnov.present import english, fact_words, formats
from zjinnov.study.facts import Fact

SENTENCES = Path(__file__).with_name("vocabulary") / "sentences.csv"
COLUMNS = ["key", "key_en", "zh", "en", "zh_missing", "en_missing"]
# Words that must never stand where a number belongs (a test fails on them in built pages).
PLACEHOLDERS = ("无", "—", "nan", "None", "NaN", "<NA>")
# Missing-fact wordings that are not text: say nothing, or hand over to another sentence.
OMIT = "-"
HAND_OVER = "="


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
    sentence = ~table["key"].str.endswith("_item")
    wrong = table[sentence & (table["key_en"] != table["key"] + "_en")]
    if len(wrong):
        raise SentenceError(f"{path.name}: key_en must be the key with _en: {list(wrong['key'])}")
    return table.set_index("key")


def fields(template: str) -> list[str]:
    """The fact keys a template names (an item template after the colon is not a fact)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _written(name: str, item: str, fact: Fact, lang: str) -> str:
    if "|" in item:
        singular, _, plural = item.partition("|")
        return english.agree(fact.value, singular, plural)
    if fact.kind == "items":
        if not item:
            raise SentenceError(f"fact {name!r} is a table: name its item template, {{{name}:…}}")
        rows = fact.value.to_dict("records")
        written = [
            _fill(
                template(_own_item(row) or item, lang),
                {k: _cell(v, lang) for k, v in row.items() if k != "item"},
            )
            for row in rows
        ]
        return formats.listing(written, lang)
    return fact_words.text(fact, lang)


def _own_item(row: dict) -> str | None:
    """The item template a row names for itself (column `item`), if any."""
    own = row.get("item")
    return own if isinstance(own, str) and own else None


def _cell(value, lang: str) -> str:
    # Item rows arrive as already-typed cells: Facts are written by kind, anything else as is.
    return fact_words.text(value, lang) if isinstance(value, Fact) else str(value)


def _fill(text: str, written: Mapping[str, str]) -> str:
    """`text` with each placeholder replaced by its written value (an item spec is not a format)."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name:
            out.append(written[name])
    return "".join(out)


def template(key: str, lang: str = "zh", missing: bool = False) -> str:
    table = load(SENTENCES)
    if key not in table.index:
        raise SentenceError(f"no sentence {key!r} in {SENTENCES.name}")
    column = f"{lang}_missing" if missing else lang
    return table.at[key, column]


def _chosen(key: str, facts: Mapping[str, Fact], lang: str, seen=()) -> tuple[str, str]:
    """The sentence and wording `render` writes: (key, template text), '' to say nothing.

    The sentence's own wording if every fact it names is there; else its missing wording,
    which may hand over to another sentence (`=key`) or say nothing (`-`)."""
    text = template(key, lang)
    names = fields(text)
    unknown = [n for n in names if n not in facts]
    if unknown:
        raise SentenceError(
            f"sentence {key!r} ({lang}) names facts that were not computed: {unknown}"
        )
    absent = [n for n in names if facts[n].missing]
    if not absent:
        return key, text
    text = template(key, lang, missing=True)
    if not text:
        raise SentenceError(
            f"sentence {key!r} ({lang}): facts {absent} are missing and there is no "
            f"{lang}_missing wording"
        )
    if text == OMIT:
        return key, ""
    if text.startswith(HAND_OVER):
        other = text[len(HAND_OVER) :].strip()
        if other in seen or other == key:
            raise SentenceError(f"sentence {key!r} ({lang}) hands over in a circle: {other!r}")
        return _chosen(other, facts, lang, (*seen, key))
    names = fields(text)
    still = [n for n in names if n not in facts or facts[n].missing]
    if still:
        raise SentenceError(f"sentence {key!r} ({lang}_missing) needs missing facts {still}")
    return key, text


def omitted(key: str, facts: Mapping[str, Fact], lang: str = "zh") -> bool:
    """True when the sentence says nothing for these facts (its missing wording is `-`)."""
    return _chosen(key, facts, lang)[1] == ""


def used(key: str, facts: Mapping[str, Fact], lang: str = "zh") -> list[str]:
    """The fact keys the wording `render` chooses names (the facts a glued sentence rests on)."""
    _, text = _chosen(key, facts, lang)
    return [n for n in fields(text) if n in facts]


def render(key: str, facts: Mapping[str, Fact], lang: str = "zh") -> str:
    """The sentence `key` in `lang`, filled from `facts`; the missing wording if a fact is absent
    ('' when that wording is `-`, another sentence when it is `=key`).

    An error (naming the sentence and the fact) if a placeholder names no fact at all, or if
    facts are missing and the sentence has no wording for that case.
    """
    _, text = _chosen(key, facts, lang)
    names = fields(text)
    specs = {name: spec for _, name, spec, _ in string.Formatter().parse(text) if name}
    return _fill(text, {n: _written(n, specs[n], facts[n], lang) for n in names})


def keys(prefix: str) -> list[str]:
    """The sentences of one chapter (keys starting with `prefix_`), item templates excluded."""
    table = load(SENTENCES)
    return [k for k in table.index if k.startswith(prefix + "_") and not k.endswith("_item")]


def glue_keys(prefix: str) -> dict[str, tuple[str, str]]:
    """Glue key -> (sentence key, language) of one chapter's sentences, as the table declares them."""
    table = load(SENTENCES)
    out = {}
    for key in keys(prefix):
        out[key] = (key, "zh")
        out[table.at[key, "key_en"]] = (key, "en")
    return out

"""A fact in a reader's words: the one place a fact's value becomes text, in either language.

Numbers are written by kind (`formats.fmt`); an amount in an English sentence is rescaled to
English words (`english.amount`: 208.31 亿元 -> 20.83 billion yuan), any other unit takes the
unit registry's English words (data/framework/units.csv); a vocabulary key (kind `term`) takes
its words from the labels table; a region code (kind `place`) its name in the language. The study layer computes codes and
numbers; the sentences, the glue and the tables word them here.
"""

from __future__ import annotations

from zjinnov.data import units
from zjinnov.present import english, formats, labels
from zjinnov.study.facts import Fact

LANGUAGES = ("zh", "en")
CLAUSES = {"zh": "；", "en": "; "}


def text(fact: Fact, lang: str = "zh") -> str:
    """The fact's value as a sentence (or a page's glue) in `lang` writes it."""
    if fact.kind == "term" and isinstance(fact.value, tuple):
        # Several vocabulary keys: each worded, joined as a clause list of the language.
        return CLAUSES[lang].join(labels.label(str(v), "term", lang) for v in fact.value)
    if fact.kind == "term" and not fact.missing:
        return labels.label(str(fact.value), "term", lang)
    if fact.kind == "place" and not fact.missing:
        return english.place(fact.value, lang)
    if lang == "en" and fact.kind in ("money", "value") and not fact.missing:
        written = english.amount(fact.value, fact.unit)
        if written is not None:
            return written
    return formats.fmt(fact.value, fact.kind, unit(fact.unit, lang), lang)


def unit(code: str | None, lang: str) -> str | None:
    """A unit in the sentence's language: English takes the unit registry's words."""
    if lang == "zh" or not code:
        return code
    words = units.unit_table()["label_en"]
    return words.get(units.normalise_text(code), code)

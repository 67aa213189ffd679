"""Glue a chapter's results into the book: every fact and every sentence, zh and en.

A notebook's cell: `publish.glue_chapter(result)`. Facts are glued as `<chapter>_<name>`,
written by kind; sentences of the chapter (`<chapter>_*` in the sentences table) as their key
in Chinese and `<key>_en` in English. Tables are shown with `show(result, name)`.
"""

from __future__ import annotations

from myst_nb import glue

from zjinnov.present import formats, labels, sentences
from zjinnov.study.facts import ChapterResult


def glue_chapter(result: ChapterResult) -> dict[str, str]:
    """Glue every fact and sentence of `result`; returns what was glued (key -> text)."""
    out = {}
    for name, fact in result.facts.items():
        if fact.kind == "items":
            continue  # a table of rows is glued only through the sentences that list it
        out[f"{result.chapter}_{name}"] = formats.fmt(fact.value, fact.kind, fact.unit)
    for key in sentences.keys(result.chapter):
        out[key] = sentences.render(key, result.facts, "zh")
        out[f"{key}_en"] = sentences.render(key, result.facts, "en")
    for key, text in out.items():
        glue(key, text, display=False)
    return out


def show(result: ChapterResult, name: str, lang: str = "zh", **options):
    """The table `name` of `result`, labelled and formatted for the reader."""
    return labels.table(result.tables[name], lang, **options)

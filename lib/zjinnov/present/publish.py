"""Glue a chapter's results into the book: every fact and every sentence, zh and en.

A notebook's cell: `publish.glue_chapter(result)`. A fact is glued under its own key (written
in full where the chapter makes it, `c03_pi_index`), worded by kind (`fact_words.text`); a
sentence under the keys the sentences table declares (`key` in Chinese, `key_en` in English).
The evidence of every glued value (the raw rows its facts rest on) is glued once more, as one
record under `<chapter>__evidence`, which the facts file reads back (`zjinnov.present.facts`).
Tables are shown with `show(result, name)`.
"""

from __future__ import annotations

from myst_nb import glue

from zjinnov.present import display, fact_words, labels, sentences
from zjinnov.present.facts import EVIDENCE
from zjinnov.study.facts import ChapterResult


def glued(result: ChapterResult) -> tuple[dict[str, str], dict[str, list[dict]]]:
    """What `glue_chapter` glues: key -> text, and key -> the raw rows it rests on."""
    out, evidence = {}, {}
    for key, fact in result.facts.items():
        if fact.kind == "items":
            continue  # a table of rows is glued only through the sentences that list it
        out[key] = fact_words.text(fact, "zh")
        if fact.evidence:
            evidence[key] = list(fact.evidence)
    for key, (sentence, lang) in sentences.glue_keys(result.chapter).items():
        out[key] = sentences.render(sentence, result.facts, lang)
        rows = _union(
            result.facts[n].evidence for n in sentences.used(sentence, result.facts, lang)
        )
        if rows:
            evidence[key] = rows
    return out, evidence


def glue_chapter(result: ChapterResult) -> dict[str, str]:
    """Glue every fact and sentence of `result` and their evidence; returns key -> text."""
    out, evidence = glued(result)
    for key, text in out.items():
        glue(key, text, display=False)
    glue(result.chapter + EVIDENCE, evidence, display=False)
    return out


def _union(groups) -> list[dict]:
    seen, rows = set(), []
    for group in groups:
        for row in group:
            mark = tuple(sorted(row.items(), key=lambda kv: kv[0]))
            if mark not in seen:
                seen.add(mark)
                rows.append(dict(row))
    return rows


def show(
    result: ChapterResult,
    name: str,
    lang: str = "zh",
    *,
    columns=None,
    sortable: bool = False,
    page_size: int | None = None,
    empty: str | None = None,
    **options,
):
    """The table `name` of `result`, labelled and formatted for the reader (`options`: the
    words and units of `labels.table`). With `columns` (column keys), `sortable`, `page_size`
    or `empty`, a compact table (`display.table`): only those columns shown, every column in
    its download."""
    frame = labels.table(result.tables[name], lang, **options)
    if columns is None and not sortable and page_size is None and empty is None:
        return frame
    shown = [labels.label(c, "column", lang) for c in columns] if columns else None
    return display.table(frame, shown, sortable=sortable, page_size=page_size, empty=empty)

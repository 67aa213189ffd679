"""Checks every chapter-function test applies to a ChapterResult: its sentences never put a
placeholder where a number belongs, never name the default county's city for a county
elsewhere, and every table passes through the labels table."""

from __future__ import annotations

import re

from zjinnov.data import paths
from zjinnov.present import fact_words, labels, sentences
from zjinnov.study.facts import ChapterResult
from zjinnov.study.study import Study

# Words that tie a sentence to Lin'an or its city: wrong for a county outside Hangzhou.
HANGZHOU_WORDS = ("杭州", "Hangzhou", "临安", "Lin'an", "Linan")
HANGZHOU = "330100"
# A raw missing value printed into a sentence ("None of the ..." is English, not a value).
_RAW = re.compile(r"\b(nan|NaN)\b|\bNone\b(?! of )|<NA>")
# A placeholder standing where a number belongs: alone between spaces or punctuation (a dash
# between two percentiles, 5%—95%, is a range).
PLACEHOLDER = re.compile(
    r"(?<![\w\u4e00-\u9fff%])(?:无|—+|nan|NaN|None(?! of )|<NA>)(?![\w\u4e00-\u9fff])"
)


def build_for(counties, build) -> dict[str, tuple[Study, ChapterResult]]:
    """Each county's Study on the shipped data and the chapter `build` computes from it."""
    out = {}
    for code in counties:
        study = Study.load(code, paths.DATA)
        out[code] = (study, build(study))
    return out


def rendered(result: ChapterResult) -> dict[tuple[str, str], str]:
    """Every sentence of the chapter in both languages."""
    return {
        (key, lang): sentences.render(key, result.facts, lang)
        for key in sentences.keys(result.chapter)
        for lang in ("zh", "en")
    }


def placeholders(result: ChapterResult) -> list[str]:
    """Sentences whose chosen wording writes a fact as a placeholder, or shows a raw missing value."""
    problems = []
    for (key, lang), text in rendered(result).items():
        template = sentences.template(key, lang)
        names = sentences.fields(template)
        if any(result.facts[n].missing for n in names):
            names = sentences.fields(sentences.template(key, lang, missing=True))
        for name in names:
            fact = result.facts[name]
            if fact.kind != "items" and fact_words.text(fact) in sentences.PLACEHOLDERS:
                problems.append(f"{key} ({lang}): {name} written as a placeholder")
        if _RAW.search(text):
            problems.append(f"{key} ({lang}): {text}")
    return problems


def placeholder_text(result: ChapterResult) -> list[str]:
    """Sentences containing any placeholder string at all (stricter than `placeholders`)."""
    return [
        f"{key} ({lang}): {text}"
        for (key, lang), text in rendered(result).items()
        if any(p in text for p in sentences.PLACEHOLDERS)
    ]


def city_words(result: ChapterResult, city: str) -> list[str]:
    """Sentences naming Hangzhou or Lin'an although the county is elsewhere."""
    if city == HANGZHOU:
        return []
    return [
        f"{key} ({lang}): {text}"
        for (key, lang), text in rendered(result).items()
        if any(word in text for word in HANGZHOU_WORDS)
    ]


def unlabelled(result: ChapterResult, words: dict[str, dict[str, str]]) -> list[str]:
    """Tables that fail the labels table (zh or en); `words`: table -> column -> label group."""
    problems = []
    for name, table in result.tables.items():
        for lang in ("zh", "en"):
            try:
                labels.table(table, lang, words=words.get(name, {}))
            except (KeyError, ValueError) as err:
                problems.append(f"{name} ({lang}): {err}")
    return problems

"""Facts that hold a vocabulary key (a factor, a tier, a status) worded for each language.

A chapter function computes keys, never words (the study layer does not read the labels
table). Before the glue, `with_words(result, {"top": "term"})` adds, for the fact `top`
holding e.g. ``asem_treat``, the text facts `top_zh` and `top_en` from the labels table, so
a sentence template writes `{top_zh}` in Chinese and `{top_en}` in English.
"""

from __future__ import annotations

from zjinnov.present import labels
from zjinnov.study.facts import ChapterResult

LANGUAGES = ("zh", "en")


def with_words(result: ChapterResult, groups: dict[str, str]) -> ChapterResult:
    """`result` with `<fact>_<lang>` text facts for every fact named in `groups` (fact -> group)."""
    for name, group in groups.items():
        fact = result.facts[name]
        for lang in LANGUAGES:
            word = None if fact.missing else labels.label(str(fact.value), group, lang)
            result.fact(f"{name}_{lang}", word, "text")
    return result

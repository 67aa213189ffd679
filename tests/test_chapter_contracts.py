"""What every chapter function owes its book, for every chapter and four counties, written once.

Lin'an (a long record), Binjiang (one published year), 磐安 (Jinhua: no indicator data), 景宁
(Lishui: no indicator data, no target) and 临平区 (created in 2021, after the index's base year). For each chapter and county: every fact
key is the chapter's own; every sentence renders in both languages with no placeholder where
a number belongs and no raw missing value; no sentence names Hangzhou or Lin'an for a county
elsewhere; every table passes the labels table with the words its page shows it in.
"""

from __future__ import annotations

from functools import partial

import pytest
from chapter_checks import PLACEHOLDER, build_for, city_words, placeholders, rendered, unlabelled

from zjinnov.present import province_maps, publish, sentences, trend_charts
from zjinnov.study.chapters import (
    assumptions,
    county,
    data,
    full_index,
    method,
    province,
    registry,
    robustness,
    trends,
)

COUNTIES = ("330112", "330108", "330727", "331127", "330113")
BUILT = "2026-12-07"  # a build date after the plan period, as the book's edition gives one
DRAWS, SOBOL_N = 200, 64  # the book runs the shared settings; a contract holds for any
CHOICE_WORDS = {"varied_assumption": "term", "option": "term"}
EVIDENCE_KEYS = ("county_code", "year", "variable", "source_id", "status")
EVIDENCE_STATUSES = {"published", "derived", "inferred", "implied", "target"}
# Each chapter's function, and the words its page shows each table in (as the notebook does).
CHAPTERS = {
    "c01": (
        data.build,
        {
            "sources_by_kind": {"source_kind": "term"},
            "code_changes": {"unit_type": "term"},
            "coverage": {"status": "status"},
            "own_checks": {"verdict": "status", "period": "term"},
        },
    ),
    "c02": (method.build, {"domains": {"aggregation": "rule"}, "eis_tiers": {"eis_tier": "term"}}),
    "c03": (
        county.build,
        {
            "published": {"first_tier": "term", "confidence": "confidence"},
            "ranked": {"confidence": "confidence"},
            "growth": {"confidence": "confidence", "period": "term"},
            "bases": {"rule": "rule"},
        },
    ),
    "c04": (
        partial(robustness.build, draws=DRAWS, sobol_n=SOBOL_N),
        {
            "assumptions": CHOICE_WORDS,
            "by_choice": CHOICE_WORDS,
            "removal": {"tree_level": "term"},
            "sobol": {"varied_assumption": "term"},
            "intervals": {"scheme": "term"},
        },
    ),
    "c05": (province.build, "all", province_maps.WORDS),
    "c06": (partial(trends.build, built=BUILT), "all", trend_charts.WORDS),
    "c07": (partial(full_index.build, draws=0), {}),
    "a1": (registry.build, {}),
    "a2": (
        assumptions.build,
        {"ratings": {"quality": "grade"}, "log": {"quality": "grade", "impact": "grade"}},
    ),
}


def _words(chapter: str) -> dict:
    spec = CHAPTERS[chapter]
    return {"*": spec[2]} if spec[1] == "all" else spec[1]


CASES = [(chapter, code) for chapter in CHAPTERS for code in COUNTIES]


@pytest.mark.parametrize(("chapter", "code"), CASES)
def test_chapter_keeps_its_contract(chapter, code):
    study, result = build_for([code], CHAPTERS[chapter][0])[code]
    # Every fact key is the chapter's own, written out in full.
    assert result.chapter == chapter
    assert all(key.startswith(chapter + "_") for key in result.facts)
    # Every sentence renders in both languages, with no placeholder where a number belongs.
    texts = rendered(result)
    assert texts and all(
        text or sentences.omitted(key, result.facts, lang) for (key, lang), text in texts.items()
    )
    assert not placeholders(result)
    for (key, lang), text in texts.items():
        assert not PLACEHOLDER.search(text), (key, lang, text)
    # Every fact's evidence names its raw rows by the whole key, status included.
    for key, fact in result.facts.items():
        for row in fact.evidence:
            assert all(row.get(c) is not None for c in EVIDENCE_KEYS), (key, row)
            assert row["status"] in EVIDENCE_STATUSES, (key, row)
    # No sentence names Hangzhou or Lin'an for a county elsewhere.
    assert not city_words(result, study.city)
    # Every table passes the labels table, in the words its page shows it in.
    words = _words(chapter)
    if "*" in words:
        words = dict.fromkeys(result.tables, words["*"])
    assert not unlabelled(result, words)


# --- a county with little data gets a short, true book ------------------------------------------
# Words that only make sense for a county that has the index they speak of: the caution about
# the rank and the published index moving apart, and the robustness audit of a partial index.
PRESUPPOSES = {
    "published_index": (
        "排位上升了",
        "排位上升而指数下降",
        "排位与指数反向",
        "rank rose by",
        "rank rising while",
        "rank and the index moving",
    ),
    "partial_index": ("稳健性一章审计", "audits this index"),
}


def _has(study) -> dict[str, bool]:
    best = study.best
    index = best[(best["county_code"] == study.county) & (best["variable"] == "innovation_index")]
    return {"published_index": len(index) > 1, "partial_index": not study.partial.coverage.empty}


@pytest.mark.parametrize(("chapter", "code"), CASES)
def test_no_sentence_speaks_of_an_index_the_county_does_not_have(chapter, code):
    study, result = build_for([code], CHAPTERS[chapter][0])[code]
    has = _has(study)
    wrong = [
        f"{key} ({lang}): {text}"
        for (key, lang), text in rendered(result).items()
        for what, words in PRESUPPOSES.items()
        if not has[what] and any(w in text for w in words)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("chapter", "code"), CASES)
def test_a_table_without_rows_shows_no_table(chapter, code):
    from zjinnov.present import display, labels

    _, result = build_for([code], CHAPTERS[chapter][0])[code]
    words = _words(chapter)
    for name, table in result.tables.items():
        if not table.empty:
            continue
        shown = labels.table(table, words=words.get(name, words.get("*", {})))
        assert "<table" not in display.Table(shown)._repr_html_(), name
        quiet = publish.show(result, name, empty="", words=words.get(name, {}))
        assert quiet._repr_html_() == display.empty_note(""), name

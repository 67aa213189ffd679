"""Chapter 03 (the county's index record and partial index) for three counties on the real data.

Lin'an has a long published record; Binjiang a single year; 磐安 (Jinhua) no indicator data at
all, so every finding of the chapter is missing there and its sentences must say so.
"""

from __future__ import annotations

import re

import pytest
from chapter_checks import HANGZHOU_WORDS, PLACEHOLDER

from zjinnov.data import geography
from zjinnov.present import labels, sentences
from zjinnov.study.chapters import county
from zjinnov.study.study import Study

COUNTIES = ("330112", "330108", "330727")
# The words each table's cells are written in (as the notebook shows them).
WORDS = {
    "published": {"first_tier": "term", "confidence": "confidence"},
    "ranked": {"confidence": "confidence"},
    "growth": {"confidence": "confidence", "period": "term"},
    "bases": {"rule": "rule"},
}
SHOWN = ("published", "ranked", "growth", "comparison", "bases", "coverage")


@pytest.fixture(scope="module")
def results():
    return {c: county.build(Study.load(c)) for c in COUNTIES}


def rendered(result, lang):
    return {k: sentences.render(k, result.facts, lang) for k in sentences.keys("c03")}


def test_linan_published_record(results):
    f = results["330112"].facts
    assert (f["first_year"].value, f["first_index"].value, f["first_rank"].value) == (
        2019,
        151.5,
        22,
    )
    assert (f["last_year"].value, f["last_index"].value, f["last_rank"].value) == (2023, 149.2, 10)
    # The size of the province in the latest year is counted from the registry, not typed.
    assert f["n_units"].value == len(geography.units_in_year(2023))
    assert f["tier_years"].value["year"].map(lambda y: y.value).tolist() == [2019, 2020, 2022, 2023]
    assert f["tier_size"].value == 29
    # 2020 -> 2023: rank up 14 places while the index fell 6.9 points (a rebased series).
    assert (f["break_from"].value, f["break_to"].value) == (2020, 2023)
    assert f["break_rank_change"].value == 14
    assert f["break_index_drop"].value == pytest.approx(6.9)
    assert (f["ranked_year"].value, f["ranked_rank"].value, f["ranked_n"].value) == (2019, 7, 3)


def test_linan_sentences_read_the_record(results):
    zh = rendered(results["330112"], "zh")
    assert "151.5" in zh["c03_headline"] and "第 10 位" in zh["c03_headline"]
    assert "杭州市" in zh["c03_compared"]  # Lin'an's city, by name
    assert "34.6%" in zh["c03_growth"]  # a published growth rate, as published


def test_partial_index_is_the_studys(results):
    for code in ("330112", "330108"):
        partial = Study.load(code).partial
        f = results[code].facts
        cov = partial.coverage.sort_values(["n_indicators", "year"]).iloc[-1]
        assert f["pi_year"].value == cov["year"]
        assert f["pi_index"].value == pytest.approx(cov["index"])
        counts = [f[k].value for k in ("n_base_reference", "n_base_reference_later", "n_base_own")]
        assert sum(counts) == len(partial.bases)
    assert results["330112"].facts["pi_year"].value == 2024
    assert results["330112"].facts["pi_n"].value == 4


def test_binjiang_single_year(results):
    f = results["330108"].facts
    assert f["first_index"].value == 273.9 and f["first_rank"].value == 1
    assert f["n_both"].value == 1
    assert f["break_from"].missing  # one year: no pair to compare


def test_panan_has_no_record_and_says_so(results):
    f = results["330727"].facts
    for name in ("first_index", "last_rank", "n_units", "pi_index", "ranked_year", "growth_year"):
        assert f[name].missing, name
    assert f["strengths"].missing and f["weaknesses"].missing
    assert f["n_with_data"].value == 0
    for lang in ("zh", "en"):
        for key, text in rendered(results["330727"], lang).items():
            assert text, key
            assert not any(p in text for p in sentences.PLACEHOLDERS), (key, text)
            assert not any(w in text for w in HANGZHOU_WORDS), (key, text)
            assert "磐安县" in text or key in ("c03_caution", "c03_tier_size"), (key, text)


@pytest.mark.parametrize("code", COUNTIES)
def test_no_placeholder_in_any_sentence(results, code):
    for lang in ("zh", "en"):
        for key, text in rendered(results[code], lang).items():
            assert not PLACEHOLDER.search(text), (code, key, text)


@pytest.mark.parametrize("code", COUNTIES)
def test_every_table_is_labelled(results, code):
    result = results[code]
    for name in SHOWN:
        table = labels.table(result.tables[name], "zh", words=WORDS.get(name))
        assert len(table.columns) == len(result.tables[name].columns)
        assert not any(re.fullmatch(r"[a-z_]+", c) for c in table.columns), name

"""Chapter 03 (the county's index record and partial index) for three counties on the real data.

Lin'an has a long published record; Binjiang a single year; 磐安 (Jinhua) no indicator data at
all, so every finding of the chapter is missing there and its sentences must say so.
"""

from __future__ import annotations

import pytest
from chapter_checks import HANGZHOU_WORDS

from zjinnov.data import geography
from zjinnov.present import sentences
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
    assert (f["c03_first_year"].value, f["c03_first_index"].value, f["c03_first_rank"].value) == (
        2019,
        151.5,
        22,
    )
    assert (f["c03_last_year"].value, f["c03_last_index"].value, f["c03_last_rank"].value) == (
        2023,
        149.2,
        10,
    )
    # The size of the province in the latest year is counted from the registry, not typed.
    assert f["c03_n_units"].value == len(geography.units_in_year(2023))
    assert f["c03_tier_years"].value["year"].map(lambda y: y.value).tolist() == [
        2019,
        2020,
        2022,
        2023,
    ]
    assert f["c03_first_tier_size"].value == 29
    # 2020 -> 2023: rank up 14 places while the index fell 6.9 points (a rebased series).
    assert (f["c03_break_from"].value, f["c03_break_to"].value) == (2020, 2023)
    assert f["c03_break_rank_change"].value == 14
    assert f["c03_break_index_drop"].value == pytest.approx(6.9)
    assert (f["c03_ranked_year"].value, f["c03_ranked_rank"].value, f["c03_ranked_n"].value) == (
        2019,
        7,
        3,
    )


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
        assert f["c03_pi_year"].value == cov["year"]
        assert f["c03_pi_index"].value == pytest.approx(cov["index"])
        keys = ("c03_n_base_reference", "c03_n_base_reference_later", "c03_n_base_own")
        assert sum(f[k].value for k in keys) == len(partial.bases)
    f = results["330112"].facts
    assert f["c03_pi_year"].value == 2024 and f["c03_pi_n"].value == 3


def test_no_domain_is_scored_from_its_own_value_of_the_same_year(results):
    # Lin'an's only 科技投入 figure of 2024 (I03) has no provincial base: its base is its own
    # 2024 value, a score of 100 that says nothing. The domain is left out of 2024, and the
    # sentence says so; the index rests on 转型升级 alone.
    f = results["330112"].facts
    bases = Study.load("330112").partial.bases.set_index("indicator")
    assert (bases.at["I03", "base_region"], bases.at["I03", "base_year"]) == ("330112", 2024)
    assert f["c03_pi_domains"].value["name_zh"].tolist() == ["转型升级"]
    assert f["c03_pi_left_out_domains"].value["name_zh"].tolist() == ["科技投入"]
    assert "科技投入" in sentences.render("c03_pi_left_out", f)
    # The evidence of the index is the rows it rests on: the county's and its bases'.
    rows = {(e["county_code"], e["year"], e["variable"]) for e in f["c03_pi_index"].evidence}
    assert ("330112", 2024, "hightech_share_of_above_scale_industry_va") in rows
    assert ("330000", 2020, "hightech_share_of_above_scale_industry_va") in rows
    assert not any(e["variable"].startswith("rd_") for e in f["c03_pi_index"].evidence)


def test_binjiang_single_year(results):
    f = results["330108"].facts
    assert f["c03_first_index"].value == 273.9 and f["c03_first_rank"].value == 1
    assert f["c03_n_both"].value == 1
    assert f["c03_break_from"].missing  # one year: no pair to compare


def test_panan_has_no_record_and_says_so(results):
    f = results["330727"].facts
    for name in (
        "c03_first_index",
        "c03_last_rank",
        "c03_n_units",
        "c03_pi_index",
        "c03_ranked_year",
        "c03_growth_year",
    ):
        assert f[name].missing, name
    assert f["c03_strength_rows"].missing and f["c03_weakness_rows"].missing
    assert f["c03_n_with_data"].value == 0
    for lang, name in (("zh", "磐安县"), ("en", "Pan'an County")):
        for key, text in rendered(results["330727"], lang).items():
            assert text, key
            assert not any(p in text for p in sentences.PLACEHOLDERS), (key, text)
            assert not any(w in text for w in HANGZHOU_WORDS), (key, text)
            assert name in text or key in ("c03_caution", "c03_tier_size"), (key, text)

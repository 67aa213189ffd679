"""Chapter 03 (the county's index record, comparisons and partial index) on the real data.

Lin'an has a long published record; Binjiang a single year; 磐安 (Jinhua) and 景宁 (Lishui) no
indicator data at all, so every finding of the chapter is missing there and its sentences must
say so once, briefly, and say nothing about an index or a comparison the county does not have.
"""

from __future__ import annotations

import pytest
from chapter_checks import HANGZHOU_WORDS

from zjinnov.data import comparability, geography
from zjinnov.present import profile_charts, sentences, style
from zjinnov.study.chapters import county
from zjinnov.study.study import Study

COUNTIES = ("330112", "330108", "330727", "331127")
NO_DATA = ("330727", "331127")


@pytest.fixture(scope="module")
def results():
    return {c: county.build(Study.load(c)) for c in COUNTIES}


def rendered(result, lang):
    return {k: sentences.render(k, result.facts, lang) for k in sentences.keys("c03")}


def years(fact):
    return fact.value["year"].map(lambda y: y.value).tolist()


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
    # 2020 -> 2023: rank up 14 places while the index fell 6.9 points (a rebased series).
    assert (f["c03_break_from"].value, f["c03_break_to"].value) == (2020, 2023)
    assert f["c03_break_rank_change"].value == 14
    assert f["c03_break_index_drop"].value == pytest.approx(6.9)
    assert (f["c03_ranked_year"].value, f["c03_ranked_rank"].value, f["c03_ranked_n"].value) == (
        2019,
        7,
        3,
    )


def test_tier_years_printed_apart_from_inferred_ones(results):
    f = results["330112"].facts
    # Printed by a source: 2019, 2020, 2023. The 2023 report's 连续五年 (2019-2023) implies 2021
    # and 2022 alike: both are inferred rows, listed as inferred with the words they rest on.
    assert years(f["c03_tier_years"]) == [2019, 2020, 2023]
    assert years(f["c03_tier_inferred_years"]) == [2021, 2022]
    assert all(e["status"] == "published" for e in f["c03_tier_years"].evidence)
    assert {e["status"] for e in f["c03_tier_inferred_years"].evidence} == {"inferred"}
    zh = sentences.render("c03_tier_record", f)
    assert "2019、2020、2023 年度位于全省第一梯队" in zh
    assert "2021、2022 年度是由“连续五年稳居全省第一梯队”推断的" in zh
    assert "2021 and 2022 are inferred" in sentences.render("c03_tier_record", f, "en")


@pytest.mark.parametrize("code", COUNTIES)
def test_the_first_tier_size_is_published_for_every_county(results, code):
    f = results[code].facts
    assert (f["c03_tier_size_year"].value, f["c03_first_tier_size"].value) == (2023, 29)
    assert "29 个县" in sentences.render("c03_tier_size", f)
    assert f["c03_first_tier_size"].evidence


def test_linan_sentences_read_the_record(results):
    zh = rendered(results["330112"], "zh")
    assert "151.5" in zh["c03_index_record"] and "第 10 位" in zh["c03_index_record"]
    assert "杭州市" in zh["c03_compared"]  # Lin'an's city, by name
    assert "34.6%" in zh["c03_growth"]  # a published growth rate, as published
    assert "排位上升了 14 位" in zh["c03_caution"]


def test_linan_comparisons_are_like_for_like(results):
    result = results["330112"]
    table = result.tables["comparisons"].set_index(["indicator", "year", "comparator"])
    # Growth rates of different years are not compared, and the table says why.
    assert table.at[("I24", 2021, "330100"), "verdict"] == comparability.REFUSED
    assert table.at[("I24", 2021, "330100"), "judgement"] == "compare_growth_other_year"
    zh = rendered(result, "zh")
    assert "高新技术产业投资增速" not in zh["c03_strengths"] + zh["c03_weaknesses"]
    # A level against a nearby year's names both years.
    assert (
        "R&D经费支出占GDP比重（2020 年为杭州市 2021 年的 91%，对比值所依据的数字"
        in zh["c03_weaknesses"]
    )
    assert "（2024 年为浙江省 2023 年的 125%）" in zh["c03_strengths"]
    assert "2023 年为浙江省的 121%" in zh["c03_strengths"]
    # The 2022 high-tech share rests on two 预计 figures: the sentence says so.
    assert "2022 年为杭州市的 119%，本县数值由预计数算出" in zh["c03_strengths"]
    en = rendered(result, "en")
    assert "the county's figure rests on preliminary estimates" in en["c03_strengths"]
    assert "91% of the 2021 figure of Hangzhou City" in en["c03_weaknesses"]
    # Strongest and weakest, for the front page.
    assert "125%" in zh["c03_front_compare"] and "91%" in zh["c03_front_compare"]


def test_every_stated_comparison_is_allowed_and_names_its_years(results):
    for code in ("330112", "330108"):
        result = results[code]
        stated = result.tables["comparisons"].query("stated")
        assert stated["verdict"].ne(comparability.REFUSED).all()
        facts = result.facts
        zh = sentences.render("c03_strengths", facts) + sentences.render("c03_weaknesses", facts)
        rows = [
            *facts["c03_strength_rows"].value.to_dict("records"),
            *facts["c03_weakness_rows"].value.to_dict("records"),
        ]
        assert len(rows) == len(stated)
        for row in rows:
            year, other = row["year"].value, row["year_cmp"].value
            place = geography.name_of(row["comparator"].value)
            said = f"{year} 年为{place} {other} 年的" if other != year else f"{year} 年为{place}的"
            assert said in zh, (said, zh)


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
    assert f["c03_pi_year"].value == 2024 and f["c03_pi_n"].value == 2


def test_no_indicator_is_scored_from_its_own_value_of_the_same_year(results):
    # Lin'an's only 科技投入 figure of 2024 (I03) has no provincial base: its base is its own
    # 2024 value, a score of 100 that says nothing; so has I23 (the province's 2024 share is
    # an inferred row, never a base). Both are left out of 2024, and 科技投入 with I03; the
    # sentences say so; the index rests on the two informative 转型升级 indicators.
    f = results["330112"].facts
    bases = Study.load("330112").partial.bases.set_index("indicator")
    for code in ("I03", "I23"):
        assert (bases.at[code, "base_region"], bases.at[code, "base_year"]) == ("330112", 2024)
    names = Study.load("330112").indicators.set_index("code")["name_zh"]
    left = f["c03_pi_left_out_indicators"].value["name_zh"].tolist()
    assert sorted(left) == sorted(names[["I03", "I23"]])
    assert f["c03_pi_domains"].value["name_zh"].tolist() == ["转型升级"]
    assert f["c03_pi_left_out_domains"].value["name_zh"].tolist() == ["科技投入"]
    assert all(n in sentences.render("c03_pi_left_out", f) for n in left)
    assert "科技投入" in sentences.render("c03_pi_domain_left_out", f)
    # The evidence of the index is the rows it rests on: the county's and its bases'.
    rows = {(e["county_code"], e["year"], e["variable"]) for e in f["c03_pi_index"].evidence}
    assert ("330112", 2024, "hightech_share_of_above_scale_industry_va") in rows
    assert ("330000", 2020, "hightech_share_of_above_scale_industry_va") in rows
    assert not any(e["variable"].startswith("rd_") for e in f["c03_pi_index"].evidence)


def test_binjiang_single_year(results):
    f = results["330108"].facts
    assert f["c03_last_index"].value == 273.9 and f["c03_last_rank"].value == 1
    assert f["c03_n_both"].value == 1
    assert f["c03_n_index_years"].missing  # one year: it is the latest, said once
    assert f["c03_break_from"].missing  # one year: no pair to compare
    zh = rendered(results["330108"], "zh")
    assert zh["c03_index_record"].count("273.9") == 1 and "只有 2020 年度" in zh["c03_index_record"]
    # One published year: no caution about the index and the rank moving apart.
    assert zh["c03_caution"] == ""


@pytest.mark.parametrize("code", NO_DATA)
def test_a_county_without_data_gets_a_short_true_chapter(results, code):
    result = results[code]
    f = result.facts
    for name in (
        "c03_first_index",
        "c03_last_rank",
        "c03_n_units",
        "c03_pi_index",
        "c03_ranked_year",
        "c03_growth_year",
        "c03_n_with_data",
        "c03_n_pairs",
    ):
        assert f[name].missing, name
    assert f["c03_strength_rows"].missing and f["c03_weakness_rows"].missing
    study = Study.load(code)
    for lang, name in (("zh", study.name), ("en", None)):
        texts = rendered(result, lang)
        # No caution, no table note, no strengths/weaknesses, no bases about what is not there.
        for key in (
            "c03_caution",
            "c03_published_note",
            "c03_growth_note",
            "c03_strengths",
            "c03_weaknesses",
            "c03_bases",
            "c03_pi_left_out",
        ):
            assert texts[key] == "", (key, texts[key])
        for key, text in texts.items():
            assert not any(p in text for p in sentences.PLACEHOLDERS), (key, text)
            assert not any(w in text for w in HANGZHOU_WORDS), (key, text)
        # Nothing comparable: said once, in one sentence.
        compare = texts["c03_summary_compare"] + texts["c03_strengths"] + texts["c03_weaknesses"]
        assert compare == texts["c03_compare_none"]
        if name:
            assert name in texts["c03_index_record"] and "data/raw/" in texts["c03_index_record"]
            assert "没有高于" not in compare and "没有低于" not in compare
    # Every table the chapter shows is empty, and shows nothing (the sentence says why).
    for table in ("published", "ranked", "growth", "comparisons", "bases", "coverage"):
        assert result.tables[table].empty, table


@pytest.mark.parametrize("code", COUNTIES)
def test_figures_draw_only_what_there_is(results, code):
    style.setup()
    result, name = results[code], Study.load(code).name
    tables = result.tables
    figures = {
        "index": profile_charts.index_and_rank(tables["index_series"], name, 90),
        "profile": profile_charts.profile(tables["latest_comparison"], name),
        "partial": profile_charts.partial_index_bars(tables["coverage"], name),
    }
    has = {
        "index": tables["index_series"][["innovation_index", "innovation_index_rank_zj"]]
        .notna()
        .any()
        .any(),
        "profile": not tables["latest_comparison"].empty,
        "partial": not tables["coverage"].empty,
    }
    for key, fig in figures.items():
        assert isinstance(fig, style.NoteFigure) is not bool(has[key]), (code, key)
        # A drawn panel has something in it (no empty axes with a year axis of -0.04..0.04).
        if not isinstance(fig, style.NoteFigure):
            for ax in fig.axes:
                assert ax.patches or ax.lines or ax.collections, (code, key)


def test_a_stated_comparison_says_when_a_side_fails_a_consistency_check(results):
    # Lin'an's 2022 high-tech share is computed from two 预计 figures, one of which (212 亿元)
    # chapter 01's check finds inconsistent with 2021: the item says both, in both languages.
    study = Study.load("330112")
    assert "330112/2022/hightech_industry_value_added@linan-2023-lianghui" in study.contradicted
    rows = results["330112"].facts["c03_strength_rows"].value
    item = rows[[y.value == 2022 for y in rows["year"]]].iloc[0]
    assert item["note"].value == ("compare_prelim_own", "compare_flagged_own")
    f = results["330112"].facts
    assert "一致性核对" in sentences.render("c03_strengths", f, "zh")
    assert "fails a consistency check" in sentences.render("c03_strengths", f, "en")

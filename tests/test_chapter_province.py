"""Chapter 05 (province comparison) for three counties on the real data: Lin'an, Binjiang (both
Hangzhou) and 磐安 (Jinhua), plus two Hangzhou districts whose boundaries changed in 2021."""

from __future__ import annotations

import matplotlib
from chapter_checks import build_for

matplotlib.use("Agg")  # tests only: no display; the book never sets a backend

import dataclasses

import pytest

from zjinnov.data import paths
from zjinnov.present import province_maps, sentences, style
from zjinnov.study.chapters import province
from zjinnov.study.study import Study

COUNTIES = ("330112", "330108", "330727")


@pytest.fixture(scope="module")
def built():
    return build_for((*COUNTIES, "330105", "330113"), province.build)


def _standing(result, name_zh):
    table = result.tables["standings"]
    return table[table["name_zh"] == name_zh].iloc[0]


def test_lin_an_standing_among_the_units_of_2020(built):
    _, result = built["330112"]
    assert result.facts["c05_n_units"].value == 90 and result.facts["c05_n_cities"].value == 11
    assert result.facts["c05_n_units_2020"].value == 90
    college = _standing(result, "每万人大专及以上学历人数")
    # 112191 college-educated of 634555 residents (data/raw/census2020_county.csv).
    assert college["county_value"] == pytest.approx(112191 / 634555 * 1e4)
    assert (college["rank"], college["n_regions"]) == (23, 90)
    assert college["status"] == "computed_from_counts"
    urban = _standing(result, "城镇化率")
    assert urban["county_value"] == pytest.approx(376348 / 634555 * 100)
    assert urban["rank"] == 65
    schooling = _standing(result, "平均受教育年限")
    assert (schooling["county_value"], schooling["rank"], schooling["status"]) == (
        9.75,
        23,
        "published",
    )


def test_ranked_figures_this_study_computed_are_said_to_be(built):
    _, result = built["330112"]
    computed = set(result.facts["c05_standing_computed"].value["name_zh"])
    assert computed == {"每万人大专及以上学历人数", "城镇化率"}
    for key in ("c05_standing", "c05_summary_province"):
        zh = sentences.render(key, result.facts)
        assert "本研究按登记表的公式由普查公布的人数算出" in zh
        assert "每万人大专及以上学历人数、城镇化率" in zh
        assert "this study computed" in sentences.render(key, result.facts, "en")
    # The map's ratios are computed too, and the college count under them is a derived row.
    assert set(result.tables["census_map"]["status"]) == {"computed_from_counts"}
    counts = result.tables["census_counts"].set_index(["county_code", "variable"])
    assert counts.at[("330112", "pop_college_plus"), "status"] == "derived"
    assert counts.at[("330112", "pop_census7_resident"), "status"] == "published"


def test_vintage_table_is_the_registrys_links_from_the_census_to_the_map(built):
    _, result = built["330112"]
    table = result.tables["vintages"].set_index(["from_code", "to_code"])
    assert len(table) == 11
    # Whole 2020 units that make up a map unit are summed; a split unit is not apportioned.
    assert table.at[("330103", "330105"), "map_treatment"] == "map_summed"
    assert table.at[("330371", "330303"), "map_treatment"] == "map_summed"
    assert table.at[("330104", "330114"), "map_treatment"] == "map_not_split"
    assert table.at[("330110", "330113"), "to_name"] == "临平区"
    assert table.at[("330103", "330105"), "evidence"] == "snapshot_flags+background"


def test_old_rank_stays_off_a_changed_unit():
    # 余杭区's 2020 rank was published for the pre-2021 district: without its 2021 rank, the
    # map shows no rank for today's smaller 余杭区, while 滨江区's 2020 rank (unchanged) stays.
    study = Study("330112", paths.DATA)  # a Study of its own: its selection is changed below
    chosen = study.selection
    best = chosen.best[~((chosen.best["county_code"] == "330110") & (chosen.best["year"] == 2021))]
    study._stage_results["selection", ()] = dataclasses.replace(chosen, best=best)
    ranks = province.build(study).tables["rank_map"].set_index("county_code")
    assert "330110" not in ranks.index
    assert (ranks.at["330108", "year"], ranks.at["330108", "value"]) == (2020, 1)


def test_lin_an_index_record_and_rank_map_follow_the_selection_policy(built):
    _, result = built["330112"]
    records = result.tables["index_records"]
    mine = records[records["county_code"] == "330112"]
    first = mine[(mine["year"] == 2019) & (mine["name_zh"] == "创新指数")]
    assert first["value"].tolist() == [151.5]
    # The 2022 rank is inferred from words: listed and marked, never mapped.
    inferred = mine[(mine["year"] == 2022) & (mine["name_zh"] == "创新指数全省位次")]
    assert inferred["status"].tolist() == ["inferred"]
    ranks = result.tables["rank_map"].set_index("county_code")
    assert (ranks.at["330112", "year"], ranks.at["330112", "value"]) == (2023, 10)
    assert set(ranks["year"]) >= {2020, 2021, 2023}
    assert result.facts["c05_study_rank"].value == 10
    assert result.facts["c05_n_index_units"].value + result.facts["c05_n_index_missing"].value == 90


def test_census_ratios_are_computed_and_the_check_is_arithmetic(built):
    _, result = built["330112"]
    # The stored ratios are this study's derived rows: the check compares like with like.
    assert result.facts["c05_self_check_mismatches"].value == 0
    assert result.facts["c05_self_check_units"].value > 90
    census = result.tables["census_map"]
    gongshu = census[
        (census["county_code"] == "330105") & (census["variable"] == "urbanisation_rate")
    ]
    assert gongshu["map_status"].tolist() == ["map_recomputed"]
    changed = {item.value for item in result.facts["c05_census_changed_names"].value["name"]}
    assert changed == {"330102", "330109", "330110", "330113", "330114"}
    text = sentences.render("c05_census_mapped", result.facts, "en")
    assert "Xiaoshan District" in text and "84 map units have" in text
    # 龙湾区 since 2021 includes the Wenzhou development zone, whose four education columns are
    # not among the census cells recorded in data/raw: its college count cannot be derived, so
    # the map unit has a part missing rather than a value from an unpublished figure.
    college = census[census["variable"] == "college_per_10k"].set_index("county_code")
    assert college.at["330303", "map_status"] == "map_part_missing"
    assert result.facts["c05_n_census_mapped"].value == 90 - len(changed) - 1


def test_gdp_year_is_the_best_covered_year_of_the_study_county(built):
    _, result = built["330112"]
    assert result.facts["c05_gdp_year"].value == 2022
    gdp = result.tables["gdp"]
    assert gdp["value"].is_monotonic_decreasing
    assert len(gdp) == result.facts["c05_gdp_n"].value
    assert "330112" in set(gdp["county_code"])


def test_binjiang_leads_the_census_measures(built):
    _, result = built["330108"]
    assert result.facts["c05_study_rank"].value == 1
    assert _standing(result, "每万人大专及以上学历人数")["rank"] == 1
    text = sentences.render("c05_rank", result.facts)
    assert "滨江区" in text and "第 1 位" in text


def test_panan_has_no_rank_and_says_so(built):
    _, result = built["330727"]
    assert result.facts["c05_study_rank"].missing
    assert sentences.render("c05_rank", result.facts) == (
        "磐安县没有公开的全省名次，地图上记为缺数据。"
    )
    assert "磐安县" in sentences.render("c05_summary_province", result.facts)


def test_changed_districts_take_the_other_wordings(built):
    _, gongshu = built["330105"]
    assert "下城区" in sentences.render("c05_vintage", gongshu.facts)
    _, linping = built["330113"]
    assert "有变动" in sentences.render("c05_vintage", linping.facts)
    # Created in 2021: no census record, so no standing.
    assert linping.facts["c05_standing_rows"].missing
    assert "没有记录" in sentences.render("c05_summary_province", linping.facts)


@pytest.mark.parametrize("code", ("330112", "330727"))
def test_figures_draw(built, code):
    style.setup()
    study, result = built[code]
    for draw in (province_maps.rank_map, province_maps.census_maps, province_maps.gdp_map):
        fig = draw(result, study)
        assert len(fig.axes) >= 2
        matplotlib.pyplot.close(fig)
    fig = province_maps.strip(result, study)
    assert len(fig.axes) == len(province.STANDING_VARIABLES)
    matplotlib.pyplot.close(fig)


def test_no_data_lists_match_the_maps(built):
    _, result = built["330112"]
    table = result.tables["no_data"].set_index("map")
    ranked = result.tables["rank_map"]["county_code"].nunique()
    assert table.at["map_rank", "n_no_data"] == 90 - ranked
    assert table.at["map_college", "n_no_data"] == 90 - result.facts["c05_n_census_mapped"].value
    assert table.at["map_college", "no_data_units"][0] == "上城区"


@pytest.mark.parametrize("code", ("330112", "330108", "330727", "331127"))
def test_census_ranks_can_be_computed_again_from_the_rows_their_facts_name(built, code):
    """Each census rank's evidence names every unit's raw rows (file and line under data/raw):
    read those lines back, derive each ratio by the registry's formula, rank, and find the
    rank the chapter states."""
    import csv

    import pandas as pd

    from zjinnov.data import derived, formula, paths
    from zjinnov.study import census

    if code not in built:
        built[code] = build_for([code], province.build)[code]
    study, result = built[code]
    formulas = derived.formulas(study.framework_dir)
    lines = {}
    for name, measure in (
        ("c05_rank_college", "college_per_10k"),
        ("c05_rank_urbanisation", "urbanisation_rate"),
        ("c05_rank_schooling", "avg_years_schooling"),
    ):
        fact = result.facts[name]
        rows = []
        for ev in fact.evidence:
            path = paths.DATA / "raw" / ev["file"]
            if path not in lines:
                with path.open(encoding="utf-8") as f:
                    lines[path] = list(csv.DictReader(f))
            raw = lines[path][ev["row"] - 2]  # line 1 is the header
            assert (raw["county_code"], raw["variable"]) == (ev["county_code"], ev["variable"])
            rows.append((raw["county_code"], raw["variable"], float(raw["value"])))
        wide = pd.DataFrame(rows, columns=["county_code", "variable", "value"]).pivot(
            index="county_code", columns="variable", values="value"
        )
        # Derived variables first (the college count), then the measure itself.
        for variable, text in formulas.items():
            if set(formula.variables(text)) <= set(wide.columns):
                wide[variable] = census.evaluate(text, wide)
        values = wide[measure].dropna()
        assert len(values) == result.facts["c05_n_units_2020"].value
        if code in values.index:
            expected = int((values > values[code]).sum()) + 1  # ties take the better rank
            assert fact.value == expected
            mine = [e for e in fact.evidence if e["county_code"] == code]
            assert {e["status"] for e in mine} == {"published"}
        else:
            assert fact.missing

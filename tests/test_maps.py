"""Boundaries, the 2020 -> 2021 vintage join, standings and drawing, for several study counties."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # tests only: no display; the book never sets a backend

import numpy as np
import pandas as pd
import pytest
from matplotlib import pyplot as plt

from zjinnov.data import geography
from zjinnov.present import maps

MERGED = {"330103": "330105", "330105": "330105", "330371": "330303", "330303": "330303"}
CHANGED_2021 = {"330102", "330109", "330110", "330113", "330114"}


@pytest.fixture(scope="module", autouse=True)
def cjk_font():
    from zjinnov.present import style

    style.setup()


@pytest.fixture(scope="module")
def counties():
    return maps.load_county_boundaries()


@pytest.fixture(scope="module")
def census_2020(counties):
    """Synthetic census-like counts on 2020 boundaries (fixed seed): the 90 units of 2020."""
    codes = sorted(set(geography.units_in_year(2020).code) | {"330371"})
    rng = np.random.default_rng(20201101)
    resident = rng.integers(100_000, 2_000_000, len(codes)).astype(float)
    urban = np.floor(resident * rng.uniform(0.4, 1.0, len(codes)))
    college = np.floor(resident * rng.uniform(0.05, 0.5, len(codes)))
    wide = pd.DataFrame(
        {
            "county_code": codes,
            "pop_census7_resident": resident,
            "pop_census7_urban": urban,
            "pop_college_plus": college,
            "urbanisation_rate": urban / resident * 100,
            "college_per_10k": college / resident * 1e4,
            "avg_years_schooling": rng.uniform(8, 14, len(codes)),
        }
    )
    long = wide.melt("county_code", var_name="variable", value_name="value")
    return long.assign(year=2020, confidence="high")


def test_boundaries_are_the_90_post_2021_units(counties):
    assert len(counties) == 90
    assert counties.code.is_unique
    assert list(counties.columns) == ["code", "name", "city_code", "geometry"]
    assert "330112" in set(counties.code)
    assert counties.set_index("code").loc["330112", "name"] == "临安区"
    names = set(counties.name)
    assert {"临平区", "钱塘区", "龙港市"} <= names
    assert not {"下城区", "江干区"} & names
    assert not {"330103", "330104", "330371"} & set(counties.code)
    assert counties.city_code.nunique() == 11
    assert (counties.city_code.str[:4] == counties.code.str[:4]).all()
    assert counties.geometry.is_valid.all()


def test_boundaries_lie_in_zhejiang(counties):
    minx, miny, maxx, maxy = counties.total_bounds
    assert 118.0 < minx < 118.5 and 122.5 < maxx < 123.5
    assert 27.0 < miny < 27.5 and 31.0 < maxy < 31.5


def test_simplified_layers_keep_every_unit(counties):
    simple, cities = maps.plotting_layers()
    assert len(simple) == 90 and len(cities) == 11
    assert simple.geometry.notna().all() and not simple.geometry.is_empty.any()
    n_full = counties.geometry.count_coordinates().sum()
    assert simple.geometry.count_coordinates().sum() < n_full / 3


def test_harmonise_sums_counts_and_recomputes_ratios(census_2020, counties):
    h = maps.harmonise_to_map(census_2020, counties.code)
    wide_in = census_2020.pivot(index="county_code", columns="variable", values="value")
    out = h.set_index(["county_code", "variable"])
    for new in ("330105", "330303"):
        parts = [k for k, v in MERGED.items() if v == new]
        pop = wide_in.loc[parts, "pop_census7_resident"].sum()
        assert out.loc[(new, "pop_census7_resident"), "value"] == pytest.approx(pop)
        assert out.loc[(new, "pop_census7_resident"), "status"] == "summed"
        college = wide_in.loc[parts, "pop_college_plus"].sum()
        rate = out.loc[(new, "college_per_10k")]
        assert rate.value == pytest.approx(college / pop * 1e4) and rate.status == "recomputed"
        # A population-weighted ratio, not the plain mean of the two parts' ratios.
        plain = wide_in.loc[parts, "college_per_10k"].mean()
        assert rate.value != pytest.approx(plain)
        sch = out.loc[(new, "avg_years_schooling")]
        assert np.isnan(sch.value) and sch.status == "needs_weights"


def test_harmonise_never_apportions(census_2020, counties):
    h = maps.harmonise_to_map(census_2020, counties.code)
    changed = h[h.county_code.isin(CHANGED_2021)]
    assert set(changed.county_code) == CHANGED_2021
    assert changed.value.isna().all()
    assert (changed.status == "boundary_changed").all()
    assert not {"330103", "330104", "330371"} & set(h.county_code)
    untouched = h[~h.county_code.isin(CHANGED_2021 | set(MERGED.values()))]
    assert (untouched.status == "same").all()
    # 90 map units minus the five with changed boundaries carry every census count.
    assert h[h.variable == "pop_census7_resident"].value.notna().sum() == 85


def test_harmonise_needs_every_part(census_2020, counties):
    thin = census_2020[
        ~((census_2020.county_code == "330103") & (census_2020.variable == "pop_census7_resident"))
    ]
    h = maps.harmonise_to_map(thin, counties.code).set_index(["county_code", "variable"])
    assert h.loc[("330105", "pop_census7_resident"), "status"] == "part_missing"
    assert np.isnan(h.loc[("330105", "college_per_10k"), "value"])


def test_later_years_pass_through(counties):
    obs = pd.DataFrame(
        {
            "county_code": ["330113", "330114", "330104", "330113"],
            "year": [2022, 2022, 2020, 2022],
            "variable": ["gdp"] * 4,
            "value": [1001.0, 1226.0, 999.0, 1006.7],
            "confidence": ["medium", "medium", "high", "low"],
        }
    )
    h = maps.harmonise_to_map(obs, counties.code).set_index(["county_code", "year"])
    assert h.loc[("330113", 2022), "value"] == 1001.0  # the more confident of two sources
    assert h.loc[("330114", 2022), "status"] == "same"
    assert np.isnan(h.loc[("330114", 2020), "value"])


@pytest.mark.parametrize("code", ["330112", "330108", "330113", "330103"])
def test_standing_for_any_county(census_2020, counties, code):
    h = maps.harmonise_to_map(census_2020, counties.code)
    units = set(geography.units_in_year(2020).code)
    table = census_2020[census_2020.variable.isin(maps.CENSUS_RATIOS)]
    s = maps.standings(table[table.county_code.isin(units)], code)
    assert set(s.variable) == set(maps.CENSUS_RATIOS)
    assert (s.n == 90).all() and s.complete.all()
    if code in set(table.county_code):
        assert s["rank"].between(1, 90).all() and s.percentile.between(0, 100).all()
    else:
        assert s["rank"].isna().all() and s.percentile.isna().all()
    assert len(h)


def test_standing_ranks_and_percentiles():
    values = pd.Series([10.0, 30.0, 20.0, 20.0, 5.0], index=list("abcde"))
    assert maps.standing(values, "b") == {"rank": 1, "n": 5, "percentile": 100.0, "value": 30.0}
    assert maps.standing(values, "e")["percentile"] == 0.0
    tie = maps.standing(values, "c")
    assert tie["rank"] == 2 and tie["percentile"] == pytest.approx(62.5)
    low = maps.standing(values, "b", higher_is_better=False)
    assert low["rank"] == 5 and low["percentile"] == 0.0
    assert np.isnan(maps.standing(values, "z")["rank"])


@pytest.mark.parametrize("code", ["330112", "330108", "330113", "330103"])
def test_choropleth_for_any_county(census_2020, counties, code):
    h = maps.harmonise_to_map(census_2020, counties.code)
    values = h[h.variable == "urbanisation_rate"].set_index("county_code").value
    fig, ax = plt.subplots()
    ax, missing = maps.choropleth(values, code, ax=ax, title="测试", legend_title="%")
    assert set(missing) == CHANGED_2021
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("无数据：") and "临平区" in t for t in legend)
    if code in set(counties.code):
        assert any(t.startswith("研究县：") for t in legend)
    else:
        assert any("不是" in t for t in legend)
    assert any(maps.ATTRIBUTION == t.get_text() for t in ax.texts)
    plt.close(fig)


def test_choropleth_counts_many_missing_units(counties):
    values = pd.Series({"330112": 24.0, "330108": 1.0})
    fig, ax = plt.subplots()
    labels = pd.Series({"330112": "第24位", "330108": "第1位"})
    _, missing = maps.choropleth(values, "330112", ax=ax, labels=labels, min_label_area=0.01)
    assert len(missing) == 88
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "无数据：88 个单位（名单见表）" in legend
    texts = [t.get_text() for t in ax.texts]
    assert "第24位" in texts and "第1位" not in texts  # 滨江区 is too small to label
    plt.close(fig)


def test_units_2020_are_the_census_90():
    units = set(geography.units_in_year(2020).code)
    assert len(units) == 90
    assert {"330103", "330104", "330110", "330112"} <= units
    assert not {"330113", "330114", "330371"} & units


def test_strip_plot_marks_the_study_county(census_2020, counties):
    units = set(geography.units_in_year(2020).code)
    table = census_2020[census_2020.variable.isin(maps.CENSUS_RATIOS)]
    table = table[table.county_code.isin(units)]
    names = {"urbanisation_rate": "城镇化率", "college_per_10k": "大学"}
    fig = maps.strip_plot(table, "330112", names)
    assert len(fig.axes) == 2
    notes = [ax.get_title(loc="right") for ax in fig.axes]
    assert all(t.startswith("第 ") and "/90 位" in t for t in notes)
    plt.close(fig)
    fig = maps.strip_plot(table, "330113", names)
    assert all("研究县无数据" in ax.get_title(loc="right") for ax in fig.axes)
    plt.close(fig)


def test_rows_on_new_boundaries_are_not_merged_with_census_rows(census_2020, counties):
    # A 2020 figure published for the post-2021 余杭区 and a derived one for 临平区.
    extra = pd.DataFrame(
        {
            "county_code": ["330110", "330113"],
            "variable": ["pop_census7_resident"] * 2,
            "value": [1226673.0, 1175841.0],
            "year": 2020,
            "confidence": ["medium", "derived"],
            "boundary_year": [2021, 2021],
        }
    )
    both = pd.concat([census_2020.assign(boundary_year=pd.NA), extra], ignore_index=True)
    h = maps.harmonise_to_map(both, counties.code).set_index(["county_code", "variable"])
    pop = h.xs("pop_census7_resident", level="variable")
    assert pop.loc["330110", "value"] == 1226673.0 and pop.loc["330110", "status"] == "same"
    # The derived 临平区 figure is not a published observation: by default it is not mapped.
    assert np.isnan(pop.loc["330113", "value"])
    asked = maps.harmonise_to_map(both, counties.code, statuses=("published", "derived"))
    pop = asked.set_index(["county_code", "variable"]).xs("pop_census7_resident", level="variable")
    assert pop.loc["330113", "value"] == 1175841.0
    assert np.isnan(pop.loc["330114", "value"])
    # The old 余杭区 ratio still cannot be placed on the new unit.
    assert np.isnan(h.loc[("330110", "college_per_10k"), "value"])


def test_one_value_per_unit_follows_the_selection_policy():
    obs = pd.DataFrame(
        {
            "county_code": ["330112"] * 4 + ["330108"],
            "year": 2020,
            "variable": ["x", "x", "y", "z", "x"],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
            "confidence": ["medium", "high", "derived", "inferred", "low"],
            "source_id": ["a", "b", "c", "d", "e"],
        }
    )
    one = maps.one_value_per_unit(obs).set_index(["county_code", "variable"])
    assert one["value"].to_dict() == {("330108", "x"): 5.0, ("330112", "x"): 2.0}
    assert one.loc[("330112", "x"), "reason"] == "chosen: higher confidence (high > medium)"
    both = maps.one_value_per_unit(obs, statuses=("published", "derived"))
    assert both.set_index("variable").loc["y", "status"] == "derived"
    assert "z" not in set(both["variable"])


def test_map_year_prefers_years_with_the_study_county():
    obs = pd.DataFrame(
        {
            "county_code": ["330112", "330108", "330106", "330108", "330106", "330100", "330200"],
            "year": [2022, 2022, 2022, 2023, 2023, 2021, 2021],
            "variable": "gdp",
            "value": 1.0,
        }
    )
    obs = pd.concat([obs, obs.assign(county_code="330122", year=2023)], ignore_index=True)
    assert maps.map_year(obs, "gdp", "330112") == 2022
    assert maps.map_year(obs, "gdp", "330113") == 2023  # no value for the study county
    assert maps.map_year(obs, "gdp", "330113", units=["330112"]) == 2022
    assert maps.map_year(obs, "rd", "330112") is None


def test_choropleth_with_every_unit_filled_warns_nothing(counties, recwarn):
    values = pd.Series(np.arange(90, dtype=float), index=counties.code)
    fig, ax = plt.subplots()
    _, missing = maps.choropleth(values, "330112", ax=ax)
    assert missing == []
    assert "无数据：无" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert not [w for w in recwarn if "empty" in str(w.message)]
    plt.close(fig)


def test_map_draws_the_registrys_current_units(counties):
    today = geography.current_boundary_year()
    assert set(geography.units_in_year(today).code) == set(counties.code)
    # Every unit a link reaches is a map unit.
    assert set(geography.links_between(2020, today).to_code) <= set(counties.code)


def test_renamed_unit_carries_every_value_onto_the_map(counties):
    # 临安市 (330185) figures of 2016 are the territory of today's 临安区 (330112): an average
    # passes through like a count; 下城区's average cannot (拱墅区 took in other territory).
    obs = pd.DataFrame(
        {
            "county_code": ["330185", "330185", "330103"],
            "year": 2016,
            "variable": ["avg_years_schooling", "pop_census7_resident", "avg_years_schooling"],
            "value": [9.5, 600_000.0, 11.0],
            "confidence": "high",
        }
    )
    h = maps.harmonise_to_map(obs, counties.code).set_index(["county_code", "variable"])
    assert h.loc[("330112", "avg_years_schooling"), "value"] == 9.5
    assert h.loc[("330112", "avg_years_schooling"), "status"] == "same"
    assert h.loc[("330112", "pop_census7_resident"), "value"] == 600_000.0
    assert "临安市(330185)" in h.loc[("330112", "avg_years_schooling"), "from_units"]
    assert np.isnan(h.loc[("330105", "avg_years_schooling"), "value"])
    assert "330185" not in set(h.index.get_level_values(0))

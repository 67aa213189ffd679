"""Boundaries and drawing, for several study counties (the joins to the map's units are tested
in tests/test_map_units.py)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # tests only: no display; the book never sets a backend

import numpy as np
import pandas as pd
import pytest
from matplotlib import pyplot as plt
from test_map_units import CENSUS_RATIOS, CHANGED_2021, synthetic_census

from zjinnov.data import geography, map_units
from zjinnov.present import maps


@pytest.fixture(scope="module", autouse=True)
def cjk_font():
    from zjinnov.present import style

    style.setup()


@pytest.fixture(scope="module")
def counties():
    return maps.load_county_boundaries()


@pytest.fixture(scope="module")
def census_2020():
    return synthetic_census()


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


@pytest.mark.parametrize("code", ["330112", "330108", "330113", "330103"])
def test_choropleth_for_any_county(census_2020, counties, code):
    h = map_units.harmonise_to_map(census_2020, counties.code)
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
    assert any(maps.ATTRIBUTION == t.get_text().replace("\n", "") for t in ax.texts)
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


def test_strip_plot_marks_the_study_county(census_2020, counties):
    units = set(geography.units_in_year(2020).code)
    table = census_2020[census_2020.variable.isin(CENSUS_RATIOS)]
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

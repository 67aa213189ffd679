import pandas as pd
import pytest

from zjinnov.data import selection
from zjinnov.study import county_profile as cp


def _any(obs):
    """The Study's selection of any status (published, else inferred ...)."""
    return selection.best(obs, statuses=selection.STATUSES)


def _obs(rows):
    cols = [
        "county_code",
        "year",
        "variable",
        "value",
        "unit",
        "period",
        "source_id",
        "confidence",
        "quote",
    ]
    return pd.DataFrame(rows, columns=cols)


def test_published_index_and_level_break():
    obs = _obs(
        [
            ("330112", 2019, "innovation_index", 151.5, "index", "year", "s1", "medium", ""),
            ("330112", 2019, "innovation_index_rank_zj", 22, "位", "year", "s1", "medium", ""),
            ("330112", 2020, "innovation_index", 156.1, "index", "year", "s2", "high", ""),
            ("330112", 2020, "innovation_index_rank_zj", 24, "位", "year", "s2", "high", ""),
            ("330112", 2022, "innovation_index_rank_zj", 18, "位", "year", "s3", "inferred", ""),
            ("330112", 2023, "innovation_index", 149.2, "index", "year", "s3", "high", ""),
            ("330112", 2023, "innovation_index_rank_zj", 10, "位", "year", "s3", "high", ""),
            ("330108", 2020, "innovation_index", 273.9, "index", "year", "s4", "high", ""),
        ]
    )
    pub = cp.published_index(_any(obs), "330112")
    assert pub["year"].tolist() == [2019, 2020, 2022, 2023]
    assert pub.set_index("year").at[2022, "inferred_cols"] == ["innovation_index_rank_zj"]
    breaks = cp.level_break(pub)
    # 2019→2020 both moved the same way (index up, rank down): not a break; 2020→2023 is.
    assert breaks[["from_year", "to_year"]].values.tolist() == [[2020, 2023]]
    assert breaks.iloc[0]["rank_change"] == 14 and breaks.iloc[0]["index_change"] == pytest.approx(
        -6.9
    )


def test_published_index_for_a_county_without_records_is_empty():
    assert cp.published_index(_any(_obs([])), "330113").empty


def _values():
    return pd.DataFrame(
        {
            "county_code": ["330112", "330112", "330000", "330000", "330100", "330112", "330000"],
            "year": [2020, 2023, 2020, 2023, 2021, 2021, 2021],
            "indicator": ["I01", "I01", "I01", "I01", "I01", "I10", "I10"],
            "value": [3.34, 3.87, 2.88, 3.20, 3.68, 349, 47000],
            "source_ids": ["a", "b", "c", "d", "e", "f", "g"],
        }
    )


INDICATORS = pd.DataFrame(
    {
        "code": ["I01", "I10"],
        "name_zh": ["R&D经费支出占GDP比重", "国家高新技术企业数"],
        "domain": ["科技投入", "技术创新"],
        "unit": ["%", "家"],
        "direction": [1, 1],
    }
)


def test_comparison_uses_same_or_nearest_year_and_skips_counts():
    comp = cp.comparison(_values(), INDICATORS, "330112")
    assert set(comp["indicator"]) == {"I01"}  # a count (家) is never compared across sizes
    prov = comp[comp["comparator"] == "330000"].set_index("year")
    assert prov.at[2020, "ratio"] == pytest.approx(3.34 / 2.88)
    city = comp[comp["comparator"] == "330100"]
    assert city["year"].tolist() == [2020] and city["year_cmp"].tolist() == [
        2021
    ]  # gap of one year, reported
    latest = cp.latest_comparison(comp)
    assert latest.set_index("comparator").at["330000", "year"] == 2023


def test_reversed_indicator_ratio_is_turned_round():
    ind = INDICATORS.assign(direction=[-1, 1])
    comp = cp.comparison(_values(), ind, "330112")
    row = comp[(comp["comparator"] == "330000") & (comp["year"] == 2020)].iloc[0]
    assert row["ratio"] == pytest.approx(2.88 / 3.34)


def test_published_index_prefers_published_figures_and_flags_inferred_ones():
    obs = _obs(
        [
            ("330112", 2022, "innovation_index_rank_zj", 18, "位", "year", "s3", "inferred", ""),
            ("330112", 2022, "innovation_index_rank_zj", 17, "位", "year", "s5", "medium", ""),
            ("330112", 2022, "innovation_index", 150.0, "index", "year", "s5", "medium", ""),
            ("330112", 2021, "innovation_index_rank_zj", 30, "位", "year", "s3", "inferred", ""),
            ("330112", 2021, "innovation_index", 160.0, "index", "year", "s5", "medium", ""),
            ("330112", 2023, "innovation_index", 149.2, "index", "year", "s3", "high", ""),
            ("330112", 2023, "innovation_index_rank_zj", 10, "位", "year", "s3", "high", ""),
        ]
    )
    pub = cp.published_index(_any(obs), "330112").set_index("year")
    assert pub.at[2022, "innovation_index_rank_zj"] == 17 and pub.at[2022, "inferred_cols"] == []
    assert pub.at[2022, "sources"] == ["s5"]
    assert pub.at[2021, "inferred_cols"] == ["innovation_index_rank_zj"]
    # 2021 -> 2022 would be a break only through the inferred rank 30: it takes no part.
    breaks = cp.level_break(pub.reset_index())
    assert breaks[["from_year", "to_year"]].values.tolist() == [[2022, 2023]]


def test_ranks_and_growth_rates_use_published_rows_only():
    obs = _obs(
        [
            ("330112", 2020, "x", 30.05, "家/千家企业", "year", "a", "medium", ""),
            ("330112", 2020, "x", 31.0, "家/千家企业", "year", "b", "derived", ""),
            ("330112", 2020, "x_rank_zj", 2, "位", "year", "a", "medium", "全省第2位"),
            ("330112", 2020, "x_rank_zj", 3, "位", "year", "c", "inferred", ""),
            ("330112", 2020, "y_growth", 12.6, "%", "1-11", "a", "medium", ""),
            ("330112", 2020, "y", 20.0, "亿元", "1-11", "a", "medium", ""),
            ("330112", 2020, "y", 25.0, "亿元", "year", "d", "low", ""),
        ]
    )
    by_period = selection.best(obs, key=[*selection.KEY, "period"])
    best = selection.best(obs)
    ranked = cp.ranked_indicators(by_period, best, "330112")
    assert ranked[["indicator_value", "rank_zj"]].values.tolist() == [[30.05, 2]]
    growth = cp.growth_table(by_period, best, "330112")
    # The level shown beside a growth rate is the full-year figure where there is one.
    assert growth[["level", "growth_pct", "period"]].values.tolist() == [[25.0, 12.6, "1-11"]]

"""Target status four ways, on constructed cases with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zjinnov.engine import forecast as trends
from zjinnov.study import targets

# --- (b) Open SDG ratio -------------------------------------------------------------------


def _sdg(current, direction=1, base=100.0, target=200.0):
    # base 2020, target 2030, observed in 2025: the required CAGR is 2**(1/10) - 1.
    return targets.opensdg_status(2020, base, 2025, current, 2030, target, direction).iloc[0]


def _at_ratio(r):
    req = 2 ** (1 / 10) - 1
    return 100 * (1 + r * req) ** 5


@pytest.mark.parametrize(
    "ratio,category",
    [
        (1.2, "on_track"),
        (0.95, "on_track"),
        (0.94, "acceleration_needed"),
        (0.60, "acceleration_needed"),
        (0.59, "limited_progress"),
        (0.0, "limited_progress"),
        (-0.1, "deterioration"),
    ],
)
def test_opensdg_categories_at_and_around_thresholds(ratio, category):
    out = _sdg(_at_ratio(ratio))
    assert out["sdg_ratio"] == pytest.approx(ratio, abs=1e-9)
    assert out["sdg_category"] == category


def test_opensdg_target_achieved_and_ceiling_targets():
    assert _sdg(205.0)["sdg_category"] == "target_achieved"
    # A ceiling: from 10 down to 5; halving the distance in log terms on schedule is on track.
    req = 0.5 ** (1 / 10) - 1
    on_time = 10 * (1 + req) ** 5
    out = _sdg(on_time, direction=-1, base=10.0, target=5.0)
    assert out["sdg_ratio"] == pytest.approx(1.0)
    assert out["sdg_category"] == "on_track"
    assert _sdg(11.0, direction=-1, base=10.0, target=5.0)["sdg_category"] == "deterioration"


def test_opensdg_vectorised_over_rows():
    out = targets.opensdg_status(
        2020, np.array([100.0, 100.0]), 2025, np.array([150.0, 90.0]), 2030, 200.0
    )
    assert out["sdg_category"].tolist() == ["on_track", "deterioration"]


# --- (c) DNS weather symbols --------------------------------------------------------------


def _weather(gap, current=3.0, target=4.0, years_left=2):
    # choose the annual change so that the projected shortfall is `gap` of the distance
    change = (target - current) * (1 - gap) / years_left
    return targets.weather_from_trend(current, change, years_left, target).iloc[0]


@pytest.mark.parametrize(
    "gap,symbol",
    [
        (-0.5, "sun"),
        (0.0, "sun"),
        (0.049, "sun"),
        (0.05, "sun_cloud"),
        (0.20, "sun_cloud"),
        (0.21, "cloud"),
        (0.99, "cloud"),
    ],
)
def test_weather_symbol_thresholds(gap, symbol):
    out = _weather(gap)
    assert out["dns_gap"] == pytest.approx(gap)
    assert out["dns_symbol"] == symbol


def test_weather_wrong_direction_is_a_thunderstorm_and_met_targets_use_the_trend():
    assert targets.weather_from_trend(3.0, -0.1, 2, 4.0).iloc[0]["dns_symbol"] == "thunderstorm"
    assert targets.weather_from_trend(3.0, 0.0, 2, 4.0).iloc[0]["dns_symbol"] == "thunderstorm"
    assert targets.weather_from_trend(4.5, 0.1, 2, 4.0).iloc[0]["dns_symbol"] == "sun"
    assert targets.weather_from_trend(4.5, -0.1, 2, 4.0).iloc[0]["dns_symbol"] == "sun_cloud"
    # a ceiling target (lower is better): falling towards it is the right direction
    assert targets.weather_from_trend(8.0, -1.0, 2, 6.0, -1).iloc[0]["dns_symbol"] == "sun"
    assert targets.weather_from_trend(np.nan, np.nan, 2, 6.0).iloc[0]["dns_symbol"] == (
        "not_assessable"
    )


def test_dns_trend_uses_the_last_five_years_and_needs_four_consecutive_points():
    s = pd.Series(np.arange(10, dtype=float) ** 2, index=range(2014, 2024))
    change, n, first = targets.dns_trend(s)
    assert (n, first) == (6, 2018)
    assert change == pytest.approx((81 - 16) / 5)
    gappy = pd.Series([3.42, 3.34, 3.87], index=[2019, 2020, 2023])
    change, n, first = targets.dns_trend(gappy)
    assert np.isnan(change) and n == 1  # only 2023 in the unbroken run ending at the latest year
    change, n, first = targets.dns_trend(gappy, strict=False)
    assert (n, first) == (3, 2019)
    assert change == pytest.approx((3.87 - 3.42) / 4)


# --- (d) 序时进度 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "current,completion,status",
    [
        (3.5, 0.5, "behind"),
        (3.7, 0.7, "ahead"),
        (3.6, 0.6, "ahead"),
        (2.9, -0.1, "reversing"),
        (4.1, 1.1, "achieved"),
    ],
)
def test_schedule_progress_arithmetic(current, completion, status):
    out = targets.schedule_progress(2020, 3.0, 2023, current, 2025, 4.0).iloc[0]
    assert out["schedule_elapsed"] == pytest.approx(0.6)
    assert out["schedule_completion"] == pytest.approx(completion)
    assert out["schedule_status"] == status


def test_schedule_progress_when_the_base_already_met_the_target():
    out = targets.schedule_progress(2020, 90.0, 2024, 84.0, 2025, 85.0).iloc[0]
    assert out["schedule_status"] == "fell_below"
    assert np.isnan(out["schedule_completion"])


# --- the table ----------------------------------------------------------------------------


def _targets():
    return pd.DataFrame(
        {
            "region_name": ["杭州市", "杭州市", "浙江省", "某县"],
            "variable": ["rd", "rd", "share", "rd"],
            "target_year": [2025, 2027, 2025, 2025],
            "target_value": ["4", "4.2", "67.5", ""],
            "comparator": [">=", ">=", ">", ">="],
        }
    )


def test_target_status_table_has_one_row_per_target_with_all_four():
    series = {
        "rd": pd.Series([1.83, 3.42, 3.34, 3.87], index=[2010, 2019, 2020, 2023]),
        "share": pd.Series([81.37, 84.1, 84.0], index=[2021, 2022, 2024]),
    }
    kinds = {"rd": trends.SHARE, "share": trends.SHARE}
    table = targets.target_status_table(series, _targets(), kinds=kinds)
    assert len(table) == 3  # the blank target is left to the caller
    assert table["region_name"].tolist() == ["杭州市", "杭州市", "浙江省"]
    for col in ("prob", "sdg_category", "dns_symbol", "dns_relaxed_symbol", "schedule_status"):
        assert col in table
    rd25, rd27, share = (table.iloc[i] for i in range(3))
    assert 0 < rd25["prob"] < 1 and 0 < rd27["prob"] < 1
    assert rd25["n_obs"] == 4 and rd25["prob_model"] == "average"
    assert rd25["prob_components"] == "linear,logit,drift"
    assert rd25["base_year_used"] == 2020 and rd25["base_value_used"] == 3.34
    assert rd25["dns_symbol"] == "not_assessable"  # no four consecutive years
    assert rd25["schedule_completion"] == pytest.approx((3.87 - 3.34) / (4 - 3.34))
    assert rd25["schedule_elapsed"] == pytest.approx(3 / 5)
    # the share target is already met; the base falls back to the next observed year
    assert share["sdg_category"] == "target_achieved"
    assert share["schedule_status"] == "achieved"
    assert share["base_year_used"] == 2021
    assert share["prob"] > 0.5


def test_target_status_table_says_when_no_model_can_run():
    series = {"rd": pd.Series([3.34, 3.87], index=[2020, 2023])}
    table = targets.target_status_table(series, _targets().iloc[:1], kinds={"rd": trends.SHARE})
    row = table.iloc[0]
    assert np.isnan(row["prob"]) and row["prob_model"] == "none"
    assert "needs at least 3" in row["prob_note"]
    assert row["sdg_category"] in targets.SDG_CATEGORIES  # the growth ratio needs only two points


def test_target_status_table_without_matching_targets_keeps_its_columns():
    table = targets.target_status_table({}, _targets())
    assert table.empty
    assert {"prob", "sdg_category", "dns_symbol", "schedule_status", "region_name"} <= set(table)


# --- which targets a county is measured against ----------------------------------------------


def _plan_rows():
    return pd.DataFrame(
        {
            "region_code": ["330100", "330100", "330100", "330727", "330727", "330112"],
            "variable": ["rd", "gdp", "rd", "rd", "firms", "rd"],
            "target_year": [2025, 2025, 2020, 2025, 2025, 2025],
            "target_value": [4.0, 23000.0, 3.3, 2.8, 80.0, np.nan],
        }
    )


def test_plan_targets_prefers_the_county_own_targets():
    used, scope = targets.plan_targets(_plan_rows(), "330727", "330700", comparable=["rd"])
    assert scope == targets.OWN
    assert used["variable"].tolist() == ["rd", "firms"]  # its own totals count too


def test_plan_targets_falls_back_to_the_city_ratios_of_the_current_plan():
    # Lin'an's own row has no value; the city's GDP (a total) and its 2020 target are left out.
    used, scope = targets.plan_targets(_plan_rows(), "330112", "330100", comparable=["rd"])
    assert scope == targets.CITY
    assert used[["variable", "target_year"]].values.tolist() == [["rd", 2025]]
    none, scope = targets.plan_targets(_plan_rows(), "330212", "330200", comparable=["rd"])
    assert scope is None and none.empty


def test_horizon_is_the_last_target_year_in_the_table():
    assert targets.horizon(_plan_rows()) == 2025
    with pytest.raises(ValueError, match="target_year"):
        targets.horizon(_plan_rows().assign(target_year=np.nan))


def test_status_codes_are_the_documented_ones():
    series = {"rd": pd.Series([1.83, 3.42, 3.34, 3.87], index=[2010, 2019, 2020, 2023])}
    table = targets.target_status_table(series, _targets().iloc[:2], kinds={"rd": trends.SHARE})
    assert set(table["sdg_category"]) <= set(targets.SDG_CATEGORIES)
    assert set(table["dns_symbol"]) | set(table["dns_relaxed_symbol"]) <= set(targets.DNS_SYMBOLS)
    assert set(table["schedule_status"]) <= set(targets.SCHEDULE_STATUSES)

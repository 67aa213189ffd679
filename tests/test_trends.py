"""Trend models on constructed series with known answers (fixed seeds, no real data)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.arima.model import ARIMA

from zjinnov.engine import backtest
from zjinnov.engine import forecast as trends
from zjinnov.engine.forecast import InsufficientData, IrregularYears
from zjinnov.study import series, trend_runs


def exponential(years, base=10.0, rate=0.08, start=2012) -> pd.Series:
    years = np.asarray(list(years))
    return pd.Series(base * (1 + rate) ** (years - start), index=years, name="exp")


def noisy(n=12, seed=7, start=2010) -> pd.Series:
    rng = np.random.default_rng(seed)
    return pd.Series(
        np.exp(np.cumsum(rng.normal(0.05, 0.03, n))), index=range(start, start + n), name="noisy"
    )


# --- known answers ------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["loglinear", "drift"])
def test_exact_exponential_recovers_its_rate(model):
    s = exponential(range(2012, 2021))
    fc = trends.project(s, model, [2022, 2025])
    assert fc.annual_change == pytest.approx(0.08, abs=1e-9)
    assert fc.median(2025) == pytest.approx(10 * 1.08**13, rel=1e-9)


@pytest.mark.parametrize("model", ["loglinear", "drift"])
def test_gappy_exponential_recovers_its_rate(model):
    s = exponential([2010, 2013, 2019, 2020, 2023])
    fc = trends.project(s, model, [2025])
    assert fc.fit_years == (2010, 2013, 2019, 2020, 2023)
    assert fc.annual_change == pytest.approx(0.08, abs=1e-9)
    assert fc.median(2025) == pytest.approx(10 * 1.08**13, rel=1e-9)


def test_damped_ets_projects_between_last_value_and_undamped_path():
    s = exponential(range(2012, 2021))
    fc = trends.project(s, "ets", [2025])
    assert s.iloc[-1] < fc.median(2025) <= 10 * 1.08**13 * (1 + 1e-6)


@pytest.mark.parametrize("model", ["linear", "logit", "drift", "ets"])
def test_constant_share_projects_flat(model):
    s = pd.Series(62.5, index=range(2013, 2021))
    fc = trends.project(s, model, [2025, 2027], kind=trends.SHARE)
    assert fc.median(2025) == pytest.approx(62.5, abs=1e-6)
    assert fc.median(2027) == pytest.approx(62.5, abs=1e-6)


def test_linear_share_slope_is_points_per_year():
    s = pd.Series(50 + 1.5 * np.arange(5), index=range(2016, 2021))
    fc = trends.project(s, "linear", [2025], kind=trends.SHARE)
    assert fc.annual_change == pytest.approx(1.5)
    assert fc.median(2025) == pytest.approx(50 + 1.5 * 9)


def test_logit_stays_inside_0_100_far_ahead():
    s = pd.Series([80.0, 85.0, 89.0, 92.0], index=[2018, 2019, 2020, 2021])
    fc = trends.project(s, "logit", [2040], kind=trends.SHARE)
    assert 92 < fc.quantile(2040, 0.975) < 100
    lin = trends.project(s, "linear", [2040], kind=trends.SHARE)
    assert lin.median(2040) > 100  # the reason the logit model exists


def test_logit_refuses_values_outside_its_domain():
    s = pd.Series([90.0, 100.0, 100.0], index=[2019, 2020, 2021], name="share")
    with pytest.raises(ValueError, match="domain"):
        trends.project(s, "logit", [2025], kind=trends.SHARE)


def test_drift_matches_arima_010_with_drift_on_consecutive_years():
    s = noisy()
    fc = trends.project(s, "drift", [2022, 2023, 2025])
    z = pd.Series(np.log(s.to_numpy()), index=pd.period_range("2010", periods=len(s), freq="Y"))
    # ARIMA estimates the drift by numerical MLE, so agreement is to optimiser tolerance.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arima = ARIMA(z, order=(0, 1, 0), trend="t").fit()
    expected = np.exp(arima.get_forecast(4).predicted_mean.to_numpy())[[0, 1, 3]]
    got = [fc.median(y) for y in (2022, 2023, 2025)]
    assert got == pytest.approx(expected, rel=1e-4)


def test_drift_interval_widens_with_horizon():
    fc = trends.project(noisy(), "drift", [2022, 2025, 2030])
    widths = [fc.quantile(y, 0.975) - fc.quantile(y, 0.025) for y in fc.years]
    assert widths[0] < widths[1] < widths[2]


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model,n", [("loglinear", 2), ("linear", 2), ("logit", 2), ("drift", 3), ("ets", 5)]
)
def test_too_few_points_is_refused_with_a_clear_message(model, n):
    s = pd.Series(np.linspace(40, 60, n), index=range(2020, 2020 + n), name="rd_intensity")
    with pytest.raises(InsufficientData) as err:
        trends.project(s, model, [2027], kind=trends.SHARE)
    e = err.value
    assert (e.series, e.model, e.n_found, e.n_required) == ("rd_intensity", model, n, n + 1)
    msg = str(e)
    assert "rd_intensity" in msg and f"'{model}'" in msg
    assert f"at least {n + 1}" in msg and f"found {n}" in msg


def test_ets_refuses_gappy_years_and_names_the_gaps():
    s = exponential([2012, 2013, 2014, 2016, 2017, 2018, 2019, 2020])
    with pytest.raises(IrregularYears, match="2014->2016"):
        trends.project(s, "ets", [2025])
    assert issubclass(IrregularYears, InsufficientData)


def test_project_all_reports_refusals_and_averages_the_rest():
    s = pd.Series([1.83, 3.42, 3.34, 3.87], index=[2010, 2019, 2020, 2023], name="rd")
    fitted, refused = trends.project_all(s, [2025], kind=trends.SHARE)
    assert set(fitted) == {"linear", "logit", "drift", "average"}
    assert list(refused["model"]) == ["ets"]
    assert (refused["n_obs"] == 4).all()
    assert fitted["average"].n_obs == 4


def test_single_surviving_model_gets_no_average():
    s = pd.Series([81.4, 84.1, 84.0], index=[2021, 2022, 2024], name="share")
    fitted, refused = trends.project_all(s, [2025], kind=trends.SHARE, models=["linear", "drift"])
    assert set(fitted) == {"linear"}
    assert refused["model"].tolist() == ["drift"]


# --- predictive distribution and the model average ----------------------------------------


def test_probability_is_monotone_in_target_level():
    fitted, _ = trends.project_all(noisy(), [2025])
    grid = np.linspace(1.0, 5.0, 41)
    for fc in fitted.values():
        up = [trends.prob_reach(fc, 2025, g, ">=") for g in grid]
        down = [trends.prob_reach(fc, 2025, g, "<=") for g in grid]
        assert np.all(np.diff(up) <= 1e-12) and up[0] > up[-1]
        assert np.all(np.diff(down) >= -1e-12)


def test_average_is_the_equal_weight_mixture():
    fitted, _ = trends.project_all(noisy(), [2025])
    avg, parts = fitted["average"], [fitted[m] for m in ("loglinear", "ets", "drift")]
    x = avg.median(2025)
    assert np.mean([p.cdf(2025, x) for p in parts]) == pytest.approx(0.5, abs=1e-8)
    lo = avg.quantile(2025, 0.025)
    assert min(p.quantile(2025, 0.025) for p in parts) <= lo <= max(p.median(2025) for p in parts)
    medians = [p.median(2025) for p in parts]
    assert min(medians) <= x <= max(medians)


def test_forecast_frame_is_tidy_and_ordered():
    fitted, _ = trends.project_all(noisy(), [2025, 2027])
    frame = trends.forecast_frame(fitted.values())
    assert len(frame) == 2 * len(fitted)
    assert (frame["lower95"] <= frame["lower80"]).all()
    assert (frame["lower80"] <= frame["median"]).all() & (frame["median"] <= frame["upper80"]).all()
    assert (frame["upper80"] <= frame["upper95"]).all()
    assert (frame["n_obs"] == 12).all()


# --- backtest -----------------------------------------------------------------------------


def test_backtest_on_exact_growth_has_no_error_and_reports_refusals():
    s = exponential([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2023])
    bt = backtest.backtest(s, cutoff=2020)
    ok = bt[bt["status"] == "ok"]
    assert set(ok["model"]) == {"loglinear", "ets", "drift", "average"}
    exact = ok[ok["model"].isin(["loglinear", "drift"])]
    assert exact["abs_error"].max() == pytest.approx(0, abs=1e-9)
    assert set(bt["year"]) == {2021, 2023}
    assert (ok["n_fit"] == 6).all()
    short = backtest.backtest(exponential([2019, 2020, 2022]), cutoff=2020)
    assert short["status"].str.startswith("refused").all()
    assert short["projected"].isna().all()
    assert "found 2" in short["status"].iloc[0]


def test_backtest_percent_error_sign():
    s = pd.Series([10.0, 11.0, 12.0, 13.0, 20.0], index=range(2017, 2022), name="x")
    bt = backtest.backtest(s, cutoff=2020, models=["linear"], kind=trends.SHARE)
    row = bt.iloc[0]
    assert row["projected"] == pytest.approx(14.0)
    assert row["pct_error"] == pytest.approx(100 * (14 - 20) / 20)


# --- series from the observation table ----------------------------------------------------


def _obs(rows):
    cols = [
        "county_code",
        "year",
        "variable",
        "value",
        "period",
        "partial",
        "source_id",
        "confidence",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.assign(unit="亿元", note="")


def test_select_series_excludes_partial_years_and_says_so():
    obs = _obs(
        [
            ["330112", 2020, "x", 28.3, "1-11", True, "seed", "medium"],
            ["330112", 2021, "x", 42.4, "year", False, "a", "high"],
            ["330112", 2024, "x", 58.3, "year", False, "b", "high"],
            ["330199", 2022, "x", 99.0, "year", False, "c", "high"],
        ]
    )
    sel = series.select_series(obs, "330112", "x")
    assert sel.values.to_dict() == {2021: 42.4, 2024: 58.3}
    excluded = sel.rows[~sel.rows["used"]]
    assert excluded["year"].tolist() == [2020]
    assert "partial" in excluded["reason"].iloc[0]
    allowed = series.select_series(obs, "330112", "x", allow_partial=True)
    assert 2020 in allowed.values.index


def test_implied_values_are_labelled_and_used_only_when_asked():
    obs = _obs(
        [
            ["330112", 2021, "x", 42.35, "year", False, "a", "high"],
            ["330112", 2021, "x_growth", 27.1, "year", False, "a", "high"],
            ["330112", 2024, "x", 58.26, "year", False, "b", "high"],
            ["330112", 2024, "x_growth", 3.3, "year", False, "b", "high"],
            ["330112", 2023, "x", 56.0, "year", False, "c", "medium"],
        ]
    )
    plain = series.select_series(obs, "330112", "x")
    assert sorted(plain.values.index) == [2021, 2023, 2024]
    with_implied = series.select_series(obs, "330112", "x", use_implied=True)
    assert with_implied.values[2020] == pytest.approx(42.35 / 1.271)
    assert with_implied.values[2023] == 56.0  # the published figure beats the implied one
    rows = with_implied.rows
    implied = rows[rows["implied"]]
    assert (implied["confidence"] == "implied").all()
    assert implied["note"].str.startswith("implied:").all()
    assert "published" in implied.loc[implied["year"] == 2023, "reason"].iloc[0]


def test_duplicate_years_keep_the_better_attested_value():
    obs = _obs(
        [
            ["330000", 2020, "x", 2.80, "year", False, "news", "medium"],
            ["330000", 2020, "x", 2.88, "year", False, "bulletin", "high"],
            ["330000", 2021, "x", 2.94, "year", False, "bulletin", "high"],
        ]
    )
    sel = series.select_series(obs, "330000", "x")
    assert sel.values[2020] == 2.88
    loser = sel.rows[sel.rows["year"].eq(2020) & ~sel.rows["used"]]
    assert loser["value"].tolist() == [2.80]
    assert loser["reason"].iloc[0] == "not used: higher confidence (high > medium)"


def test_derived_and_inferred_rows_are_never_fitted_and_say_why():
    obs = _obs(
        [
            ["330112", 2021, "s", 81.4, "year", False, "a", "high"],
            ["330112", 2022, "s", 84.1, "year", False, "b", "derived"],
            ["330112", 2023, "s", 83.0, "year", False, "c", "inferred"],
        ]
    )
    for implied in (False, True):
        sel = series.select_series(obs, "330112", "s", use_implied=implied, allow_partial=True)
        assert sel.values.to_dict() == {2021: 81.4}
        set_aside = sel.rows[~sel.rows["used"]].set_index("year")
        assert set_aside.loc[2022, "status"] == "derived"
        assert "derived figure, not a published observation" in set_aside.loc[2022, "reason"]
        assert "inferred figure" in set_aside.loc[2023, "reason"]


def test_implied_rows_come_only_from_published_levels():
    obs = _obs(
        [
            ["330112", 2021, "x", 42.35, "year", False, "a", "derived"],
            ["330112", 2021, "x_growth", 27.1, "year", False, "a", "high"],
        ]
    )
    assert series.implied_prior_values(obs).empty
    assert series.select_series(obs, "330112", "x", use_implied=True).values.empty


def test_shipped_linan_hightech_share_2022_is_derived_and_not_fitted():
    from zjinnov.data.sources import load_observations

    obs = load_observations()
    sel = series.select_series(
        obs, ["330112", "330185"], "hightech_share_of_above_scale_industry_va", use_implied=True
    )
    row = sel.rows[sel.rows["year"].eq(2022)]
    assert row["value"].tolist() == [84.1] and row["status"].tolist() == ["derived"]
    assert not row["used"].any() and "not a published observation" in row["reason"].iloc[0]
    assert 2022 not in sel.values.index
    assert (sel.rows.loc[sel.rows["used"], "status"] == "published").all()


def test_select_series_follows_the_registrys_renames():
    from zjinnov.data import geography

    obs = _obs(
        [
            ["330185", 2010, "x", 1.83, "year", False, "old", "medium"],
            ["330112", 2020, "x", 3.34, "year", False, "new", "medium"],
            ["330103", 2019, "x", 9.99, "year", False, "merged", "medium"],
        ]
    )
    sel = series.select_series(obs, geography.series_codes("330112"), "x")
    assert sel.values.to_dict() == {2010: 1.83, 2020: 3.34}
    assert series.select_series(obs, "330112", "x").values.to_dict() == {2020: 3.34}
    # 下城区 merged into 拱墅区 with other territory: not part of 拱墅区's series.
    assert series.select_series(obs, geography.series_codes("330105"), "x").values.empty


def test_run_indicator_projects_to_the_horizon_or_refuses():
    obs = _obs(
        [
            ["330112", 2020, "s", 73.9, "1-11", True, "seed", "medium"],
            ["330112", 2021, "s", 81.4, "year", False, "a", "high"],
            ["330112", 2022, "s", 84.1, "year", False, "b", "derived"],
            ["330112", 2024, "s", 84.0, "year", False, "c", "high"],
        ]
    )
    # The derived 2022 share (a ratio of two preliminary figures) is never fitted: two
    # published full-year points are too few for any share model, and each refusal says so.
    run = trend_runs.run_indicator(
        series.select_series(obs, "330112", "s"), "s", trends.SHARE, 2027
    )
    assert run.selection.values.to_dict() == {2021: 81.4, 2024: 84.0}
    derived = run.selection.rows[run.selection.rows["year"].eq(2022)].iloc[0]
    assert not derived["used"] and derived["reason"].startswith("not used: derived figure")
    assert run.best is None
    assert set(run.refused["model"]) == set(trends.MODELS_BY_KIND[trends.SHARE])
    assert (run.refused["n_obs"] == 2).all()
    # With a third published year the models run, on the published points only.
    more = pd.concat([obs, _obs([["330112", 2023, "s", 83.2, "year", False, "d", "high"]])])
    run = trend_runs.run_indicator(
        series.select_series(more, "330112", "s"), "s", trends.SHARE, 2027
    )
    assert run.best.model == "average" and run.best.years == (2025, 2026, 2027)
    assert run.best.fit_years == (2021, 2023, 2024)
    empty = trend_runs.run_indicator(
        series.select_series(obs, "330112", "missing"), "missing", trends.AMOUNT, 2027
    )
    assert empty.best is None and len(empty.refused) == 3

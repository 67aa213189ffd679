"""Chapter 06's backtests: every series fitted on the years up to the plan's base year, its
later published years projected and compared, from the Study's `trends` stage. A model that
refuses on the shorter series says why, by code (`forecast.InsufficientData.code`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import geography
from zjinnov.study import targets
from zjinnov.study.chapters.trend_names import names_of
from zjinnov.study.facts import Fact
from zjinnov.study.trend_runs import CONTEXT_VARIABLE

REFUSAL_COLUMNS = ["county_code", "variable", "model", "n_fit", "refusal"]


def add(result, study, stage, variables: pd.DataFrame) -> None:
    """The backtests' tables and facts into `result`."""
    region = {
        study.county: study.name,
        study.city: study.city_name,
        study.province: geography.name_of(study.province, framework_dir=study.framework_dir),
    }
    done, refused = scored(stage)
    result.tables["backtests"] = _table(done, region, variables)
    result.tables["backtest_refusals"] = pd.DataFrame(
        {
            "region": refused["county_code"].map(region),
            "name_zh": names_of(variables, refused["variable"])["name_zh"].to_numpy(),
            "model": refused["model"],
            "n_fit": refused["n_fit"],
            "refusal": refused["refusal"],
        }
    )
    result.fact("c06_backtest_cutoff", targets.PLAN_BASE_YEAR, "year")
    _county(result, done[done["county_code"].eq(study.county)], variables)
    _province(result, done[done["county_code"].eq(study.province)])


def scored(stage) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of models that ran, and one row a refusal: a model that refused (its code),
    or a series with no later year to test on (`bt_no_later`) or no observation (`bt_no_obs`)."""
    runs = stage.backtests
    done = runs[runs["status"].eq("ok")].reset_index(drop=True)
    bad = runs[~runs["status"].eq("ok")].drop_duplicates(["county_code", "variable", "model"])
    refused = [bad[REFUSAL_COLUMNS]]
    tested = set(zip(runs["county_code"], runs["variable"], strict=True))
    untested = [
        (code, v, "none", n_fit, "bt_no_later" if n else "bt_no_obs")
        for code, v, n, n_fit in stage.backtest_series.itertuples(index=False)
        if (code, v) not in tested
    ]
    refused.append(pd.DataFrame(untested, columns=REFUSAL_COLUMNS))
    order = stage.backtest_series[["county_code", "variable"]].reset_index()
    out = pd.concat(refused, ignore_index=True).merge(order, on=["county_code", "variable"])
    return done, out.sort_values("index", kind="stable").drop(columns="index")


def _table(done: pd.DataFrame, region: dict, variables: pd.DataFrame) -> pd.DataFrame:
    names = names_of(variables, done["variable"])
    return pd.DataFrame(
        {
            "region": done["county_code"].map(region),
            "name_zh": names["name_zh"].to_numpy(),
            "model": done["model"],
            "n_fit": done["n_fit"],
            "fit_years": done["fit_years"].astype(str).str.replace(",", ", "),
            "year": done["year"],
            "actual": done["actual"],
            "projected": done["projected"],
            "lower95": done["lower"],
            "upper95": done["upper"],
            "pct_error": done["pct_error"],
            "inside_interval": np.where(done["inside_interval"].astype(bool), "yes", "no"),
        }
    )


def _county(result, county: pd.DataFrame, variables: pd.DataFrame) -> None:
    """Per series and later year: the actual figure, the models' range and their errors."""
    per = county.groupby(["variable", "year"], sort=False).agg(
        actual=("actual", "first"),
        proj_lo=("projected", "min"),
        proj_hi=("projected", "max"),
        err_lo=("pct_error", "min"),
        err_hi=("pct_error", "max"),
        n_fit=("n_fit", "first"),
        n_models=("model", lambda m: int((m != "average").sum())),
    )
    per = per.reset_index()
    names = names_of(variables, per["variable"])
    units = per["variable"].map(variables["unit"])

    def valued(column: str) -> list[Fact]:
        return [Fact(v, "value", u) for v, u in zip(per[column], units, strict=True)]

    result.fact("c06_bt_county_n", county["variable"].nunique(), "count")
    result.fact(
        "c06_bt_county",
        pd.DataFrame(
            {
                "name_zh": names["name_zh"].to_numpy(),
                "name_en": names["name_en"].to_numpy(),
                "year": [Fact(y, "year") for y in per["year"]],
                "actual": valued("actual"),
                "proj_lo": valued("proj_lo"),
                "proj_hi": valued("proj_hi"),
                "err_lo": [Fact(v, "pct") for v in per["err_lo"]],
                "err_hi": [Fact(v, "pct") for v in per["err_hi"]],
                "n_fit": [Fact(v, "count") for v in per["n_fit"]],
                "n_models": [Fact(v, "count") for v in per["n_models"]],
            }
        ),
        "items",
    )


def _province(result, province: pd.DataFrame) -> None:
    """The province's R&D intensity: each model's mean absolute error and interval coverage."""
    zj = province[province["variable"].eq(CONTEXT_VARIABLE)]
    mape = zj.groupby("model")["pct_error"].apply(lambda e: e.abs().mean())
    inside = zj.groupby("model")["inside_interval"].apply(lambda s: s.astype(float).mean())
    result.tables["backtest_accuracy"] = pd.DataFrame(
        {
            "model": mape.index,
            "mape_pct": mape.to_numpy(),
            "coverage_share": inside.reindex(mape.index).to_numpy(),
        }
    )
    fit_years = [int(y) for y in str(zj["fit_years"].iloc[0]).split(",")] if len(zj) else []
    result.fact("c06_zj_fit_first", min(fit_years) if fit_years else None, "year")
    result.fact("c06_zj_fit_last", max(fit_years) if fit_years else None, "year")
    result.fact("c06_zj_n_test", zj["year"].nunique() if len(zj) else None, "count")
    result.fact("c06_zj_mape_min", mape.min() if len(mape) else None, "pct")
    result.fact("c06_zj_mape_max", mape.max() if len(mape) else None, "pct")
    result.fact("c06_zj_mape_avg", mape.get("average"), "pct")
    coverage = zj["inside_interval"].astype(float).mean() if len(zj) else None
    result.fact("c06_zj_coverage", coverage, "share")

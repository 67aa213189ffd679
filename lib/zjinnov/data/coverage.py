"""Which indicators can be computed, for which county and year: the coverage cube, built from data.

Status per indicator-county-year: ``complete`` (every input published for the full year;
derived, inferred and implied figures are not published and never count),
``partial`` (complete only with part-year figures, e.g. Jan-Nov), ``incomplete`` (some inputs),
``none`` (no input at all).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import formula, geography
from zjinnov.data.paths import FRAMEWORK

STATUS_ORDER = ["none", "incomplete", "partial", "complete"]


def coverage_matrix(
    best: pd.DataFrame,
    indicators: pd.DataFrame,
    years: range | None = None,
    codes: list[str] | None = None,
    framework_dir: Path = FRAMEWORK,
) -> pd.DataFrame:
    """Long table county_code × indicator × year with n_inputs, n_present, missing, status.

    `best`: one published figure per county, year and variable, a full-year figure before a
    partial-year one (derived, inferred and implied rows never count as observed): the one
    selection policy, applied by the Study (`selection.best`).

    Renamed units are carried under their current code (临安市 330185 -> 330112) by
    `geography.harmonise_codes`, the function behind the trends' `geography.series_codes`, so
    a series runs across the rename in both. Defaults: every code seen in `best`, years 2015..2024.
    """
    best = best.assign(county_code=geography.harmonise_codes(best["county_code"], framework_dir))
    years = list(range(2015, 2025) if years is None else years)
    codes = sorted(best["county_code"].unique()) if codes is None else [str(c) for c in codes]
    needs = indicators[["code", "formula"]].assign(
        variable=indicators["formula"].map(formula.variables)
    )
    needs = needs.explode("variable")[["code", "variable"]].rename(columns={"code": "indicator"})
    grid = needs.merge(pd.DataFrame({"county_code": codes}), how="cross").merge(
        pd.DataFrame({"year": years}), how="cross"
    )
    seen = best[["county_code", "year", "variable", "partial"]]
    grid = grid.merge(seen, on=["county_code", "year", "variable"], how="left")
    grid["present"] = grid["partial"].notna()
    grid["full"] = grid["partial"].eq(False)
    keys = ["county_code", "indicator", "year"]
    out = grid.groupby(keys, sort=True).agg(
        n_inputs=("variable", "size"), n_present=("present", "sum"), n_full=("full", "sum")
    )
    absent = grid[~grid["present"]].groupby(keys)["variable"].agg("; ".join)
    out["missing"] = absent.reindex(out.index).fillna("")
    out["status"] = "none"
    out.loc[out["n_present"] > 0, "status"] = "incomplete"
    out.loc[out["n_present"] == out["n_inputs"], "status"] = "partial"
    out.loc[out["n_full"] == out["n_inputs"], "status"] = "complete"
    out["share"] = out["n_present"] / out["n_inputs"]
    return out.drop(columns="n_full").reset_index()


def coverage_grid(cov: pd.DataFrame, county: str) -> pd.DataFrame:
    """Indicator × year table of status codes (0 none .. 3 complete) for one county, for a heat map."""
    one = cov[cov["county_code"] == str(county)]
    level = one["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    return one.assign(level=level).pivot(index="indicator", columns="year", values="level")


def summary(cov: pd.DataFrame, county: str) -> pd.Series:
    """Counts for prose: indicators with any complete year, with any input, and with none at all."""
    one = cov[cov["county_code"] == str(county)]
    by_ind = one.groupby("indicator")["status"]
    return pd.Series(
        {
            "indicators": one["indicator"].nunique(),
            "with_complete_year": int(by_ind.apply(lambda s: (s == "complete").any()).sum()),
            "with_any_input": int(by_ind.apply(lambda s: (s != "none").any()).sum()),
            "without_data": int(by_ind.apply(lambda s: (s == "none").all()).sum()),
            "complete_cells": int((one["status"] == "complete").sum()),
            "cells": len(one),
        }
    )

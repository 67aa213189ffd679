"""Chapter 06's projections: every model that ran on each series, in both scenarios, each year
to the horizon, marked past (an estimate awaiting its published figure) or to come (a
projection) by the build date; the models that refused and why; R&D intensity as the worked
example. The page shows the model drawn on published figures in the plan's last year and the
target years; the download keeps every model, scenario and year.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.engine import forecast
from zjinnov.study import targets
from zjinnov.study.chapters.trend_names import LEVELS, kind_of, n_published, names_of, timing
from zjinnov.study.facts import Fact
from zjinnov.study.trend_runs import CONTEXT_VARIABLE, PUBLISHED_ONLY


def add(result, runs, candidates, variables, report_years, built_year) -> None:
    """The projections' tables, the refusals and the summary's projected values into `result`."""
    frames, refused = [], []
    for (v, s), run in runs.items():
        if not run.fitted:
            refused.append(run.refused.assign(variable=v, scenario=s))
            continue
        rows = candidates[v, s]
        frame = forecast.forecast_frame(run.fitted.values(), LEVELS)
        frame = frame.assign(
            scenario=s,
            variable=v,
            n_published=n_published(rows),
            best=frame["model"].eq(run.best.model),
        )
        frames.append(frame)
        refused.append(run.refused.assign(variable=v, scenario=s))
    proj = pd.concat(frames, ignore_index=True) if frames else _empty_projection()
    share = proj["variable"].map(lambda v: kind_of(v, variables)).eq(forecast.SHARE)
    table = pd.DataFrame(
        {
            "scenario": proj["scenario"],
            "variable": proj["variable"],
            "name_zh": names_of(variables, proj["variable"])["name_zh"].to_numpy(),
            "model": proj["model"],
            "year": proj["year"],
            "timing": [timing(y, built_year) for y in proj["year"]],
            "n_obs": proj["n_obs"],
            "n_published": proj["n_published"],
            "fit_years": proj["fit_years"].str.replace(",", ", "),
            "projected": proj["median"],
            "lower80": proj["lower80"],
            "upper80": proj["upper80"],
            "lower95": proj["lower95"],
            "upper95": proj["upper95"],
            "annual_growth": (100 * proj["annual_change"]).where(~share),
            "annual_change_pp": proj["annual_change"].where(share),
            "unit": proj["variable"].map(variables["unit"]),
            "best": proj["best"].astype(bool),
        }
    )
    result.tables["projections"] = table
    # What the page shows: the model drawn (the average, or the one model that ran) on
    # published figures, in the plan's last year and the target years; every model and
    # scenario is in the download.
    shown = table[table["best"] & table["scenario"].eq(PUBLISHED_ONLY)]
    # A past year's value is an estimate, not a forecast: the page calls it the median.
    result.tables["projections_shown"] = (
        shown[shown["year"].isin(report_years)]
        .drop(columns=["scenario", "variable", "best"])
        .rename(columns={"projected": "median_value"})
        .reset_index(drop=True)
    )
    _refusals(result, refused, variables)

    best = table[table["best"] & table["scenario"].eq(PUBLISHED_ONLY)]
    at = best[best["year"] == best["year"].max()] if len(best) else best
    names = names_of(variables, at["variable"])
    result.fact(
        "c06_projected",
        pd.DataFrame(
            {
                "name_zh": names["name_zh"].to_numpy(),
                "name_en": names["name_en"].to_numpy(),
                "year": [Fact(y, "year") for y in at["year"]],
                "timing": [Fact(t, "term") for t in at["timing"]],
                "n_obs": [Fact(n, "count") for n in at["n_obs"]],
                "n_published": [Fact(n, "count") for n in at["n_published"]],
                "median": [
                    Fact(m, "value", u) for m, u in zip(at["projected"], at["unit"], strict=True)
                ],
            }
        ),
        "items",
    )


def _refusals(result, refused: list, variables) -> None:
    """Every model that refused, in both scenarios, and why (a download)."""
    ref = pd.concat(refused, ignore_index=True) if refused else pd.DataFrame()
    table = pd.DataFrame(
        {
            "scenario": ref.get("scenario", pd.Series(dtype=str)),
            "name_zh": names_of(variables, ref.get("variable", []))["name_zh"].to_numpy(),
            "model": ref.get("model", pd.Series(dtype=str)),
            "n_obs": ref.get("n_obs", pd.Series(dtype=float)),
            "n_required": ref.get("n_required", pd.Series(dtype=float)),
            "refusal": ref.get("refusal", pd.Series(dtype=str)),
        }
    )
    result.tables["refusals"] = table


def _empty_projection() -> pd.DataFrame:
    cols = ["series", "model", "year", "n_obs", "fit_years", "median", "annual_change"]
    cols += [f"{s}{round(100 * lvl)}" for lvl in LEVELS for s in ("lower", "upper")]
    return pd.DataFrame(columns=[*cols, "scenario", "variable", "n_published", "best"])


def rd_example(result, runs, candidates, horizon, built_year) -> None:
    """R&D intensity, the plan's headline indicator: its projection in the plan's last year and
    at the horizon (published figures only)."""
    run = runs[CONTEXT_VARIABLE, PUBLISHED_ONLY]
    rows = candidates[CONTEXT_VARIABLE, PUBLISHED_ONLY]
    fitted = rows[rows["used"]].assign(variable=CONTEXT_VARIABLE)
    fc = run.best
    result.fact("c06_rd_n", n_published(rows) or None, "count", evidence=fitted)
    years = rows.loc[rows["used"], "year"]
    result.fact("c06_rd_years", pd.DataFrame({"year": [Fact(y, "year") for y in years]}), "items")
    result.fact("c06_rd_n_models", (len(fc.components) or 1) if fc is not None else None, "count")
    end, last = _at(fc, targets.PLAN_END_YEAR), _at(fc, horizon)
    result.fact("c06_rd_end_timing", timing(targets.PLAN_END_YEAR, built_year), "term")
    result.fact("c06_rd_horizon_timing", timing(horizon, built_year), "term")
    result.fact("c06_rd_end_median", end[0], "pct2", evidence=fitted)
    result.fact("c06_rd_end_lo", end[1], "pct2")
    result.fact("c06_rd_end_hi", end[2], "pct2")
    result.fact("c06_rd_horizon_median", last[0], "pct2", evidence=fitted)
    result.fact("c06_rd_horizon_lo", last[1], "pct2")
    result.fact("c06_rd_horizon_hi", last[2], "pct2")


def _at(fc, year: int) -> tuple:
    """The projection's median and outer interval in `year` (None each where there is none)."""
    if fc is None or year not in fc.years:
        return None, None, None
    lo, hi = (1 - LEVELS[1]) / 2, (1 + LEVELS[1]) / 2
    return fc.median(year), fc.quantile(year, lo), fc.quantile(year, hi)

"""Chapter 06 (趋势与“十四五”目标): projections of the key indicators and the plan targets.

The chapter reads the Study's `trends` stage (`zjinnov.study.trend_runs`): for each key
indicator (and each variable a target of the county names), the county's series under the one
selection policy, every model that ran on it or the reason it refuses, in two scenarios
(published figures only; with prior-year levels implied from growth rates); the province's and
the city's R&D intensity; the backtests. Its targets are set against the county's figures by
the one comparison rule and judged four ways (`trend_targets`), its backtests scored
(`trend_backtests`).

The book's build date (`zjinnov.data.config.build_date`) says which years are past: a plan
year that is over but whose figures are not yet in the data gets an estimate awaiting its
published figure, never a projection as if it lay ahead.

Facts carry numbers and codes; codes in tables (model, status, reason, category) are words
only through the labels table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import config, geography, selection
from zjinnov.engine import forecast
from zjinnov.study import series, targets
from zjinnov.study.chapters import trend_backtests, trend_projections, trend_targets
from zjinnov.study.chapters.trend_names import LEVELS, n_published, names_of
from zjinnov.study.facts import ChapterResult, Fact
from zjinnov.study.trend_runs import CONTEXT_VARIABLE, PUBLISHED_ONLY, SCENARIOS, WITH_IMPLIED

CHAPTER = "c06"
# Why a candidate row is or is not fitted (words in the labels table, group `reason`).
FIT_REASONS = (
    "fit_used",
    "fit_used_preliminary",
    "fit_flagged",
    "fit_used_implied",
    "fit_no_value",
    "fit_recut",
    "fit_derived",
    "fit_inferred",
    "fit_partial",
    "fit_implied_published_exists",
    "fit_implied_not_asked",
    "fit_duplicate",
)
REFUSALS = ("refuse_too_few", "refuse_gaps", "bt_no_later", "bt_no_obs")


def build(study, built: str | None = None) -> ChapterResult:
    """Facts and tables of chapter 06 for `study` (a `Study`), for a book built on `built`
    (YYYY-MM-DD; default: the build's date, `config.build_date`)."""
    result = ChapterResult(CHAPTER)
    built = built or config.build_date()
    built_year = int(built[:4])
    stage = study.trends
    variables = study.variables.set_index("variable")
    horizon, used = stage.horizon, stage.targets
    result.fact("c06_county_name", study.county, "place")
    result.fact("c06_city_name", study.city, "place")
    result.fact("c06_horizon", horizon, "year")
    result.fact("c06_plan_start_year", targets.PLAN_BASE_YEAR + 1, "year")
    result.fact("c06_plan_end_year", targets.PLAN_END_YEAR, "year")
    result.fact("c06_built", built, "text")
    result.fact("c06_level_inner", round(100 * LEVELS[0]), "count")
    result.fact("c06_level_outer", round(100 * LEVELS[1]), "count")
    result.fact("c06_min_loglinear", forecast.MIN_OBS["loglinear"], "count")
    result.fact("c06_min_linear", forecast.MIN_OBS["linear"], "count")
    result.fact("c06_min_logit", forecast.MIN_OBS["logit"], "count")
    result.fact("c06_min_drift", forecast.MIN_OBS["drift"], "count")
    result.fact("c06_min_ets", forecast.MIN_OBS["ets"], "count")
    result.fact("c06_min_obs", min(forecast.MIN_OBS.values()), "count")

    runs, indicators = stage.runs, list(stage.indicators)
    rows = {key: candidate_rows(run) for key, run in runs.items()}
    report_years = sorted({targets.PLAN_END_YEAR, horizon, *used["target_year"]})
    _coverage(result, runs, rows, indicators, variables)
    _timing(result, study, rows, indicators, built_year)
    trend_projections.add(result, runs, rows, variables, report_years, built_year)
    trend_projections.rd_example(result, runs, rows, horizon, built_year)
    trend_targets.add(result, study, stage, rows, variables, built_year)
    _context(result, study, stage)
    trend_backtests.add(result, study, stage, variables)
    return result


# --- the candidates and what each is used for ------------------------------------------------


def candidate_rows(run) -> pd.DataFrame:
    """A selection's rows with `status` (published, partial, implied, inferred, derived) and a
    `fit_reason` code saying whether and why each row is fitted."""
    rows = run.selection.rows.copy()
    status = rows["status"] if "status" in rows else selection.status_of(rows["confidence"])
    partial = rows["partial"].fillna(False).astype(bool)
    implied = rows["implied"].fillna(False).astype(bool)
    status = status.where(~implied, "implied")
    status = status.where(~(partial & status.eq(selection.PUBLISHED)), "partial")
    used = rows["used"].astype(bool)
    preliminary = rows["preliminary"].fillna(False).astype(bool)
    published_years = set(rows.loc[used & ~implied, "year"])
    reason = pd.Series("fit_duplicate", index=rows.index, dtype=object)
    reason[used] = np.where(
        implied[used],
        "fit_used_implied",
        np.where(preliminary[used], "fit_used_preliminary", "fit_used"),
    )
    free = ~used
    rules = [
        (rows["reason"].astype(str).eq(series.FLAGGED), "fit_flagged"),
        (rows["value"].isna(), "fit_no_value"),
        (rows["reason"].astype(str).str.contains("re-cut"), "fit_recut"),
        (status.eq("derived"), "fit_derived"),
        (status.eq("inferred"), "fit_inferred"),
        (status.eq("partial"), "fit_partial"),
        (implied & rows["year"].isin(published_years), "fit_implied_published_exists"),
        (implied, "fit_implied_not_asked"),
    ]
    for mask, code in reversed(rules):  # the first rule that holds wins
        reason[free & mask] = code
    return rows.assign(status=status, used=used, preliminary=preliminary, fit_reason=reason)


def _coverage(result, runs, candidates, indicators, variables) -> None:
    cov, cand, points = [], [], []
    for v in indicators:
        pub, imp = runs[v, PUBLISHED_ONLY], runs[v, WITH_IMPLIED]
        rows = candidates[v, PUBLISHED_ONLY]
        fitted = [m for m in pub.fitted if m != "average"]
        cov.append(
            {
                "variable": v,
                "years_published": ", ".join(
                    str(y) for y in rows.loc[rows["used"] & rows["status"].eq("published"), "year"]
                ),
                "n_obs": len(pub.selection.values),
                "n_published": n_published(rows),
                "n_obs_implied": len(imp.selection.values),
                "n_models": len(fitted),
                "model": pub.best.model if pub.best is not None else "none",
            }
        )
        cand.append(rows.assign(variable=v))
        for s in SCENARIOS:
            points.append(candidates[v, s].assign(variable=v, scenario=s))
    coverage = pd.DataFrame(cov)
    names = names_of(variables, coverage["variable"])
    coverage.insert(1, "name_zh", names["name_zh"].to_numpy())
    coverage.insert(2, "unit", coverage["variable"].map(variables["unit"]).to_numpy())
    result.tables["coverage"] = coverage.drop(columns="variable")

    rows = pd.concat(cand, ignore_index=True)
    result.tables["candidates"] = pd.DataFrame(
        {
            "name_zh": names_of(variables, rows["variable"])["name_zh"].to_numpy(),
            "county_code": rows["county_code"].astype(str),
            "year": rows["year"],
            "value": rows["value"],
            "unit": rows["variable"].map(variables["unit"]),
            "period": "period_" + rows["period"].fillna("year").astype(str),
            "status": rows["status"],
            "confidence": rows["confidence"],
            "source_id": rows["source_id"],
            "fit_reason": rows["fit_reason"],
        }
    )
    points = pd.concat(points, ignore_index=True)
    result.tables["fit_points"] = points[
        ["scenario", "variable", "year", "value", "status", "used", "fit_reason"]
    ].reset_index(drop=True)

    projectable = coverage[coverage["n_models"] > 0]
    result.fact("c06_n_key", len(indicators), "count")
    result.fact(
        "c06_key_names",
        pd.DataFrame({"name_zh": names["name_zh"], "name_en": names["name_en"]}),
        "items",
    )
    fitted_rows = rows[rows["used"] & rows["status"].eq(selection.PUBLISHED)]
    result.fact("c06_n_projectable", len(projectable) or None, "count", evidence=fitted_rows)
    result.fact(
        "c06_n_projectable_implied",
        sum(bool(runs[v, WITH_IMPLIED].fitted) for v in indicators),
        "count",
    )
    fitted = points[points["scenario"].eq(PUBLISHED_ONLY) & points["used"]]
    computed = int(fitted["status"].isin(["derived", "inferred"]).sum())
    # A computed figure fitted is said, not hidden (the selection policy should leave none).
    result.fact("c06_n_computed_fitted", computed or None, "count")
    # Figures a consistency check contradicts: listed, never fitted.
    aside = rows[rows["fit_reason"].eq("fit_flagged") & ~rows["implied"]]
    units = aside["variable"].map(variables["unit"])
    result.fact("c06_n_flagged", len(aside) or None, "count", evidence=aside)
    result.fact(
        "c06_flagged",
        pd.DataFrame(
            {
                "name_zh": names_of(variables, aside["variable"])["name_zh"].to_numpy(),
                "name_en": names_of(variables, aside["variable"])["name_en"].to_numpy(),
                "year": [Fact(y, "year") for y in aside["year"]],
                "value": [Fact(v, "value", u) for v, u in zip(aside["value"], units, strict=True)],
                "prelim": [
                    Fact("mark_preliminary" if p else "mark_none", "term")
                    for p in aside["preliminary"]
                ],
            }
        ),
        "items",
        evidence=aside,
    )


# --- when the book is built -----------------------------------------------------------------


def _timing(result, study, candidates, indicators, built_year: int) -> None:
    """The year the county's data end, the newest source's date and whether the plan period
    is over with its last year's figures not yet in the data."""
    rows = pd.concat(
        [candidates[v, PUBLISHED_ONLY].assign(variable=v) for v in indicators], ignore_index=True
    )
    published = rows[rows["used"] & rows["status"].eq(selection.PUBLISHED)]
    last = published[published["year"].eq(published["year"].max())] if len(published) else None
    result.fact(
        "c06_data_end",
        int(published["year"].max()) if len(published) else None,
        "year",
        evidence=last,
    )
    cited = set(study.observations["source_id"]) | set(study.targets["source_id"])
    dates = study.sources.loc[study.sources["source_id"].isin(cited), "date_published"]
    dates = dates.fillna("").astype(str).str.strip()
    result.fact("c06_data_date", dates[dates.ne("")].max() if dates.ne("").any() else None, "text")
    end = targets.PLAN_END_YEAR
    in_data = bool(published["year"].eq(end).any())
    result.fact("c06_plan_over", end if built_year > end else None, "year")
    result.fact("c06_plan_end_state", "plan_end_in_data" if in_data else "plan_end_awaited", "term")
    # A value of the plan's last year is shown only where a series was projected to it.
    estimated = not in_data and any(
        run.fitted and end in next(iter(run.fitted.values())).years
        for (v, s), run in study.trends.runs.items()
        if s == PUBLISHED_ONLY
    )
    result.fact("c06_plan_estimates", "plan_estimates_below" if estimated else "mark_none", "term")


# --- context: province and city -------------------------------------------------------------


def _context(result, study, stage) -> None:
    """R&D intensity of the province and the county's city, every model drawn, and the city's
    targets for it (current plan)."""
    city, _ = targets.plan_targets(study.targets, study.city, study.city, ())
    city = city[city["variable"] == CONTEXT_VARIABLE]
    result.tables["context_targets"] = city[["target_year", "target_value"]].reset_index(drop=True)
    points, projections = [], []
    for region in (study.province, study.city):
        run = stage.context[region]
        name = geography.name_of(region, framework_dir=study.framework_dir)
        rows = candidate_rows(run)
        points.append(
            rows[["year", "value", "status", "used", "fit_reason"]].assign(
                county_code=region, region=name
            )
        )
        if run.fitted:
            frame = forecast.forecast_frame(run.fitted.values(), LEVELS)
            projections.append(
                frame.assign(
                    county_code=region,
                    region=name,
                    projected=frame["median"],
                    best=frame["model"].eq(run.best.model),
                )
            )
    result.fact("c06_province_n", len(stage.context[study.province].selection.values), "count")
    result.fact("c06_city_ctx_n", len(stage.context[study.city].selection.values), "count")
    cols = ["county_code", "region", "year", "value", "status", "used", "fit_reason"]
    result.tables["context_points"] = pd.concat(points, ignore_index=True)[cols]
    result.tables["context_regions"] = pd.DataFrame(
        {
            "county_code": [study.province, study.city],
            "region": [
                geography.name_of(c, framework_dir=study.framework_dir)
                for c in (study.province, study.city)
            ],
            "n_obs": [result.facts["c06_province_n"].value, result.facts["c06_city_ctx_n"].value],
        }
    )
    proj_cols = ["county_code", "region", "model", "year", "projected", "lower80", "upper80"]
    proj_cols += ["lower95", "upper95", "best"]
    result.tables["context_projections"] = (
        pd.concat(projections, ignore_index=True)[proj_cols]
        if projections
        else pd.DataFrame(columns=proj_cols)
    )

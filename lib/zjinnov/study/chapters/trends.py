"""Chapter 06 (趋势与“十四五”目标): projections of the key indicators and the plan targets.

For each key indicator (and each variable a target of the county names): the county's annual
series under the one selection policy (`trends.select_series`), every model that can run on it
(`trends.project_all`) or the reason it refuses, in two scenarios: published figures only, and
with prior-year levels implied from growth rates. The targets are the county's own where
data/targets.csv has them, else its city's ratios (`targets.plan_targets`); each is judged four
ways (`targets.target_status_table`). Province and city R&D intensity are projected as context,
and every series is backtested from the plan's base year.

Facts carry numbers and names; codes in tables (model, status, reason, category) are words
only through the labels table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import geography, selection
from zjinnov.study import targets, trends
from zjinnov.study.facts import ChapterResult, Fact

CHAPTER = "c06"
KEY_VARIABLES = (
    "rd_intensity",
    "rd_expenditure",
    "above_scale_industry_rd_spending",
    "hightech_industry_value_added",
    "hightech_share_of_above_scale_industry_va",
    "hightech_investment",
    "national_hightech_enterprises",
    "patent_grants_total",
    "rd_tax_deduction_amount",
    "total_tax_relief",
)
LEVELS = (0.8, 0.95)
PUBLISHED_ONLY, WITH_IMPLIED = "published_only", "with_implied"
SCENARIOS = (PUBLISHED_ONLY, WITH_IMPLIED)
# A city's ratios can be a benchmark for one of its counties; its totals cannot.
COMPARABLE_KINDS = ("share", "rate")
CONTEXT_VARIABLE = "rd_intensity"
# Province series backtested beside the county's (long, unbroken: every model can run).
PROVINCE_BACKTESTS = ("rd_intensity", "rd_expenditure")
# Why a candidate row is or is not fitted (words in the labels table, group `reason`).
FIT_REASONS = (
    "fit_used",
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
# Written in tables as math signs, the same in both languages.
COMPARATOR_SIGN = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈", "≤": "≤", "≥": "≥"}


def build(study) -> ChapterResult:
    """Facts and tables of chapter 06 for `study` (a `Study`)."""
    result = ChapterResult(CHAPTER)
    variables = study.variables.set_index("variable")
    horizon = targets.horizon(study.targets)
    comparable = variables.index[variables["kind"].isin(COMPARABLE_KINDS)]
    used, scope = targets.plan_targets(study.targets, study.county, study.city, comparable)
    indicators = list(KEY_VARIABLES) + [
        v
        for v in dict.fromkeys(used["variable"])
        if v not in KEY_VARIABLES and v in variables.index
    ]
    counties = geography.load_counties(study.framework_dir)
    codes = [study.county, *trends.predecessor_codes(study.county, counties)]
    mine = _of(study, codes)
    runs = {
        (v, s): trends.run_indicator(
            mine,
            codes,
            v,
            _kind(v, variables),
            horizon,
            use_implied=s == WITH_IMPLIED,
        )
        for v in indicators
        for s in SCENARIOS
    }

    result.fact("county_name", study.name, "text")
    result.fact("city_name", study.city_name, "text")
    result.fact("horizon", horizon, "year")
    result.fact("plan_end_year", targets.PLAN_END_YEAR, "year")
    result.fact("level_inner", round(100 * LEVELS[0]), "count")
    result.fact("level_outer", round(100 * LEVELS[1]), "count")
    for model, n in trends.MIN_OBS.items():
        result.fact(f"min_{model}", n, "count")
    result.fact("min_obs", min(trends.MIN_OBS.values()), "count")

    rows = {key: candidate_rows(run) for key, run in runs.items()}
    report_years = sorted({targets.PLAN_END_YEAR, horizon, *used["target_year"]})
    _coverage(result, runs, rows, indicators, variables)
    _projections(result, runs, rows, variables, report_years)
    _rd_example(result, runs, rows, horizon)
    _targets(result, study, runs, rows, used, scope, variables)
    _context(result, study, horizon, variables)
    _backtests(result, study, runs, indicators, variables)
    return result


def _kind(variable: str, variables: pd.DataFrame) -> str:
    kind = variables["kind"].get(variable, "")
    return trends.SHARE if kind == "share" else trends.AMOUNT


def _names(variables: pd.DataFrame, codes) -> dict[str, pd.Series]:
    codes = pd.Series(list(codes))
    return {
        "name_zh": codes.map(variables["label_zh"]).fillna(codes),
        "name_en": codes.map(variables["label_en"]).fillna(codes),
    }


# --- the candidates and what each is used for ------------------------------------------------


def candidate_rows(run: trends.IndicatorRun) -> pd.DataFrame:
    """A selection's rows with `status` (published, partial, implied, inferred, derived) and a
    `fit_reason` code saying whether and why each row is fitted."""
    rows = run.selection.rows.copy()
    status = rows["status"] if "status" in rows else selection.status_of(rows["confidence"])
    partial = rows["partial"].fillna(False).astype(bool)
    implied = rows["implied"].fillna(False).astype(bool)
    status = status.where(~implied, "implied")
    status = status.where(~(partial & status.eq(selection.PUBLISHED)), "partial")
    used = rows["used"].astype(bool)
    published_years = set(rows.loc[used & ~implied, "year"])
    reason = pd.Series("fit_duplicate", index=rows.index, dtype=object)
    reason[used] = np.where(implied[used], "fit_used_implied", "fit_used")
    free = ~used
    rules = [
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
    return rows.assign(status=status, used=used, fit_reason=reason)


def _n_published(rows: pd.DataFrame) -> int:
    return int((rows["used"] & rows["status"].eq(selection.PUBLISHED)).sum())


def _of(study, codes) -> pd.DataFrame:
    """The observations of some places (a series never reads another place's rows)."""
    obs = study.observations
    return obs[obs["county_code"].astype(str).isin(list(codes))]


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
                "n_published": _n_published(rows),
                "n_obs_implied": len(imp.selection.values),
                "n_models": len(fitted),
                "model": pub.best.model if pub.best is not None else "none",
            }
        )
        cand.append(rows.assign(variable=v))
        for s in SCENARIOS:
            points.append(candidates[v, s].assign(variable=v, scenario=s))
    coverage = pd.DataFrame(cov)
    names = _names(variables, coverage["variable"])
    coverage.insert(1, "name_zh", names["name_zh"].to_numpy())
    coverage.insert(2, "unit", coverage["variable"].map(variables["unit"]).to_numpy())
    result.tables["coverage"] = coverage.drop(columns="variable")

    rows = pd.concat(cand, ignore_index=True)
    result.tables["candidates"] = pd.DataFrame(
        {
            "name_zh": _names(variables, rows["variable"])["name_zh"].to_numpy(),
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
        ["scenario", "variable", "year", "value", "status", "used"]
    ].reset_index(drop=True)

    projectable = coverage[coverage["n_models"] > 0]
    result.fact("n_key", len(indicators), "count")
    result.fact(
        "key_names",
        pd.DataFrame({"name_zh": names["name_zh"], "name_en": names["name_en"]}),
        "items",
    )
    result.fact("n_projectable", len(projectable), "count")
    result.fact(
        "n_projectable_implied",
        sum(bool(runs[v, WITH_IMPLIED].fitted) for v in indicators),
        "count",
    )
    fitted = points[points["scenario"].eq(PUBLISHED_ONLY) & points["used"]]
    computed = int(fitted["status"].isin(["derived", "inferred"]).sum())
    # A computed figure fitted is said, not hidden (the selection policy should leave none).
    result.fact("n_computed_fitted", computed or None, "count")


# --- projections ----------------------------------------------------------------------------


def _projections(result, runs, candidates, variables, report_years) -> None:
    frames, refused = [], []
    for (v, s), run in runs.items():
        if not run.fitted:
            refused.append(run.refused.assign(variable=v, scenario=s))
            continue
        rows = candidates[v, s]
        frame = trends.forecast_frame(run.fitted.values(), LEVELS)
        frame = frame.assign(
            scenario=s,
            variable=v,
            n_published=_n_published(rows),
            best=frame["model"].eq(run.best.model),
        )
        frames.append(frame)
        refused.append(run.refused.assign(variable=v, scenario=s))
    proj = pd.concat(frames, ignore_index=True) if frames else _empty_projection()
    share = proj["variable"].map(lambda v: _kind(v, variables)).eq(trends.SHARE)
    table = pd.DataFrame(
        {
            "scenario": proj["scenario"],
            "variable": proj["variable"],
            "name_zh": _names(variables, proj["variable"])["name_zh"].to_numpy(),
            "model": proj["model"],
            "year": proj["year"],
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
    result.tables["projections_shown"] = (
        table[table["year"].isin(report_years)]
        .drop(columns=["variable", "best"])
        .reset_index(drop=True)
    )
    ref = pd.concat(refused, ignore_index=True) if refused else pd.DataFrame()
    result.tables["refusals"] = pd.DataFrame(
        {
            "scenario": ref.get("scenario", pd.Series(dtype=str)),
            "name_zh": _names(variables, ref.get("variable", []))["name_zh"].to_numpy(),
            "model": ref.get("model", pd.Series(dtype=str)),
            "n_obs": ref.get("n_obs", pd.Series(dtype=float)),
            "n_required": ref.get("n_required", pd.Series(dtype=float)),
            "refusal": [_refusal(r) for r in ref.get("reason", [])],
        }
    )

    best = table[table["best"] & table["scenario"].eq(PUBLISHED_ONLY)]
    at = best[best["year"] == best["year"].max()] if len(best) else best
    names = _names(variables, at["variable"])
    result.fact(
        "projected",
        pd.DataFrame(
            {
                "name_zh": names["name_zh"].to_numpy(),
                "name_en": names["name_en"].to_numpy(),
                "n_obs": [Fact(n, "count") for n in at["n_obs"]],
                "n_published": [Fact(n, "count") for n in at["n_published"]],
                "median": [
                    Fact(m, "value", u) for m, u in zip(at["projected"], at["unit"], strict=True)
                ],
            }
        ),
        "items",
    )


def _empty_projection() -> pd.DataFrame:
    cols = ["series", "model", "year", "n_obs", "fit_years", "median", "annual_change"]
    cols += [f"{s}{round(100 * lvl)}" for lvl in LEVELS for s in ("lower", "upper")]
    return pd.DataFrame(columns=[*cols, "scenario", "variable", "n_published", "best"])


def _refusal(reason: str) -> str:
    return "refuse_gaps" if "consecutive" in str(reason) else "refuse_too_few"


def _rd_example(result, runs, candidates, horizon) -> None:
    """R&D intensity, the plan's headline indicator: its projection in the plan's last year and
    at the horizon (published figures only)."""
    run = runs[CONTEXT_VARIABLE, PUBLISHED_ONLY]
    rows = candidates[CONTEXT_VARIABLE, PUBLISHED_ONLY]
    fc = run.best
    result.fact("rd_n", _n_published(rows), "count")
    years = rows.loc[rows["used"], "year"]
    result.fact("rd_years", pd.DataFrame({"year": [Fact(y, "year") for y in years]}), "items")
    result.fact("rd_n_models", (len(fc.components) or 1) if fc is not None else None, "count")
    for tag, year in (("end", targets.PLAN_END_YEAR), ("horizon", horizon)):
        ok = fc is not None and year in fc.years
        result.fact(f"rd_{tag}_median", fc.median(year) if ok else None, "pct2")
        result.fact(f"rd_{tag}_lo", fc.quantile(year, (1 - LEVELS[1]) / 2) if ok else None, "pct2")
        result.fact(f"rd_{tag}_hi", fc.quantile(year, (1 + LEVELS[1]) / 2) if ok else None, "pct2")


# --- plan targets ---------------------------------------------------------------------------


def _target_items(rows: pd.DataFrame, variables: pd.DataFrame) -> pd.DataFrame:
    names = _names(variables, rows["variable"])
    return pd.DataFrame(
        {
            "name_zh": names["name_zh"].to_numpy(),
            "name_en": names["name_en"].to_numpy(),
            "region": rows["region_name"].to_numpy(),
            "target_year": [Fact(y, "year") for y in rows["target_year"]],
            "comparator": [COMPARATOR_SIGN.get(c, c) for c in rows["comparator"]],
            "target_value": [
                Fact(v, "value", u) for v, u in zip(rows["target_value"], rows["unit"], strict=True)
            ],
        }
    )


def _targets(result, study, runs, candidates, used, scope, variables) -> None:
    all_targets = study.targets
    own_records = all_targets[all_targets["region_code"] == study.county]
    city_comparable = targets.plan_targets(
        all_targets[all_targets["region_code"] != study.county],
        study.county,
        study.city,
        variables.index[variables["kind"].isin(COMPARABLE_KINDS)],
    )[0]
    items = _target_items(used, variables)
    own = scope == targets.OWN
    result.fact("own_n_recorded", len(own_records), "count")
    result.fact("own_n_found", len(used) if own else None, "count")
    result.fact("own_targets", items if own else items.iloc[:0], "items")
    result.fact("city_targets", items if scope == targets.CITY else items.iloc[:0], "items")
    result.fact("city_n_comparable", len(city_comparable), "count")
    result.fact("n_targets_used", len(used), "count")
    result.fact("targets_list", items, "items")
    result.fact(
        "target_region",
        {targets.OWN: study.name, targets.CITY: study.city_name}.get(scope),
        "text",
    )
    names = _names(variables, used["variable"])
    result.tables["targets_used"] = pd.DataFrame(
        {
            "region": used["region_name"],
            "plan": used["plan"],
            "name_zh": names["name_zh"].to_numpy(),
            "target_year": used["target_year"],
            "comparator": used["comparator"],
            "target_value": used["target_value"],
            "unit": used["unit"],
            "source_id": used["source_id"],
            "quote": used["quote"],
        }
    )

    series = {v: runs[v, PUBLISHED_ONLY].selection.values for v, s in runs if s == PUBLISHED_ONLY}
    kinds = {v: runs[v, PUBLISHED_ONLY].kind for v in series}
    status = targets.target_status_table(
        series, used.assign(region_name=used["region_name"]), kinds=kinds
    )
    if len(status):
        status["n_published"] = [
            _n_published(candidates[v, PUBLISHED_ONLY]) for v in status["variable"]
        ]
        # Once a target is met, the share of the gap closed says nothing more.
        achieved = status["schedule_status"] == "achieved"
        status["schedule_completion"] = status["schedule_completion"].where(~achieved)
    else:
        status = status.assign(n_published=pd.Series(dtype=int))
    names = _names(variables, status["variable"])
    common = {
        "name_zh": names["name_zh"].to_numpy(),
        "region": status["region_name"],
        "target_year": status["target_year"],
    }
    result.tables["target_probability"] = pd.DataFrame(
        {
            **common,
            "comparator": status["comparator"],
            "target_value": status["target_value"],
            "unit": status["unit"] if "unit" in status else None,
            "latest_year": status["latest_year"],
            "latest_value": status["latest_value"],
            "n_obs": status["n_obs"],
            "n_published": status["n_published"],
            "prob": status["prob"],
            "prob_model": status["prob_model"],
        }
    )
    result.tables["target_rules"] = pd.DataFrame(
        {
            **common,
            "sdg_ratio": status["sdg_ratio"],
            "sdg_category": "sdg_" + status["sdg_category"].astype(str),
            "dns_symbol": "dns_" + status["dns_symbol"].astype(str),
            "dns_relaxed_symbol": "dns_" + status["dns_relaxed_symbol"].astype(str),
            "dns_relaxed_points": status["dns_relaxed_points"],
            "schedule_completion": status["schedule_completion"],
            "schedule_elapsed": status["schedule_elapsed"],
            "schedule_status": "schedule_" + status["schedule_status"].astype(str),
        }
    )
    n_strict = int(status["dns_symbol"].ne("not_assessable").sum()) if len(status) else 0
    result.fact("sdg_on_track", targets.SDG_ON_TRACK, "ratio")
    result.fact("sdg_accel", targets.SDG_ACCELERATION, "ratio")
    result.fact("dns_sun", targets.DNS_SUN, "share")
    result.fact("dns_cloud", targets.DNS_SUN_CLOUD, "share")
    result.fact("dns_min", targets.DNS_MIN_POINTS, "count")
    result.fact("n_dns_strict", n_strict or None, "count")
    result.fact("n_assessed", len(status), "count")
    result.fact(
        "n_met",
        int(status["sdg_category"].eq("target_achieved").sum()) if len(status) else 0,
        "count",
    )
    probs = status[status["prob"].notna()] if len(status) else status
    items = _target_items(probs, variables)
    items["prob"] = [Fact(p, "share") for p in probs["prob"]]
    items["n_obs"] = [Fact(n, "count") for n in probs["n_obs"]]
    items["n_published"] = [Fact(n, "count") for n in probs["n_published"]]
    result.fact("target_probs", items, "items")


# --- context: province and city -------------------------------------------------------------


def _context(result, study, horizon, variables) -> None:
    """R&D intensity of the province and the county's city, every model drawn, and the city's
    targets for it (current plan)."""
    city, _ = targets.plan_targets(study.targets, study.city, study.city, ())
    city = city[city["variable"] == CONTEXT_VARIABLE]
    result.tables["context_targets"] = city[["target_year", "target_value"]].reset_index(drop=True)
    points, projections = [], []
    for region in (study.province, study.city):
        run = trends.run_indicator(
            _of(study, [region]),
            [region],
            CONTEXT_VARIABLE,
            _kind(CONTEXT_VARIABLE, variables),
            horizon,
        )
        name = geography.name_of(region, framework_dir=study.framework_dir)
        rows = candidate_rows(run)
        points.append(
            rows[["year", "value", "status", "used"]].assign(county_code=region, region=name)
        )
        if run.fitted:
            frame = trends.forecast_frame(run.fitted.values(), LEVELS)
            projections.append(
                frame.assign(
                    county_code=region,
                    region=name,
                    projected=frame["median"],
                    best=frame["model"].eq(run.best.model),
                )
            )
        result.fact(
            "province_n" if region == study.province else "city_ctx_n",
            len(run.selection.values),
            "count",
        )
    cols = ["county_code", "region", "year", "value", "status", "used"]
    result.tables["context_points"] = pd.concat(points, ignore_index=True)[cols]
    result.tables["context_regions"] = pd.DataFrame(
        {
            "county_code": [study.province, study.city],
            "region": [
                geography.name_of(c, framework_dir=study.framework_dir)
                for c in (study.province, study.city)
            ],
            "n_obs": [result.facts["province_n"].value, result.facts["city_ctx_n"].value],
        }
    )
    proj_cols = ["county_code", "region", "model", "year", "projected", "lower80", "upper80"]
    proj_cols += ["lower95", "upper95", "best"]
    result.tables["context_projections"] = (
        pd.concat(projections, ignore_index=True)[proj_cols]
        if projections
        else pd.DataFrame(columns=proj_cols)
    )


# --- backtests ------------------------------------------------------------------------------


def _backtests(result, study, runs, indicators, variables) -> None:
    """Fit on years up to the plan's base year, project the later published years, compare."""
    cutoff = targets.PLAN_BASE_YEAR
    specs = [
        (study.county, study.name, v, runs[v, PUBLISHED_ONLY].selection.values) for v in indicators
    ]
    province = geography.name_of(study.province, framework_dir=study.framework_dir)
    for v in PROVINCE_BACKTESTS:
        values = trends.select_series(_of(study, [study.province]), [study.province], v).values
        specs.append((study.province, province, v, values))
    city_values = trends.select_series(_of(study, [study.city]), [study.city], CONTEXT_VARIABLE)
    city_values = city_values.values
    specs.append((study.city, study.city_name, CONTEXT_VARIABLE, city_values))

    ok, refused = [], []
    for code, region, v, values in specs:
        bt = trends.backtest(values, cutoff=cutoff, kind=_kind(v, variables), name=v)
        if bt.empty:
            refused.append(
                {
                    "county_code": code,
                    "region": region,
                    "variable": v,
                    "model": "none",
                    "n_fit": int((values.index <= cutoff).sum()),
                    "refusal": "bt_no_later" if len(values) else "bt_no_obs",
                }
            )
            continue
        bt = bt.assign(county_code=code, region=region, variable=v)
        ok.append(bt[bt["status"].eq("ok")])
        bad = bt[~bt["status"].eq("ok")].drop_duplicates("model")
        for rec in bad.itertuples():
            refused.append(
                {
                    "county_code": code,
                    "region": region,
                    "variable": v,
                    "model": rec.model,
                    "n_fit": rec.n_fit,
                    "refusal": _refusal(rec.status),
                }
            )
    done = pd.concat(ok, ignore_index=True) if ok else pd.DataFrame(columns=_BT_COLUMNS)
    names = _names(variables, done["variable"])
    result.tables["backtests"] = pd.DataFrame(
        {
            "region": done["region"],
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
    ref = pd.DataFrame(
        refused, columns=["county_code", "region", "variable", "model", "n_fit", "refusal"]
    )
    result.tables["backtest_refusals"] = pd.DataFrame(
        {
            "region": ref["region"],
            "name_zh": _names(variables, ref["variable"])["name_zh"].to_numpy(),
            "model": ref["model"],
            "n_fit": ref["n_fit"],
            "refusal": ref["refusal"],
        }
    )
    result.fact("backtest_cutoff", cutoff, "year")

    county = done[done["county_code"].eq(study.county)]
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
    names = _names(variables, per["variable"])
    units = per["variable"].map(variables["unit"])
    result.fact("bt_county_n", county["variable"].nunique(), "count")
    result.fact(
        "bt_county",
        pd.DataFrame(
            {
                "name_zh": names["name_zh"].to_numpy(),
                "name_en": names["name_en"].to_numpy(),
                "year": [Fact(y, "year") for y in per["year"]],
                "actual": [Fact(a, "value", u) for a, u in zip(per["actual"], units, strict=True)],
                "proj_lo": [
                    Fact(v, "value", u) for v, u in zip(per["proj_lo"], units, strict=True)
                ],
                "proj_hi": [
                    Fact(v, "value", u) for v, u in zip(per["proj_hi"], units, strict=True)
                ],
                "err_lo": [Fact(v, "pct") for v in per["err_lo"]],
                "err_hi": [Fact(v, "pct") for v in per["err_hi"]],
                "n_fit": [Fact(v, "count") for v in per["n_fit"]],
                "n_models": [Fact(v, "count") for v in per["n_models"]],
            }
        ),
        "items",
    )

    zj = done[done["county_code"].eq(study.province) & done["variable"].eq(CONTEXT_VARIABLE)]
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
    result.fact("zj_fit_first", min(fit_years) if fit_years else None, "year")
    result.fact("zj_fit_last", max(fit_years) if fit_years else None, "year")
    result.fact("zj_n_test", zj["year"].nunique() if len(zj) else None, "count")
    result.fact("zj_mape_min", mape.min() if len(mape) else None, "pct")
    result.fact("zj_mape_max", mape.max() if len(mape) else None, "pct")
    result.fact("zj_mape_avg", mape.get("average"), "pct")
    result.fact(
        "zj_coverage", zj["inside_interval"].astype(float).mean() if len(zj) else None, "share"
    )


_BT_COLUMNS = (
    "series model n_fit fit_years year actual projected lower upper abs_error pct_error "
    "inside_interval status county_code region variable"
).split()

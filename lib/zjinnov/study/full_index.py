"""The full index, for every county-year whose coverage allows it, and its check against what
was published. A chapter function over tidy tables: observations in, facts and tables out.

Method (the registry's; `data/framework/indicators.csv`, `domains.csv`):
- indicator values from the registry's formulas, with 临安市 (330185) carried under 临安区's
  code so a series runs across the 2017 rename; only the county units of each year and the
  province take part;
- each indicator as 100 × value / base (2015 = 100): the base is the province's 2015 value;
  counts and amounts, which grow with a place's size, take the county's own first positive
  value instead (the partial index's rule, `zjinnov.study.partial_index`);
- a county-year is scored when, in every domain, the share of the domain's indicators it has
  (with a base) reaches the domain's `min_coverage` (domains.csv; 0.8 unless set): missing
  indicators drop out and the others' weights are renormalised within the domain;
- domains and index by weighted arithmetic means; rank 1 = highest among the county units
  scored that year (ties share the best rank); tier 1 = the first N ranks, N the size of the
  first tier as last published (the official tier rule is not public: an assumption, logged).

Then: the published index and ranks beside the recomputed ones (reconciliation); weights
recovered from the published scores when enough county-years have both
(`zjinnov.engine.weights`), and the index rebuilt with them; the study county's domain scores
and the indicators that lift or hold back its index; rank intervals for every county under
weights perturbed by ±25 % (`zjinnov.engine.robustness`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from zjinnov.data import geography, selection
from zjinnov.data.errors import ValidationReport
from zjinnov.data.framework import extensive_codes, indicator_values
from zjinnov.engine import robustness as rb
from zjinnov.engine import weights as wt
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.index import IndexMethod, IndexResult, build_index
from zjinnov.engine.tiers import TierRule, assign_tiers

BASE_YEAR = 2015
DEFAULT_MIN_COVERAGE = 0.8
INDEX, RANK = "innovation_index", "innovation_index_rank_zj"
TIER_LABELS = ("第一梯队", "其他")
ROWS_PER_WEIGHT = 3  # weight recovery needs at least this many complete rows per weight
REBUILT_TOLERANCE = 0.1  # index points: half the printed unit (0.05) plus estimation error
# The rehearsal's check (tests/test_rehearsal.py): recovered effective weights within this of
# the simulation's true weights (whose mean is 1/34, about 0.029).
REHEARSAL_WEIGHT_TOLERANCE = 0.002
SPREAD, DRAWS, SEED = 0.25, 10_000, 20250101


@dataclass
class FullIndex:
    county: str
    coverage: pd.DataFrame  # county_code, year, domain, present, total, share, min_coverage, meets
    eligible: pd.DataFrame  # county_code, year, eligible, short (domains below the rule)
    table: pd.DataFrame  # scored county-years: index, rank, n_ranked, tier, one column a domain
    reconciliation: pd.DataFrame
    result: IndexResult | None = None
    fit: wt.WeightFit | None = None
    weights: pd.DataFrame | None = None  # recovered beside the registry's
    intervals: pd.DataFrame | None = None  # rank intervals, latest year
    drivers: pd.DataFrame | None = None  # the study county's indicators, latest year
    engine_values: pd.DataFrame | None = None  # what the engine scored (region, year, ...)
    facts: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------ inputs
def min_coverage(domains: pd.DataFrame) -> pd.Series:
    """The coverage rule per domain (share of its indicators), checked: 0 < rule <= 1."""
    raw = domains.get("min_coverage", pd.Series("", index=domains.index)).replace("", None)
    rule = pd.to_numeric(raw, errors="coerce").fillna(DEFAULT_MIN_COVERAGE)
    report = ValidationReport()
    for k in np.flatnonzero(~rule.between(0, 1, inclusive="right")):
        report.add(
            "framework/domains.csv",
            int(k) + 2,
            "min_coverage",
            "coverage rule must be a share in (0, 1]",
            raw.iloc[k],
        )
    report.raise_if_any()
    return pd.Series(rule.to_numpy(), index=domains["domain"])


def names() -> dict[str, str]:
    """Code -> name of every unit (its current name for a renamed one), city and the province."""
    t = geography.load_counties()
    return {**dict(zip(t["code"], t["name"], strict=True)), **geography.region_names()}


def units_by_year(years) -> pd.DataFrame:
    """county_code (current code) and year of every county unit of each year."""
    return _units_by_year(tuple(int(y) for y in years)).copy()


@cache
def _units_by_year(years: tuple[int, ...]) -> pd.DataFrame:
    frames = [
        pd.DataFrame(
            {
                "county_code": geography.harmonise_codes(geography.units_in_year(y)["code"]),
                "year": int(y),
            }
        )
        for y in years
    ]
    return pd.concat(frames, ignore_index=True)


def scorable(values: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicator values of county units and the province that have a base, in the engine's
    shape (region, year, indicator, value); counts and amounts as ratios to their own base,
    so that the province's 2015 value of 1 anchors them (see the module docstring)."""
    v = values.assign(county_code=geography.harmonise_codes(values["county_code"]))
    v = v[["county_code", "year", "indicator", "value"]].dropna(subset=["value"])
    v = v[v["indicator"].isin(indicators["code"])]
    units = units_by_year(sorted(v["year"].unique())).assign(unit=True)
    v = v.merge(units, on=["county_code", "year"], how="left")
    v = v[v["unit"].notna() | v["county_code"].eq(geography.ZHEJIANG)].drop(columns="unit")
    extensive = v["indicator"].isin(extensive_codes(indicators))
    own = v[extensive & (v["value"] > 0)].sort_values("year")
    first = own.drop_duplicates(["county_code", "indicator"]).set_index(
        ["county_code", "indicator"]
    )["value"]
    base = pd.Series(v.set_index(["county_code", "indicator"]).index.map(first), index=v.index)
    ext = v[extensive].assign(value=v["value"] / base[extensive]).dropna(subset=["value"])
    prov = v[(v["county_code"] == geography.ZHEJIANG) & (v["year"] == BASE_YEAR) & (v["value"] > 0)]
    has_base = v["indicator"].isin(prov["indicator"])
    out = pd.concat([v[~extensive & has_base], ext], ignore_index=True)
    return (
        out.rename(columns={"county_code": "region"})
        .sort_values(["year", "region", "indicator"])
        .reset_index(drop=True)
    )


def coverage(
    engine_values: pd.DataFrame, indicators: pd.DataFrame, domains: pd.DataFrame, years=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per county unit, year and domain: indicators with a value and a base, and the rule;
    then per county-year whether every domain meets it (and which fall short)."""
    rule = min_coverage(domains)
    years = sorted(engine_values["year"].unique()) if years is None else list(years)
    # The province is counted too (its values are the bases), but is never a county-year.
    places = pd.concat(
        [units_by_year(years), pd.DataFrame({"county_code": geography.ZHEJIANG, "year": years})]
    )
    grid = places.merge(
        indicators[["code", "domain"]].rename(columns={"code": "indicator"}), how="cross"
    )
    have = (
        engine_values[["region", "year", "indicator"]]
        .rename(columns={"region": "county_code"})
        .assign(present=True)
    )
    grid = grid.merge(have, on=["county_code", "year", "indicator"], how="left")
    grid["present"] = grid["present"].fillna(False).astype(bool)
    cov = (
        grid.groupby(["county_code", "year", "domain"], sort=False)
        .agg(present=("present", "sum"), total=("indicator", "size"))
        .reset_index()
    )
    cov["share"] = cov["present"] / cov["total"]
    cov["min_coverage"] = cov["domain"].map(rule)
    cov["meets"] = cov["share"] >= cov["min_coverage"] - 1e-12
    units = cov[cov["county_code"] != geography.ZHEJIANG]
    short = units[~units["meets"]].groupby(["county_code", "year"])["domain"].agg("、".join)
    elig = units.groupby(["county_code", "year"])["meets"].all().rename("eligible").reset_index()
    elig["short"] = elig.set_index(["county_code", "year"]).index.map(short).fillna("")
    return cov, elig


# ------------------------------------------------------------------------------ the index
def method() -> IndexMethod:
    return IndexMethod(
        label="registry",
        normaliser="base_ratio",
        base_year=BASE_YEAR,
        base_region=geography.ZHEJIANG,
        missing="renormalise",
    )


def tier_size(obs: pd.DataFrame) -> int | None:
    """The size of the first tier as last published for the province (None if never)."""
    rows = selection.best(
        obs[(obs["variable"] == "first_tier_size") & (obs["county_code"] == geography.ZHEJIANG)]
    )
    return None if rows.empty else int(rows.sort_values("year")["value"].iloc[-1])


def score_table(result: IndexResult, domains: pd.DataFrame, n_tier: int | None) -> pd.DataFrame:
    """One row a scored county-year: index, rank, how many ranked, tier, domain scores."""
    s = result.scores.astype({"region": str, "node": str})
    s = s[s["score"].notna() & (s["region"] != geography.ZHEJIANG)]
    top = s[s["level"] == 3][["region", "year", "score", "rank"]]
    top = top.rename(columns={"region": "county_code", "score": "index"})
    top["n_ranked"] = top.groupby("year")["county_code"].transform("size")
    if n_tier:
        tiered = assign_tiers(
            top.rename(columns={"index": "score"}),
            TierRule.top_n(n_tier, TIER_LABELS),
            by=("year",),
        )
        top["tier"] = tiered["tier"].to_numpy()
    else:
        top["tier"] = None
    dom = s[s["level"] == 2].pivot(index=["region", "year"], columns="node", values="score")
    dom = dom.reindex(columns=list(domains["code"])).rename(
        columns=dict(zip(domains["code"], domains["domain"], strict=True))
    )
    out = top.merge(dom, left_on=["county_code", "year"], right_index=True, how="left")
    out.insert(1, "name", out["county_code"].map(names()))
    return out.sort_values(["year", "rank"]).reset_index(drop=True)


def province_scores(result: IndexResult) -> pd.DataFrame:
    """The province's own index (scored against its 2015 values, never ranked)."""
    s = result.scores.astype({"region": str})
    s = s[(s["level"] == 3) & (s["region"] == geography.ZHEJIANG) & s["score"].notna()]
    return s.rename(columns={"region": "county_code", "score": "index"})[
        ["county_code", "year", "index", "rank"]
    ]


def published(obs: pd.DataFrame, values: pd.DataFrame, n_indicators: int) -> pd.DataFrame:
    """Published index values and province ranks (no inferred figure), one row a figure;
    `same_report`: the report also printed every indicator of that county-year."""
    rows = obs[obs["variable"].isin([INDEX, RANK])]
    rows = rows[
        selection.status_of(rows["confidence"]).eq(selection.PUBLISHED)
        & ~rows["partial"].fillna(False).astype(bool)
    ]
    rows = rows.assign(county_code=geography.harmonise_codes(rows["county_code"]))
    wide = rows.pivot_table(
        index=["county_code", "year", "source_id"],
        columns="variable",
        values="value",
        aggfunc="first",
    )
    wide = wide.reindex(columns=[INDEX, RANK]).reset_index().rename_axis(columns=None)
    keys = ["county_code", "year", "source_id"]
    same = same_report(values, n_indicators).assign(same_report=True)
    wide = wide.merge(same, on=keys, how="left").fillna({"same_report": False})
    wide["same_report"] = wide["same_report"].astype(bool)
    return wide.rename(columns={INDEX: "published", RANK: "published_rank"})


def reconcile(
    pub: pd.DataFrame, table: pd.DataFrame, rebuilt: pd.DataFrame | None, eligible: pd.DataFrame
) -> pd.DataFrame:
    """Every published index beside the recomputed one (and the rebuilt one, if any)."""
    out = pub.merge(
        table[["county_code", "year", "index", "rank"]], on=["county_code", "year"], how="left"
    )
    out = out.rename(columns={"index": "recomputed", "rank": "recomputed_rank"})
    out["diff"] = out["recomputed"] - out["published"]
    out["rank_diff"] = out["recomputed_rank"] - out["published_rank"]
    if rebuilt is not None:
        out = out.merge(rebuilt, on=["county_code", "year"], how="left")
        out["rebuilt_diff"] = out["rebuilt"] - out["published"]
    short = eligible.set_index(["county_code", "year"])["short"]
    reason = out.set_index(["county_code", "year"]).index.map(short)
    out["why_not"] = np.where(out["recomputed"].isna(), reason.fillna("").to_numpy(), "")
    out.insert(1, "name", out["county_code"].map(names()))
    return out.sort_values(["year", "county_code", "source_id"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ weights
def same_report(values: pd.DataFrame, n_indicators: int) -> pd.DataFrame:
    """County-years whose every registry indicator comes from one source: county_code, year,
    source_id. Only there is a published score comparable with the indicators beside it."""
    v = values.assign(county_code=geography.harmonise_codes(values["county_code"]))
    g = v.groupby(["county_code", "year"])
    one = g["source_ids"].agg(lambda s: set("; ".join(s).split("; "))).rename("ids").to_frame()
    one["n"] = g["indicator"].nunique()
    one = one[(one["n"] == n_indicators) & (one["ids"].map(len) == 1)]
    return one.assign(source_id=one["ids"].map(min)).reset_index()[
        ["county_code", "year", "source_id"]
    ]


def recovery_rows(result: IndexResult, pub: pd.DataFrame):
    """Normalised indicators and published scores of the county-years where one report
    printed the index and every indicator (reconciliation column `same_report`)."""
    Z = result.arrays["Z"]
    years_all = np.arange(result.arrays["years"].min(), result.arrays["years"].max() + 1)
    regions = list(map(str, result.arrays["regions"]))
    same = pub[pub["same_report"]].dropna(subset=["published"])
    rows, y = [], []
    for r in same.itertuples(index=False):
        if r.county_code not in regions or r.year not in years_all:
            continue
        z = Z[int(np.flatnonzero(years_all == r.year)[0]), regions.index(r.county_code)]
        if not np.isnan(z).any():
            rows.append(z)
            y.append(r.published)
    return np.array(rows).reshape(-1, Z.shape[-1]), np.array(y, float)


def recover(result: IndexResult, pub: pd.DataFrame, indicators: pd.DataFrame, seed: int = SEED):
    """Weights from published scores (or None with the number of rows there are and needed)."""
    Z, y = recovery_rows(result, pub)
    needed = ROWS_PER_WEIGHT * Z.shape[1]
    if len(y) < needed:
        return None, None, len(y), needed
    codes = result.hierarchy.indicators
    group = indicators.set_index("code").loc[codes, "domain"].to_numpy()
    fit = wt.recover(Z, y, codes, group, seed=seed)
    registry = result.hierarchy.effective_weights()
    table = fit.weights.assign(registry=fit.weights["indicator"].map(registry))
    table.insert(1, "name", table["indicator"].map(indicators.set_index("code")["name_zh"]))
    return fit, table, len(y), needed


def rebuild(
    values: pd.DataFrame, result: IndexResult, fit: wt.WeightFit, domains: pd.DataFrame
) -> pd.DataFrame:
    """The index rebuilt with the recovered weights: county_code, year, rebuilt, rebuilt_rank."""
    code_of = dict(zip(domains["domain"], domains["code"], strict=True))
    w = dict(zip(fit.weights["indicator"], fit.weights["within"].fillna(0.0), strict=True))
    w |= {
        code_of[g]: float(v) for g, v in zip(fit.groups["group"], fit.groups["weight"], strict=True)
    }
    again = build_index(values, result.hierarchy.with_weights(w), method())
    s = again.scores.astype({"region": str})
    s = s[(s["level"] == 3) & s["score"].notna()]
    return s.rename(columns={"region": "county_code", "score": "rebuilt", "rank": "rebuilt_rank"})[
        ["county_code", "year", "rebuilt", "rebuilt_rank"]
    ]


# ------------------------------------------------------------------------------ the county
def drivers(result: IndexResult, county: str, year: int, indicators: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's part in the county's index against the median county: effective
    weight × (its score − the median county's score). Positive lifts, negative holds back."""
    s = result.scores.astype({"region": str, "node": str})
    leaf = s[(s["level"] == 1) & (s["year"] == year) & (s["region"] != geography.ZHEJIANG)]
    wide = leaf.pivot(index="region", columns="node", values="score")
    weight = result.hierarchy.effective_weights()
    own = wide.loc[county]
    median = wide.median()
    out = pd.DataFrame(
        {
            "indicator": own.index,
            "score": own.to_numpy(),
            "median": median.to_numpy(),
            "weight": weight.reindex(own.index).to_numpy(),
        }
    )
    out["effect"] = out["weight"] * (out["score"] - out["median"])
    meta = indicators.set_index("code")
    out.insert(1, "name", out["indicator"].map(meta["name_zh"]))
    out.insert(2, "domain", out["indicator"].map(meta["domain"]))
    return (
        out.dropna(subset=["score"]).sort_values("effect", ascending=False).reset_index(drop=True)
    )


def rank_intervals(
    values: pd.DataFrame, result: IndexResult, year: int, draws: int, seed: int
) -> pd.DataFrame:
    """5–95 % rank intervals of every county in `year` under weights perturbed by ±25 %."""
    v = values[values["year"].isin([BASE_YEAR, year])]
    spec = rb.UncertaintySpec(rb.WeightNoise("uniform", spread=SPREAD))
    mc = rb.run(v, result.hierarchy, method(), spec, rb.sample(spec, result.hierarchy, draws, seed))
    out = rb.summary(mc)
    out = out[
        (out["year"] == year)
        & (out["region"].astype(str) != geography.ZHEJIANG)
        & out["rank_nominal"].notna()
    ]
    out = out.rename(columns={"region": "county_code"}).assign(
        county_code=lambda d: d["county_code"].astype(str)
    )
    out.insert(1, "name", out["county_code"].map(names()))
    return out.sort_values("rank_nominal").reset_index(drop=True)


# ------------------------------------------------------------------------------ together
def chosen(obs: pd.DataFrame, sources: pd.DataFrame | None) -> pd.DataFrame:
    """One figure per county, year and variable by the study's one policy (`data.selection`):
    where a monitoring table and another document give the same figure, the higher confidence
    and then the later publication wins (so a workbook laid over the public data, dated later,
    supplies the province's base values it was computed from)."""
    return selection.best(obs, sources, allow_partial=False)


def full_index(
    obs: pd.DataFrame,
    indicators: pd.DataFrame,
    domains: pd.DataFrame,
    county: str,
    *,
    sources: pd.DataFrame | None = None,
    best: pd.DataFrame | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
) -> FullIndex:
    """Everything the chapter shows; where coverage allows nothing, the coverage says why.

    `obs`: the observations (every published figure); `sources`: data/sources.csv, whose
    publication dates settle which of two equally confident figures is used; `best`: those
    choices when already made (a Study's `best`)."""
    values = indicator_values(chosen(obs, sources) if best is None else best, indicators)
    ev = scorable(values, indicators)
    cov, elig = coverage(ev, indicators, domains)
    ok = elig[elig["eligible"]][["county_code", "year"]]
    use = ev.merge(ok.rename(columns={"county_code": "region"}), on=["region", "year"])
    prov = ev[ev["region"] == geography.ZHEJIANG]
    pub = published(obs, values, len(indicators))
    n_tier = tier_size(obs)
    facts = _coverage_facts(cov, elig, county) | {"tier_size": n_tier}
    if use.empty or not (prov["year"] == BASE_YEAR).any():
        table = pd.DataFrame(
            columns=["county_code", "name", "year", "index", "rank", "n_ranked", "tier"]
        )
        rec = reconcile(pub, table, None, elig)
        none = {"recovery_rows": 0, "recovery_needed": ROWS_PER_WEIGHT * len(indicators)}
        return FullIndex(county, cov, elig, table, rec, facts=facts | _reconcile_facts(rec) | none)
    engine_values = pd.concat([use, prov], ignore_index=True)
    result = build_index(engine_values, from_registry(indicators, domains), method())
    table = score_table(result, domains, n_tier)
    fit, weights, n_rows, needed = recover(result, pub, indicators, seed)
    rebuilt = rebuild(engine_values, result, fit, domains) if fit is not None else None
    rec = reconcile(pub, pd.concat([table, province_scores(result)]), rebuilt, elig)
    latest = int(table["year"].max())
    intervals = rank_intervals(engine_values, result, latest, draws, seed) if draws else None
    mine = table[table["county_code"] == county]
    drv = drivers(result, county, int(mine["year"].max()), indicators) if len(mine) else None
    facts |= (
        _index_facts(table, county)
        | _reconcile_facts(rec)
        | {"recovery_rows": n_rows, "recovery_needed": needed}
    )
    facts |= _fit_facts(fit, weights) | _interval_facts(intervals, county) | {"draws": draws}
    return FullIndex(
        county, cov, elig, table, rec, result, fit, weights, intervals, drv, engine_values, facts
    )


# ------------------------------------------------------------------------------ facts
def _coverage_facts(cov: pd.DataFrame, elig: pd.DataFrame, county: str) -> dict:
    mine = cov[cov["county_code"] == county]
    prov = cov[cov["county_code"] == geography.ZHEJIANG].groupby("year")["present"].sum()
    per_year = mine.groupby("year")["present"].sum()
    best = int(per_year.idxmax()) if len(per_year) and per_year.max() > 0 else None
    return {
        "n_eligible": int(elig["eligible"].sum()),
        "n_county_years": len(elig),
        "county_best_year": best,
        "county_best_present": int(per_year.max()) if best else 0,
        "n_indicators": int(cov.drop_duplicates("domain")["total"].sum()),
        "county_n_eligible": int(elig[(elig["county_code"] == county)]["eligible"].sum()),
        "province_best_year": int(prov.idxmax()) if len(prov) and prov.max() > 0 else None,
    }


def _index_facts(table: pd.DataFrame, county: str) -> dict:
    latest = int(table["year"].max())
    now = table[table["year"] == latest]
    mine = now[now["county_code"] == county]
    row = mine.iloc[0] if len(mine) else None
    return {
        "latest": latest,
        "first": int(table["year"].min()),
        "n_ranked_latest": len(now),
        "n_years": int(table["year"].nunique()),
        "county_index": None if row is None else float(row["index"]),
        "county_rank": None if row is None else int(row["rank"]),
        "county_tier": None if row is None else row["tier"],
        "leader": now.iloc[0]["name"],
        "leader_index": float(now.iloc[0]["index"]),
    }


def _reconcile_facts(rec: pd.DataFrame) -> dict:
    both = rec[rec["same_report"]].dropna(subset=["published", "recomputed"])
    out = {
        "n_published": int(rec["published"].notna().sum()),
        "n_reconciled": len(both),
        "max_abs_diff": float(both["diff"].abs().max()) if len(both) else None,
        "max_abs_rank_diff": float(both["rank_diff"].abs().max())
        if both["rank_diff"].notna().any()
        else None,
    }
    out["n_other_reports"] = int((~rec["same_report"] & rec["published"].notna()).sum())
    if "rebuilt_diff" in rec:
        r = rec[rec["same_report"]].dropna(subset=["rebuilt_diff"])
        out["max_abs_rebuilt_diff"] = float(r["rebuilt_diff"].abs().max()) if len(r) else None
        out["n_rebuilt_within"] = int((r["rebuilt_diff"].abs() <= REBUILT_TOLERANCE).sum())
    return out


def _fit_facts(fit: wt.WeightFit | None, weights: pd.DataFrame | None) -> dict:
    if fit is None:
        return {"recovered": False}
    return {
        "recovered": True,
        "fit_rmse": fit.rmse,
        "fit_max_error": fit.max_error,
        "fit_rank": fit.rank,
        "fit_rows": fit.n_rows,
        "n_identified": fit.n_identified,
        "n_weights": len(fit.weights),
        "max_abs_vs_registry": float((weights["weight"] - weights["registry"]).abs().max()),
        "rounding_rmse": wt.rounding_rmse(1),
    }


def _interval_facts(intervals: pd.DataFrame | None, county: str) -> dict:
    if intervals is None or intervals.empty:
        return {}
    width = intervals["rank_hi"] - intervals["rank_lo"]
    mine = intervals[intervals["county_code"] == county]
    return {
        "interval_median_width": float(width.median()),
        "interval_max_width": float(width.max()),
        "county_rank_lo": None if mine.empty else float(mine["rank_lo"].iloc[0]),
        "county_rank_hi": None if mine.empty else float(mine["rank_hi"].iloc[0]),
    }

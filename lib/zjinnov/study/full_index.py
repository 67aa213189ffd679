"""The full index, for every county-year whose coverage allows it, and its check against what
was published: the Study's `full_index` stage.

Method (the registry's; `data/framework/indicators.csv`, `domains.csv`, `settings.csv`):
- indicator values from the Study's `values` stage, with 临安市 (330185) carried under 临安区's
  code so a series runs across the 2017 rename; only the county units of each year and the
  province take part (`prepare`);
- each indicator as 100 × value / base by the one base rule (`zjinnov.study.bases`): the
  province's base-year value (else its earliest), the county's own for counts and amounts; a
  domain that carries no information in a county-year is left out of it;
- a county-year is scored when every domain meets its coverage rule (`full_coverage`);
- domains and index by weighted arithmetic means; rank 1 = highest among the county units
  scored that year (ties share the best rank); tier 1 = the first N ranks, N the size of the
  first tier as last published (the official tier rule is not public: an assumption, logged).

Then: the published index and ranks beside the recomputed ones (`reconciliation`); weights
recovered from the published scores when enough county-years have both (`weight_recovery`),
and the index rebuilt with them; the study county's drivers and every county's rank interval
(`full_standing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zjinnov.data import geography
from zjinnov.engine import weights as wt
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.index import IndexMethod, IndexResult, build_index
from zjinnov.engine.tiers import TierRule, assign_tiers
from zjinnov.study import bases as base_rule
from zjinnov.study import full_coverage, full_standing, reconciliation, weight_recovery

TIERS = ("tier_first", "tier_other")  # vocabulary keys (labels table, group `term`)
FIRST_TIER_SIZE = "first_tier_size"
REBUILT_TOLERANCE = 0.1  # index points: half the printed unit (0.05) plus estimation error
# The rehearsal's check (tests/test_rehearsal.py): recovered effective weights within this of
# the simulation's true weights (whose mean is 1/34, about 0.029).
REHEARSAL_WEIGHT_TOLERANCE = 0.002
DRAWS, SEED = 10_000, 20250101
TABLE_COLUMNS = ["county_code", "name", "year", "index", "rank", "n_ranked", "tier"]


@dataclass
class FullIndex:
    county: str
    method: IndexMethod
    bases: pd.DataFrame  # the one base rule, per county unit (and the province) and indicator
    coverage: pd.DataFrame  # county_code, year, domain, present, total, share, min_coverage, meets
    eligible: pd.DataFrame  # county_code, year, eligible, short (domains below the rule)
    table: pd.DataFrame  # scored county-years: index, rank, n_ranked, tier, one column a domain
    published: pd.DataFrame  # every published index and rank, one row a figure
    reconciliation: pd.DataFrame
    tier_size: int | None
    recovery_rows: int
    recovery_needed: int
    result: IndexResult | None = None
    fit: wt.WeightFit | None = None
    weights: pd.DataFrame | None = None  # recovered beside the registry's
    intervals: pd.DataFrame | None = None  # rank intervals, latest year
    drivers: pd.DataFrame | None = None  # the study county's indicators, latest year
    engine_values: pd.DataFrame | None = None  # what the engine scored (region, year, ...)
    draws: int = 0


def method(base_year: int) -> IndexMethod:
    """Every indicator against its base (carried as a ratio against the pseudo-region of ones)."""
    return base_rule.method("registry", base_year)


def names(framework_dir: Path) -> dict[str, str]:
    """Code -> name of every unit (its current name for a renamed one), city and the province."""
    t = geography.load_counties(framework_dir)
    return {**dict(zip(t["code"], t["name"], strict=True)), **geography.region_names(framework_dir)}


def prepare(values: pd.DataFrame, indicators: pd.DataFrame, framework_dir: Path) -> pd.DataFrame:
    """The indicator values that take part: registry indicators of the county units of each
    year (a renamed unit under its current code) and of the province."""
    v = values.assign(county_code=geography.harmonise_codes(values["county_code"], framework_dir))
    v = v[["county_code", "year", "indicator", "value", "source_ids"]].dropna(subset=["value"])
    v = v[v["indicator"].isin(indicators["code"])]
    units = full_coverage.units_by_year(sorted(v["year"].unique()), framework_dir)
    v = v.merge(units.assign(unit=True), on=["county_code", "year"], how="left")
    keep = v["unit"].notna() | v["county_code"].eq(geography.ZHEJIANG)
    return v[keep].drop(columns="unit").reset_index(drop=True)


def tier_size(best: pd.DataFrame) -> int | None:
    """The size of the first tier as last published for the province (None if never)."""
    rows = best[(best["variable"] == FIRST_TIER_SIZE) & (best["county_code"] == geography.ZHEJIANG)]
    return None if rows.empty else int(rows.sort_values("year")["value"].iloc[-1])


def _ranked(top: pd.DataFrame, ties: str) -> pd.Series:
    """Rank 1 = highest index among the county units scored that year."""
    return top.groupby("year")["index"].rank(method=ties, ascending=False)


def score_table(
    result: IndexResult, domains: pd.DataFrame, n_tier: int | None, names: dict[str, str]
) -> pd.DataFrame:
    """One row a scored county-year: index, rank, how many ranked, tier, domain scores."""
    s = result.scores.astype({"region": str, "node": str})
    s = s[s["score"].notna() & ~s["region"].isin([geography.ZHEJIANG, base_rule.BASE_REGION])]
    top = s[s["level"] == 3][["region", "year", "score"]]
    top = top.rename(columns={"region": "county_code", "score": "index"})
    top["rank"] = _ranked(top, result.method.ties)
    top["n_ranked"] = top.groupby("year")["county_code"].transform("size")
    if n_tier:
        tiered = assign_tiers(
            top.rename(columns={"index": "score"}), TierRule.top_n(n_tier, TIERS), by=("year",)
        )
        top["tier"] = tiered["tier"].to_numpy()
    else:
        top["tier"] = None
    dom = s[s["level"] == 2].pivot(index=["region", "year"], columns="node", values="score")
    dom = dom.reindex(columns=list(domains["code"])).rename(
        columns=dict(zip(domains["code"], domains["domain"], strict=True))
    )
    out = top.merge(dom, left_on=["county_code", "year"], right_index=True, how="left")
    out.insert(1, "name", out["county_code"].map(names))
    return out.sort_values(["year", "rank"]).reset_index(drop=True)


def province_scores(result: IndexResult) -> pd.DataFrame:
    """The province's own index (scored against its own bases, never ranked)."""
    s = result.scores.astype({"region": str})
    s = s[(s["level"] == 3) & (s["region"] == geography.ZHEJIANG) & s["score"].notna()]
    return s.rename(columns={"region": "county_code", "score": "index"}).assign(rank=None)[
        ["county_code", "year", "index", "rank"]
    ]


def full_index(
    *,
    county: str,
    values: pd.DataFrame,
    observations: pd.DataFrame,
    best: pd.DataFrame,
    indicators: pd.DataFrame,
    domains: pd.DataFrame,
    extensive: set[str],
    framework_dir: Path,
    base_year: int,
    draws: int = DRAWS,
    seed: int = SEED,
) -> FullIndex:
    """Everything chapter 07 shows; where coverage allows nothing, the coverage says why.

    `values`: the Study's indicator values; `observations`: every raw row (the published
    index figures are listed from them, each with its source); `best`: the Study's selection
    (the size of the first tier)."""
    how = method(base_year)
    who = names(framework_dir)
    taking = prepare(values, indicators, framework_dir)
    regions = sorted(set(taking["county_code"]))
    bases = base_rule.base_table(
        taking, regions, reference=geography.ZHEJIANG, base_year=base_year, extensive=extensive
    )
    domain_of = dict(zip(indicators["code"], indicators["domain"], strict=True))
    informative = base_rule.informative(taking, bases, domain_of, base_year)
    scored = base_rule.as_ratios(informative, bases, base_year)
    places = scored[scored["region"] != base_rule.BASE_REGION]
    cov, elig = full_coverage.coverage(places, indicators, domains, framework_dir)
    ok = elig[elig["eligible"]][["county_code", "year"]].rename(columns={"county_code": "region"})
    use = places.merge(ok, on=["region", "year"])
    pub = reconciliation.published(observations, values, len(indicators), framework_dir)
    n_tier = tier_size(best)
    needed = weight_recovery.ROWS_PER_WEIGHT * len(indicators)
    common = {"county": county, "method": how, "bases": bases, "coverage": cov, "eligible": elig}
    common |= {"published": pub, "tier_size": n_tier, "recovery_needed": needed}
    if use.empty:
        table = pd.DataFrame(columns=TABLE_COLUMNS)
        rec = reconciliation.reconcile(pub, table, None, elig, who)
        return FullIndex(table=table, reconciliation=rec, recovery_rows=0, **common)
    # The province is scored (its values are the references) but never ranked.
    anchors = scored[scored["region"].isin([geography.ZHEJIANG, base_rule.BASE_REGION])]
    engine_values = pd.concat([use, anchors], ignore_index=True)
    result = build_index(engine_values, from_registry(indicators, domains), how)
    table = score_table(result, domains, n_tier, who)
    fit, weights, n_rows, needed = weight_recovery.recover(result, pub, indicators, seed)
    rebuilt = (
        _ranked_rebuild(weight_recovery.rebuild(engine_values, result, fit, domains, how), how)
        if fit is not None
        else None
    )
    rec = reconciliation.reconcile(
        pub, pd.concat([table, province_scores(result)]), rebuilt, elig, who
    )
    latest = int(table["year"].max())
    intervals = (
        full_standing.rank_intervals(engine_values, result, how, latest, draws, seed, who)
        if draws
        else None
    )
    mine = table[table["county_code"] == county]
    drv = (
        full_standing.drivers(result, county, int(mine["year"].max()), indicators)
        if len(mine)
        else None
    )
    return FullIndex(
        table=table,
        reconciliation=rec,
        recovery_rows=n_rows,
        result=result,
        fit=fit,
        weights=weights,
        intervals=intervals,
        drivers=drv,
        engine_values=engine_values,
        draws=draws,
        **common,
    )


def _ranked_rebuild(rebuilt: pd.DataFrame, how: IndexMethod) -> pd.DataFrame:
    """The rebuilt index ranked among the county units only (the province is never ranked)."""
    counties = rebuilt[~rebuilt["county_code"].isin([geography.ZHEJIANG, base_rule.BASE_REGION])]
    ranked = counties.rename(columns={"rebuilt": "index"})
    counties = counties.assign(rebuilt_rank=_ranked(ranked, how.ties).to_numpy())
    return pd.concat([counties, rebuilt[rebuilt["county_code"] == geography.ZHEJIANG]])

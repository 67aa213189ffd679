"""The full index, for every county-year whose data allow it, and its check against what was
published: the Study's `full_index` stage.

Which method makes it. Where the Study's `identification` stage found the report's method (a
candidate that reproduces the published index within rounding, no distinct rival doing so
too), the index, domain scores, ranks, tiers, drivers and rank intervals are that method's
with the weights it was fitted with (`Identification.scores`, `zjinnov.engine.identified`),
on the report's own figures; a county-year it cannot score (an indicator missing) has none.
Otherwise (no report to identify it from, or no candidate reproduces it) they are the
registry's method with the registry's weights, this study's assumption (`used` says which:
a candidate's name, or `REGISTRY`):

- indicator values from the Study's `values` stage, for the county units of each year and the
  province (`full_coverage.taking_part`);
- each indicator as 100 × value / base by the one base rule (`zjinnov.study.bases`): the
  province's base-year value (else its earliest), the county's own for counts and amounts; a
  domain that carries no information in a county-year is left out of it;
- a county-year is scored when every domain meets its coverage rule (`full_coverage`);
- domains and index by weighted arithmetic means.

Either way: rank 1 = highest among the county units scored that year (ties share the best
rank); tier 1 = the first N ranks, N the size of the first tier as last published (the
official tier rule is not public: an assumption, logged). Then the published index and ranks
beside the recomputed ones (`reconciliation`), the study county's drivers and every county's
rank interval (`full_standing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zjinnov.data import geography
from zjinnov.engine import identified
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.identify import INDEX
from zjinnov.engine.index import IndexMethod, IndexResult, build_index
from zjinnov.engine.tiers import TierRule, assign_tiers
from zjinnov.study import bases as base_rule
from zjinnov.study import full_coverage, full_standing, reconciliation
from zjinnov.study.identification import Found

TIERS = ("tier_first", "tier_other")  # vocabulary keys (labels table, group `term`)
REGISTRY = "registry_assumed"  # vocabulary key: the registry's method and weights, assumed
FIRST_TIER_SIZE = "first_tier_size"
DRAWS, SEED = 10_000, 20250101
TABLE_COLUMNS = ["county_code", "name", "year", "index", "rank", "n_ranked", "tier"]


@dataclass
class FullIndex:
    county: str
    method: IndexMethod  # the registry's method (the assumption where none is found)
    used: str  # the method the index is made by: the candidate found, else REGISTRY
    found: Found  # the identification stage's result
    bases: pd.DataFrame  # the one base rule, per county unit (and the province) and indicator
    coverage: pd.DataFrame  # county_code, year, domain, present, total, share, min_coverage, meets
    eligible: pd.DataFrame  # county_code, year, eligible, short (domains below the rule)
    table: pd.DataFrame  # scored county-years: index, rank, n_ranked, tier, one column a domain
    published: pd.DataFrame  # every published index and rank, one row a figure
    reconciliation: pd.DataFrame
    tier_size: int | None
    result: IndexResult | None = None  # the registry's method, where it is the one used
    intervals: pd.DataFrame | None = None  # rank intervals, latest year
    drivers: pd.DataFrame | None = None  # the study county's indicators, its latest year
    weights: pd.Series | None = None  # effective weight of each indicator in the method used
    engine_values: pd.DataFrame | None = None  # what the registry's method scored
    draws: int = 0

    @property
    def identified(self) -> bool:
        """The index is made by the method identified from the published index."""
        return self.used != REGISTRY


def method(base_year: int) -> IndexMethod:
    """Every indicator against its base (carried as a ratio against the pseudo-region of ones)."""
    return base_rule.method("registry", base_year)


def names(framework_dir: Path) -> dict[str, str]:
    """Code -> name of every unit (its current name for a renamed one), city and the province."""
    t = geography.load_counties(framework_dir)
    return {**dict(zip(t["code"], t["name"], strict=True)), **geography.region_names(framework_dir)}


def tier_size(best: pd.DataFrame) -> int | None:
    """The size of the first tier as last published for the province (None if never)."""
    rows = best[(best["variable"] == FIRST_TIER_SIZE) & (best["county_code"] == geography.ZHEJIANG)]
    return None if rows.empty else int(rows.sort_values("year")["value"].iloc[-1])


def _ranked(top: pd.DataFrame, ties: str) -> pd.Series:
    """Rank 1 = highest index among the county units scored that year."""
    return top.groupby("year")["index"].rank(method=ties, ascending=False)


def rank_table(
    index: pd.DataFrame,
    domain_scores: pd.DataFrame,
    domains: pd.DataFrame,
    n_tier: int | None,
    names: dict[str, str],
    ties: str = "min",
) -> pd.DataFrame:
    """One row a scored county-year: index, rank, how many ranked, tier, domain scores.
    `index`: county_code, year, index of the county units; `domain_scores`: county_code,
    year, node (a domain code), score."""
    top = index[["county_code", "year", "index"]].reset_index(drop=True)
    top["rank"] = _ranked(top, ties)
    top["n_ranked"] = top.groupby("year")["county_code"].transform("size")
    if n_tier:
        tiered = assign_tiers(
            top.rename(columns={"index": "score"}), TierRule.top_n(n_tier, TIERS), by=("year",)
        )
        top["tier"] = tiered["tier"].to_numpy()
    else:
        top["tier"] = None
    dom = domain_scores.pivot_table(
        index=["county_code", "year"], columns="node", values="score", aggfunc="first"
    )
    dom = dom.reindex(columns=list(domains["code"])).rename(
        columns=dict(zip(domains["code"], domains["domain"], strict=True))
    )
    out = top.merge(dom, left_on=["county_code", "year"], right_index=True, how="left")
    out.insert(1, "name", out["county_code"].map(names))
    return out.sort_values(["year", "rank"]).reset_index(drop=True)


def score_table(
    result: IndexResult, domains: pd.DataFrame, n_tier: int | None, names: dict[str, str]
) -> pd.DataFrame:
    """The registry method's scores as a rank table (the province and the bases left out)."""
    s = result.scores.astype({"region": str, "node": str})
    s = s[s["score"].notna() & ~s["region"].isin([geography.ZHEJIANG, base_rule.BASE_REGION])]
    s = s.rename(columns={"region": "county_code"})
    top = s[s["level"] == 3].rename(columns={"score": "index"})
    return rank_table(top, s[s["level"] == 2], domains, n_tier, names, result.method.ties)


def province_scores(result: IndexResult) -> pd.DataFrame:
    """The province's own index (scored against its own bases, never ranked)."""
    s = result.scores.astype({"region": str})
    s = s[(s["level"] == 3) & (s["region"] == geography.ZHEJIANG) & s["score"].notna()]
    return s.rename(columns={"region": "county_code", "score": "index"}).assign(rank=None)[
        ["county_code", "year", "index", "rank"]
    ]


def found_tables(
    found: Found, domains: pd.DataFrame, n_tier: int | None, names: dict, framework_dir: Path
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The identified method's rank table of the county units, and the province's index."""
    s = found.identification.scores().rename(columns={"region": "county_code"})
    s = s.assign(county_code=s["county_code"].astype(str), year=s["year"].astype(int))
    units = full_coverage.units_by_year(sorted(s["year"].unique()), framework_dir)
    mine = s.merge(units, on=["county_code", "year"])
    top = mine[mine["node"] == INDEX].rename(columns={"score": "index"})
    table = rank_table(top, mine[mine["node"] != INDEX], domains, n_tier, names)
    prov = s[(s["node"] == INDEX) & (s["county_code"] == geography.ZHEJIANG)]
    prov = prov.rename(columns={"score": "index"}).assign(rank=None)
    return table, prov[["county_code", "year", "index", "rank"]].reset_index(drop=True)


def full_index(
    *,
    county: str,
    values: pd.DataFrame,
    best: pd.DataFrame,
    found: Found,
    indicators: pd.DataFrame,
    domains: pd.DataFrame,
    extensive: set[str],
    framework_dir: Path,
    base_year: int,
    draws: int = DRAWS,
    seed: int = SEED,
) -> FullIndex:
    """Everything chapter 07 shows; where coverage allows nothing, the coverage says why.

    `values`: the Study's indicator values; `best`: the Study's selection (the size of the
    first tier); `found`: the identification stage (the published index figures, each with
    its source, and the method found, if any)."""
    how = method(base_year)
    who = names(framework_dir)
    taking = full_coverage.taking_part(values, indicators, framework_dir)
    regions = sorted(set(taking["county_code"]))
    bases = base_rule.base_table(
        taking, regions, reference=geography.ZHEJIANG, base_year=base_year, extensive=extensive
    )
    domain_of = dict(zip(indicators["code"], indicators["domain"], strict=True))
    informative = base_rule.informative(taking, bases, domain_of, base_year)
    scored = base_rule.as_ratios(informative, bases, base_year)
    places = scored[scored["region"] != base_rule.BASE_REGION]
    cov, elig = full_coverage.coverage(places, indicators, domains, framework_dir)
    pub = found.published
    n_tier = tier_size(best)
    common = {"county": county, "method": how, "found": found, "bases": bases, "coverage": cov}
    common |= {"eligible": elig, "published": pub, "tier_size": n_tier, "draws": draws}
    if found.method is not None:
        return _identified(common, found, domains, indicators, who, framework_dir, seed)
    ok = elig[elig["eligible"]][["county_code", "year"]].rename(columns={"county_code": "region"})
    use = places.merge(ok, on=["region", "year"])
    if use.empty:
        table = pd.DataFrame(columns=TABLE_COLUMNS)
        rec = reconciliation.reconcile(pub, table, elig, who)
        return FullIndex(used=REGISTRY, table=table, reconciliation=rec, **common)
    # The province is scored (its values are the references) but never ranked.
    anchors = scored[scored["region"].isin([geography.ZHEJIANG, base_rule.BASE_REGION])]
    engine_values = pd.concat([use, anchors], ignore_index=True)
    result = build_index(engine_values, from_registry(indicators, domains), how)
    table = score_table(result, domains, n_tier, who)
    rec = reconciliation.reconcile(pub, pd.concat([table, province_scores(result)]), elig, who)
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
        used=REGISTRY,
        table=table,
        reconciliation=rec,
        result=result,
        intervals=intervals,
        drivers=drv,
        weights=result.hierarchy.effective_weights(),
        engine_values=engine_values,
        **common,
    )


def _identified(common, found, domains, indicators, who, framework_dir, seed) -> FullIndex:
    """The index, ranks, drivers and intervals by the identified method and its weights."""
    table, prov = found_tables(found, domains, common["tier_size"], who, framework_dir)
    rec = reconciliation.reconcile(
        common["published"], pd.concat([table, prov]), common["eligible"], who
    )
    ident, draws, county = found.identification, common["draws"], common["county"]
    scores, weights = identified.indicator_scores(ident)
    intervals = drivers = None
    if len(table):
        latest = int(table["year"].max())
        units = table[table["year"] == latest]["county_code"]
        if draws:
            intervals = full_standing.found_rank_intervals(ident, units, latest, draws, seed, who)
        mine = table[table["county_code"] == county]
        if len(mine):
            year = int(mine["year"].max())
            units = table[table["year"] == year]["county_code"]
            drivers = full_standing.found_drivers(scores, weights, county, year, units, indicators)
    return FullIndex(
        used=found.method,
        table=table,
        reconciliation=rec,
        intervals=intervals,
        drivers=drivers,
        weights=weights,
        **common,
    )

"""A partial index for one county from the indicators that are public, never the official one.

Every indicator the county has is scored against its base by the one base rule
(`zjinnov.study.bases`: the province's base-year value, else its earliest; the county's own for
counts and amounts and for what the province does not publish). An indicator that carries no
information in a year (scored against the county's own value of that same year: 100 by
construction) is left out of that year, and so is a domain left with no indicator. Missing indicators drop out and the weights of the present ones are
renormalised within each domain, then across domains, so every score stands next to its
coverage: how many of the registry's indicators and which domains it rests on.

One definition serves the county chapter (which shows the index) and the robustness audit
(which varies it): both take the Study's `partial` stage, its method, tree and engine input.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from zjinnov.engine.hierarchy import Hierarchy, from_registry
from zjinnov.engine.index import IndexMethod, IndexResult, build_index
from zjinnov.study import bases as base_rule

COVERAGE_COLUMNS = [
    "year",
    "index",
    "n_indicators",
    "n_registry",
    "indicators",
    "n_domains",
    "domains",
]
AGGREGATION = "arithmetic"


@dataclass(frozen=True)
class PartialIndex:
    """The county's partial index: its bases, the values scored, the engine's result, coverage."""

    bases: pd.DataFrame  # indicator, base_value, base_region, base_year, source_ids, rule
    values: pd.DataFrame  # the county's indicator values that are scored (informative ones)
    result: IndexResult | None  # None when the county has no public indicator value
    coverage: pd.DataFrame  # per year: index, indicators and domains it rests on

    @property
    def available(self) -> bool:
        return self.result is not None and len(self.coverage) > 0


def method(base_year: int) -> IndexMethod:
    """Every indicator against its base, renormalised over what is there (the one method)."""
    return base_rule.method("partial-public", base_year)


def tree(indicators: pd.DataFrame, domains: pd.DataFrame) -> Hierarchy:
    return from_registry(
        indicators, domains.assign(aggregation=AGGREGATION), root_aggregation=AGGREGATION
    )


def partial_index(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    indicators: pd.DataFrame,
    domains: pd.DataFrame,
    county: str,
    base_year: int,
) -> PartialIndex:
    """The county's partial index from its indicator values and its bases (the one rule)."""
    domain_of = dict(zip(indicators["code"], indicators["domain"], strict=True))
    own = values[values["county_code"] == county]
    scored = base_rule.informative(
        own, bases.assign(region=county), domain_of, base_year, level="indicator"
    )
    bases = bases.drop(columns="region", errors="ignore")
    if scored.empty:
        return PartialIndex(bases, scored, None, pd.DataFrame(columns=COVERAGE_COLUMNS))
    engine = base_rule.with_bases(scored, county, {base_rule.BASE_REGION: bases}, base_year)
    result = build_index(engine, tree(indicators, domains), method(base_year))
    return PartialIndex(bases, scored, result, coverage(result, indicators, domains, county))


def coverage(
    result: IndexResult, indicators: pd.DataFrame, domains: pd.DataFrame, county: str
) -> pd.DataFrame:
    """Per year: the index, how many of the registry's indicators it rests on, which (a list
    of codes) and in which domains (a list of names)."""
    s = result.scores
    s = s[(s["region"] == county) & s["score"].notna()]
    dom_name = dict(zip(domains["code"], domains["domain"], strict=True))
    rows = []
    for year, grp in s.groupby("year"):
        leaves = grp[grp["level"] == 1]
        doms = grp[grp["level"] == 2]
        top = grp[grp["level"] == grp["level"].max()]
        rows.append(
            {
                "year": int(year),
                "index": float(top["score"].iloc[0]) if len(top) else float("nan"),
                "n_indicators": len(leaves),
                "n_registry": len(indicators),
                "indicators": sorted(map(str, leaves["node"])),
                "n_domains": len(doms),
                "domains": [dom_name.get(str(d), str(d)) for d in doms["node"]],
            }
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)

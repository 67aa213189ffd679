"""A partial index for one county from the indicators that are public, never the official one.

Each indicator is scored as 100 · value / base. The base is the province's value in the base
year (2015) where that is public; otherwise the county's own earliest published value, and the
table of bases says which. Missing indicators drop out and the weights of the present ones
are renormalised within each domain, then across domains, so every score stands next to its
coverage: how many of the registry's indicators and which domains it rests on.
"""

from __future__ import annotations

import pandas as pd

from zjinnov import config
from zjinnov.hierarchy import from_registry
from zjinnov.index import IndexMethod, IndexResult, build_index

BASE_UNIT = "base"  # a pseudo-unit that carries the chosen base values into the engine


def base_table(
    values: pd.DataFrame,
    county: str | None = None,
    province: str = config.ZHEJIANG,
    base_year: int = 2015,
) -> pd.DataFrame:
    """The base value of every indicator the county has, with where it came from."""
    county = county or config.county_code()
    own = values[values["county_code"] == county]
    prov = values[(values["county_code"] == province) & (values["year"] == base_year)].set_index(
        "indicator"
    )
    rows = []
    for code, grp in own.groupby("indicator", sort=True):
        if code in prov.index and pd.notna(prov.at[code, "value"]):
            rows.append(
                (
                    code,
                    prov.at[code, "value"],
                    province,
                    base_year,
                    prov.at[code, "source_ids"],
                    "province",
                )
            )
        else:
            first = grp.sort_values("year").iloc[0]
            rows.append(
                (
                    code,
                    first["value"],
                    county,
                    int(first["year"]),
                    first["source_ids"],
                    "own_earliest",
                )
            )
    cols = ["indicator", "base_value", "base_unit", "base_year", "source_ids", "rule"]
    return pd.DataFrame(rows, columns=cols)


COVERAGE_COLUMNS = [
    "year",
    "index",
    "n_indicators",
    "n_registry",
    "indicators",
    "n_domains",
    "domains",
]


def partial_index(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    domains: pd.DataFrame,
    county: str | None = None,
    bases: pd.DataFrame | None = None,
    aggregation: str = "arithmetic",
) -> tuple[IndexResult | None, pd.DataFrame]:
    """Scores of the county's partial index and its coverage, year by year.

    Returns the engine's result (every node) and a coverage table: per year, the index,
    how many indicators it rests on, of how many in the registry, and which domains.
    """
    county = county or config.county_code()
    bases = base_table(values, county) if bases is None else bases
    own = values.loc[values["county_code"] == county, ["county_code", "year", "indicator", "value"]]
    if own.empty:
        # Nothing public to score: no result, and an empty coverage table says so.
        return None, pd.DataFrame(columns=COVERAGE_COLUMNS)
    pseudo = pd.DataFrame(
        {
            "county_code": BASE_UNIT,
            "year": 2015,
            "indicator": bases["indicator"],
            "value": bases["base_value"],
        }
    )
    doms = domains.assign(aggregation=aggregation)
    hierarchy = from_registry(indicators, doms, root_aggregation=aggregation)
    method = IndexMethod(
        label="partial-public",
        normaliser="base_ratio",
        base_year=2015,
        base_unit=BASE_UNIT,
        aggregation=None,
        missing="renormalise",
    )
    result = build_index(pd.concat([own, pseudo], ignore_index=True), hierarchy, method)
    return result, coverage(result, indicators, domains, county)


def coverage(
    result: IndexResult, indicators: pd.DataFrame, domains: pd.DataFrame, county: str
) -> pd.DataFrame:
    s = result.scores
    s = s[(s["unit"] == county) & s["score"].notna()]
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
                "indicators": ", ".join(sorted(map(str, leaves["node"]))),
                "n_domains": len(doms),
                "domains": "、".join(dom_name.get(str(d), str(d)) for d in doms["node"]),
            }
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)

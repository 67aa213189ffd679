"""A partial index for one county from the indicators that are public, never the official one.

Each indicator is scored as 100 · value / base. The base is the province's value in the base
year (2015) where that is public; otherwise the province's earliest published value (the score
still reads "relative to the province", only from a later year). Counts and amounts, which
scale with a place's size, and indicators the province does not publish take the county's own
2015 (or earliest) value. The table of bases says which, and the year. Missing indicators drop
out and the weights of the present ones are renormalised within each domain, then across
domains, so every score stands next to its coverage: how many of the registry's indicators
and which domains it rests on.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import config, geography
from zjinnov.data.framework import extensive_codes
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.index import IndexMethod, IndexResult, build_index

BASE_UNIT = "base"  # a pseudo-unit that carries the chosen base values into the engine


def base_table(
    values: pd.DataFrame,
    county: str | None = None,
    province: str = geography.ZHEJIANG,
    base_year: int = 2015,
    extensive: set[str] = frozenset(),
) -> pd.DataFrame:
    """The base value of every indicator the county has, with where it came from.

    Extensive indicators (counts, amounts: `extensive`) are never put against the province's
    total; they take the county's own base-year (or earliest) value.
    """
    county = county or config.county_code()

    def first_years(frame: pd.DataFrame) -> pd.DataFrame:
        # The base year if present, else the earliest year: one row per indicator.
        frame = frame.assign(late=frame["year"] != base_year).sort_values(["late", "year"])
        return frame.drop_duplicates("indicator").set_index("indicator")

    present = values[values["value"].notna()]
    own = first_years(present[present["county_code"] == county])
    prov = first_years(
        present[(present["county_code"] == province) & ~present["indicator"].isin(extensive)]
    )
    rows = []
    for code in own.index.sort_values():
        use, unit, rule = (
            (prov, province, "province") if code in prov.index else (own, county, "own")
        )
        row = use.loc[code]
        year = int(row["year"])
        rows.append(
            (
                code,
                row["value"],
                unit,
                year,
                row["source_ids"],
                rule if year == base_year else f"{rule}_earliest",
            )
        )
    cols = ["indicator", "base_value", "base_region", "base_year", "source_ids", "rule"]
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
    if bases is None:
        bases = base_table(values, county, extensive=extensive_codes(indicators))
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
        base_region=BASE_UNIT,
        aggregation=None,
        missing="renormalise",
    )
    result = build_index(pd.concat([own, pseudo], ignore_index=True), hierarchy, method)
    return result, coverage(result, indicators, domains, county)


def coverage(
    result: IndexResult, indicators: pd.DataFrame, domains: pd.DataFrame, county: str
) -> pd.DataFrame:
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
                "indicators": ", ".join(sorted(map(str, leaves["node"]))),
                "n_domains": len(doms),
                "domains": "、".join(dom_name.get(str(d), str(d)) for d in doms["node"]),
            }
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)

"""A partial index for one county from the indicators that are public, never the official one.

Each indicator is scored as 100 · value / base. The base is the reference region's value in
the base year (2015) where that is public; otherwise the reference region's earliest
published value (the score still reads "relative to the reference", only from a later year).
The reference is the province. Counts and amounts, which scale with a place's size, and
indicators the reference does not publish take the county's own 2015 (or earliest) value.
The table of bases says which, and the year. Missing indicators drop out and the weights of
the present ones are renormalised within each domain, then across domains, so every score
stands next to its coverage: how many of the registry's indicators and which domains it
rests on.

One definition serves the county chapter (which shows the index) and the robustness chapter
(which audits it): both go through `engine_values`, the one place that turns the county's
values and a set of bases into the engine's input, and `METHOD`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from zjinnov.data import geography
from zjinnov.data.framework import extensive_codes
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.index import IndexMethod, IndexResult, build_index
from zjinnov.engine.robustness import engine_values as region_values

BASE_REGION = "base"  # a pseudo-region that carries the chosen base values into the engine
BASE_YEAR = 2015
# The partial index's method: every indicator against its base, renormalised over what is there.
METHOD = IndexMethod(
    label="partial-public",
    normaliser="base_ratio",
    base_year=BASE_YEAR,
    base_region=BASE_REGION,
    aggregation=None,
    missing="renormalise",
)
BASE_COLUMNS = ["indicator", "base_value", "base_region", "base_year", "source_ids", "rule"]


def base_table(
    values: pd.DataFrame,
    county: str,
    reference: str | None = geography.ZHEJIANG,
    base_year: int = BASE_YEAR,
    extensive: set[str] = frozenset(),
) -> pd.DataFrame:
    """The base value of every indicator the county has, with where it came from.

    `reference` is the region whose base-year (else earliest) value anchors an indicator
    (rule `reference` / `reference_earliest`); `None` anchors every indicator on the county's
    own values. Extensive indicators (counts, amounts: `extensive`) are never put against
    another region's total: they take the county's own base-year or earliest value (rule
    `own` / `own_earliest`).
    """

    def first_years(frame: pd.DataFrame) -> pd.DataFrame:
        # The base year if present, else the earliest year: one row per indicator.
        frame = frame.assign(late=frame["year"] != base_year).sort_values(["late", "year"])
        return frame.drop_duplicates("indicator").set_index("indicator")

    present = values[values["value"].notna()]
    own = first_years(present[present["county_code"] == county])
    ref = first_years(
        present[(present["county_code"] == reference) & ~present["indicator"].isin(extensive)]
    )
    rows = []
    for code in own.index.sort_values():
        use, region, rule = (
            (ref, reference, "reference") if code in ref.index else (own, county, "own")
        )
        row = use.loc[code]
        year = int(row["year"])
        rule = rule if year == base_year else f"{rule}_earliest"
        rows.append((code, row["value"], region, year, row["source_ids"], rule))
    return pd.DataFrame(rows, columns=BASE_COLUMNS)


def engine_values(
    values: pd.DataFrame, county: str, bases: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    """The county's indicator values and, for each named set of bases, a pseudo-region holding
    them in the base year: the engine's input (region, year, indicator, value).

    The partial index uses one set (`BASE_REGION`); the robustness chapter adds others under
    other names and moves `IndexMethod.base_region` between them.
    """
    own = region_values(values, [county])
    pseudo = [
        pd.DataFrame(
            {
                "region": name,
                "year": BASE_YEAR,
                "indicator": b["indicator"],
                "value": b["base_value"],
            }
        )
        for name, b in bases.items()
    ]
    return pd.concat([own, *pseudo], ignore_index=True)


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
    county: str,
    bases: pd.DataFrame | None = None,
    aggregation: str = "arithmetic",
) -> tuple[IndexResult | None, pd.DataFrame]:
    """Scores of the county's partial index and its coverage, year by year.

    Returns the engine's result (every node; its `method` and `hierarchy` are the partial
    index's) and a coverage table: per year, the index, how many indicators it rests on, of
    how many in the registry, and which domains.
    """
    if bases is None:
        bases = base_table(values, county, extensive=extensive_codes(indicators))
    if not (values["county_code"] == county).any():
        # Nothing public to score: no result, and an empty coverage table says so.
        return None, pd.DataFrame(columns=COVERAGE_COLUMNS)
    doms = domains.assign(aggregation=aggregation)
    hierarchy = from_registry(indicators, doms, root_aggregation=aggregation)
    result = build_index(engine_values(values, county, {BASE_REGION: bases}), hierarchy, METHOD)
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

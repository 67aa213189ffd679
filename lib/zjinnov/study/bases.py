"""The one base rule: what each indicator is scored against (2015 = 100), for the partial and the
full index alike, and the one way indicator values enter the engine.

Each indicator of a region is scored as 100 · value / base. The base (`base_table`) is:
- `reference`: the reference region's (the province's) value in the base year
  (data/framework/settings.csv);
- `reference_earliest`: where the reference has none that year, its earliest published value
  (the score still reads "relative to the reference", only from another year);
- `own` / `own_earliest`: the region's own base-year value, else its earliest, for indicators
  that scale with a place's size (counts and amounts: never put against another region's
  total) and for indicators the reference does not publish.
Only a positive value can be a base. The table says, per region and indicator, which value,
from which region and year, and its sources.

A score against the region's own value of the same year is 100 by construction. In the base
year that is the index's definition (2015 = 100); in any other year (a base taken from the
region's earliest year, which is not the base year) it says nothing. Where every indicator a
domain has in a region-year is such a score, the domain is left out of that year
(`informative`): its weight goes to the domains that carry information, and the index says
which domains it rests on. (Within a domain that has information, such an indicator keeps its
100: dropping it would change the index the official method, as far as it is known, computes.)

Indicator values reach the engine in one shape (`to_engine`: county_code becomes the engine's
`region`), with their bases carried in one of two ways: for one county (the partial index
and its audit), the bases as pseudo-regions in the base year (`with_bases`), so that the
robustness audit can switch between sets of bases; for every county at once (the full index),
each value divided by its own base against a pseudo-region of ones (`as_ratios`), since
counties' own bases differ. The identification of the report's method (`to_identification`)
takes the values as they are, with the published index beside them: each candidate method
applies its own bases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from zjinnov.engine.index import IndexMethod

BASE_REGION = "base"  # the pseudo-region that carries the bases into the engine
RULES = ("reference", "reference_earliest", "own", "own_earliest")
BASE_COLUMNS = [
    "region",
    "indicator",
    "base_value",
    "base_region",
    "base_year",
    "source_ids",
    "rule",
]


def method(label: str, base_year: int) -> IndexMethod:
    """The index method of both indices: every indicator as 100 · value / base, the bases
    carried by the pseudo-region in the base year; missing indicators drop out and the weights
    of the others are renormalised."""
    return IndexMethod(
        label=label,
        normaliser="base_ratio",
        base_year=base_year,
        base_region=BASE_REGION,
        missing="renormalise",
    )


def base_table(
    values: pd.DataFrame,
    regions: Iterable[str],
    *,
    reference: str | None,
    base_year: int,
    extensive: Iterable[str] = (),
) -> pd.DataFrame:
    """The base of every indicator each of `regions` has a value of, and where it came from.

    `values`: indicator values (county_code, year, indicator, value, source_ids). `reference`:
    the region whose base-year (else earliest) value anchors an indicator; None anchors every
    indicator on each region's own values. `extensive`: indicators that are never put against
    another region's value.
    """
    regions = [str(r) for r in regions]
    extensive = set(extensive)
    have = values[values["value"].notna()]
    firsts = _first_years(have[have["value"] > 0], base_year)
    own = firsts[firsts["county_code"].isin(regions)]
    if own.empty:
        return pd.DataFrame(columns=BASE_COLUMNS)
    ref = firsts[(firsts["county_code"] == reference) & ~firsts["indicator"].isin(extensive)]
    ref = ref.set_index("indicator")
    anchored = own["indicator"].isin(ref.index)
    from_ref = ref.reindex(own.loc[anchored, "indicator"]).reset_index()
    from_ref.index = own.index[anchored]
    chosen = pd.concat([from_ref.assign(kind="reference"), own[~anchored].assign(kind="own")])
    chosen = chosen.loc[own.index]
    late = chosen["year"].astype(int) != base_year
    out = pd.DataFrame(
        {
            "region": own["county_code"].to_numpy(),
            "indicator": own["indicator"].to_numpy(),
            "base_value": chosen["value"].to_numpy(float),
            "base_region": chosen["county_code"].astype(str).to_numpy(),
            "base_year": chosen["year"].astype(int).to_numpy(),
            "source_ids": chosen["source_ids"].to_numpy(),
            "rule": (chosen["kind"] + late.map({True: "_earliest", False: ""})).to_numpy(),
        }
    )
    return out.sort_values(["region", "indicator"]).reset_index(drop=True)


def _first_years(values: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Per region and indicator, the base-year row if there is one, else the earliest."""
    order = values.assign(_late=values["year"].astype(int) != base_year)
    order = order.sort_values(["county_code", "indicator", "_late", "year"], kind="stable")
    return order.drop_duplicates(["county_code", "indicator"]).drop(columns="_late")


def informative(
    values: pd.DataFrame,
    bases: pd.DataFrame,
    domain_of: Mapping[str, str],
    base_year: int,
    level: str = "domain",
) -> pd.DataFrame:
    """`values` without the scores that carry no information: an indicator scored, in a year
    other than the base year, against the region's own value of that same year (100 by
    construction).

    `level="indicator"` leaves out each such indicator-year (the partial index: a summary of
    what the public figures say, to which a self-score adds nothing but weight);
    `level="domain"` only the region-years of a domain whose every indicator is such (the full
    index: a method that scores a unit created after the base year against its own first
    value, as the official index may, keeps those scores where the domain has others).
    The base year's own scores are the index's definition (base year = 100) and stay."""
    if level not in ("domain", "indicator"):
        raise ValueError(f"level must be 'domain' or 'indicator', not {level!r}")
    if values.empty or bases.empty:
        return values
    b = bases.set_index(["region", "indicator"])
    keys = pd.MultiIndex.from_arrays([values["county_code"].astype(str), values["indicator"]])
    years = values["year"].astype(int).to_numpy()
    self_based = pd.Series(
        (b["base_region"].reindex(keys).to_numpy() == keys.get_level_values(0))
        & (b["base_year"].reindex(keys).to_numpy() == years)
        & (years != base_year),
        index=values.index,
    )
    if level == "indicator":
        return values[~self_based.to_numpy(bool)]
    flags = values.assign(_domain=values["indicator"].map(domain_of), _empty=self_based)
    group = ["county_code", "year", "_domain"]
    empty = flags.groupby(group)["_empty"].transform("all")
    return values[~empty.to_numpy(bool)]


def to_engine(values: pd.DataFrame, regions: Iterable[str] | None = None) -> pd.DataFrame:
    """Indicator values in the engine's shape (region, year, indicator, value): the place's
    `county_code` becomes the engine's `region` (the measurement's own region is dropped)."""
    v = values if regions is None else values[values["county_code"].isin(list(regions))]
    out = v[["county_code", "year", "indicator", "value"]].rename(columns={"county_code": "region"})
    return out.reset_index(drop=True)


def to_identification(
    values: pd.DataFrame, published: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicator values (region, year, indicator, value) and published index figures (region,
    year, value) in the shape `zjinnov.engine.identify.identify` takes: `published` holds
    county_code, year and the printed index in `published`."""
    pub = published[["county_code", "year", "published"]].rename(
        columns={"county_code": "region", "published": "value"}
    )
    return to_engine(values), pub.reset_index(drop=True)


def with_bases(
    values: pd.DataFrame, county: str, bases: Mapping[str, pd.DataFrame], base_year: int
) -> pd.DataFrame:
    """One county's values and, for each named set of its bases, a pseudo-region holding them
    in the base year: the engine's input (the partial index uses one set, `BASE_REGION`; the
    robustness audit adds others and moves `IndexMethod.base_region` between them)."""
    pseudo = [
        pd.DataFrame(
            {
                "region": name,
                "year": base_year,
                "indicator": b["indicator"].to_numpy(),
                "value": b["base_value"].to_numpy(float),
            }
        )
        for name, b in bases.items()
    ]
    return pd.concat([to_engine(values, [county]), *pseudo], ignore_index=True)


def as_ratios(values: pd.DataFrame, bases: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Every region's values divided by its own bases, beside a pseudo-region of ones in the
    base year: the engine's 100 · value / base for many regions with different bases. A value
    without a base is left out."""
    base = bases.set_index(["region", "indicator"])["base_value"]
    keys = pd.MultiIndex.from_arrays([values["county_code"].astype(str), values["indicator"]])
    ratio = values.assign(value=values["value"].to_numpy(float) / base.reindex(keys).to_numpy())
    ratio = to_engine(ratio.dropna(subset=["value"]))
    ones = pd.DataFrame(
        {"region": BASE_REGION, "year": base_year, "indicator": sorted(set(ratio["indicator"]))}
    ).assign(value=1.0)
    return pd.concat([ratio, ones], ignore_index=True)

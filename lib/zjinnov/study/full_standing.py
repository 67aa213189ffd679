"""Where counties stand in the full index beyond their rank: the study county's drivers, and
every county's rank interval under perturbed weights, under the method the index is made by
(the registry's, assumed, or the one identified from the published index)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from zjinnov.data import geography
from zjinnov.engine import identified
from zjinnov.engine import robustness as rb
from zjinnov.engine.identify import Identification
from zjinnov.engine.index import IndexMethod, IndexResult
from zjinnov.engine.ranking import rank_along
from zjinnov.study.bases import BASE_REGION

SPREAD = 0.25  # rank intervals: each weight within ±25 % of the method's
LO, HI = 0.05, 0.95  # the rank interval's percentiles
INTERVAL_COLUMNS = [
    "county_code",
    "name",
    "year",
    "rank_nominal",
    "rank_median",
    "rank_lo",
    "rank_hi",
]


def _drivers(wide: pd.DataFrame, weight: pd.Series, county: str, indicators) -> pd.DataFrame:
    """`wide`: county units × indicator scores of one year."""
    own = wide.loc[county]
    median = wide.median()
    out = pd.DataFrame(
        {
            "indicator": own.index,
            "score": own.to_numpy(),
            "median": median.reindex(own.index).to_numpy(),
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


def drivers(result: IndexResult, county: str, year: int, indicators: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's part in the county's index against the median county: effective
    weight × (its score − the median county's score). Positive lifts, negative holds back."""
    s = result.scores.astype({"region": str, "node": str})
    places = ~s["region"].isin([geography.ZHEJIANG, BASE_REGION])
    leaf = s[(s["level"] == 1) & (s["year"] == year) & places]
    wide = leaf.pivot(index="region", columns="node", values="score")
    return _drivers(wide, result.hierarchy.effective_weights(), county, indicators)


def found_drivers(
    scores: pd.DataFrame,
    weights: pd.Series,
    county: str,
    year: int,
    units,
    indicators: pd.DataFrame,
) -> pd.DataFrame:
    """The drivers under the identified method: its indicator scores and weights
    (`zjinnov.engine.identified.indicator_scores`) among the county units `units`."""
    s = scores[(scores["year"] == year) & scores["region"].astype(str).isin(list(units))]
    wide = s.pivot(index="region", columns="indicator", values="score")
    wide.index = wide.index.astype(str)
    return _drivers(wide, weights, county, indicators)


def rank_intervals(
    engine_values: pd.DataFrame,
    result: IndexResult,
    method: IndexMethod,
    year: int,
    draws: int,
    seed: int,
    names: dict[str, str],
) -> pd.DataFrame:
    """5–95 % rank intervals of every county in `year` under the registry's weights
    perturbed by ±25 %."""
    v = engine_values[engine_values["year"].isin([method.base_year, year])]
    spec = rb.UncertaintySpec(rb.WeightNoise("uniform", spread=SPREAD))
    draws_u = rb.sample(spec, result.hierarchy, draws, seed)
    # The province is scored beside the counties (its values are the references), never ranked.
    mc = rb.run(v, result.hierarchy, method, spec, draws_u, reference=(geography.ZHEJIANG,))
    out = rb.summary(mc, LO, HI)
    out = out[
        (out["year"] == year)
        & ~out["region"].astype(str).isin([geography.ZHEJIANG, BASE_REGION])
        & out["rank_nominal"].notna()
    ]
    out = out.rename(columns={"region": "county_code"}).assign(
        county_code=lambda d: d["county_code"].astype(str)
    )
    out.insert(1, "name", out["county_code"].map(names))
    return out.sort_values("rank_nominal").reset_index(drop=True)


def found_rank_intervals(
    found: Identification, units, year: int, draws: int, seed: int, names: dict[str, str]
) -> pd.DataFrame:
    """5–95 % rank intervals of the county units `units` in `year` under the identified
    method, its weights perturbed by ±25 % (`zjinnov.engine.identified.perturbed_weights`)."""
    regions = np.asarray(found.panel.regions).astype(str)
    take = np.isin(regions, [str(u) for u in units])
    E = identified.perturbed_weights(found, draws, SPREAD, seed)
    nominal = identified.index_at(found, found.fits[found.verdict.method].e, year)[0, take]
    Y = identified.index_at(found, E, year)[:, take]
    R = rank_along(-Y, axis=1, method="min")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a region never scored gives NaN
        q = np.nanquantile(R, [LO, 0.5, HI], axis=0)
    out = pd.DataFrame(
        {
            "county_code": regions[take],
            "year": year,
            "rank_nominal": rank_along(-nominal, axis=0, method="min"),
            "rank_median": q[1],
            "rank_lo": q[0],
            "rank_hi": q[2],
        }
    )
    out = out[out["rank_nominal"].notna()]
    out.insert(1, "name", out["county_code"].map(names))
    return out.sort_values("rank_nominal")[INTERVAL_COLUMNS].reset_index(drop=True)

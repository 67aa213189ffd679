"""Where counties stand in the full index beyond their rank: the study county's drivers, and
every county's rank interval under perturbed weights."""

from __future__ import annotations

import pandas as pd

from zjinnov.data import geography
from zjinnov.engine import robustness as rb
from zjinnov.engine.index import IndexMethod, IndexResult
from zjinnov.study.bases import BASE_REGION

SPREAD = 0.25  # rank intervals: each weight within ±25 % of the registry's


def drivers(result: IndexResult, county: str, year: int, indicators: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's part in the county's index against the median county: effective
    weight × (its score − the median county's score). Positive lifts, negative holds back."""
    s = result.scores.astype({"region": str, "node": str})
    places = ~s["region"].isin([geography.ZHEJIANG, BASE_REGION])
    leaf = s[(s["level"] == 1) & (s["year"] == year) & places]
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
    engine_values: pd.DataFrame,
    result: IndexResult,
    method: IndexMethod,
    year: int,
    draws: int,
    seed: int,
    names: dict[str, str],
) -> pd.DataFrame:
    """5–95 % rank intervals of every county in `year` under weights perturbed by ±25 %."""
    v = engine_values[engine_values["year"].isin([method.base_year, year])]
    spec = rb.UncertaintySpec(rb.WeightNoise("uniform", spread=SPREAD))
    draws_u = rb.sample(spec, result.hierarchy, draws, seed)
    # The province is scored beside the counties (its values are the references), never ranked.
    mc = rb.run(v, result.hierarchy, method, spec, draws_u, reference=(geography.ZHEJIANG,))
    out = rb.summary(mc)
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

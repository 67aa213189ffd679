"""Weights recovered from the published index, and the index rebuilt with them.

Under arithmetic aggregation the index is a linear combination of the normalised indicators,
so where enough county-years have both their indicators and a published score from the same
report (`reconciliation.same_report`), constrained least squares gives the weights
(`zjinnov.engine.weights`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.engine import weights as wt
from zjinnov.engine.index import IndexMethod, IndexResult, build_index

ROWS_PER_WEIGHT = 3  # weight recovery needs at least this many complete rows per weight


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


def recover(result: IndexResult, pub: pd.DataFrame, indicators: pd.DataFrame, seed: int):
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
    engine_values: pd.DataFrame,
    result: IndexResult,
    fit: wt.WeightFit,
    domains: pd.DataFrame,
    method: IndexMethod,
) -> pd.DataFrame:
    """The index rebuilt with the recovered weights: county_code, year, rebuilt, rebuilt_rank."""
    code_of = dict(zip(domains["domain"], domains["code"], strict=True))
    w = dict(zip(fit.weights["indicator"], fit.weights["within"].fillna(0.0), strict=True))
    w |= {
        code_of[g]: float(v) for g, v in zip(fit.groups["group"], fit.groups["weight"], strict=True)
    }
    again = build_index(engine_values, result.hierarchy.with_weights(w), method)
    s = again.scores.astype({"region": str})
    s = s[(s["level"] == 3) & s["score"].notna()]
    return s.rename(columns={"region": "county_code", "score": "rebuilt", "rank": "rebuilt_rank"})[
        ["county_code", "year", "rebuilt", "rebuilt_rank"]
    ]

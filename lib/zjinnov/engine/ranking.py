"""Ranks and standings: ranks along one axis with missing values left out, and where one unit
stands among the others (rank, percentile, median).

`rank_along` gives what `scipy.stats.rankdata(..., nan_policy="omit")` gives, computed by
pandas: importing scipy.stats costs about 1.4 s in every process (each notebook's kernel, each
test worker), and ranking is all the engine wants of it. `standing` and `standings` are the one
definition of a unit's rank and percentile among others, for every chapter and map."""

from __future__ import annotations

import numpy as np
import pandas as pd

# scipy's tie methods by their pandas names ("ordinal": ties in order of appearance).
_PANDAS_METHOD = {
    "average": "average",
    "min": "min",
    "max": "max",
    "dense": "dense",
    "ordinal": "first",
}
METHODS = tuple(_PANDAS_METHOD)


def rank_along(x, axis: int, method: str = "average") -> np.ndarray:
    """Rank 1 = smallest along `axis`; NaN stays NaN and is not counted; ties by `method`."""
    if method not in _PANDAS_METHOD:
        raise ValueError(f"unknown tie method {method!r} (one of {', '.join(METHODS)})")
    moved = np.moveaxis(np.asarray(x, dtype=float), axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    ranks = pd.DataFrame(flat).rank(axis=1, method=_PANDAS_METHOD[method], na_option="keep")
    return np.moveaxis(ranks.to_numpy(dtype=float).reshape(moved.shape), -1, axis)


def standing(values: pd.Series, code: str, higher_is_better: bool = True) -> dict:
    """Rank (1 = best, ties share the best place), n, and percentile of one unit.

    Percentile = share of the other units the unit is ahead of, ties counted half
    (100 = best, 0 = worst). A unit without a value gets rank and percentile NaN.
    """
    values = values.dropna()
    n = len(values)
    if code not in values.index:
        return {"rank": np.nan, "n": n, "percentile": np.nan, "value": np.nan}
    v = values[code]
    better = (values > v) if higher_is_better else (values < v)
    ties = (values == v).sum() - 1
    worse = n - 1 - better.sum() - ties
    pct = 100.0 * (worse + 0.5 * ties) / (n - 1) if n > 1 else np.nan
    return {"rank": int(better.sum()) + 1, "n": n, "percentile": pct, "value": float(v)}


def standings(
    table: pd.DataFrame, code: str, complete_n: int | None = None, lower_is_better=()
) -> pd.DataFrame:
    """Per variable of a long table (county_code, variable, value): the unit's standing.

    `complete` marks variables observed for at least `complete_n` units (default: every unit
    the table names); only those give a rank "among all the units".
    """
    if complete_n is None:
        complete_n = table["county_code"].nunique()
    rows = []
    for variable, part in table.dropna(subset=["value"]).groupby("variable", sort=False):
        values = part.set_index("county_code").value
        s = standing(values, code, higher_is_better=variable not in set(lower_is_better))
        rows.append({"variable": variable, **s, "median": float(values.median())})
    out = pd.DataFrame(rows, columns=["variable", "rank", "n", "percentile", "value", "median"])
    out["complete"] = out.n >= complete_n
    out["rank"] = out["rank"].astype("Int64")
    return out

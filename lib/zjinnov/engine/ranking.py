"""Ranks along one axis with missing values left out, as `scipy.stats.rankdata(...,
nan_policy="omit")` gives them, computed by pandas: importing scipy.stats costs about 1.4 s in
every process (each notebook's kernel, each test worker), and ranking is all the engine wants
of it."""

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

"""Checks against the NBS China Innovation Index (中国创新指数), the national 2015 = 100 analogue.

Published method (关晓静、林梅; NBS releases): four domains 创新环境、创新投入、创新产出、
创新成效; each domain chained on the weighted growth of its indicators,
D_t = D_{t-1}·Σ w_i·x_{i,t} / x_{i,t-1}, D_base = 100; the total is the equal-weight mean of
the four domains. Only the published domain and total values are public, so what can be
checked is (a) total = mean of domains in every year with all four, and (b) the chained
normaliser on examples worked by hand (see `tests/test_cii_reference.py`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

DOMAINS = {
    "innovation_environment": "创新环境",
    "innovation_input": "创新投入",
    "innovation_output": "创新产出",
    "innovation_effect": "创新成效",
}


def load(path: Path | str) -> pd.DataFrame:
    return pd.read_csv(path)


def total_vs_domains(cii: pd.DataFrame, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Per year with all four domains: published total, weighted mean of domains, difference."""
    weights = weights or dict.fromkeys(DOMAINS, 0.25)
    cols = list(weights)
    full = cii.dropna(subset=cols + ["CII_total"])
    w = np.array([weights[c] for c in cols]) / sum(weights.values())
    mean = full[cols].to_numpy(float) @ w
    return pd.DataFrame(
        {
            "year": full["year"].to_numpy(),
            "base": full["base"].to_numpy(),
            "total": full["CII_total"].to_numpy(float),
            "mean_domains": mean,
            "diff": full["CII_total"].to_numpy(float) - mean,
        }
    )


def rounding_tolerance(decimals: int = 1) -> float:
    """Largest |published total − mean of published domains| that rounding alone explains.

    Each of the four domains and the total are rounded to `decimals`: the mean of four rounded
    values is off by at most half a unit, and the rounded total by another half.
    """
    return 10.0**-decimals

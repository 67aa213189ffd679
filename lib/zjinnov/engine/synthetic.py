"""Synthetic county panels for tests and benchmarks only (fixed seed); never for the book.

The study's real data are a handful of indicators; the engine and the robustness machinery
are exercised at the size of the official tables (90 regions × 34 indicators) on these.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zjinnov.engine.hierarchy import Hierarchy, from_registry


@dataclass(frozen=True)
class Panel:
    values: pd.DataFrame  # long: region, year, indicator, value (missing cells dropped)
    hierarchy: Hierarchy
    groups: pd.Series  # region -> group, for group-mean imputation
    array: np.ndarray  # (years, regions, indicators), NaN where missing


def panel(
    n_regions: int = 90,
    n_ind: int = 34,
    n_years: int = 1,
    n_domains: int = 5,
    *,
    seed: int = 20240601,
    missing: float = 0.03,
    reversed_share: float = 0.1,
    first_year: int = 2023,
    growth: bool = False,
    normaliser: str = "base_ratio",
) -> Panel:
    """Indicators spread over domains with unequal weights, some reversed, some cells missing.

    growth=True draws positive levels that grow year by year (for 2015 = 100 ratios); otherwise
    values are normal around 50, clipped at 1 (for min-max and z-scores).
    """
    rng = np.random.default_rng(seed)
    ind = pd.DataFrame(
        {
            "code": [f"I{k:02d}" for k in range(n_ind)],
            "domain": [f"D{k % n_domains}" for k in range(n_ind)],
            "direction": rng.choice([1, -1], n_ind, p=[1 - reversed_share, reversed_share]),
            "weight": rng.uniform(0.5, 2.0, n_ind),
            "normaliser": normaliser,
        }
    )
    dom = pd.DataFrame(
        {
            "code": [f"D{k}" for k in range(n_domains)],
            "domain": [f"D{k}" for k in range(n_domains)],
            "weight": 1.0,
        }
    )
    if growth:
        steps = rng.lognormal(0.05, 0.1, (n_years, n_regions, n_ind)).cumprod(axis=0)
        x = rng.lognormal(3, 1, (1, n_regions, n_ind)) * steps
    else:
        x = rng.normal(50, 10, (n_years, n_regions, n_ind)).clip(1)
    x[rng.random(x.shape) < missing] = np.nan
    t, u, i = np.indices(x.shape).reshape(3, -1)
    regions = np.array([f"U{k:05d}" for k in range(n_regions)])
    long = pd.DataFrame(
        {
            "region": regions[u],
            "year": first_year + t,
            "indicator": ind["code"].to_numpy()[i],
            "value": x.reshape(-1),
        }
    )
    groups = pd.Series(np.arange(n_regions) % 11, index=regions)
    return Panel(long.dropna().reset_index(drop=True), from_registry(ind, dom), groups, x)

"""Normalisers: small functions with one signature, chosen by name.

Array API (the robustness module builds on it)
----------------------------------------------
``normalise_array(X, method, *, direction=None, years=None, base_year=None, ref_region=None,
**params) -> ndarray``

- ``X``: raw values, shape ``(years, regions, indicators)``; a 2-D ``(regions, indicators)``
  array is one year. NaN marks a missing value and stays NaN.
- ``direction``: ``(indicators,)`` of 1 / -1 (default all 1). A reversed indicator (-1) is
  turned round so that a higher normalised value is always better.
- ``years`` / ``base_year``: the year axis labels and the base year (2015 = 100 methods).
- ``ref_region``: position on the region axis of the reference region (e.g. the province), for
  ratios against its base value; ``None`` = each region against its own base value.
- ``params``: per-indicator parameters, scalars or arrays broadcast over indicators
  (e.g. ``standard=`` for the capped ratio, ``lo=``/``hi=`` for goalposts).

Every normaliser maps ``(X, d, ctx, **params) -> Z`` of the same shape as X, vectorised over
years, regions and indicators. ``NORMALISERS`` lists them by name:

==============  =================================================================
base_ratio      100·x / x_base (x_base: the reference region's or the region's own base-year
                value); reversed: 100·x_base / x. Region-free: rescaling x leaves Z alone.
growth          100·x_t / x_{t-1} (reversed: 100·x_{t-1} / x_t); the first year is NaN.
                With aggregation ``chain`` this is the NBS CII chained-growth index.
capped_ratio    min(100, 100·x / standard) (reversed: min(100, 100·standard / x)), as in
                the national S&T progress monitoring.
minmax          (d·x - min) / (max - min) within each year, scaled to [lo, hi] (0-100).
goalposts       as minmax, but min and max fixed over all years and regions (EIS), or set
                per indicator with ``lo_post`` / ``hi_post``; clipped to the posts.
zscore          (d·x - mean) / sd within each year (sd with ddof = 1), then m + s·z.
rank            rank of d·x among regions within each year (1 = worst; ties by ``ties``).
percentile      100·(rank - 1) / (n - 1) within each year.
none            x unchanged (direction must be 1).
==============  =================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from zjinnov.engine.ranking import rank_along


@dataclass(frozen=True)
class Context:
    """What a normaliser may need besides the values: where the base year and reference are."""

    years: np.ndarray | None = None
    base_pos: int | None = None
    ref_region: int | None = None


class NormalisationError(ValueError):
    """A normaliser cannot handle some values; `cells` holds (year, region, indicator) positions."""

    def __init__(self, message: str, cells: np.ndarray):
        self.cells = cells
        self.reason = message
        super().__init__(f"{message}: {len(cells)} cell(s), first {cells[:5].tolist()}")


def _base(X: np.ndarray, ctx: Context) -> np.ndarray:
    if ctx.base_pos is None:
        raise ValueError("this normaliser needs a base year present on the year axis")
    base = X[ctx.base_pos]  # (regions, indicators)
    if ctx.ref_region is not None:
        base = base[ctx.ref_region][None, :]
    return base[None, :, :]


def _require_positive(values: np.ndarray, what: str) -> None:
    bad = np.argwhere(values <= 0)
    if len(bad):
        raise NormalisationError(f"{what} must be > 0 for a ratio", bad)


def base_ratio(X, d, ctx: Context, **_):
    base = _base(X, ctx)
    _require_positive(base, "base-year value")
    reversed_ = d < 0
    if reversed_.any():
        _require_positive(np.where(reversed_, X, 1.0), "value of a reversed indicator")
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100.0 * np.where(reversed_, base / X, X / base)


def growth(X, d, ctx: Context, **_):
    prev = np.concatenate([np.full_like(X[:1], np.nan), X[:-1]], axis=0)
    present = ~np.isnan(X) & ~np.isnan(prev)
    _require_positive(np.where(present, prev, 1.0), "previous-year value")
    _require_positive(np.where(present, X, 1.0), "value")
    return 100.0 * np.where(d < 0, prev / X, X / prev)


def capped_ratio(X, d, ctx: Context, *, standard=None, cap=100.0, **_):
    if standard is None:
        raise ValueError("capped_ratio needs a monitoring standard per indicator (standard=)")
    s = np.broadcast_to(np.asarray(standard, float), X.shape[-1:])
    # Indicators with no published standard cannot be scored this way: they come out NaN
    # (build_index records them in its notes) instead of stopping the whole run.
    _require_positive(np.where(np.isnan(s), 1.0, s), "monitoring standard")
    _require_positive(np.where(d < 0, X, 1.0), "value of a reversed indicator")
    with np.errstate(divide="ignore"):
        ratio = np.where(d < 0, s / X, X / s)
    return np.minimum(float(cap), 100.0 * ratio)


def _scale(Y, lo_v, hi_v, lo, hi):
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (Y - lo_v) / (hi_v - lo_v)
    return lo + (hi - lo) * z


def minmax(X, d, ctx: Context, *, lo=0.0, hi=100.0, **_):
    Y = d * X
    # Constant indicator in a year: max = min, 0/0 = NaN, reported by build_index.
    return _scale(
        Y, np.nanmin(Y, axis=1, keepdims=True), np.nanmax(Y, axis=1, keepdims=True), lo, hi
    )


def goalposts(X, d, ctx: Context, *, lo_post=None, hi_post=None, lo=0.0, hi=100.0, **_):
    Y = d * X
    # Posts given in the indicator's own orientation; reversing swaps which is the floor.
    if lo_post is None or hi_post is None:
        lo_v = np.nanmin(Y, axis=(0, 1), keepdims=True)
        hi_v = np.nanmax(Y, axis=(0, 1), keepdims=True)
    else:
        a = d * np.asarray(lo_post, float)
        b = d * np.asarray(hi_post, float)
        lo_v, hi_v = np.minimum(a, b), np.maximum(a, b)
    return np.clip(_scale(Y, lo_v, hi_v, lo, hi), min(lo, hi), max(lo, hi))


def zscore(X, d, ctx: Context, *, m=0.0, s=1.0, **_):
    Y = d * X
    mu = np.nanmean(Y, axis=1, keepdims=True)
    sd = np.nanstd(Y, axis=1, ddof=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return m + s * (Y - mu) / sd


def rank(X, d, ctx: Context, *, ties="average", **_):
    return rank_along(d * X, axis=1, method=ties)


def percentile(X, d, ctx: Context, *, ties="average", **_):
    r = rank(X, d, ctx, ties=ties)
    n = np.sum(~np.isnan(X), axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * (r - 1.0) / (n - 1.0)


def identity(X, d, ctx: Context, **_):
    if (d < 0).any():
        raise ValueError("normaliser 'none' cannot reverse an indicator; choose another")
    return X.copy()


Normaliser = Callable[..., np.ndarray]
NORMALISERS: dict[str, Normaliser] = {
    "base_ratio": base_ratio,
    "growth": growth,
    "chained_growth": growth,
    "capped_ratio": capped_ratio,
    "minmax": minmax,
    "goalposts": goalposts,
    "zscore": zscore,
    "rank": rank,
    "percentile": percentile,
    "none": identity,
}
# Normalisers whose output is a year-on-year growth, to be chained by the parent node.
GROWTH_NORMALISERS = frozenset({"growth", "chained_growth"})


def normalise_array(
    X,
    method: str,
    *,
    direction=None,
    years=None,
    base_year: int | None = None,
    ref_region: int | None = None,
    **params,
) -> np.ndarray:
    """Normalise raw values by the named method; see the module docstring for shapes."""
    if method not in NORMALISERS:
        raise KeyError(f"unknown normaliser {method!r}; choose one of {sorted(NORMALISERS)}")
    X = np.asarray(X, dtype=float)
    two_d = X.ndim == 2
    if two_d:
        X = X[None]
    d = np.ones(X.shape[-1]) if direction is None else np.asarray(direction, float)
    base_pos = None
    if base_year is not None:
        if years is None:
            raise ValueError("base_year given without the years of the year axis")
        hit = np.flatnonzero(np.asarray(years) == base_year)
        if not len(hit):
            raise ValueError(f"base year {base_year} not among the years {list(years)}")
        base_pos = int(hit[0])
    ctx = Context(None if years is None else np.asarray(years), base_pos, ref_region)
    Z = NORMALISERS[method](X, d, ctx, **params)
    Z = np.where(np.isnan(X), np.nan, Z)
    return Z[0] if two_d else Z

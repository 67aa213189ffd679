"""Weighted aggregation and the missing-value rules, on arrays.

Array API (the robustness module builds on it)
----------------------------------------------
``aggregate_array(Z, weights, how="arithmetic", *, missing="renormalise", min_share=0.0)``

- ``Z``: normalised values, ``(rows, children)``; rows are regions (or region-years). NaN = missing.
- ``weights``: ``(children,)`` -> returns ``(rows,)``; or a batch ``(draws, children)`` ->
  returns ``(draws, rows)``: many weight vectors (Monte Carlo draws, or the parents of one
  level of the tree) in one matrix product. ``Z`` may also be ``(draws, rows, children)``,
  paired with ``(draws, children)``, when each draw has its own normalised data.
- ``how``: ``arithmetic`` Σw·z / Σw; ``geometric`` exp(Σw·ln z / Σw); ``harmonic``
  Σw / Σ(w / z). Geometric and harmonic refuse values <= 0 (``AggregationError`` with the
  offending (row, child) cells) rather than return a silent NaN or complex number.
- ``missing``: ``renormalise`` drops missing children and renormalises the weights of the
  present ones (Σw over present values = 1); ``propagate`` makes the result missing when
  any child with positive weight is missing. ``min_share``: the result is missing when the
  present children carry less than this share of the weight (COINr's ``dat_thresh``).

``chain_array(G, weights, base_pos)``: the NBS CII chained index. ``G`` (years, regions,
children) holds year-on-year growth ×100 (``normalise.growth``); each parent is carried
forward by its weighted mean growth, D_t = D_{t-1}·Σw·g_t / 100, with D = 100 in the base
year (years before the base are chained backwards). A missing year breaks the chain.

``impute_array(X, rule, groups=None)``: fills raw values before normalisation by a named
rule (``none``, ``group_mean``, ``carry_forward``, ``interpolate``) and returns the filled
array and a mask of the cells it filled, so every imputation can be reported.
"""

from __future__ import annotations

import numpy as np

AGGREGATORS = ("arithmetic", "geometric", "harmonic")
MISSING_RULES = ("renormalise", "propagate")
IMPUTE_RULES = ("none", "group_mean", "carry_forward", "interpolate")


class AggregationError(ValueError):
    """Values an aggregator cannot take; `cells` holds (row, child) positions."""

    def __init__(self, message: str, cells: np.ndarray):
        self.cells = cells
        super().__init__(f"{message}: {len(cells)} cell(s), first {cells[:5].tolist()}")


def _transform(how: str, Z: np.ndarray) -> np.ndarray:
    if how == "arithmetic":
        return Z
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(Z) if how == "geometric" else 1.0 / Z


def _inverse(how: str, M: np.ndarray) -> np.ndarray:
    if how == "geometric":
        np.exp(M, out=M)
    elif how == "harmonic":
        np.divide(1.0, M, out=M)
    return M


def aggregate_array(
    Z,
    weights,
    how: str = "arithmetic",
    *,
    missing: str = "renormalise",
    min_share: float = 0.0,
) -> np.ndarray:
    """Weighted mean of the children of each row; see the module docstring for shapes."""
    if how not in AGGREGATORS:
        raise KeyError(f"unknown aggregation {how!r}; choose one of {AGGREGATORS}")
    if missing not in MISSING_RULES:
        raise KeyError(f"unknown missing-value rule {missing!r}; choose one of {MISSING_RULES}")
    Z = np.asarray(Z, dtype=float)
    W = np.asarray(weights, dtype=float)
    single = W.ndim == 1
    W2 = W[None] if single else W
    if (W2 < 0).any() or np.isnan(W2).any():
        raise ValueError("weights must be >= 0 and not missing")
    present = ~np.isnan(Z)
    if how != "arithmetic":
        used = (W2 > 0).any(axis=0)
        bad = np.argwhere(present & (Z <= 0) & used)
        if len(bad):
            raise AggregationError(f"{how} mean needs values > 0", bad)
    T = _transform(how, Z)
    # Non-positive values reach here only under zero weight: keep them out of 0·inf = NaN.
    T = np.where(present & np.isfinite(T), T, 0.0)
    total = W2.sum(axis=1, keepdims=True)
    complete = bool(present.all())
    if Z.ndim == 2:
        out = W2 @ T.T  # (draws, rows)
        den = total if complete else W2 @ present.T.astype(float)
    else:
        out = np.einsum("drc,dc->dr", T, W2)
        den = total if complete else np.einsum("drc,dc->dr", present.astype(float), W2)
    # In place: with many draws the (draws, rows) arrays dominate memory.
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(out, den, out=out)
        out = _inverse(how, out)
    if not complete:
        out[np.broadcast_to(den <= 0, out.shape)] = np.nan
        if missing == "propagate":
            out[np.broadcast_to(den < total * (1 - 1e-12), out.shape)] = np.nan
        if min_share > 0:
            out[np.broadcast_to(den < total * (min_share - 1e-12), out.shape)] = np.nan
    return out[0] if single else out


def chain_array(G, weights, base_pos: int, *, missing: str = "renormalise") -> np.ndarray:
    """Chained index of each parent (parents, years, regions) from growth G (years, regions, children)."""
    G = np.asarray(G, dtype=float)
    n_years, n_regions, n_kids = G.shape
    W = np.atleast_2d(np.asarray(weights, dtype=float))
    m = aggregate_array(G.reshape(n_years * n_regions, n_kids), W, missing=missing) / 100.0
    m = m.reshape(len(W), n_years, n_regions)
    out = np.full_like(m, np.nan)
    out[:, base_pos] = 100.0
    if base_pos + 1 < n_years:
        out[:, base_pos + 1 :] = 100.0 * np.cumprod(m[:, base_pos + 1 :], axis=1)
    if base_pos > 0:
        # D_t = 100 / prod_{s=t+1..base} m_s for years before the base.
        back = np.cumprod(m[:, base_pos:0:-1], axis=1)[:, ::-1]
        out[:, :base_pos] = 100.0 / back
    return out


def impute_array(X, rule: str, groups=None) -> tuple[np.ndarray, np.ndarray]:
    """Fill missing raw values of X (years, regions, indicators); returns (filled, filled_mask)."""
    if rule not in IMPUTE_RULES:
        raise KeyError(f"unknown imputation rule {rule!r}; choose one of {IMPUTE_RULES}")
    X = np.asarray(X, dtype=float)
    missing = np.isnan(X)
    if rule == "none" or not missing.any():
        return X.copy(), np.zeros_like(missing)
    if rule == "group_mean":
        filled = _group_mean(X, groups)
    elif rule == "carry_forward":
        filled = X[_last_present(missing), np.arange(X.shape[1])[:, None], np.arange(X.shape[2])]
    else:
        filled = _interpolate(X, missing)
    filled = np.where(missing, filled, X)
    return filled, missing & ~np.isnan(filled)


def _group_mean(X: np.ndarray, groups) -> np.ndarray:
    n_regions = X.shape[1]
    labels = (
        np.zeros(n_regions, int) if groups is None else np.unique(groups, return_inverse=True)[1]
    )
    onehot = np.eye(labels.max() + 1)[labels]  # (regions, groups)
    present = ~np.isnan(X)
    sums = np.einsum("tui,uk->tki", np.where(present, X, 0.0), onehot)
    counts = np.einsum("tui,uk->tki", present.astype(float), onehot)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    return means[:, labels, :]


def _last_present(missing: np.ndarray) -> np.ndarray:
    """Per cell, the year position of the latest present value at or before it (0 if none)."""
    pos = np.where(~missing, np.arange(missing.shape[0])[:, None, None], 0)
    return np.maximum.accumulate(pos, axis=0)


def _interpolate(X: np.ndarray, missing: np.ndarray) -> np.ndarray:
    n = X.shape[0]
    t = np.arange(n)[:, None, None]
    before = _last_present(missing)
    after = (n - 1) - _last_present(missing[::-1])[::-1]
    u, i = np.arange(X.shape[1])[:, None], np.arange(X.shape[2])
    x0, x1 = X[before, u, i], X[after, u, i]
    inside = ~missing[before, u, i] & ~missing[after, u, i] & (before <= t) & (after >= t)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(after > before, (t - before) / (after - before), 0.0)
    # Leading and trailing gaps have no value on one side: left missing, not extrapolated.
    return np.where(inside, x0 + frac * (x1 - x0), np.nan)

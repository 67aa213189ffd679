"""Recover unpublished weights from published scores, and say which the data identify.

Under arithmetic aggregation with every indicator present, a two-level index is linear in the
normalised indicators: I = Σ_j W_j Σ_{i in j} w_ij z_i = Σ_i e_i z_i, with effective weights
e_i = W_j w_ij >= 0 that sum to one. Given rows (region-years) of normalised indicators Z
(n × k) and the published scores y (n), `recover` estimates e by least squares on the simplex
(e >= 0, Σe = 1), then splits it into group weights W_j = Σ_{i in j} e_i and weights within
groups w_ij = e_i / W_j, which again are non-negative and sum to one.

Identification. e is unique when [Z; 1ᵀ] has full column rank. A direction in its null space
changes weights without changing any fitted score, so a weight with a component along one is
not identified by these data (two indicators that move together in every row, say). Printed
scores are rounded, which breaks exact collinearity, so the rank alone can flatter: each weight
also gets a bootstrap interval (rows resampled), and a weight counts as identified when it is
outside the null space and its interval is narrower than `max_width`.

No composite-indicator toolkit we know of (COINr, the JRC audit tools) does this: they go from
weights to scores, not back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import solve_triangular
from scipy.optimize import nnls

RANK_TOL = 1e-6  # singular values below this share of the largest count as zero
NULL_TOL = 1e-6  # a weight with a null-space component above this is not identified
MAX_WIDTH = 0.01  # widest bootstrap interval (in weight) for a weight to count as identified


@dataclass
class WeightFit:
    """Recovered weights, how well they fit the published scores and which are identified."""

    weights: pd.DataFrame  # indicator, group, weight, within, lo, hi, structural, identified
    groups: pd.DataFrame  # group, weight, lo, hi, identified
    fitted: np.ndarray
    residuals: np.ndarray
    rmse: float
    max_error: float
    rank: int  # of [Z; 1ᵀ] (column-scaled)
    n_rows: int
    interval: tuple[float, float]

    @property
    def n_identified(self) -> int:
        return int(self.weights["identified"].sum())


def gram(Z: np.ndarray, y: np.ndarray, counts: np.ndarray | None = None):
    """ZᵀWZ and ZᵀWy (W: how often each row is drawn, for the bootstrap). Written as einsum,
    which stays on one thread: BLAS threads fighting for two cores made this 20× slower."""
    Zw = Z if counts is None else Z * counts[:, None]
    return np.einsum("ni,nj->ij", Zw, Z), np.einsum("ni,n->i", Zw, y)


def simplex_lsq(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """argmin ||Z e − y||² subject to e >= 0 and Σ e = 1 (see `simplex_from_gram`)."""
    return simplex_from_gram(*gram(np.asarray(Z, float), np.asarray(y, float)))


def simplex_from_gram(G: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The same from G = ZᵀZ and c = Zᵀy, since ||Z e − y||² = ||Lᵀe − L⁻¹c||² + const
    with G = LLᵀ. Non-negative least squares with the sum as a heavily weighted extra row
    finds the support; the equality-constrained solution on that support (its KKT system)
    makes Σ e = 1 exact."""
    k = len(c)
    jitter = 1e-12 * np.trace(G) / k  # a singular G (collinear indicators) stays factorable
    L = np.linalg.cholesky(G + jitter * np.eye(k))
    R, q = L.T, solve_triangular(L, c, lower=True)
    lam = 1e3 * max(1.0, float(np.abs(R).max()))
    e, _ = nnls(np.vstack([R, np.full(k, lam)]), np.append(q, lam), maxiter=50 * k)
    support = np.flatnonzero(e > 1e-12)
    if len(support):
        m = len(support)
        kkt = np.zeros((m + 1, m + 1))
        kkt[:m, :m], kkt[:m, m], kkt[m, :m] = G[np.ix_(support, support)], 1.0, 1.0
        polished = np.linalg.lstsq(kkt, np.append(c[support], 1.0), rcond=None)[0][:m]
        if (polished >= 0).all():
            e = np.zeros(k)
            e[support] = polished
    e = np.clip(e, 0.0, None)
    return e / e.sum()


def null_space(Z: np.ndarray) -> tuple[int, np.ndarray]:
    """Rank of [Z; 1ᵀ] with columns scaled to unit length, and a basis of its null space,
    from the eigenvalues of its k × k cross-product (singular values squared)."""
    G, _ = gram(Z, np.zeros(len(Z)))
    G = G + 1.0  # the row of ones
    d = 1.0 / np.sqrt(np.where(np.diag(G) > 0, np.diag(G), 1.0))
    lam, vec = np.linalg.eigh(G * np.outer(d, d))
    s = np.sqrt(np.clip(lam, 0.0, None))
    keep = s > RANK_TOL * s.max()
    return int(keep.sum()), vec[:, ~keep]


def recover(
    Z,
    y,
    indicators,
    groups,
    *,
    n_boot: int = 200,
    seed: int = 0,
    interval: tuple[float, float] = (0.05, 0.95),
    max_width: float = MAX_WIDTH,
) -> WeightFit:
    """Effective, group and within-group weights from rows of normalised indicators `Z` and
    published scores `y`; `indicators` names Z's columns and `groups` their group (domain)."""
    Z, y = np.asarray(Z, float), np.asarray(y, float)
    if (
        Z.ndim != 2
        or len(Z) != len(y)
        or Z.shape[1] != len(indicators)
        or len(groups) != len(indicators)
    ):
        raise ValueError(
            "Z must be rows × indicators, with one score per row and one group per indicator"
        )
    if np.isnan(Z).any() or np.isnan(y).any():
        raise ValueError("rows with a missing indicator or score cannot be used: drop them first")
    e = simplex_lsq(Z, y)
    fitted = Z @ e
    residuals = y - fitted
    rank, basis = null_space(Z)
    structural = np.abs(basis).max(axis=1) <= NULL_TOL if basis.size else np.ones(len(e), bool)
    groups = np.asarray(groups, dtype=object)
    names = list(dict.fromkeys(groups))
    member = np.array([[g == name for g in groups] for name in names], float)  # (groups, k)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(len(y), np.full(len(y), 1.0 / len(y)), size=n_boot)
    boot = np.array([simplex_from_gram(*gram(Z, y, w)) for w in draws]).reshape(n_boot, -1)
    lo, hi = (np.quantile(boot, q, axis=0) for q in interval) if n_boot else (e, e)
    g_boot = boot @ member.T if n_boot else (member @ e)[None]
    g_lo, g_hi = (np.quantile(g_boot, q, axis=0) for q in interval)
    W = member @ e
    within = e / np.where(member.T @ W > 0, member.T @ W, np.nan)
    weights = pd.DataFrame(
        {
            "indicator": list(indicators),
            "group": groups,
            "weight": e,
            "within": within,
            "lo": lo,
            "hi": hi,
            "structural": structural,
            "identified": structural & (hi - lo <= max_width),
        }
    )
    g_struct = np.array([structural[member[j] > 0].all() for j in range(len(names))])
    group_table = pd.DataFrame(
        {
            "group": names,
            "weight": W,
            "lo": g_lo,
            "hi": g_hi,
            "identified": g_struct & (g_hi - g_lo <= max_width),
        }
    )
    return WeightFit(
        weights,
        group_table,
        fitted,
        residuals,
        float(np.sqrt(np.mean(residuals**2))),
        float(np.abs(residuals).max()),
        rank,
        len(y),
        interval,
    )


def rounding_rmse(decimals: int) -> float:
    """RMSE that rounding alone leaves: a uniform error of ± half a unit of the last digit."""
    return 10.0**-decimals / np.sqrt(12.0)

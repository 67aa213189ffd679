"""Least squares on the simplex: the effective weights of a linear index from its scores.

Under arithmetic aggregation with every indicator present, a two-level index is linear in the
normalised indicators: I = Σ_j W_j Σ_{i in j} w_ij z_i = Σ_i e_i z_i, with effective weights
e_i = W_j w_ij >= 0 that sum to one. Given rows (region-years) of scores Z (n × k) and the
published index y (n), `simplex_lsq` finds the e on the simplex (e >= 0, Σe = 1) that fits
best. The identification of a published index's method (`zjinnov.engine.identify`) fits
every candidate with it, and says which weights the data pin down by the range each can take
(`zjinnov.engine.weight_ranges`), not by resampling rows: a bootstrap measures sampling noise
around one fit, not whether the method fits at all.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular
from scipy.optimize import nnls


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

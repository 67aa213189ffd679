"""Least squares on the simplex: the weights of a linear index back from exact scores, and never
off the simplex."""

from __future__ import annotations

import numpy as np

from zjinnov.engine import weights as wt

K, N = 12, 300


def _data(seed=3, decimals=None):
    rng = np.random.default_rng(seed)
    Z = 100 * rng.lognormal(0.2, 0.4, (N, K))
    e = rng.dirichlet(np.full(K, 3.0))
    y = Z @ e
    return Z, (np.round(y, decimals) if decimals is not None else y), e


def test_exact_scores_give_the_weights_back():
    Z, y, e = _data()
    got = wt.simplex_lsq(Z, y)
    assert np.abs(got - e).max() < 1e-8
    assert got.min() >= 0 and abs(got.sum() - 1) < 1e-12


def test_weights_stay_on_the_simplex_when_the_truth_is_not():
    rng = np.random.default_rng(5)
    Z = 100 * rng.lognormal(0, 0.3, (N, K))
    y = Z[:, 0] * 1.4 - Z[:, 1] * 0.4  # a negative weight the data would like
    got = wt.simplex_lsq(Z, y)
    assert got.min() >= 0 and abs(got.sum() - 1) < 1e-12 and got[1] == 0

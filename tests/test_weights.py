"""Weights recovered from published scores: exact where the data allow, honest where they do not."""

from __future__ import annotations

import numpy as np
import pytest

from zjinnov.engine import weights as wt

K, N = 12, 300
GROUPS = [f"D{i % 3}" for i in range(K)]
NAMES = [f"I{i:02d}" for i in range(K)]


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


def test_rounded_scores_fit_to_the_rounding_and_split_into_groups():
    Z, y, e = _data(decimals=1)
    fit = wt.recover(Z, y, NAMES, GROUPS, n_boot=50, seed=1)
    w = fit.weights.set_index("indicator")
    assert np.abs(w["weight"].to_numpy() - e).max() < 2e-3
    # Rounding to one decimal alone leaves an RMSE of 0.1 / sqrt(12); the fit should be that.
    assert fit.rmse == pytest.approx(wt.rounding_rmse(1), rel=0.2)
    assert fit.max_error <= 0.05 + 0.05
    g = fit.groups.set_index("group")["weight"]
    assert abs(g.sum() - 1) < 1e-12
    within = w.groupby("group")["within"].sum()
    assert np.allclose(within, 1.0)
    for name, part in w.groupby("group"):
        assert np.allclose(part["weight"], part["within"] * g[name])
    assert fit.rank == K and fit.weights["identified"].all()
    assert (w["lo"] <= w["weight"] + 1e-12).all() and (w["weight"] <= w["hi"] + 1e-12).all()


def test_weights_stay_on_the_simplex_when_the_truth_is_not():
    rng = np.random.default_rng(5)
    Z = 100 * rng.lognormal(0, 0.3, (N, K))
    y = Z[:, 0] * 1.4 - Z[:, 1] * 0.4  # a negative weight the data would like
    got = wt.simplex_lsq(Z, y)
    assert got.min() >= 0 and abs(got.sum() - 1) < 1e-12 and got[1] == 0


def test_indicators_that_always_move_together_are_not_identified():
    Z, _, e = _data()
    Z[:, 1] = Z[:, 0]  # two indicators the data cannot tell apart
    y = np.round(Z @ e, 1)
    fit = wt.recover(Z, y, NAMES, GROUPS, n_boot=50, seed=1)
    w = fit.weights.set_index("indicator")
    assert fit.rank == K - 1
    assert not w.loc["I00", "identified"] and not w.loc["I01", "identified"]
    assert w.drop(["I00", "I01"])["structural"].all()
    # Their sum is what the data say.
    assert w.loc["I00", "weight"] + w.loc["I01", "weight"] == pytest.approx(e[0] + e[1], abs=2e-3)


def test_missing_values_are_refused_not_guessed():
    Z, y, _ = _data()
    Z[0, 0] = np.nan
    with pytest.raises(ValueError, match="missing"):
        wt.recover(Z, y, NAMES, GROUPS)

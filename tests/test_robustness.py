"""Monte Carlo uncertainty and Sobol' sensitivity of the index (zjinnov.engine.robustness, .sensitivity).

Synthetic panels only (fixed seeds); the real data and the ASEM reference run in the notebooks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zjinnov.engine import robustness as rb
from zjinnov.engine import sensitivity as sa
from zjinnov.engine import synthetic
from zjinnov.engine.index import IndexMethod, build_index

SEED = 7
MINMAX = {"normaliser": "minmax", "params": (("lo", 1.0), ("hi", 100.0))}
ZSCORE = {"normaliser": "zscore", "params": (("m", 10.0), ("s", 2.0))}
NOMINAL = IndexMethod(base_year=None, **MINMAX)


def panel(n_regions=90, n_ind=34, n_dom=5, seed=SEED, missing=0.03):
    """A synthetic county panel (one year), 34 indicators in 5 domains, unequal weights."""
    p = synthetic.panel(
        n_regions, n_ind, n_domains=n_dom, seed=seed, missing=missing, reversed_share=0.15
    )
    return p.values, p.hierarchy, p.groups


def spec(kind="uniform", spread=0.25, alpha=20.0, choices=True):
    cs = (
        rb.Choice("normaliser", (("minmax", MINMAX), ("zscore", ZSCORE))),
        rb.Choice(
            "aggregation",
            (
                ("arithmetic", {"aggregation": "arithmetic"}),
                ("geometric", {"aggregation": "geometric"}),
            ),
        ),
        rb.Choice(
            "missing",
            (("renormalise", {"impute": "none"}), ("group_mean", {"impute": "group_mean"})),
        ),
    )
    return rb.UncertaintySpec(
        rb.WeightNoise(kind, spread=spread, alpha=alpha), cs if choices else ()
    )


@pytest.fixture(scope="module")
def data():
    return panel()


# ------------------------------------------------------------------------------ design
def test_uniform_weights_stay_within_the_band_and_keep_parent_totals(data):
    _, tree, _ = data
    s = spec(spread=0.25)
    d = rb.decode(s, tree, NOMINAL, rb.sample(s, tree, 2000, SEED))
    w0 = rb.nominal_weights(tree, NOMINAL)
    M = rb._parent_matrix(tree, 1)
    ratio = d.weights[1] / w0[1]
    # After renormalising within the parent the band widens to (1-s)/(1+s) .. (1+s)/(1-s).
    assert ratio.min() >= 0.75 / 1.25 - 1e-9 and ratio.max() <= 1.25 / 0.75 + 1e-9
    assert ratio.std() > 0.05
    np.testing.assert_allclose(d.weights[1] @ M.T, np.broadcast_to(M @ w0[1], (2000, len(M))))
    np.testing.assert_allclose(d.weights[2].sum(axis=1), w0[2].sum())


def test_dirichlet_shares_centre_on_nominal_with_the_stated_spread(data):
    _, tree, _ = data
    alpha = 20.0
    s = spec("dirichlet", alpha=alpha)
    d = rb.decode(s, tree, NOMINAL, rb.sample(s, tree, 20000, SEED))
    w0 = rb.nominal_weights(tree, NOMINAL)[2]
    share0 = w0 / w0.sum()
    share = d.weights[2] / d.weights[2].sum(axis=1, keepdims=True)
    np.testing.assert_allclose(share.mean(axis=0), share0, atol=0.005)
    np.testing.assert_allclose(share.var(axis=0), share0 * (1 - share0) / (alpha + 1), rtol=0.1)


def test_discrete_levels_are_equal_slices_of_the_unit_interval(data):
    _, tree, _ = data
    s = spec()
    U = np.full((4, len(rb.factors(s, tree))), 0.5)
    U[:, -3:] = [[0.0, 0.49, 0.5], [0.51, 0.99, 1.0], [0.25, 0.75, 0.3], [0.999999, 0.0, 0.6]]
    levels = rb.decode(s, tree, NOMINAL, U).levels
    assert levels.tolist() == [[0, 0, 1], [1, 1, 1], [0, 1, 0], [1, 0, 1]]


def test_weight_levels_must_exist(data):
    _, tree, _ = data
    bad = rb.UncertaintySpec(rb.WeightNoise(levels=(3,)))
    with pytest.raises(ValueError, match="levels"):
        rb.factors(bad, tree) if rb.weighted_levels(bad, tree) else None
    with pytest.raises(ValueError, match="spread"):
        rb.WeightNoise(spread=1.2)
    with pytest.raises(ValueError, match="not IndexMethod fields"):
        rb.Choice("x", (("a", {"colour": "red"}),))


# -------------------------------------------------------------------------- evaluation
def test_batch_aggregation_equals_the_engine_draw_by_draw(data):
    values, tree, groups = data
    s = spec()
    U = rb.sample(s, tree, 6, SEED)
    mc = rb.run(values, tree, NOMINAL, s, U, groups=groups)
    d = mc.design
    for k in range(len(U)):  # the check may loop; the engine under test does not
        method = rb.method_for(s, NOMINAL, d.levels[k])
        codes = [c for lv in (1, 2) for c in tree.codes(lv)]
        w = np.concatenate([d.weights[1][k], d.weights[2][k]])
        res = build_index(
            values, tree, method.with_(weights=tuple(zip(codes, w, strict=True))), groups=groups
        )
        root = res.wide()[tree.root].reindex(mc.regions).to_numpy()
        np.testing.assert_allclose(mc.scores[k, 0], root, rtol=1e-10)


def test_nominal_scores_and_ranks_are_the_engine_s(data):
    values, tree, groups = data
    mc = rb.run(values, tree, NOMINAL, spec(), rb.sample(spec(), tree, 10, SEED), groups=groups)
    res = build_index(values, tree, NOMINAL)
    np.testing.assert_allclose(
        mc.nominal_scores[0], res.wide()[tree.root].reindex(mc.regions).to_numpy()
    )
    np.testing.assert_array_equal(
        mc.nominal_ranks[0], res.wide(value="rank")[tree.root].reindex(mc.regions).to_numpy()
    )


def test_no_uncertainty_gives_the_nominal_index_in_every_draw(data):
    values, tree, _ = data
    s = rb.UncertaintySpec(rb.WeightNoise(spread=0.0))
    mc = rb.run(values, tree, NOMINAL, s, rb.sample(s, tree, 50, SEED))
    np.testing.assert_allclose(mc.scores, np.broadcast_to(mc.nominal_scores, mc.scores.shape))
    assert np.all(rb.rank_shift(mc) == 0)


def test_seeded_runs_are_identical_and_seeds_matter(data):
    values, tree, groups = data
    s = spec("dirichlet")
    a = rb.run(values, tree, NOMINAL, s, rb.sample(s, tree, 300, SEED), groups=groups)
    b = rb.run(values, tree, NOMINAL, s, rb.sample(s, tree, 300, SEED), groups=groups)
    c = rb.run(values, tree, NOMINAL, s, rb.sample(s, tree, 300, SEED + 1), groups=groups)
    np.testing.assert_array_equal(a.scores, b.scores)
    pd.testing.assert_frame_equal(rb.summary(a), rb.summary(b))
    assert not np.array_equal(a.scores, c.scores)


def test_summary_intervals_bracket_the_median_and_ranks_stay_in_range(data):
    values, tree, groups = data
    mc = rb.run(
        values, tree, NOMINAL, spec(choices=False), rb.sample(spec(choices=False), tree, 500, SEED)
    )
    s = rb.summary(mc)
    assert len(s) == 90
    assert (s["score_lo"] <= s["score_median"]).all() and (s["score_median"] <= s["score_hi"]).all()
    assert s["rank_lo"].min() >= 1 and s["rank_hi"].max() <= 90
    assert (s["rank_hi"] - s["rank_lo"]).max() > 0
    # ±25 % weights alone move a mid-table unit but not by more than half the table.
    assert s["mean_abs_rank_shift"].median() < 45


def test_one_ranked_unit_has_a_score_interval_and_no_rank_interval(data):
    values, tree, _ = data
    one = values[values["region"].isin(["U00000", "U00001"])]
    method = NOMINAL.with_(base_region="U00001")  # the reference unit is scored, not ranked
    s = rb.UncertaintySpec(rb.WeightNoise(spread=0.25))
    out = rb.summary(rb.run(one, tree, method, s, rb.sample(s, tree, 200, SEED)))
    row = out[out["region"] == "U00000"].iloc[0]
    assert row["n_ranked"] == 1 and np.isnan(row["rank_lo"]) and np.isnan(row["rank_hi"])
    assert row["score_hi"] > row["score_lo"]


def test_impossible_combination_names_the_assumptions(data):
    values, tree, _ = data
    s = rb.UncertaintySpec(
        rb.WeightNoise(spread=0.1),
        (
            rb.Choice("normaliser", (("zscore_0", {"normaliser": "zscore"}),)),
            rb.Choice("aggregation", (("geometric", {"aggregation": "geometric"}),)),
        ),
    )
    with pytest.raises(ValueError, match="zscore_0.*geometric.*values > 0"):
        rb.run(values, tree, NOMINAL, s, rb.sample(s, tree, 5, SEED))


# ------------------------------------------------------------------------------ removal
def test_removal_equals_a_rerun_without_the_node(data):
    values, tree, _ = data
    table = rb.removal_table(values, tree, NOMINAL)
    assert set(table["removed"]) == set(tree.codes(1)) | set(tree.codes(2))
    for code in ("I03", "D2"):
        res = build_index(values, tree, NOMINAL.with_(weights=((code, 0.0),)))
        expect = res.wide()[tree.root]
        got = table[table["removed"] == code].set_index("region")["score_removed"]
        np.testing.assert_allclose(got.reindex(expect.index), expect.to_numpy())
    summ = rb.removal_summary(table, region="U00005")
    assert (summ["mean_abs_rank_change"] >= 0).all()
    # Removing a whole domain moves ranks more than removing one of its indicators, on average.
    by_level = summ.groupby("level")["mean_abs_rank_change"].mean()
    assert by_level[2] > by_level[1]


# --------------------------------------------------------------------------- sensitivity
def test_sobol_finds_the_assumption_that_drives_the_output(data):
    values, tree, groups = data
    # Weights barely vary; min-max vs z-score changes every score's scale.
    s = rb.UncertaintySpec(
        rb.WeightNoise(spread=0.01),
        (
            rb.Choice("normaliser", (("minmax", MINMAX), ("zscore", ZSCORE))),
            rb.Choice(
                "aggregation",
                (
                    ("arithmetic", {"aggregation": "arithmetic"}),
                    ("geometric", {"aggregation": "geometric"}),
                ),
            ),
        ),
    )
    table, mc = sa.analyse(
        values, tree, NOMINAL, s, n=64, seed=SEED, region="U00000", groups=groups
    )
    assert len(mc.scores) == 64 * (len(table["factor"].unique()) + 2)
    score = table[table["target"] == "score:U00000"].set_index("factor")
    assert score["ST"].idxmax() == "normaliser" and score.loc["normaliser", "ST"] > 0.9
    assert score.loc["weights_level1", "ST"] < 0.05
    assert set(table["target"]) == {"rank_shift", "score:U00000"}


def test_sobol_seeded_and_guarded(data):
    values, tree, _ = data
    s = spec(choices=False)
    a = sa.saltelli(s, tree, 32, SEED)
    np.testing.assert_array_equal(a, sa.saltelli(s, tree, 32, SEED))
    with pytest.raises(ValueError, match="power of 2"):
        sa.saltelli(s, tree, 100, SEED)
    with pytest.raises(ValueError, match="no value"):
        sa.indices(s, tree, np.r_[np.nan, np.ones(len(a) - 1)], seed=SEED)
    with pytest.raises(ValueError, match="two groups"):
        sa.problem(rb.UncertaintySpec(rb.WeightNoise(levels=(1,))), tree)

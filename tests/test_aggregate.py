import numpy as np
import pytest

from zjinnov.engine.aggregate import AggregationError, aggregate_array, chain_array, impute_array

Z = np.array([[10.0, 20.0, 40.0], [10.0, np.nan, 40.0], [np.nan, np.nan, np.nan]])
W = np.array([1.0, 1.0, 2.0])


def test_arithmetic_renormalises_over_present_values():
    out = aggregate_array(Z, W)
    assert out[0] == pytest.approx((10 + 20 + 80) / 4)
    assert out[1] == pytest.approx((10 + 80) / 3)  # weights 1 and 2 renormalised to 1/3, 2/3
    assert np.isnan(out[2])


def test_propagate_and_min_share():
    assert np.isnan(aggregate_array(Z, W, missing="propagate")[1])
    assert np.isnan(aggregate_array(Z, W, min_share=0.8)[1])
    assert not np.isnan(aggregate_array(Z, W, min_share=0.75)[1])


def test_geometric_and_harmonic_values():
    z = np.array([[1.0, 4.0]])
    assert aggregate_array(z, [1.0, 1.0], "geometric")[0] == pytest.approx(2.0)
    assert aggregate_array(z, [1.0, 1.0], "harmonic")[0] == pytest.approx(1.6)


@pytest.mark.parametrize("how", ["geometric", "harmonic"])
def test_geometric_and_harmonic_refuse_non_positive(how):
    z = np.array([[1.0, 4.0], [0.0, 2.0], [3.0, -1.0]])
    with pytest.raises(AggregationError, match="needs values > 0") as exc:
        aggregate_array(z, [1.0, 1.0], how)
    assert exc.value.cells.tolist() == [[1, 0], [2, 1]]
    # A zero under a zero weight is not used, so it is not refused.
    assert aggregate_array(z[:2], [0.0, 1.0], how).tolist() == pytest.approx([4.0, 2.0])


def test_batch_of_weight_vectors_equals_one_at_a_time():
    rng = np.random.default_rng(1)
    z = rng.uniform(1, 100, (50, 6))
    z[rng.random(z.shape) < 0.1] = np.nan
    draws = rng.dirichlet(np.ones(6), size=20)
    batch = aggregate_array(z, draws, "geometric")
    assert batch.shape == (20, 50)
    singles = np.stack([aggregate_array(z, w, "geometric") for w in draws])
    assert np.allclose(batch, singles, equal_nan=True)
    paired = aggregate_array(np.broadcast_to(z, (20, *z.shape)), draws)
    assert np.allclose(paired, aggregate_array(z, draws), equal_nan=True)


def test_bad_names_and_weights_are_refused():
    with pytest.raises(KeyError, match="unknown aggregation"):
        aggregate_array(Z, W, "median")
    with pytest.raises(KeyError, match="missing-value rule"):
        aggregate_array(Z, W, missing="zero")
    with pytest.raises(ValueError, match="weights must be"):
        aggregate_array(Z, [1.0, -1.0, 1.0])


def test_chain_array_rebases_at_base_year():
    g = np.array([[[np.nan]], [[110.0]], [[120.0]]])  # growth of one child, one unit
    d = chain_array(g, [1.0], base_pos=1)
    assert d[0, :, 0].tolist() == pytest.approx([100 / 1.1, 100.0, 120.0])


def test_impute_rules():
    x = np.array([[[1.0], [np.nan]], [[np.nan], [4.0]], [[3.0], [np.nan]], [[np.nan], [8.0]]])
    cf, mask = impute_array(x, "carry_forward")
    assert cf[:, 0, 0].tolist() == [1.0, 1.0, 3.0, 3.0]
    assert np.isnan(cf[0, 1, 0]) and cf[2, 1, 0] == 4.0
    assert mask[:, 0, 0].tolist() == [False, True, False, True]
    ip, _ = impute_array(x, "interpolate")
    assert ip[1, 0, 0] == pytest.approx(2.0) and ip[2, 1, 0] == pytest.approx(6.0)
    assert np.isnan(ip[3, 0, 0]) and np.isnan(ip[0, 1, 0])  # no extrapolation
    g = np.array([[[1.0], [3.0], [np.nan], [10.0], [np.nan]]])
    gm, mask = impute_array(g, "group_mean", groups=np.array(["a", "a", "a", "b", "b"]))
    assert gm[0, :, 0].tolist() == [1.0, 3.0, 2.0, 10.0, 10.0]
    assert mask.sum() == 2
    same, none_mask = impute_array(g, "none")
    assert np.isnan(same).sum() == 2 and not none_mask.any()
    with pytest.raises(KeyError, match="imputation rule"):
        impute_array(g, "zero")

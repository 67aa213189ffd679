"""Properties any sound index must have, checked on generated data (hypothesis, fixed seeds)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from zjinnov.engine.aggregate import aggregate_array
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.index import IndexMethod, build_index

SETTINGS = settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
PROVINCE = "330000"
positive = st.floats(0.1, 1e4, allow_nan=False, allow_infinity=False)


@st.composite
def panels(draw):
    n_units = draw(st.integers(2, 6))
    n_ind = draw(st.integers(2, 5))
    n_years = draw(st.integers(1, 3))
    x = draw(arrays(float, (n_years, n_units + 1, n_ind), elements=positive))
    direction = draw(st.lists(st.sampled_from([1, -1]), min_size=n_ind, max_size=n_ind))
    weights = draw(st.lists(st.floats(0.1, 5.0), min_size=n_ind, max_size=n_ind))
    return x, direction, weights


def _registry(direction, weights):
    n = len(direction)
    ind = pd.DataFrame(
        {
            "code": [f"I{k:02d}" for k in range(n)],
            "domain": ["甲" if k % 2 == 0 else "乙" for k in range(n)],
            "direction": direction,
            "weight": weights,
            "normaliser": "base_ratio",
            "standard": 50.0,
        }
    )
    dom = pd.DataFrame({"code": ["D1", "D2"], "domain": ["甲", "乙"], "weight": [0.6, 0.4]})
    return from_registry(ind, dom)


def _long(x) -> pd.DataFrame:
    t, u, i = np.indices(x.shape).reshape(3, -1)
    units = np.array([PROVINCE] + [f"33{k:04d}" for k in range(1, x.shape[1])])
    return pd.DataFrame(
        {
            "region": units[u],
            "year": 2015 + t,
            "indicator": [f"I{k:02d}" for k in i],
            "value": x.reshape(-1),
        }
    )


def _scores(x, direction, weights, method) -> pd.Series:
    res = build_index(_long(x), _registry(direction, weights), method)
    return res.scores.set_index(["region", "year", "node"])["score"].astype(float)


RATIO = IndexMethod(base_region=PROVINCE)


@SETTINGS
@given(panels())
def test_province_base_year_is_exactly_100(panel):
    x, d, w = panel
    s = _scores(x, d, w, RATIO).xs((PROVINCE, 2015), level=("region", "year"))
    assert (s[s.index.str.startswith("I")] == 100.0).all()
    assert np.allclose(s.to_numpy(), 100.0, rtol=0, atol=1e-9)


@SETTINGS
@given(
    panels(),
    st.data(),
    st.sampled_from(
        [
            RATIO,
            IndexMethod(normaliser="minmax"),
            IndexMethod(normaliser="capped_ratio"),
            IndexMethod(base_region=PROVINCE, aggregation="geometric"),
        ]
    ),
)
def test_raising_a_value_moves_the_index_the_right_way(panel, data, method):
    x, d, w = panel
    t = data.draw(st.integers(0, x.shape[0] - 1))
    u = data.draw(st.integers(0, x.shape[1] - 1))
    i = data.draw(st.integers(0, x.shape[2] - 1))
    factor = data.draw(st.floats(1.0, 10.0))
    y = x.copy()
    y[t, u, i] *= factor
    key = (_long(x)["region"].unique()[u], 2015 + t, "index")
    before, after = _scores(x, d, w, method)[key], _scores(y, d, w, method)[key]
    if np.isnan(before):  # min-max of a constant column is undefined; nothing to compare
        return
    if d[i] == 1:
        assert after >= before - 1e-9 * abs(before)
    else:
        assert after <= before + 1e-9 * abs(before)


@SETTINGS
@given(panels(), st.randoms(use_true_random=False))
def test_order_of_units_does_not_matter(panel, rnd):
    x, d, w = panel
    long = _long(x)
    shuffled = long.sample(frac=1.0, random_state=rnd.randint(0, 2**31)).reset_index(drop=True)
    h = _registry(d, w)
    a = build_index(long, h, RATIO).scores.set_index(["region", "year", "node"])["score"]
    b = build_index(shuffled, h, RATIO).scores.set_index(["region", "year", "node"])["score"]
    pd.testing.assert_series_equal(a.sort_index(), b.sort_index())


@SETTINGS
@given(panels(), st.data())
def test_unit_of_measure_does_not_matter_under_ratio_normalisation(panel, data):
    x, d, w = panel
    i = data.draw(st.integers(0, x.shape[2] - 1))
    y = x.copy()
    y[..., i] *= 10000.0  # e.g. 万元 -> 元
    a, b = _scores(x, d, w, RATIO), _scores(y, d, w, RATIO)
    assert np.allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12, atol=0)


@SETTINGS
@given(
    arrays(float, (7, 5), elements=st.floats(1.0, 100.0)),
    arrays(bool, (7, 5)),
    arrays(float, (3, 5), elements=st.floats(0.01, 10.0)),
    st.floats(0.1, 1000.0),
)
def test_weights_are_renormalised_over_present_values(z, gaps, w, scale):
    z = np.where(gaps, np.nan, z)
    const = np.where(np.isnan(z), np.nan, 42.0)
    out = aggregate_array(const, w)
    # Weights of the present values sum to 1: a constant stays that constant, whatever is missing.
    rows_with_data = ~np.isnan(z).all(axis=1)
    assert np.allclose(out[:, rows_with_data], 42.0)
    assert np.isnan(out[:, ~rows_with_data]).all()
    # Scaling all weights changes nothing.
    assert np.allclose(aggregate_array(z, w * scale), aggregate_array(z, w), equal_nan=True)
    # Explicitly: the effective weights over present values sum to one.
    present = ~np.isnan(z)
    with np.errstate(invalid="ignore"):
        eff = (w[:, None, :] * present[None]) / (w[:, None, :] * present[None]).sum(
            axis=2, keepdims=True
        )
        assert np.allclose(eff.sum(axis=2)[:, rows_with_data], 1.0)
    manual = np.nansum(eff * np.where(present, z, 0.0)[None], axis=2)
    assert np.allclose(aggregate_array(z, w)[:, rows_with_data], manual[:, rows_with_data])


def test_property_helpers_build_a_valid_panel():
    x = np.ones((2, 3, 2))
    assert len(_long(x)) == 12
    assert _scores(x, [1, 1], [1.0, 1.0], RATIO).notna().all()
    with pytest.raises(KeyError, match="base_region"):
        _scores(x, [1, 1], [1.0, 1.0], IndexMethod(base_region="339999"))

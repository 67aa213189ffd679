"""The engine's ranks are scipy's rankdata(nan_policy="omit") for every tie method."""

import numpy as np
import pytest
from scipy.stats import rankdata

from zjinnov.engine.ranking import METHODS, rank_along


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("axis", [0, 1, 2])
def test_ranks_match_scipy_with_ties_and_gaps(method, axis):
    rng = np.random.default_rng(7)
    x = rng.integers(0, 5, size=(4, 6, 3)).astype(float)  # few values: many ties
    x[rng.random(x.shape) < 0.25] = np.nan
    x[1, :, 2] = np.nan  # a slice with nothing to rank
    ours = rank_along(x, axis=axis, method=method)
    theirs = rankdata(x, method=method, axis=axis, nan_policy="omit")
    np.testing.assert_array_equal(ours, theirs)


def test_unknown_method_is_named():
    with pytest.raises(ValueError, match="unknown tie method 'fair'"):
        rank_along(np.ones((2, 2)), axis=1, method="fair")

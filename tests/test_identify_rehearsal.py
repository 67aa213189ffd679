"""A rehearsal that cannot flatter itself: simulated monitoring workbooks made by every candidate
method, and by two methods outside the candidates, in three layouts, each imported the
analyst's way (import -> the analyst's folder -> laid over data/ -> validated) and the method
then identified from what was laid over.

For every candidate: it ranks first and is called the method, its residuals are at the
rounding level of the printed index, and the true weights lie inside the reported ranges.
For the outside methods: no candidate reproduces the index, the best one's residuals are
listed largest first, and no weight is called identified.
"""

from __future__ import annotations

import numpy as np
import pytest
import rehearsal
import rehearsal_methods

from zjinnov.data import geography
from zjinnov.engine.identify import MAX_WIDTH

YEARS = tuple(range(2015, 2022))  # the 2017 rename (临安) and the 2021 Hangzhou changes
# Each method in one layout, the layouts in turn, so every layout meets several methods.
CASES = [
    (method, rehearsal.LAYOUTS[k % len(rehearsal.LAYOUTS)])
    for k, method in enumerate(
        rehearsal_methods.CANDIDATE_METHODS + rehearsal_methods.OUTSIDE_METHODS
    )
]
SLACK = 1e-9  # ranges are LP optima: the truth may sit on an end


def _identify(tmp, method, layout, seed):
    truth = rehearsal.write_rehearsal(
        tmp / "analyst", seed=seed, method=method, layout=layout, years=YEARS
    )
    result, data = rehearsal.import_and_lay_over(truth, tmp / "build")
    return truth, result, rehearsal.identify(data)


@pytest.mark.parametrize(("method", "layout"), CASES, ids=[f"{m}-{lay}" for m, lay in CASES])
def test_the_method_is_found_or_nothing_is_claimed(tmp_path, method, layout):
    seed = 7000 + CASES.index((method, layout))
    truth, result, found = _identify(tmp_path, method, layout, seed)
    v = found.verdict
    assert result.index_base in ("", "2015")
    assert v.n_rows > 400 and v.n_candidates == len(rehearsal_methods.CANDIDATE_METHODS)
    ranking = found.ranking
    assert ranking["rank"].tolist() == list(range(1, len(ranking) + 1))
    if method in rehearsal_methods.OUTSIDE_METHODS:
        assert not v.reproduced and v.method is None
        assert found.weights is None and v.n_identified == 0
        assert not ranking["reproduces"].any()
        res = found.residuals["abs_residual"].to_numpy()
        assert (np.diff(res) <= 0).all() and res[0] > v.max_limit
        return
    assert v.method == method and v.best == method
    assert v.reproduced and not v.alternatives
    assert v.best_rmse <= v.rmse_limit and v.best_max_error <= v.max_limit
    # The runner-up is clearly worse, or nests the best (fits as well with more weights).
    assert v.gap > 3.0 or method in found.fits[v.runner_up].candidate.nests
    w = found.weights.set_index("indicator")
    true = truth.weights.reindex(w.index)
    inside = (true >= w["lo"] - SLACK) & (true <= w["hi"] + SLACK)
    assert inside.all(), w[~inside]
    assert (w["lo"] <= w["weight"] + SLACK).all() and (w["weight"] <= w["hi"] + SLACK).all()
    d = found.domain_weights.set_index("domain")
    true_d = truth.domain_weights.reindex(d.index)
    assert ((true_d >= d["lo"] - SLACK) & (true_d <= d["hi"] + SLACK)).all()
    assert v.n_identified == int((w["width"] <= MAX_WIDTH).sum()) > 0
    if truth.bases is not None:
        told = w[w["base"] != "either"]
        assert (told["base"] == truth.bases.reindex(told.index)).all()
        assert len(told) >= 30  # the data tell nearly every indicator's base apart
    imp = found.importance
    assert len(imp) == 34 and imp["first_order"].between(0, 1).all()


def test_the_layouts_give_the_same_rows(tmp_path):
    """One simulated report printed three ways imports to the same figures (the year-column
    layout leaves a few county cells missing on purpose)."""
    got = {}
    for layout in rehearsal.LAYOUTS:
        truth = rehearsal.write_rehearsal(
            tmp_path / layout, seed=11, layout=layout, years=(2015, 2016, 2017)
        )
        result, _ = rehearsal.import_and_lay_over(truth, tmp_path / f"{layout}-build")
        rows = result.rows[~result.rows["county_code"].isin(geography.CITY_CODES)]
        got[layout] = rows.set_index(["county_code", "year", "variable"])["value"].astype(float)
    base = got["sheet_per_year"]
    for layout, rows in got.items():
        common = base.index.intersection(rows.index)
        assert len(common) >= len(base) - 6, layout
        assert np.allclose(rows[common], base[common], rtol=1e-9), layout

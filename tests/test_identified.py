"""What the study reads from an identified method besides its index (engine/identified.py): its
index at any weights for one year, weights perturbed around the found ones, and each
indicator's score and weight. On the small made-up panels of test_identify.py."""

from __future__ import annotations

import numpy as np
import pytest
from test_identify import PROVINCE, _inputs

from zjinnov.engine import identified
from zjinnov.engine.identify import INDEX, identify

METHODS = [
    "province_arithmetic",
    "own_geometric_all",
    "chained_arithmetic",
    "per_indicator_arithmetic",
]


@pytest.fixture(scope="module", params=METHODS)
def found(request):
    # per_indicator nests the fixed bases: fitted to a province-based report (two columns an
    # indicator, one of them with weight near zero).
    made_by = "province_arithmetic" if request.param.startswith("per_") else request.param
    long, published, h, _, ext = _inputs(made_by)
    out = identify(long, published, h, province=PROVINCE, extensive=ext, names=[request.param])
    assert out.verdict.best == request.param
    return out


def _index(found, year):
    s = found.scores()
    s = s[(s["node"] == INDEX) & (s["year"] == year)].set_index("region")["score"]
    return s.reindex(found.panel.regions).to_numpy()


@pytest.mark.parametrize("year", [2016, 2018])
def test_the_index_at_the_fitted_weights_is_the_methods_index(found, year):
    fit = found.fits[found.verdict.best]
    got = identified.index_at(found, fit.e, year, found.verdict.best)[0]
    assert np.allclose(got, _index(found, year), equal_nan=True)
    # Other weights give another index, as scores(weights=...) does.
    other = np.random.default_rng(0).dirichlet(np.ones(len(fit.e)))
    s = found.scores(found.verdict.best, weights=other)
    want = s[(s["node"] == INDEX) & (s["year"] == year)].set_index("region")["score"]
    got = identified.index_at(found, other, year, found.verdict.best)[0]
    assert np.allclose(got, want.reindex(found.panel.regions).to_numpy(), equal_nan=True)
    with pytest.raises(ValueError, match="not among"):
        identified.index_at(found, fit.e, 2030, found.verdict.best)


def test_perturbed_weights_stay_weights_and_centre_on_the_fit(found):
    name = found.verdict.best
    fit = found.fits[name]
    e = fit.e / fit.e.sum()
    E = identified.perturbed_weights(found, 2000, 0.25, seed=1, candidate=name)
    assert E.shape == (2000, len(e)) and (E >= 0).all()
    assert np.allclose(E.sum(axis=1), 1.0)
    assert np.allclose(E.mean(axis=0), e, rtol=0.05, atol=1e-3)
    assert np.allclose(identified.perturbed_weights(found, 3, 0.0, seed=1, candidate=name), e)
    # Domain weights move by at most ±25 % before renormalising: within a factor 1.25/0.75.
    dom = found.panel.domain_of[fit.column_indicator]
    W = np.array([E[:, dom == j].sum(axis=1) for j in range(found.panel.n_domains)]).T
    W0 = np.bincount(dom, e, minlength=found.panel.n_domains)
    assert (W / W0 <= 1.25 / 0.75 + 1e-9).all() and (W / W0 >= 0.75 / 1.25 - 1e-9).all()
    with pytest.raises(ValueError, match="spread"):
        identified.perturbed_weights(found, 3, 1.0, seed=1, candidate=name)


def test_indicator_scores_and_weights(found):
    name = found.verdict.best
    scores, w = identified.indicator_scores(found, name)
    assert w.sum() == pytest.approx(1.0) and (w >= 0).all()
    assert list(w.index) == list(found.panel.indicators)
    assert set(scores.columns) == {"region", "year", "indicator", "score"}
    if found.fits[name].candidate.form != "linear":
        return
    # Under arithmetic means the index is the weighted sum of the indicator scores.
    wide = scores[scores["year"] == 2017].pivot(index="region", columns="indicator", values="score")
    total = (wide[list(w.index)] * w.to_numpy()).sum(axis=1, skipna=False)
    want = _index(found, 2017)
    regions = list(found.panel.regions)
    assert np.allclose(total.reindex(regions).to_numpy(), want, equal_nan=True)


def test_nothing_identified_is_an_error_not_a_guess():
    long, published, h, _, ext = _inputs("goalposts")
    found = identify(long, published, h, province=PROVINCE, extensive=ext)
    assert found.verdict.method is None
    with pytest.raises(ValueError, match="no method"):
        identified.indicator_scores(found)

"""The identification's parts on small made-up panels: the rounding rule, weight ranges,
importance, published domain scores, and what is said when nothing can be fitted.
(The whole path, through import, is rehearsed in test_identify_rehearsal.py.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rehearsal_methods

from zjinnov.engine import candidates as cd
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.identify import Rule, identify, printed_unit
from zjinnov.engine.importance import correlation_ratio
from zjinnov.engine.weight_ranges import RangeError, chebyshev, ranges

PROVINCE = "P"
K, DOMAINS, YEARS = 9, ("甲", "乙", "丙"), (2015, 2016, 2017, 2018)


def _panel(seed=1, regions=60):
    rng = np.random.default_rng(seed)
    codes = [f"X{i}" for i in range(K)]
    meta = pd.DataFrame(
        {
            "code": codes,
            "domain": [DOMAINS[i % 3] for i in range(K)],
            "direction": [1] * (K - 1) + [-1],
            "extensive": [i < 2 for i in range(K)],
        }
    )
    level = rng.lognormal(2, 0.5, (regions, K))
    growth = rng.normal(0.05, 0.05, (regions, K))
    names = [f"R{r:02d}" for r in range(regions)]
    values = {}
    for t, y in enumerate(YEARS):
        x = level * (1 + growth) ** t * rng.lognormal(0, 0.05, (regions, K))
        table = pd.DataFrame(np.round(x, 3), index=names, columns=codes)
        table.loc[PROVINCE] = table.mean().round(3)
        values[y] = table
    within = pd.Series(0.0, index=codes)
    for _, part in meta.groupby("domain"):
        within[part["code"]] = rng.dirichlet(np.full(len(part), 5.0))
    across = pd.Series(rng.dirichlet(np.full(3, 8.0)), index=list(DOMAINS))
    return meta, values, within, across


def _inputs(method, seed=1, decimals=1, regions=60):
    meta, values, within, across = _panel(seed, regions)
    pub = rehearsal_methods.published_index(
        method, values, meta, within, across, province=PROVINCE, base_year=2015
    )
    long = pd.concat(
        [
            t.rename_axis("region")
            .reset_index()
            .melt("region", var_name="indicator")
            .assign(year=y)
            for y, t in values.items()
        ]
    )
    published = pd.concat(
        [
            s.round(decimals).rename("value").rename_axis("region").reset_index().assign(year=y)
            for y, s in pub.items()
        ]
    )
    indicators = meta.assign(name_zh=meta["code"], weight=1.0)
    domains = pd.DataFrame({"code": ["D1", "D2", "D3"], "domain": list(DOMAINS), "weight": 1.0})
    eff = within * meta.set_index("code")["domain"].map(across)
    return (
        long,
        published,
        from_registry(indicators, domains),
        eff,
        set(meta.loc[meta["extensive"], "code"]),
    )


def test_the_printed_unit_and_the_rounding_rule():
    assert printed_unit([151.5, 148.2, 100.0]) == pytest.approx(0.1)
    assert printed_unit([12, 3, 40]) == 1.0
    assert printed_unit(["3.42", "2.5"]) == pytest.approx(0.01)
    rule = Rule(0.1)
    assert rule.rounding_rmse == pytest.approx(0.1 / np.sqrt(12))
    assert rule.holds(0.03, 0.08) and not rule.holds(0.05, 0.08) and not rule.holds(0.03, 0.11)


@pytest.mark.parametrize("method", ["province_arithmetic", "own_geometric", "chained_arithmetic"])
def test_a_small_report_is_identified_and_its_weights_bracketed(method):
    long, published, h, eff, ext = _inputs(method)
    found = identify(long, published, h, province=PROVINCE, extensive=ext)
    assert found.verdict.method == method
    w = found.weights.set_index("indicator")
    true = eff.reindex(w.index)
    assert ((true >= w["lo"] - 1e-9) & (true <= w["hi"] + 1e-9)).all()
    assert set(found.tables()) >= {"ranking", "residuals", "weights", "importance", "verdict"}


def test_unrounded_scores_pin_the_weights_down():
    long, published, h, eff, ext = _inputs("province_arithmetic", decimals=6)
    found = identify(long, published, h, province=PROVINCE, extensive=ext, unit=1e-6)
    assert found.verdict.method == "province_arithmetic"
    assert found.weights["width"].max() < 1e-4
    assert np.abs(found.weights.set_index("indicator")["weight"] - eff).max() < 1e-5


def test_published_domain_scores_enter_the_fit():
    long, published, h, eff, ext = _inputs("own_arithmetic")
    meta, values, within, across = _panel()
    # The domain scores as printed, own base, arithmetic: each domain's weighted mean.
    rows = []
    for y, table in values.items():
        base = values[2015]
        z = 100 * table / base
        z["X8"] = 100 * base["X8"] / table["X8"]
        for d, part in meta.groupby("domain"):
            w = within[part["code"]]
            score = (z[part["code"]] * w).sum(axis=1) / w.sum()
            code = {"甲": "D1", "乙": "D2", "丙": "D3"}[d]
            rows.append(
                score.round(1)
                .rename("value")
                .rename_axis("region")
                .reset_index()
                .assign(year=y, node=code)
            )
    both = pd.concat([published.assign(node="index"), *rows])
    found = identify(long, both, h, province=PROVINCE, extensive=ext)
    assert found.verdict.method == "own_arithmetic"
    assert set(found.residuals["node"]) == {"index", "D1", "D2", "D3"}
    d = found.domain_weights.set_index("domain")
    true = across.rename({"甲": "D1", "乙": "D2", "丙": "D3"}).reindex(d.index)
    assert ((true >= d["lo"] - 1e-9) & (true <= d["hi"] + 1e-9)).all()


def test_an_outside_method_is_not_called_reproduced():
    long, published, h, _, ext = _inputs("goalposts")
    found = identify(long, published, h, province=PROVINCE, extensive=ext)
    v = found.verdict
    assert not v.reproduced and v.method is None and found.weights is None
    assert v.n_identified == 0 and found.residuals["abs_residual"].is_monotonic_decreasing


def test_without_a_province_row_the_province_candidates_say_why():
    long, published, h, _, ext = _inputs("own_arithmetic")
    long = long[long["region"] != PROVINCE]
    found = identify(long, published, h, province=PROVINCE, extensive=ext)
    status = found.ranking.set_index("candidate")["status"]
    assert status["province_arithmetic"].startswith("not computable: no province row")
    assert found.verdict.method == "own_arithmetic"


def test_nothing_to_fit_is_said_not_raised():
    long, published, h, _, ext = _inputs("own_arithmetic")
    found = identify(long, published.assign(year=2030), h, province=PROVINCE, extensive=ext)
    assert found.verdict.best is None and found.verdict.reason and found.weights is None


def test_ranges_are_the_extremes_over_the_band():
    # Two weights, one row: 10·a + 20·b within 15 ± 1 and a + b = 1 -> a in [0.4, 0.6].
    A = np.array([[10.0, 20.0]])
    got = ranges(A, np.array([14.0]), np.array([16.0]), np.eye(2))
    assert got.lo == pytest.approx([0.4, 0.4]) and got.hi == pytest.approx([0.6, 0.6])
    assert chebyshev(np.array([[10.0, 20.0], [10.0, 20.0]]), np.array([14.0, 16.0]))[
        0
    ] == pytest.approx(1.0)
    with pytest.raises(RangeError):
        ranges(A, np.array([25.0]), np.array([26.0]), np.eye(2))


def test_the_correlation_ratio():
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    assert correlation_ratio(x, rng.normal(size=2000)) < 0.02  # unrelated
    assert correlation_ratio(x, x**2) > 0.9  # related, not linearly: the correlation is ~0
    assert abs(np.corrcoef(x, x**2)[0, 1]) < 0.1
    # Year means are taken out: a common trend explains nothing.
    years = np.repeat(np.arange(4), 500)
    assert correlation_ratio(x + years, rng.normal(size=2000) + 10 * years, years) < 0.02


def test_every_candidate_has_a_forward_model_and_its_derivative():
    long, published, h, _, ext = _inputs("province_arithmetic")
    from zjinnov.engine.identify import make_panel

    panel = make_panel(long, h, province=PROVINCE, base_year=2015, extensive=ext)
    rng = np.random.default_rng(3)
    for c in cd.CANDIDATES.values():
        S, cols = cd.scores(c, panel)
        member = cd.membership(panel, cols)
        start = cd.chain_start(panel.X, panel.base_pos) if c.base == "chained" else None
        e = rng.dirichlet(np.ones(S.shape[2]))
        d = rng.normal(size=len(e))
        d -= d.mean()  # along the simplex
        y0 = cd.predict(c, S, e, member, panel.base_pos, start)[0]
        y1 = cd.predict(c, S, e + 1e-6 * d, member, panel.base_pos, start)[0]
        dy = cd.jacobian(c, S, e, member, panel.base_pos, start)[0]
        ok = cd.defined(c, S, start)
        numeric = (y1 - y0)[ok] / 1e-6
        analytic = (dy @ d)[ok]
        assert np.allclose(numeric, analytic, rtol=1e-3, atol=1e-4), c.name


def test_the_found_method_scores_every_region_year():
    long, published, h, _, ext = _inputs("chained_arithmetic")
    found = identify(long, published, h, province=PROVINCE, extensive=ext)
    scores = found.scores()
    index = scores[scores["node"] == "index"].set_index(["region", "year"])["score"]
    pub = published.set_index(["region", "year"])["value"]
    both = index.reindex(pub.index)
    assert both.notna().all() and (both - pub).abs().max() <= found.verdict.max_limit
    assert set(scores["node"]) == {"index", "D1", "D2", "D3"}
    assert found.scores("province_arithmetic")["score"].notna().all()

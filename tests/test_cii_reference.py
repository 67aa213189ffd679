"""NBS China Innovation Index: published totals and the chained-growth method.

Reference: tests/reference/nbs-cii.csv, a verbatim copy of sources/china_innovation_index_nbs.csv
(NBS releases as reprinted; URLs per row).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zjinnov.engine import cii
from zjinnov.engine.aggregate import chain_array
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.index import IndexMethod, build_index
from zjinnov.engine.normalise import normalise_array

REF = Path(__file__).parent / "reference" / "nbs-cii.csv"


def test_total_is_equal_weight_mean_of_domains_in_every_full_year():
    table = cii.total_vs_domains(cii.load(REF))
    # Every year published with all four domains is checked, on both bases (2005 and 2015 = 100).
    assert len(table) == 10
    assert set(table["base"]) == {"2005=100", "2015=100"}
    # Domains and total are published to one decimal: rounding explains up to 0.1.
    assert table["diff"].abs().max() <= cii.rounding_tolerance(1) + 1e-9


def test_unequal_weights_would_not_fit():
    # The check has teeth: tilting the weights breaks it in some year.
    w = {
        "innovation_environment": 0.4,
        "innovation_input": 0.2,
        "innovation_output": 0.2,
        "innovation_effect": 0.2,
    }
    table = cii.total_vs_domains(cii.load(REF), w)
    assert table["diff"].abs().max() > 1.0


def _hand_example() -> pd.DataFrame:
    # Domain D1: indicators A (positive, weight 0.6) and B (negative, weight 0.4).
    # Domain D2: indicator C (positive). Base year 2015 = 100; 2014 lies before the base.
    rows = {
        "A": {2014: 8.0, 2015: 10.0, 2016: 12.0, 2017: 15.0},
        "B": {2014: 5.0, 2015: 5.0, 2016: 4.0, 2017: 5.0},
        "C": {2014: 20.0, 2015: 20.0, 2016: 22.0, 2017: 24.2},
    }
    return pd.DataFrame(
        [
            {"region": "U", "year": y, "indicator": k, "value": v}
            for k, s in rows.items()
            for y, v in s.items()
        ]
    )


def _hand_registry():
    ind = pd.DataFrame(
        {
            "code": ["A", "B", "C"],
            "domain": ["甲", "甲", "乙"],
            "direction": [1, -1, 1],
            "weight": [0.6, 0.4, 1.0],
        }
    )
    dom = pd.DataFrame({"code": ["D1", "D2"], "domain": ["甲", "乙"], "weight": [1.0, 1.0]})
    return from_registry(ind, dom)


# Worked by hand.
# Growth (x_t / x_{t-1}; reversed for B: x_{t-1} / x_t):
#   2015: A 10/8 = 1.25, B 5/5 = 1.00   -> D1 growth 0.6·1.25 + 0.4·1.00 = 1.15
#   2016: A 12/10 = 1.20, B 5/4 = 1.25  -> 0.6·1.20 + 0.4·1.25 = 0.72 + 0.50 = 1.22
#   2017: A 15/12 = 1.25, B 4/5 = 0.80  -> 0.6·1.25 + 0.4·0.80 = 0.75 + 0.32 = 1.07
# D1: 2015 = 100; 2016 = 100·1.22 = 122; 2017 = 122·1.07 = 130.54; 2014 = 100 / 1.15 = 86.9565...
# D2 (C alone): 2014 = 100 (no growth into 2015); 2016 = 110; 2017 = 110·1.1 = 121.
# Index = (D1 + D2) / 2: 2016 = 116; 2017 = (130.54 + 121) / 2 = 125.77.
HAND = {
    "D1": {2014: 100 / 1.15, 2015: 100.0, 2016: 122.0, 2017: 130.54},
    "D2": {2014: 100.0, 2015: 100.0, 2016: 110.0, 2017: 121.0},
    "index": {2014: (100 / 1.15 + 100) / 2, 2015: 100.0, 2016: 116.0, 2017: 125.77},
}


def test_chained_growth_reproduces_the_hand_computation():
    result = build_index(_hand_example(), _hand_registry(), IndexMethod.chained())
    got = result.scores[result.scores["level"] > 1].pivot(
        index="year", columns="node", values="score"
    )
    for node, series in HAND.items():
        assert got[node].to_numpy() == pytest.approx(list(series.values()), abs=1e-9), node


def test_chain_differs_from_averaging_levels():
    # Averaging 2017 levels against 2015 gives 0.6·150 + 0.4·100 = 130, not 130.54: chaining
    # is path-dependent, as the NBS 2012 environment domain (144.0 vs 148.7) shows.
    ratio = build_index(_hand_example(), _hand_registry(), IndexMethod(normaliser="base_ratio"))
    s = ratio.scores.set_index(["year", "node"])["score"]
    assert s[(2017, "D1")] == pytest.approx(130.0)
    assert s[(2017, "D1")] != pytest.approx(HAND["D1"][2017])


def test_chain_array_directly():
    x = (
        _hand_example()
        .pivot(index="year", columns="indicator", values="value")
        .to_numpy()[:, None, :]
    )
    g = normalise_array(x, "growth", direction=[1, -1, 1])
    assert g[2, 0, 0] == pytest.approx(120.0) and g[2, 0, 1] == pytest.approx(125.0)
    w = np.array([[0.6, 0.4, 0.0], [0.0, 0.0, 1.0]])
    d = chain_array(g, w, base_pos=1)
    assert d[0, :, 0] == pytest.approx(list(HAND["D1"].values()))
    assert d[1, :, 0] == pytest.approx(list(HAND["D2"].values()))


def test_missing_year_breaks_the_chain_instead_of_guessing():
    x = np.array([[[10.0]], [[11.0]], [[np.nan]], [[13.0]]])
    g = normalise_array(x, "growth")
    d = chain_array(g, np.array([1.0]), base_pos=0)
    assert d[0, 1, 0] == pytest.approx(110.0)
    assert np.isnan(d[0, 2:, 0]).all()

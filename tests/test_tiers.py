import numpy as np
import pandas as pd
import pytest

from zjinnov.engine.tiers import TierRule, assign_tiers, rank


def test_rank_ties_named():
    s = pd.Series([90.0, 80.0, 80.0, 70.0, np.nan], index=list("abcde"))
    assert rank(s, "min").tolist()[:4] == [1, 2, 2, 4]
    assert rank(s, "dense").tolist()[:4] == [1, 2, 2, 3]
    assert rank(s, "average").tolist()[:4] == [1, 2.5, 2.5, 4]
    assert np.isnan(rank(s)["e"])
    with pytest.raises(ValueError, match="ties="):
        rank(s, "random")


def test_first_tier_of_29_of_90_units():
    scores = pd.Series(np.linspace(300, 100, 90), index=[f"u{k:02d}" for k in range(90)])
    tiers = assign_tiers(scores, TierRule.top_n(29, labels=("第一梯队", "其他")))
    assert (tiers == "第一梯队").sum() == 29
    assert tiers.iloc[28] == "第一梯队" and tiers.iloc[29] == "其他"


def test_tie_at_the_cut_is_kept_together():
    scores = pd.Series([5.0, 4.0, 3.0, 3.0, 1.0])
    tiers = assign_tiers(scores, TierRule.top_n(3))
    assert tiers.tolist() == ["tier 1"] * 4 + ["other"]


def test_eis_bands_relative_to_a_reference():
    scores = pd.Series([130.0, 125.0, 110.0, 100.0, 80.0, 70.0, 69.9], index=list("abcdefg"))
    tiers = assign_tiers(scores, TierRule.eis(reference=100.0))
    assert tiers.tolist() == [
        "leader",
        "leader",
        "strong",
        "strong",
        "moderate",
        "moderate",
        "emerging",
    ]


def test_mean_rule_and_reference_unit_in_long_table():
    long = pd.DataFrame(
        {
            "region": ["a", "b", "c", "a", "b", "c"],
            "year": [2020] * 3 + [2021] * 3,
            "node": ["index"] * 6,
            "score": [1.0, 2.0, 6.0, 3.0, 3.0, 3.0],
        }
    )
    out = assign_tiers(long, TierRule.vs_mean())
    assert out["tier"].tolist() == ["below mean", "below mean", "above mean"] + ["above mean"] * 3
    rel = assign_tiers(long, TierRule.bands((100.0,), ("below b", "at or above b"), reference="b"))
    assert rel.loc[0, "tier_value"] == pytest.approx(50.0)
    assert rel["tier"].tolist()[:3] == ["below b", "at or above b", "at or above b"]
    assert out.attrs["tier_rule"]["kind"] == "ratio"

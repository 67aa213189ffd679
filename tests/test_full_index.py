"""The full index's pieces on small tables, and what it says with the public data alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zjinnov.data import framework, sources
from zjinnov.data.errors import DataValidationError
from zjinnov.study import full_index as fi

IND = framework.load_indicators()
DOM = framework.load_domains()


def _values(rows):
    return pd.DataFrame(rows, columns=["county_code", "year", "indicator", "value"])


def test_counts_take_their_own_base_and_ratios_need_the_provinces_2015():
    v = _values(
        [
            ("330000", 2015, "I01", 2.0),
            ("330000", 2016, "I01", 2.2),
            ("330185", 2015, "I01", 3.0),
            ("330112", 2017, "I01", 3.3),  # 临安市 then 临安区
            ("330185", 2015, "I10", 0.0),
            ("330185", 2016, "I10", 50.0),
            ("330112", 2017, "I10", 100.0),
            ("330108", 2016, "I02", 10.0),  # the province has no 2015 value of I02: no base
            ("330100", 2016, "I01", 2.5),  # a city is not a county unit
        ]
    )
    out = fi.scorable(v, IND).set_index(["region", "year", "indicator"])["value"]
    assert out[("330112", 2015, "I01")] == 3.0 and out[("330112", 2017, "I01")] == 3.3
    # A count is a multiple of its own first positive value; a zero before it scores zero.
    assert out[("330112", 2016, "I10")] == 1.0 and out[("330112", 2017, "I10")] == 2.0
    assert out[("330112", 2015, "I10")] == 0.0
    assert ("330108", 2016, "I02") not in out.index
    assert not out.index.get_level_values("region").isin(["330100", "330185"]).any()


def test_the_coverage_rule_is_per_domain_and_read_from_the_registry():
    d1 = IND[IND["domain"] == "科技投入"]["code"].tolist()  # 7 indicators
    rows = [("330112", 2020, c, 1.0) for c in d1[:6]]
    ev = _values(rows).rename(columns={"county_code": "region"})
    cov, elig = fi.coverage(ev, IND, DOM, years=[2020])
    mine = cov[(cov["county_code"] == "330112") & (cov["domain"] == "科技投入")].iloc[0]
    assert (mine["present"], mine["total"]) == (6, 7) and mine["meets"]  # 6/7 >= 0.8
    row = elig[elig["county_code"] == "330112"].iloc[0]
    assert not row["eligible"] and "技术创新" in row["short"] and "科技投入" not in row["short"]
    assert len(elig) == 90  # every county unit of 2020 is accounted for
    strict = DOM.assign(min_coverage="1")
    cov, _ = fi.coverage(ev, IND, strict, years=[2020])
    assert not cov[(cov["county_code"] == "330112") & (cov["domain"] == "科技投入")]["meets"].iloc[
        0
    ]
    with pytest.raises(DataValidationError, match="min_coverage"):
        fi.min_coverage(DOM.assign(min_coverage="1.5"))


@pytest.fixture(scope="module")
def public():
    obs = sources.load_observations()
    return fi.full_index(obs, IND, DOM, "330112", sources=sources.load_sources(), draws=0)


def test_public_data_cannot_carry_the_full_index_and_say_why(public):
    assert public.facts["n_eligible"] == 0 and public.result is None and public.table.empty
    assert public.facts["county_best_present"] < public.facts["n_indicators"]
    mine = public.coverage[public.coverage["county_code"] == "330112"]
    assert set(mine["domain"]) == set(DOM["domain"])
    rec = public.reconciliation.set_index(["county_code", "year", "source_id"])
    assert rec.loc[("330112", 2020, "linan-2022-03"), "published"] == 156.1
    assert rec.loc[("330108", 2020, "binjiang-2021-11"), "published"] == 273.9
    assert rec["recomputed"].isna().all()
    # Every published value without a recomputation names the domains that fall short.
    assert (rec.loc[rec["published"].notna(), "why_not"].str.len() > 0).all()


def test_published_ranks_and_inferred_figures(public):
    rec = public.reconciliation
    # The 2022 rank of Lin'an was inferred from "up 8 places": not a published figure.
    assert not ((rec["county_code"] == "330112") & (rec["year"] == 2022)).any()
    assert public.facts["n_published"] == int(rec["published"].notna().sum())
    assert public.facts["tier_size"] == 29


def test_ranks_and_tiers_on_a_small_complete_panel():
    rng = np.random.default_rng(0)
    codes = ["330000", "330102", "330105", "330106", "330108"]
    rows = []
    for year in (2015, 2016):
        for c in codes:
            for code in IND["code"]:
                rows.append(
                    (c, year, code, float(rng.uniform(1, 10)) + (5 if c == "330108" else 0))
                )
    ev = _values(rows).rename(columns={"county_code": "region"})
    from zjinnov.engine.hierarchy import from_registry
    from zjinnov.engine.index import build_index

    result = build_index(ev, from_registry(IND, DOM), fi.method())
    table = fi.score_table(result, DOM, 2)
    for _, part in table.groupby("year"):
        assert sorted(part["rank"]) == [1, 2, 3, 4] and (part["n_ranked"] == 4).all()
        assert part.sort_values("rank")["tier"].tolist() == ["第一梯队", "第一梯队", "其他", "其他"]
    assert "330000" not in set(table["county_code"])
    assert set(DOM["domain"]) <= set(table.columns)

"""The full index's pieces on small tables, and what it says with the public data alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zjinnov.data import framework, paths
from zjinnov.data.errors import DataValidationError
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.index import build_index
from zjinnov.study import bases as base_rule
from zjinnov.study import full_coverage as fc
from zjinnov.study import full_index as fi
from zjinnov.study.study import Study

IND = framework.load_indicators()
DOM = framework.load_domains()
FW = paths.FRAMEWORK


def _values(rows):
    return pd.DataFrame(rows, columns=["county_code", "year", "indicator", "value"])


def test_only_county_units_and_the_province_take_part_under_their_current_codes():
    v = _values(
        [
            ("330000", 2015, "I01", 2.0),
            ("330185", 2015, "I01", 3.0),
            ("330112", 2017, "I01", 3.3),  # 临安市 then 临安区
            ("330100", 2016, "I01", 2.5),  # a city is not a county unit
        ]
    ).assign(source_ids="s")
    out = fc.taking_part(v, IND, FW).set_index(["county_code", "year", "indicator"])["value"]
    assert out[("330112", 2015, "I01")] == 3.0 and out[("330112", 2017, "I01")] == 3.3
    assert not out.index.get_level_values("county_code").isin(["330100", "330185"]).any()


def test_counts_take_their_own_base_and_ratios_the_provinces():
    v = _values(
        [
            ("330000", 2015, "I01", 2.0),
            ("330112", 2015, "I01", 3.0),
            ("330112", 2016, "I10", 50.0),
            ("330112", 2017, "I10", 100.0),
            ("330108", 2016, "I02", 10.0),  # the province never publishes I02: own base
        ]
    ).assign(source_ids="s")
    regions = ["330000", "330112", "330108"]
    bases = base_rule.base_table(
        v, regions, reference="330000", base_year=2015, extensive=framework.extensive_codes(IND)
    )
    ratio = base_rule.as_ratios(v, bases, 2015).set_index(["region", "year", "indicator"])["value"]
    assert ratio[("330112", 2015, "I01")] == 1.5
    # A count is a multiple of its own first positive value.
    assert ratio[("330112", 2016, "I10")] == 1.0 and ratio[("330112", 2017, "I10")] == 2.0
    b = bases.set_index(["region", "indicator"])
    assert b.at[("330108", "I02"), "rule"] == "own_earliest"


def test_the_coverage_rule_is_per_domain_and_read_from_the_registry():
    d1 = IND[IND["domain"] == "科技投入"]["code"].tolist()  # 7 indicators
    rows = [("330112", 2020, c, 1.0) for c in d1[:6]]
    ev = _values(rows).rename(columns={"county_code": "region"})
    cov, elig = fc.coverage(ev, IND, DOM, FW, years=[2020])
    mine = cov[(cov["county_code"] == "330112") & (cov["domain"] == "科技投入")].iloc[0]
    assert (mine["present"], mine["total"]) == (6, 7) and mine["meets"]  # 6/7 >= 0.8
    row = elig[elig["county_code"] == "330112"].iloc[0]
    assert not row["eligible"] and "技术创新" in row["short"] and "科技投入" not in row["short"]
    assert len(elig) == 90  # every county unit of 2020 is accounted for
    strict = DOM.assign(min_coverage="1")
    cov, _ = fc.coverage(ev, IND, strict, FW, years=[2020])
    assert not cov[(cov["county_code"] == "330112") & (cov["domain"] == "科技投入")]["meets"].iloc[
        0
    ]
    with pytest.raises(DataValidationError, match="min_coverage"):
        fc.min_coverage(DOM.assign(min_coverage="1.5"))


@pytest.fixture(scope="module")
def public():
    return Study.load("330112", paths.DATA).full_index(draws=0)


def test_public_data_cannot_carry_the_full_index_and_say_why(public):
    assert not public.eligible["eligible"].any() and public.result is None and public.table.empty
    # No report printed an index beside every indicator: nothing to identify the method from,
    # so the registry's method stands, as an assumption.
    assert public.found.status == "no_report" and public.found.identification is None
    assert public.used == fi.REGISTRY and not public.identified
    mine = public.coverage[public.coverage["county_code"] == "330112"]
    assert set(mine["domain"]) == set(DOM["domain"])
    assert mine.groupby("year")["present"].sum().max() < len(IND)
    rec = public.reconciliation.set_index(["county_code", "year", "source_id"])
    assert rec.loc[("330112", 2020, "linan-2022-03"), "published"] == 156.1
    assert rec.loc[("330108", 2020, "binjiang-2021-11"), "published"] == 273.9
    assert rec["recomputed"].isna().all()
    # Every published value without a recomputation names the domains that fall short.
    assert (rec.loc[rec["published"].notna(), "why_not"].map(len) > 0).all()


def test_published_ranks_and_inferred_figures(public):
    rec = public.reconciliation
    # The 2022 rank of Lin'an was inferred from "up 8 places": not a published figure.
    assert not ((rec["county_code"] == "330112") & (rec["year"] == 2022)).any()
    assert public.tier_size == 29


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
    v = _values(rows).assign(source_ids="s")
    bases = base_rule.base_table(
        v, codes, reference="330000", base_year=2015, extensive=framework.extensive_codes(IND)
    )
    result = build_index(
        base_rule.as_ratios(v, bases, 2015), from_registry(IND, DOM), fi.method(2015)
    )
    table = fi.score_table(result, DOM, 2, fi.names(FW))
    for _, part in table.groupby("year"):
        assert sorted(part["rank"]) == [1, 2, 3, 4] and (part["n_ranked"] == 4).all()
        assert part.sort_values("rank")["tier"].tolist() == [*fi.TIERS[:1] * 2, *fi.TIERS[1:] * 2]
    # The province is scored (its own index) but never ranked, nor the pseudo-region of bases.
    assert not set(table["county_code"]) & {"330000", base_rule.BASE_REGION}
    assert set(DOM["domain"]) <= set(table.columns)
    assert len(fi.province_scores(result)) == 2

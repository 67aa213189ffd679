"""The one base rule (`zjinnov.study.bases`) on small tables, and its use by both indices."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from zjinnov.data import paths
from zjinnov.study import bases as base_rule
from zjinnov.study import partial_index as pi
from zjinnov.study.study import Study

DOMAIN_OF = {"I01": "科技投入", "I03": "科技投入", "I10": "技术创新"}
INDICATORS = pd.DataFrame(
    {
        "code": ["I01", "I03", "I10"],
        "name_zh": ["R&D经费支出占GDP比重", "企业研发投入占比", "国家高新技术企业数"],
        "domain": ["科技投入", "科技投入", "技术创新"],
        "unit": ["%", "%", "家"],
        "direction": [1, 1, 1],
        "weight": 1.0,
        "normaliser": "base_ratio",
    }
)
DOMAINS = pd.DataFrame({"code": ["D1", "D2"], "domain": ["科技投入", "技术创新"], "weight": 0.5})


def _values(rows):
    return pd.DataFrame(rows, columns=["county_code", "year", "indicator", "value", "source_ids"])


VALUES = _values(
    [
        ("330000", 2015, "I01", 2.36, "p15"),
        ("330000", 2020, "I01", 2.88, "p20"),
        ("330112", 2020, "I01", 3.34, "a"),
        ("330112", 2023, "I01", 3.87, "b"),
        ("330112", 2021, "I10", 349.0, "c"),
        ("330112", 2023, "I10", 400.0, "d"),
        ("330000", 2021, "I10", 47000.0, "g"),
        ("330112", 2024, "I03", 3.98, "e"),
        ("330112", 2019, "I03", 0.0, "z"),  # a zero is never a base
    ]
)


def _bases(values=VALUES, reference="330000"):
    table = base_rule.base_table(
        values, ["330112"], reference=reference, base_year=2015, extensive={"I10"}
    )
    return table.set_index("indicator")


def test_reference_base_year_else_earliest_and_own_for_counts():
    b = _bases()
    assert (b.at["I01", "rule"], b.at["I01", "base_value"]) == ("reference", 2.36)
    # A count is never put against the province's total: the county's own first year.
    assert (b.at["I10", "rule"], b.at["I10", "base_year"]) == ("own_earliest", 2021)
    # The province does not publish I03: the county's own first positive value.
    assert (b.at["I03", "rule"], b.at["I03", "base_year"]) == ("own_earliest", 2024)
    # Without a base-year value, the province's earliest year serves.
    later = _bases(VALUES[VALUES["year"] != 2015])
    assert (later.at["I01", "rule"], later.at["I01", "base_year"]) == ("reference_earliest", 2020)
    # No reference: every indicator on the county's own values.
    own = _bases(reference=None)
    assert set(own["rule"]) == {"own_earliest"} and own.at["I01", "base_value"] == 3.34


def test_a_domain_scored_only_against_its_own_value_of_that_year_is_left_out():
    bases = base_rule.base_table(
        VALUES, ["330112"], reference="330000", base_year=2015, extensive={"I10"}
    )
    kept = base_rule.informative(VALUES, bases, DOMAIN_OF, base_year=2015)
    mine = kept[kept["county_code"] == "330112"].set_index(["year", "indicator"])["value"]
    # 2021: I10 against its own 2021 value is all its domain has: the domain is left out.
    assert (2021, "I10") not in mine.index and (2023, "I10") in mine.index
    # 2024: I03 against its own 2024 value, alone in its domain that year: left out too.
    assert (2024, "I03") not in mine.index
    # The province's base-year values are the index's definition (2015 = 100): kept.
    prov = base_rule.base_table(VALUES, ["330000"], reference="330000", base_year=2015)
    assert (base_rule.informative(VALUES, prov, DOMAIN_OF, base_year=2015)["year"] == 2015).any()


def test_the_partial_index_never_scores_a_domain_from_its_own_value():
    bases = _bases().reset_index().drop(columns="region")
    partial = pi.partial_index(VALUES, bases, INDICATORS, DOMAINS, "330112", base_year=2015)
    cov = partial.coverage.set_index("year")
    assert cov.at[2020, "index"] == pytest.approx(100 * 3.34 / 2.36)
    assert 2021 not in cov.index and 2024 not in cov.index  # nothing but self-scores
    assert cov.at[2023, "domains"] == ["科技投入", "技术创新"]
    assert np.isfinite(cov["index"]).all()
    none = pi.partial_index(VALUES, bases, INDICATORS, DOMAINS, "330383", base_year=2015)
    assert none.result is None and none.coverage.empty and "n_indicators" in none.coverage


def test_ratios_against_a_pseudo_region_of_ones_are_the_same_scores():
    bases = base_rule.base_table(
        VALUES, ["330112", "330000"], reference="330000", base_year=2015, extensive={"I10"}
    )
    ratios = base_rule.as_ratios(VALUES, bases, base_year=2015)
    assert ratios.columns.tolist() == ["region", "year", "indicator", "value"]
    ones = ratios[ratios["region"] == base_rule.BASE_REGION]
    assert (ones["value"] == 1.0).all() and set(ones["year"]) == {2015}
    r = ratios.set_index(["region", "year", "indicator"])["value"]
    assert r[("330112", 2020, "I01")] == pytest.approx(3.34 / 2.36)
    assert r[("330112", 2023, "I10")] == pytest.approx(400 / 349)


def test_to_engine_takes_county_code_not_the_measurement_unit():
    iv = VALUES.assign(unit="%", status="published")
    out = base_rule.to_engine(iv, ["330112", "330000"])
    assert out.columns.tolist() == ["region", "year", "indicator", "value"]
    assert set(out["region"]) == {"330000", "330112"}


def test_both_indices_take_their_bases_from_the_one_rule():
    study = Study.load("330112", paths.DATA)
    full = study.full_index(draws=0).bases
    mine = full[full["region"] == "330112"].drop(columns="region").reset_index(drop=True)
    cols = ["indicator", "base_value", "base_region", "base_year", "rule"]
    pd.testing.assert_frame_equal(mine[cols], study.bases[cols].reset_index(drop=True))


def test_the_base_year_is_the_frameworks(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    settings = data / "framework" / "settings.csv"
    settings.write_text(settings.read_text(encoding="utf-8").replace(",2015,", ",2020,"), "utf-8")
    study = Study("330112", data)
    assert study.base_year == 2020
    bases = study.bases.set_index("indicator")
    assert bases.at["I01", "base_year"] == 2020 and bases.at["I01", "rule"] == "reference"


def test_the_partial_index_leaves_out_an_indicator_scored_against_itself():
    # 2024: I03 (against its own 2024 value) beside I01 (against the province) in one domain.
    # The partial index keeps the domain but not I03's self-score, which would pull the
    # domain towards 100 by construction; the full index's domain-level rule keeps it.
    values = pd.concat([VALUES, _values([("330112", 2024, "I01", 4.10, "f")])], ignore_index=True)
    bases = _bases(values).reset_index().drop(columns="region")
    partial = pi.partial_index(values, bases, INDICATORS, DOMAINS, "330112", base_year=2015)
    cov = partial.coverage.set_index("year")
    assert cov.at[2024, "indicators"] == ["I01"]
    assert cov.at[2024, "index"] == pytest.approx(100 * 4.10 / 2.36)
    with_region = bases.assign(region="330112")
    domain_level = base_rule.informative(values, with_region, DOMAIN_OF, base_year=2015)
    assert ((domain_level["year"] == 2024) & (domain_level["indicator"] == "I03")).any()
    with pytest.raises(ValueError, match="level"):
        base_rule.informative(values, with_region, DOMAIN_OF, base_year=2015, level="node")

"""Chapter 02 (指标体系与方法) for three counties: the registry read as it is, the two outside
references reproduced, and the county's own coverage (none for 磐安)."""

from __future__ import annotations

import pandas as pd
import pytest
from chapter_checks import build_for

from zjinnov.data import paths
from zjinnov.present import sentences
from zjinnov.study.chapters import method

COUNTIES = ("330112", "330108", "330727")
WORDS = {"domains": {"aggregation": "rule"}, "eis_tiers": {"eis_tier": "term"}}


@pytest.fixture(scope="module")
def results():
    return build_for(COUNTIES, method.build)


def value(result, name):
    return result.facts[name].value


def test_registry_facts_match_the_registry_files(results):
    _, result = results["330112"]
    ind = pd.read_csv(paths.FRAMEWORK / "indicators.csv", dtype=str, keep_default_na=False)
    dom = pd.read_csv(paths.FRAMEWORK / "domains.csv", dtype=str, keep_default_na=False)
    assert value(result, "c02_n_indicators") == len(ind)
    assert value(result, "c02_n_domains") == len(dom)
    assert value(result, "c02_n_standard") == int((ind["standard"] != "").sum())
    grades = pd.read_csv(paths.FRAMEWORK / "evidence_grades.csv", dtype=str)
    needs = ind["evidence"].map(grades.set_index("grade")["requires"])
    assert value(result, "c02_n_evidence_source") == int((needs == "citation").sum())
    assert value(result, "c02_n_evidence_choice") == int((needs == "reason").sum())
    assert value(result, "c02_n_evidence_source") + value(result, "c02_n_evidence_choice") == len(
        ind
    )
    evidence = result.tables["evidence"]
    assert list(evidence["evidence_label"]) == list(grades["label_zh"])
    assert evidence["n_indicators"].sum() == len(ind)
    weights = dom["weight"].astype(float)
    assert value(result, "c02_domain_weight") == pytest.approx(weights.iloc[0])
    assert weights.nunique() == 1
    table = result.tables["domains"]
    assert table["n_indicators"].sum() == len(ind)
    assert (table["n_evidence_source"] + table["n_evidence_choice"]).sum() == len(ind)


def test_weights_sentence_says_they_are_assumed(results):
    _, result = results["330112"]
    assert "本研究的假设" in sentences.render("c02_weights", result.facts)
    assert "assumption" in sentences.render("c02_weights", result.facts, "en")


def test_coinr_asem_reproduced(results):
    _, result = results["330112"]
    assert value(result, "c02_asem_first") == "CHE" and value(result, "c02_asem_che_rank") == 1
    assert round(value(result, "c02_asem_che_score"), 2) == 68.38
    assert value(result, "c02_asem_n_matched") == value(result, "c02_asem_n_published") == 6
    tiers = result.tables["eis_tiers"]
    assert tiers["n_countries"].sum() == value(result, "c02_asem_n_regions")
    assert list(tiers["eis_tier"]) == ["leader", "strong", "moderate", "emerging"]


def test_cii_totals_within_rounding(results):
    _, result = results["330112"]
    cii = result.tables["cii"]
    assert value(result, "c02_cii_n_years") == len(cii) > 0
    assert value(result, "c02_cii_n_beyond") == 0
    assert value(result, "c02_cii_max_diff") <= value(result, "c02_cii_tolerance")


def test_chained_example_matches_the_hand_calculation(results):
    _, result = results["330112"]
    # The chapter's text works the example by hand: domain A 130.54, index 125.77 in 2017.
    assert value(result, "c02_chain_d1") == pytest.approx(130.54)
    assert value(result, "c02_chain_index") == pytest.approx(125.77)
    assert value(result, "c02_chain_hand_d1") == pytest.approx(value(result, "c02_chain_d1"))
    assert value(result, "c02_chain_hand_index") == pytest.approx(value(result, "c02_chain_index"))
    assert value(result, "c02_ratio_d1") != pytest.approx(value(result, "c02_chain_d1"))


def test_county_coverage(results):
    study, result = results["330112"]
    assert value(result, "c02_county_n_ind") == study.values_of()["indicator"].nunique() > 0
    _, panan = results["330727"]
    assert panan.facts["c02_county_n_ind"].missing
    assert "没有一个" in sentences.render("c02_county", panan.facts)

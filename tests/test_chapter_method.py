"""Chapter 02 (指标体系与方法) for three counties: the registry read as it is, the two outside
references reproduced, and the county's own coverage (none for 磐安)."""

from __future__ import annotations

import pandas as pd
import pytest
from chapter_checks import build_for, city_words, placeholders, unlabelled

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
    assert value(result, "n_indicators") == len(ind)
    assert value(result, "n_domains") == len(dom)
    assert value(result, "n_standard") == int((ind["standard"] != "").sum())
    grades = pd.read_csv(paths.FRAMEWORK / "evidence_grades.csv", dtype=str)
    needs = ind["evidence"].map(grades.set_index("grade")["requires"])
    assert value(result, "n_evidence_source") == int((needs == "citation").sum())
    assert value(result, "n_evidence_choice") == int((needs == "reason").sum())
    assert value(result, "n_evidence_source") + value(result, "n_evidence_choice") == len(ind)
    evidence = result.tables["evidence"]
    assert list(evidence["evidence_label"]) == list(grades["label_zh"])
    assert evidence["n_indicators"].sum() == len(ind)
    weights = dom["weight"].astype(float)
    assert value(result, "domain_weight") == pytest.approx(weights.iloc[0])
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
    assert value(result, "asem_first") == "CHE" and value(result, "asem_che_rank") == 1
    assert round(value(result, "asem_che_score"), 2) == 68.38
    assert value(result, "asem_n_matched") == value(result, "asem_n_published") == 6
    tiers = result.tables["eis_tiers"]
    assert tiers["n_countries"].sum() == value(result, "asem_n_regions")
    assert list(tiers["eis_tier"]) == ["leader", "strong", "moderate", "emerging"]


def test_cii_totals_within_rounding(results):
    _, result = results["330112"]
    cii = result.tables["cii"]
    assert value(result, "cii_n_years") == len(cii) > 0
    assert value(result, "cii_n_beyond") == 0
    assert value(result, "cii_max_diff") <= value(result, "cii_tolerance")


def test_chained_example_matches_the_hand_calculation(results):
    _, result = results["330112"]
    # The chapter's text works the example by hand: domain A 130.54, index 125.77 in 2017.
    assert value(result, "chain_d1") == pytest.approx(130.54)
    assert value(result, "chain_index") == pytest.approx(125.77)
    assert value(result, "chain_hand_d1") == pytest.approx(value(result, "chain_d1"))
    assert value(result, "chain_hand_index") == pytest.approx(value(result, "chain_index"))
    assert value(result, "ratio_d1") != pytest.approx(value(result, "chain_d1"))


def test_county_coverage(results):
    study, result = results["330112"]
    assert value(result, "county_n_ind") == study.values_of()["indicator"].nunique() > 0
    _, panan = results["330727"]
    assert panan.facts["county_n_ind"].missing
    assert "没有一个" in sentences.render("c02_county", panan.facts)


@pytest.mark.parametrize("county", COUNTIES)
def test_sentences_and_tables(results, county):
    study, result = results[county]
    assert not placeholders(result)
    assert not city_words(result, study.city)
    assert not unlabelled(result, WORDS)

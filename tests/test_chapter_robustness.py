"""Chapter 04 (robustness of the partial index) for three counties on the real data.

The audit must be of the Study's one partial index: its nominal run is that index, year by
year, and the bases it varies from are the Study's. Draws are kept small here; the book runs
the shared settings (`zjinnov.study.uncertainty_settings`).
"""

from __future__ import annotations

import numpy as np
import pytest
from chapter_checks import HANGZHOU_WORDS, PLACEHOLDER

from zjinnov.present import labels, sentences
from zjinnov.study.chapters import robustness
from zjinnov.study.study import Study

COUNTIES = ("330112", "330108", "330727")
DRAWS, SOBOL_N = 200, 64
CHOICE_WORDS = {"varied_assumption": "term", "option": "term"}
SHOWN = {
    "data": None,
    "domain_scores": None,
    "assumptions": CHOICE_WORDS,
    "by_choice": CHOICE_WORDS,
    "removal": {"tree_level": "term"},
}


@pytest.fixture(scope="module")
def results():
    return {c: robustness.build(Study.load(c), draws=DRAWS, sobol_n=SOBOL_N) for c in COUNTIES}


def rendered(result, lang):
    return {k: sentences.render(k, result.facts, lang) for k in sentences.keys("c04")}


@pytest.mark.parametrize("code", ("330112", "330108"))
def test_nominal_run_is_the_studys_partial_index(results, code):
    cov = Study.load(code).partial.coverage.set_index("year")["index"]
    intervals = results[code].tables["intervals"]
    for scheme, rows in intervals.groupby("scheme"):
        nominal = rows.set_index("year")["nominal"].dropna()
        assert set(cov.index) <= set(nominal.index), scheme
        assert np.allclose(nominal.loc[cov.index], cov), scheme
    f = results[code].facts
    assert f["c04_latest"].value == cov.index.max()
    assert f["c04_nominal"].value == pytest.approx(cov.loc[cov.index.max()])
    assert f["c04_lo"].value <= f["c04_median"].value <= f["c04_hi"].value


def test_audit_varies_from_the_studys_bases(results):
    study = Study.load("330112")
    bases = study.partial.bases
    data = results["330112"].tables["data"]
    others = data[data["region"] != study.name]
    expected = bases[bases["base_region"] != study.county]
    assert sorted(zip(others["indicator"], others["value"], strict=True)) == sorted(
        zip(expected["indicator"], expected["base_value"], strict=True)
    )
    assert results["330112"].facts["c04_n_used"].value == len(bases)
    # Lin'an's city publishes some of its indicators: three distinct references to vary.
    options = results["330112"].tables["assumptions"]
    references = options[options["varied_assumption"] == "reference_region"]["option"]
    assert references.tolist() == ["reference_province", "reference_city", "reference_own"]


@pytest.mark.parametrize("code", ("330112", "330108"))
def test_dominant_assumption_is_read_from_the_variance_shares(results, code):
    f = results[code].facts
    sobol = results[code].tables["sobol"].sort_values("st", ascending=False)
    assert f["c04_top_factor"].value == sobol["varied_assumption"].iloc[0]
    assert f["c04_second_factor"].value == sobol["varied_assumption"].iloc[1]
    assert f["c04_top_st"].value == pytest.approx(sobol["st"].iloc[0])
    assert f["c04_top_st"].value >= f["c04_second_st"].value
    # The sentence names the assumption in each language's words from the labels table.
    for lang in ("zh", "en"):
        word = labels.label(f["c04_top_factor"].value, "term", lang)
        assert word in sentences.render("c04_dominant", f, lang)


def test_removal_counts_a_removal_that_leaves_no_score(results):
    # Binjiang's latest year rests on one indicator: removing it (or its domain) empties the index.
    removal = results["330108"].tables["removal"]
    assert len(removal) and removal["score_removed"].isna().all()
    f = results["330108"].facts
    assert f["c04_n_no_effect"].value + len(removal) == 34 + 5


def test_panan_has_no_partial_index_and_says_so(results):
    from zjinnov.present import sentences

    f = results["330727"].facts
    for name in ("c04_latest", "c04_nominal", "c04_median", "c04_top_factor", "c04_n_no_effect"):
        assert f[name].missing, name
    # One true line, not "it has none, or an assumption cannot be applied".
    summary = sentences.render("c04_summary_robustness", f)
    assert summary == "磐安县没有一项指标能由公开数据完整算出，没有部分指数，因此没有稳健性分析。"
    assert "Pan'an County has no indicator" in sentences.render("c04_summary_robustness", f, "en")
    for lang in ("zh", "en"):
        for key, text in rendered(results["330727"], lang).items():
            # A dash between two percentiles (5%—95%) is a range, not a placeholder.
            assert not PLACEHOLDER.search(text), (key, text)
            assert not any(w in text for w in HANGZHOU_WORDS), (key, text)


def test_same_seed_same_result():
    again = robustness.build(Study.load("330108"), draws=DRAWS, sobol_n=SOBOL_N, seed=7)
    once = robustness.build(Study.load("330108"), draws=DRAWS, sobol_n=SOBOL_N, seed=7)
    assert once.facts["c04_median"].value == again.facts["c04_median"].value
    assert once.tables["sobol"]["st"].tolist() == again.tables["sobol"]["st"].tolist()

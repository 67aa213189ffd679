"""Appendix A4 (ASEM rank intervals): county-independent, on a small design so the test is
quick; the book runs the shared settings (`zjinnov.study.uncertainty_settings`)."""

from __future__ import annotations

import pandas as pd
import pytest
from chapter_checks import placeholders, unlabelled

from zjinnov.present import labels, sentences
from zjinnov.study import uncertainty_settings as settings
from zjinnov.study.chapters import asem

DRAWS, SOBOL_N = 300, 64
WORDS = {"sobol": {"varied_assumption": "term"}, "removal": {"tree_level": "term"}}


@pytest.fixture(scope="module")
def result():
    return asem.build(draws=DRAWS, sobol_n=SOBOL_N)


def value(result, name):
    return result.facts[name].value


def test_baseline_is_coinr(result):
    assert value(result, "a4_base_first") == "CHE"
    assert round(value(result, "a4_base_focus_score"), 2) == 68.38
    ranks = result.tables["ranks"]
    assert list(ranks["rank_nominal"]) == sorted(ranks["rank_nominal"])
    assert ranks["rank_nominal"].iloc[0] == value(result, "a4_focus_rank") == 1
    assert len(ranks) == value(result, "a4_n_regions")


def test_intervals_and_indices_hold_together(result):
    assert asem.check(result) == []
    ranks = result.tables["ranks"]
    widest = ranks.loc[ranks["width"].idxmax()]
    assert value(result, "a4_widest") == widest["region"]
    assert value(result, "a4_median_width") == ranks["width"].median()
    sobol = result.tables["sobol"]
    assert value(result, "a4_n_runs") == SOBOL_N * (len(sobol) + 2)
    assert value(result, "a4_top") == sobol.loc[sobol["st"].idxmax(), "varied_assumption"]
    assert value(result, "a4_interaction") == pytest.approx(
        max(1 - sobol["s1"].clip(lower=0).sum(), 0)
    )


def test_settings_are_the_shared_ones(result):
    assert value(result, "a4_draws") == DRAWS
    assert value(result, "a4_spread") == settings.SPREAD
    assert value(result, "a4_alpha") == settings.ALPHA
    assert (value(result, "a4_lo"), value(result, "a4_hi")) == (settings.LO, settings.HI)
    assert settings.sobol_runs(7) == settings.SOBOL_N * 9


def test_same_seed_same_result():
    a = asem.build(draws=40, sobol_n=8)
    b = asem.build(draws=40, sobol_n=8)
    pd.testing.assert_frame_equal(a.tables["ranks"], b.tables["ranks"])
    c = asem.build(draws=40, sobol_n=8, seed=settings.SEED + 1)
    assert not a.tables["ranks"].equals(c.tables["ranks"])


def test_factor_words_come_from_the_labels(result):
    # The fact holds the vocabulary key; each language's sentence words it from the labels.
    top = result.facts["a4_top"]
    assert top.kind == "term"
    zh, en = labels.label(top.value, "term", "zh"), labels.label(top.value, "term", "en")
    assert f"“{zh}”" in sentences.render("a4_sobol", result.facts)
    assert f'"{en}"' in sentences.render("a4_sobol", result.facts, "en")


def test_removal_table(result):
    removal = result.tables["removal"]
    assert len(removal) == value(result, "a4_n_removals")
    assert removal["rank_shift_mean"].is_monotonic_decreasing
    assert set(removal["tree_level"]) <= set(asem.LEVEL_WORDS.values())


def test_sentences_and_tables(result):
    assert not placeholders(result)
    assert not unlabelled(result, WORDS)

"""Appendix A4 (ASEM rank intervals): county-independent, on a small design so the test is
quick; the book runs the shared settings (`zjinnov.study.uncertainty_settings`)."""

from __future__ import annotations

import pandas as pd
import pytest
from chapter_checks import placeholders, unlabelled

from zjinnov.present import fact_words, labels, sentences
from zjinnov.study import uncertainty_settings as settings
from zjinnov.study.chapters import asem

DRAWS, SOBOL_N = 300, 64
WORDS = {"sobol": {"varied_assumption": "term"}, "removal": {"tree_level": "term"}}


@pytest.fixture(scope="module")
def result():
    return fact_words.with_words(asem.build(draws=DRAWS, sobol_n=SOBOL_N), asem.WORDS)


def value(result, name):
    return result.facts[name].value


def test_baseline_is_coinr(result):
    assert value(result, "base_first") == "CHE"
    assert round(value(result, "base_focus_score"), 2) == 68.38
    ranks = result.tables["ranks"]
    assert list(ranks["rank_nominal"]) == sorted(ranks["rank_nominal"])
    assert ranks["rank_nominal"].iloc[0] == value(result, "focus_rank") == 1
    assert len(ranks) == value(result, "n_regions")


def test_intervals_and_indices_hold_together(result):
    assert asem.check(result) == []
    ranks = result.tables["ranks"]
    widest = ranks.loc[ranks["width"].idxmax()]
    assert value(result, "widest") == widest["region"]
    assert value(result, "median_width") == ranks["width"].median()
    sobol = result.tables["sobol"]
    assert value(result, "n_runs") == SOBOL_N * (len(sobol) + 2)
    assert value(result, "top") == sobol.loc[sobol["st"].idxmax(), "varied_assumption"]
    assert value(result, "interaction") == pytest.approx(
        max(1 - sobol["s1"].clip(lower=0).sum(), 0)
    )


def test_settings_are_the_shared_ones(result):
    assert value(result, "draws") == DRAWS
    assert value(result, "spread") == settings.SPREAD
    assert value(result, "alpha") == settings.ALPHA
    assert (value(result, "lo"), value(result, "hi")) == (settings.LO, settings.HI)
    assert settings.sobol_runs(7) == settings.SOBOL_N * 9


def test_same_seed_same_result():
    a = asem.build(draws=40, sobol_n=8)
    b = asem.build(draws=40, sobol_n=8)
    pd.testing.assert_frame_equal(a.tables["ranks"], b.tables["ranks"])
    c = asem.build(draws=40, sobol_n=8, seed=settings.SEED + 1)
    assert not a.tables["ranks"].equals(c.tables["ranks"])


def test_factor_words_come_from_the_labels(result):
    top = value(result, "top")
    assert value(result, "top_zh") == labels.label(top, "term", "zh")
    assert value(result, "top_en") == labels.label(top, "term", "en")
    assert f"“{value(result, 'top_zh')}”" in sentences.render("a4_sobol", result.facts)


def test_removal_table(result):
    removal = result.tables["removal"]
    assert len(removal) == value(result, "n_removals")
    assert removal["rank_shift_mean"].is_monotonic_decreasing
    assert set(removal["tree_level"]) <= set(asem.LEVEL_WORDS.values())


def test_sentences_and_tables(result):
    assert not placeholders(result)
    assert not unlabelled(result, WORDS)

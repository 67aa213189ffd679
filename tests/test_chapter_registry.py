"""Appendix A1 (indicator registry) as a chapter function: counts from the registry file,
every table labelled, the sentences filled."""

from __future__ import annotations

import pandas as pd
import pytest

from zjinnov.data.paths import FRAMEWORK
from zjinnov.study.chapters import registry
from zjinnov.study.study import Study


@pytest.fixture(scope="module")
def result():
    return registry.build(Study.load("330112"))


def test_counts_come_from_the_registry_file(result):
    raw = pd.read_csv(FRAMEWORK / "indicators.csv", dtype=str, keep_default_na=False)
    assert result.facts["a1_n"].value == len(raw)
    assert result.tables["grades"]["n_indicators"].sum() == len(raw)
    assert result.tables["by_domain"]["n_indicators"].sum() == len(raw)
    official = raw.loc[raw["evidence"] == "official_rank", "code"]
    shown = result.tables["registry"].set_index("indicator")["evidence"]
    assert set(shown[official]) == {"官方报告点名并排位"}


def test_each_rank_grade_shows_the_quote_that_names_its_province_rank(result):
    """Every indicator graded official_rank or article_rank has a row whose quote prints its
    province rank (全省第…位); a city rank is not one."""
    raw = pd.read_csv(FRAMEWORK / "indicators.csv", dtype=str, keep_default_na=False)
    graded = set(raw.loc[raw["evidence"].isin(["official_rank", "article_rank"]), "code"])
    quotes = result.tables["rank_quotes"]
    assert set(quotes["indicator"]) == graded
    assert quotes["quote"].str.contains("全省").all()
    assert not quotes["quote"].str.contains("全市").any()
    assert result.facts["a1_n_rank_quoted"].value == len(graded)
    assert result.facts["a1_n_rank_graded"].evidence

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

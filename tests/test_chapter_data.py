"""Chapter 01 (数据与来源) for three counties on the real data: Lin'an (330112), Binjiang
(330108, Hangzhou, little data) and 磐安 (330727, Jinhua: plan targets, no indicator data).

Expected values are read here from the raw files themselves, not from the chapter's code.
"""

from __future__ import annotations

import pandas as pd
import pytest
from chapter_checks import build_for

from zjinnov.data import paths
from zjinnov.study.chapters import data

COUNTIES = ("330112", "330108", "330727")
WORDS = {
    "sources_by_kind": {"source_kind": "term"},
    "code_changes": {"unit_type": "term"},
    "coverage": {"status": "status"},
    "own_checks": {"verdict": "status", "period": "term"},
}


@pytest.fixture(scope="module")
def results():
    return build_for(COUNTIES, data.build)


@pytest.fixture(scope="module")
def raw():
    frames = [
        pd.read_csv(p, dtype=str, keep_default_na=False).assign(file=p.name)
        for p in sorted(paths.RAW.glob("*.csv"))
    ]
    return pd.concat(frames, ignore_index=True)


def value(result, name):
    return result.facts[name].value


def test_rows_by_kind_add_up_to_the_raw_tables(results, raw):
    _, result = results["330112"]
    conf = raw["confidence"]
    assert value(result, "c01_n_raw_rows") == len(raw)
    assert value(result, "c01_n_raw_files") == raw["file"].nunique()
    assert value(result, "c01_n_derived") == int((conf == "derived").sum())
    assert value(result, "c01_n_inferred") == int((conf == "inferred").sum())
    assert value(result, "c01_n_implied") == int((conf == "implied").sum())
    published = int((~conf.isin(["derived", "inferred", "implied"])).sum())
    assert value(result, "c01_n_published") == published
    assert value(result, "c01_n_no_quote") == int((raw["quote"].str.strip() == "").sum())
    assert value(result, "c01_n_derived") > 0, "the raw tables hold derived rows today"


def test_no_computed_row_is_an_observation(results):
    study, result = results["330112"]
    assert value(result, "c01_n_computed_used") == 0
    assert set(study.best["status"]) == {"published"}
    by_file = result.tables["rows_by_file"]
    assert by_file["n_total"].sum() == value(result, "c01_n_raw_rows")


def test_sources_table_totals(results):
    study, result = results["330112"]
    table = result.tables["sources_by_kind"].set_index("source_kind")
    assert table.loc["total", "n_total"] == len(study.sources) == value(result, "c01_n_sources")
    assert table.drop(index="total")["n_total"].sum() == len(study.sources)


def test_units_and_registry_changes(results):
    _, result = results["330112"]
    counties = pd.read_csv(paths.FRAMEWORK / "counties.csv", dtype=str, keep_default_na=False)
    year = value(result, "c01_units_year")
    start = pd.to_numeric(counties["valid_from"]).fillna(0)
    end = pd.to_numeric(counties["valid_to"]).fillna(9999)
    alive = (start <= year) & (end >= year) & (counties["type"] != "statistical_zone")
    assert value(result, "c01_n_units") == int(alive.sum())
    changes = result.tables["code_changes"]
    assert {"330185", "330383", "330371"} <= set(changes["county_code"])
    assert value(result, "c01_n_code_changes") == len(changes)


def test_lin_an_checks_are_computed_from_its_figures(results, raw):
    _, result = results["330112"]
    seed = raw[(raw["county_code"] == "330112") & (raw["source_id"] == "seed")]
    fig = seed.set_index("variable")["value"]
    net = float(fig["total_tax_relief"]) - float(fig["hightech_income_tax_relief"])
    assert value(result, "c01_tax_relief_net") == pytest.approx(net)
    assert result.facts["c01_tax_relief_net"].unit == "亿元"
    assert value(result, "c01_rd_published") == pytest.approx(3.34)
    assert value(result, "c01_rd_next_gap") > value(result, "c01_rd_next_tolerance")
    assert value(result, "c01_own_partial_year") >= 1
    assert len(value(result, "c01_own_inconsistent_items")) == value(
        result, "c01_n_own_inconsistent"
    )


@pytest.mark.parametrize("county", ["330108", "330727"])
def test_lin_an_only_checks_are_missing_elsewhere(results, county):
    _, result = results[county]
    for name in (
        "c01_rd_year",
        "c01_rd_next_recomputed",
        "c01_tax_relief_net",
        "c01_own_partial_year",
    ):
        assert result.facts[name].missing, name
    assert result.facts["c01_own_inconsistent_items"].missing


def test_own_targets(results):
    targets = pd.read_csv(paths.DATA / "targets.csv", dtype=str, keep_default_na=False)
    panan = targets[(targets["region_code"] == "330727") & (targets["target_value"] != "")]
    assert value(results["330727"][1], "c01_n_own_targets") == len(panan) > 0
    assert results["330112"][1].facts["c01_n_own_targets"].missing  # recorded as not found
    assert results["330108"][1].facts["c01_n_own_targets"].missing


def test_coverage_of_a_county_without_indicator_data(results):
    study, result = results["330727"]
    assert value(result, "c01_n_ind_complete") == 0
    assert value(result, "c01_n_ind_none") + value(result, "c01_n_ind_any") == len(study.indicators)
    cov = result.tables["coverage"]
    assert set(cov["indicator"]) == set(study.indicators["code"])
    assert value(results["330112"][1], "c01_n_ind_complete") > 0


def test_summary_sentence_says_what_is_missing(results):
    from zjinnov.present import sentences

    _, result = results["330727"]
    zh = sentences.render("c01_summary_data", result.facts, "zh")
    assert "磐安县" in zh and str(value(result, "c01_n_sources")) in zh
    result.facts["c01_n_own_rows"] = type(result.facts["c01_n_own_rows"])(None, "count")
    assert "没有被选作观测值的已发表数字" in sentences.render("c01_summary_data", result.facts)


def test_evidence_sentence_lists_the_grades(results):
    from zjinnov.present import sentences

    _, result = results["330112"]
    grades = pd.read_csv(paths.FRAMEWORK / "evidence_grades.csv", dtype=str)
    zh = sentences.render("c01_evidence", result.facts)
    en = sentences.render("c01_evidence", result.facts, "en")
    counts = results["330112"][0].indicators["evidence"].value_counts()
    for row in grades.itertuples():
        if counts.get(row.grade, 0):
            assert f"{row.label_zh} {counts[row.grade]} 项" in zh
            assert f"{row.label_en}: {counts[row.grade]}" in en


def test_source_counts_say_listed_cited_and_context(results, raw):
    """97 listed is not 97 cited: the sentence counts what rows cite and names the sources
    that are context only (data/sources.csv `use`)."""
    from zjinnov.present import sentences

    _, result = results["330112"]
    sources = pd.read_csv(paths.DATA / "sources.csv", dtype=str, keep_default_na=False)
    context = sources.loc[sources["use"].eq("context"), "source_id"]
    assert value(result, "c01_n_sources") == len(sources)
    assert value(result, "c01_n_sources_context") == len(context)
    assert value(result, "c01_n_sources_cited") == len(sources) - len(context)
    assert value(result, "c01_n_sources_cited_raw") == raw["source_id"].nunique()
    zh = sentences.render("c01_sources", result.facts)
    assert all(s in zh for s in context) and "只作背景资料" in zh


def test_rows_by_status_count_preliminary_and_formula_figures(results, raw):
    from zjinnov.present import sentences

    _, result = results["330112"]
    computed = raw["confidence"].isin(["derived", "inferred", "implied"])
    marked = (raw["release"].eq("preliminary") & ~computed).sum()
    assert value(result, "c01_n_preliminary") == marked > 0
    table = result.tables["rows_by_file"]
    assert table["n_preliminary"].sum() == marked
    # The census ratios are computed by formula from published cells and ranked in chapter 05:
    # the chapter says so instead of "only used for checks".
    items = result.facts["c01_formula_items"].value
    assert "每万人大专及以上学历人数" in set(items["name_zh"])
    summary = sentences.render("c01_summary_data", result.facts)
    assert "只作核对" not in summary and "排名、上图" in summary
    assert "全省比较一章" in sentences.render("c01_formula", result.facts)

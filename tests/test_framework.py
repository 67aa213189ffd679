import pandas as pd
import pytest
from conftest_data import make_data_dir, make_obs

from zjinnov.data import framework, rank_evidence, selection, sources
from zjinnov.data.errors import DataValidationError
from zjinnov.data.validate import validate_all
from zjinnov.engine.normalise import NORMALISERS


def test_registry_has_34_indicators_each_with_an_evidence_grade():
    ind = framework.load_indicators()
    grades = framework.load_evidence_grades()
    assert len(ind) == 34 and ind["code"].tolist() == [f"I{i:02d}" for i in range(1, 35)]
    assert set(ind["domain"]) == set(framework.DOMAINS)
    assert set(ind["evidence"]) <= set(grades["grade"])
    needs = ind["evidence"].map(dict(zip(grades["grade"], grades["requires"], strict=True)))
    assert ind.loc[needs.eq("citation"), "citation"].str.len().gt(0).all()
    assert ind.loc[needs.eq("reason"), "reason"].str.len().gt(0).all()
    assert (ind.groupby("domain")["weight"].sum() - 1).abs().lt(1e-5).all()
    by_grade = ind.groupby("evidence")["code"].apply(set).to_dict()
    # What the sources say: four with a province rank in Lin'an's own reports, one (I05) with a
    # province rank only in the undated seed article; five on a machine-translated page naming
    # topics; one on another county's plan target.
    assert by_grade["official_rank"] == {"I01", "I08", "I09", "I22"}
    assert by_grade["article_rank"] == {"I05"}
    assert by_grade["secondary_topic"] == {"I10", "I11", "I15", "I16", "I17"}
    assert by_grade["other_plan"] == {"I02"}


def test_evidence_grades_are_labelled_in_both_languages():
    grades = framework.load_evidence_grades()
    assert grades["grade"].tolist()[:3] == ["official_rank", "article_rank", "other_plan"]
    assert grades[["label_zh", "label_en", "meaning_zh", "meaning_en"]].map(len).gt(0).all().all()
    assert set(grades["requires"]) == {"citation", "reason"}


def test_citations_exist_in_sources():
    ids = set(sources.load_sources()["source_id"])
    cited = {
        c.strip()
        for cs in framework.load_indicators()["citation"]
        for c in cs.split(";")
        if c.strip()
    }
    assert cited <= ids


def test_domains_equal_weights():
    dom = framework.load_domains()
    assert dom["weight"].tolist() == [0.2] * 5 and dom["domain"].tolist() == framework.DOMAINS


def test_malformed_registry_reported(tmp_path):
    root = make_data_dir(tmp_path)
    ind = pd.read_csv(root / "framework" / "indicators.csv", dtype=str, keep_default_na=False)
    ind.loc[0, "formula"] = "__import__('os')"
    ind.loc[1, "evidence"] = "other_plan"
    ind.loc[1, "citation"] = ""
    ind.loc[2, "evidence"] = "hearsay"
    ind.loc[3, "evidence"] = "study_choice"
    ind.loc[3, "reason"] = ""
    ind = ind.drop(index=33)
    ind.to_csv(root / "framework" / "indicators.csv", index=False)
    rules = {(p.file, p.row, p.rule) for p in validate_all(root, sorted(NORMALISERS)).problems}
    assert (
        "framework/indicators.csv",
        2,
        "formula invalid or names a variable not in variables.csv",
    ) in rules
    assert (
        "framework/indicators.csv",
        3,
        "an indicator whose evidence is a source needs a citation",
    ) in rules
    assert (
        "framework/indicators.csv",
        5,
        "an indicator chosen by this study needs a reason",
    ) in rules
    assert any(row == 4 and r.startswith("evidence must be a grade") for _, row, r in rules)
    assert any(r == "registry must hold exactly 34 indicators" for _, _, r in rules)
    with pytest.raises(DataValidationError):
        framework.load_indicators(root / "framework")


def test_evidence_grades_table_is_validated(tmp_path):
    root = make_data_dir(tmp_path)
    grades = pd.read_csv(
        root / "framework" / "evidence_grades.csv", dtype=str, keep_default_na=False
    )
    grades.loc[0, "requires"] = "hope"
    grades.loc[1, "label_zh"] = ""
    grades.to_csv(root / "framework" / "evidence_grades.csv", index=False)
    found = {(p.file, p.row, p.column) for p in validate_all(root, sorted(NORMALISERS)).problems}
    assert ("framework/evidence_grades.csv", 2, "requires") in found
    assert ("framework/evidence_grades.csv", 3, "label_zh") in found
    (root / "framework" / "evidence_grades.csv").unlink()
    missing = validate_all(root, sorted(NORMALISERS)).problems
    assert [(p.file, p.rule) for p in missing] == [
        ("framework/evidence_grades.csv", "file missing")
    ]


def test_registry_summary_counts_each_grade_per_domain():
    from zjinnov.engine import hierarchy

    ind, dom = framework.load_indicators(), framework.load_domains()
    grades = framework.load_evidence_grades()["grade"].tolist()
    summary = hierarchy.summarise_registry(ind, dom, grades).set_index("domain")
    assert summary[grades].sum(axis=1).tolist() == summary["indicators"].tolist()
    assert (
        summary[grades].sum().to_dict()
        == ind["evidence"].value_counts().reindex(grades, fill_value=0).to_dict()
    )
    assert summary.loc["科技投入", "official_rank"] == 1  # I01
    assert summary.loc["科技投入", "article_rank"] == 1  # I05


def _registry(rows):
    return pd.DataFrame(rows, columns=["code", "formula", "unit"]).assign(
        name_zh="x", domain="科技投入", weight=1.0, direction=1
    )


def test_indicator_values_pass_through_and_compute():
    obs = make_obs(
        [
            ("330112", 2021, "hightech_industry_value_added", 187.82),
            ("330112", 2021, "above_scale_industry_value_added", 230.82),
            ("330112", 2020, "rd_intensity", 3.34),
            ("330112", 2020, "hightech_industry_value_added", 120.73, "1-11"),
        ]
    )
    reg = _registry(
        [
            ("A", "rd_intensity", "%"),
            ("B", "hightech_industry_value_added / above_scale_industry_value_added * 100", "%"),
        ]
    )
    out = framework.indicator_values(selection.best(obs, allow_partial=False), reg).set_index(
        "indicator"
    )
    assert out.loc["A", ["year", "value", "status"]].tolist() == [2020, 3.34, "published"]
    assert (
        out.loc["B", "value"] == pytest.approx(81.3708, abs=1e-4)
        and out.loc["B", "status"] == "computed"
    )
    assert len(out) == 2  # the Jan-Nov 2020 figure is not used by default


def test_partial_year_only_on_request():
    obs = make_obs([("330112", 2020, "hightech_investment_growth", 44.5, "1-11")])
    reg = _registry([("G", "hightech_investment_growth", "%")])
    assert framework.indicator_values(selection.best(obs, allow_partial=False), reg).empty
    out = framework.indicator_values(selection.best(obs), reg)
    assert out["status"].tolist() == ["partial"]


def test_shipped_data_gives_study_county_values():
    out = framework.indicator_values(
        selection.best(sources.load_observations(), allow_partial=False)
    )
    lin = out[out["county_code"] == "330112"].set_index(["indicator", "year"])
    assert lin.loc[("I01", 2019), "value"] == pytest.approx(3.42)
    assert lin.loc[("I22", 2021), "value"] == pytest.approx(81.37, abs=0.01)


def test_published_figure_wins_over_recomputation_and_fills_gaps():
    obs = make_obs(
        [
            ("330112", 2021, "hightech_industry_value_added", 187.82),
            ("330112", 2021, "above_scale_industry_value_added", 230.82),
            ("330112", 2021, "hightech_share_of_above_scale_industry_va", 81.37),
            ("330100", 2022, "hightech_share_of_above_scale_industry_va", 70.5),
        ]
    )
    reg = _registry(
        [("B", "hightech_industry_value_added / above_scale_industry_value_added * 100", "%")]
    )
    reg["published_as"] = "hightech_share_of_above_scale_industry_va"
    out = framework.indicator_values(selection.best(obs, allow_partial=False), reg).set_index(
        ["county_code", "year"]
    )
    assert out.loc[("330112", 2021), ["value", "status"]].tolist() == [81.37, "published"]
    # No components for the city: the published share alone gives the indicator.
    assert out.loc[("330100", 2022), "value"] == 70.5
    assert len(out) == 2


# --- the rows behind a rank grade -----------------------------------------------------------


def test_every_rank_grade_shows_the_quote_that_names_its_province_rank():
    evidence = rank_evidence.load_rank_evidence()
    ind = framework.load_indicators()
    graded = set(ind.loc[ind["evidence"].isin(list(rank_evidence.RANK_GRADES)), "code"])
    assert set(evidence["indicator"]) == graded
    assert evidence["variable"].str.endswith("_rank_zj").all()
    official = evidence[evidence["evidence"].eq("official_rank")]
    assert official.groupby("indicator")["source_kind"].agg(lambda k: "official" in set(k)).all()
    i22 = evidence[evidence["indicator"].eq("I22")].iloc[0]
    assert (i22["year"], i22["value"], i22["source_id"]) == (2024, 8, "linan-2025-03")
    assert "全省第8位" in i22["quote"]


def test_a_city_rank_does_not_support_a_province_rank_grade():
    from zjinnov.data.errors import ValidationReport

    obs, src = sources.load_observations(), sources.load_sources()
    ind = framework.load_indicators()
    # As the registry had it: I01 also cited linan-2022-03, which ranks it in the city only;
    # I05 graded official on the seed article alone.
    ind.loc[ind["code"].eq("I01"), "citation"] = "seed; linan-2022-03; linan-2025-03"
    ind.loc[ind["code"].eq("I05"), "evidence"] = "official_rank"
    report = ValidationReport()
    rank_evidence.check_rank_evidence(obs, ind, src, report)
    found = {(p.row, p.column): p.rule for p in report.problems}
    assert len(found) == 2
    assert "linan-2022-03" in found[(2, "citation")]
    assert "from an official source" in found[(6, "evidence")]
    clean = ValidationReport()
    rank_evidence.check_rank_evidence(obs, framework.load_indicators(), src, clean)
    assert clean.ok

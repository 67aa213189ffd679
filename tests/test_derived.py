"""Figures derived by the registry's formulas (variables.csv, indicators.csv) from published rows."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest_data import make_data_dir

from zjinnov.data import derived, quotes, selection, sources
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import FRAMEWORK


def test_a_variable_that_names_an_indicator_has_the_indicators_formula():
    formulas = derived.formulas(FRAMEWORK)
    indicators = pd.read_csv(FRAMEWORK / "indicators.csv", dtype=str).set_index("code")
    assert formulas["college_per_10k"] == indicators.at["I29", "formula"]
    # A variable comes after the variables it reads.
    order = list(formulas)
    assert order.index("pop_college_plus") < order.index("college_per_10k")


@pytest.fixture(scope="module")
def shipped():
    return sources.load_observations()


def test_census_college_count_is_the_sum_of_four_published_cells(shipped):
    cells = shipped[shipped["file"].eq("census2020_education.csv")]
    assert len(cells) == 4 * 102 and selection.status_of(cells["confidence"]).eq("published").all()
    summed = cells.groupby("county_code")["value"].sum()
    college = shipped[shipped["variable"].eq("pop_college_plus")].set_index("county_code")
    assert (
        college["confidence"].eq("derived").all()
        and college["file"].eq(derived.VARIABLES_FILE).all()
    )
    assert college["value"].to_dict() == summed.to_dict()
    assert college.at["330112", "value"] == 112191 and college.at["330000", "value"] == 10970312
    # No census count of data/raw is a derived row any more: each rests on published cells.
    raw = shipped[shipped["file"].str.startswith("census2020")]
    assert selection.status_of(raw["confidence"]).eq("published").all()


def test_every_derived_row_names_its_rows_and_its_formula_holds(shipped):
    rows = shipped[shipped["file"].eq(derived.VARIABLES_FILE)]
    assert set(rows["variable"]) == {"pop_college_plus", "college_per_10k", "urbanisation_rate"}
    keys = set(
        shipped["county_code"]
        + "/"
        + shipped["year"].astype(str)
        + "/"
        + shipped["variable"]
        + "@"
        + shipped["source_id"]
    )
    for note in rows["note"]:
        cited = [m.group(0) for m in quotes.ROW_REF.finditer(note)]
        assert cited and set(cited) <= keys
    # The quote rules for a derived row hold for every one (formula gives the value, every
    # cited row's value is in the formula).
    found = [p for p in quotes.check(shipped, {}) if p.file == derived.VARIABLES_FILE]
    assert found == []
    lin_an = rows[rows["county_code"].eq("330112")].set_index("variable")["value"]
    assert lin_an["college_per_10k"] == pytest.approx(112191 / 634555 * 10000)
    assert "I29" in rows.loc[rows["variable"].eq("college_per_10k"), "note"].iloc[0]


def test_derived_rows_never_stand_for_published_ones(shipped):
    best = selection.best(shipped)
    assert not best["variable"].isin(["pop_college_plus", "college_per_10k"]).any()


def test_inputs_are_combined_within_one_document_only(tmp_path):
    header = "county_code,county_name,year,report_year,variable,value,unit,period,source_id,confidence,quote,note"
    rows = [
        "330112,临安区,2020,,pop_census7_urban,376348,人,year,seed,medium,城镇人口376348人,",
        "330112,临安区,2020,,pop_census7_resident,634555,人,year,linan-2022-03,high,常住人口634555人,",
    ]
    root = make_data_dir(tmp_path, [])
    (root / "raw" / "test.csv").write_text("\n".join([header, *rows]) + "\n")
    obs = sources.load_observations(root)
    assert "urbanisation_rate" not in set(obs["variable"])


def test_formula_problems_are_reported(tmp_path):
    root = make_data_dir(tmp_path, [])
    path = root / "framework" / "variables.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    formulas = table.set_index("variable")["formula"]
    formulas["gdp"] = "gdp_per_capita * no_such_variable"
    formulas["gdp_per_capita"] = "I99"
    formulas["pop_census7_rural"] = "pop_census7_resident - "
    table["formula"] = formulas.to_numpy()
    table.to_csv(path, index=False)
    report = ValidationReport()
    derived.check_formulas(root / "framework", report)
    rules = {p.value: p.rule for p in report.problems}
    assert "unknown variables: no_such_variable" in rules["gdp_per_capita * no_such_variable"]
    assert "indicator code not in indicators.csv" in rules["I99"]
    assert "not understood" in rules["pop_census7_resident -"]
    shutil.rmtree(root)


def test_a_circle_of_definitions_is_reported(tmp_path):
    root = make_data_dir(tmp_path, [])
    path = root / "framework" / "variables.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    formulas = table.set_index("variable")["formula"]
    formulas["gdp"] = "gdp_per_capita * 2"
    formulas["gdp_per_capita"] = "gdp / 2"
    table["formula"] = formulas.to_numpy()
    table.to_csv(path, index=False)
    report = ValidationReport()
    derived.check_formulas(root / "framework", report)
    assert any("circular" in p.rule for p in report.problems)

"""Figures onto the map's units through the registry's 2020 -> 2021 links, the one selection
policy, and a unit's standing among the others, for several study counties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zjinnov.data import geography, map_units
from zjinnov.engine import ranking

# The census ratios the registry defines (variables.csv, indicator I29).
CENSUS_RATIOS = ("urbanisation_rate", "college_per_10k")

MERGED = {"330103": "330105", "330105": "330105", "330371": "330303", "330303": "330303"}
CHANGED_2021 = {"330102", "330109", "330110", "330113", "330114"}


def synthetic_census() -> pd.DataFrame:
    """Census-like counts on 2020 boundaries (fixed seed): the 90 units of 2020 and the
    Wenzhou zone the census lists on its own."""
    codes = sorted(set(geography.units_in_year(2020).code) | {"330371"})
    rng = np.random.default_rng(20201101)
    resident = rng.integers(100_000, 2_000_000, len(codes)).astype(float)
    urban = np.floor(resident * rng.uniform(0.4, 1.0, len(codes)))
    college = np.floor(resident * rng.uniform(0.05, 0.5, len(codes)))
    wide = pd.DataFrame(
        {
            "county_code": codes,
            "pop_census7_resident": resident,
            "pop_census7_urban": urban,
            "pop_college_plus": college,
            "urbanisation_rate": urban / resident * 100,
            "college_per_10k": college / resident * 1e4,
            "avg_years_schooling": rng.uniform(8, 14, len(codes)),
        }
    )
    long = wide.melt("county_code", var_name="variable", value_name="value")
    return long.assign(year=2020, confidence="high")


@pytest.fixture(scope="module")
def census_2020():
    return synthetic_census()


@pytest.fixture(scope="module")
def map_codes():
    """Today's units, the ones a map draws (tests/test_maps.py checks the boundaries agree)."""
    return geography.units_in_year(geography.current_boundary_year()).code


def test_harmonise_sums_counts_and_recomputes_ratios(census_2020, map_codes):
    h = map_units.harmonise_to_map(census_2020, map_codes)
    wide_in = census_2020.pivot(index="county_code", columns="variable", values="value")
    out = h.set_index(["county_code", "variable"])
    for new in ("330105", "330303"):
        parts = [k for k, v in MERGED.items() if v == new]
        pop = wide_in.loc[parts, "pop_census7_resident"].sum()
        assert out.loc[(new, "pop_census7_resident"), "value"] == pytest.approx(pop)
        assert out.loc[(new, "pop_census7_resident"), "status"] == "summed"
        college = wide_in.loc[parts, "pop_college_plus"].sum()
        rate = out.loc[(new, "college_per_10k")]
        assert rate.value == pytest.approx(college / pop * 1e4) and rate.status == "recomputed"
        # A population-weighted ratio, not the plain mean of the two parts' ratios.
        plain = wide_in.loc[parts, "college_per_10k"].mean()
        assert rate.value != pytest.approx(plain)
        sch = out.loc[(new, "avg_years_schooling")]
        assert np.isnan(sch.value) and sch.status == "needs_weights"
        assert set(parts) == {c[-7:-1] for c in rate.from_units.split("+")}


def test_harmonise_never_apportions(census_2020, map_codes):
    h = map_units.harmonise_to_map(census_2020, map_codes)
    changed = h[h.county_code.isin(CHANGED_2021)]
    assert set(changed.county_code) == CHANGED_2021
    assert changed.value.isna().all()
    assert (changed.status == "boundary_changed").all()
    assert not {"330103", "330104", "330371"} & set(h.county_code)
    untouched = h[~h.county_code.isin(CHANGED_2021 | set(MERGED.values()))]
    assert (untouched.status == "same").all()
    # 90 map units minus the five with changed boundaries carry every census count.
    assert h[h.variable == "pop_census7_resident"].value.notna().sum() == 85


def test_harmonise_needs_every_part(census_2020, map_codes):
    thin = census_2020[
        ~((census_2020.county_code == "330103") & (census_2020.variable == "pop_census7_resident"))
    ]
    h = map_units.harmonise_to_map(thin, map_codes).set_index(["county_code", "variable"])
    assert h.loc[("330105", "pop_census7_resident"), "status"] == "part_missing"
    assert np.isnan(h.loc[("330105", "college_per_10k"), "value"])


def test_later_years_pass_through(map_codes):
    obs = pd.DataFrame(
        {
            "county_code": ["330113", "330114", "330104", "330113"],
            "year": [2022, 2022, 2020, 2022],
            "variable": ["gdp"] * 4,
            "value": [1001.0, 1226.0, 999.0, 1006.7],
            "confidence": ["medium", "medium", "high", "low"],
        }
    )
    h = map_units.harmonise_to_map(obs, map_codes).set_index(["county_code", "year"])
    assert h.loc[("330113", 2022), "value"] == 1001.0  # the more confident of two sources
    assert h.loc[("330114", 2022), "status"] == "same"
    assert np.isnan(h.loc[("330114", 2020), "value"])


@pytest.mark.parametrize("code", ["330112", "330108", "330113", "330103"])
def test_standing_for_any_county(census_2020, code):
    units = set(geography.units_in_year(2020).code)
    table = census_2020[census_2020.variable.isin(CENSUS_RATIOS)]
    s = ranking.standings(table[table.county_code.isin(units)], code)
    assert set(s.variable) == set(CENSUS_RATIOS)
    assert (s.n == 90).all() and s.complete.all()
    if code in set(table.county_code):
        assert s["rank"].between(1, 90).all() and s.percentile.between(0, 100).all()
    else:
        assert s["rank"].isna().all() and s.percentile.isna().all()


def test_standings_mark_a_variable_short_of_units_incomplete(census_2020):
    table = census_2020[census_2020.variable.isin(CENSUS_RATIOS)]
    thin = table[~((table.variable == "college_per_10k") & (table.county_code == "330102"))]
    s = ranking.standings(thin, "330112").set_index("variable")
    assert s.at["urbanisation_rate", "complete"] and not s.at["college_per_10k", "complete"]
    s = ranking.standings(thin, "330112", complete_n=80).set_index("variable")
    assert s["complete"].all()


def test_standing_ranks_and_percentiles():
    values = pd.Series([10.0, 30.0, 20.0, 20.0, 5.0], index=list("abcde"))
    assert ranking.standing(values, "b") == {
        "rank": 1,
        "n": 5,
        "percentile": 100.0,
        "value": 30.0,
    }
    assert ranking.standing(values, "e")["percentile"] == 0.0
    tie = ranking.standing(values, "c")
    assert tie["rank"] == 2 and tie["percentile"] == pytest.approx(62.5)
    low = ranking.standing(values, "b", higher_is_better=False)
    assert low["rank"] == 5 and low["percentile"] == 0.0
    assert np.isnan(ranking.standing(values, "z")["rank"])


def test_units_2020_are_the_census_90():
    units = set(geography.units_in_year(2020).code)
    assert len(units) == 90
    assert {"330103", "330104", "330110", "330112"} <= units
    assert not {"330113", "330114", "330371"} & units


def test_rows_on_new_boundaries_are_not_merged_with_census_rows(census_2020, map_codes):
    # A 2020 figure published for the post-2021 余杭区 and a derived one for 临平区.
    extra = pd.DataFrame(
        {
            "county_code": ["330110", "330113"],
            "variable": ["pop_census7_resident"] * 2,
            "value": [1226673.0, 1175841.0],
            "year": 2020,
            "confidence": ["medium", "derived"],
            "boundary_year": [2021, 2021],
        }
    )
    both = pd.concat([census_2020.assign(boundary_year=pd.NA), extra], ignore_index=True)
    h = map_units.harmonise_to_map(both, map_codes).set_index(["county_code", "variable"])
    pop = h.xs("pop_census7_resident", level="variable")
    assert pop.loc["330110", "value"] == 1226673.0 and pop.loc["330110", "status"] == "same"
    # The derived 临平区 figure is not a published observation: by default it is not mapped.
    assert np.isnan(pop.loc["330113", "value"])
    asked = map_units.harmonise_to_map(both, map_codes, statuses=("published", "derived"))
    pop = asked.set_index(["county_code", "variable"]).xs("pop_census7_resident", level="variable")
    assert pop.loc["330113", "value"] == 1175841.0
    assert np.isnan(pop.loc["330114", "value"])
    # The old 余杭区 ratio still cannot be placed on the new unit.
    assert np.isnan(h.loc[("330110", "college_per_10k"), "value"])


def test_one_value_per_unit_follows_the_selection_policy():
    obs = pd.DataFrame(
        {
            "county_code": ["330112"] * 4 + ["330108"],
            "year": 2020,
            "variable": ["x", "x", "y", "z", "x"],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
            "confidence": ["medium", "high", "derived", "inferred", "low"],
            "source_id": ["a", "b", "c", "d", "e"],
        }
    )
    one = map_units.one_value_per_unit(obs).set_index(["county_code", "variable"])
    assert one["value"].to_dict() == {("330108", "x"): 5.0, ("330112", "x"): 2.0}
    assert one.loc[("330112", "x"), "reason"] == "chosen: higher confidence (high > medium)"
    both = map_units.one_value_per_unit(obs, statuses=("published", "derived"))
    assert both.set_index("variable").loc["y", "status"] == "derived"
    assert "z" not in set(both["variable"])


def test_latest_per_unit_takes_each_units_latest_published_year():
    obs = pd.DataFrame(
        {
            "county_code": ["330112", "330112", "330112", "330108", "330108"],
            "year": [2021, 2022, 2023, 2021, 2022],
            "variable": "gdp",
            "value": [1.0, 2.0, 3.0, 4.0, np.nan],
            "confidence": ["high", "high", "derived", "high", "high"],
        }
    )
    latest = map_units.latest_per_unit(obs, "gdp").set_index("county_code")
    # 2023 for 临安 is derived and 2022 for 滨江 has no value: neither is the latest figure.
    assert latest.loc["330112", ["year", "value"]].tolist() == [2022, 2.0]
    assert latest.loc["330108", ["year", "value"]].tolist() == [2021, 4.0]


def test_map_year_prefers_years_with_the_study_county():
    obs = pd.DataFrame(
        {
            "county_code": ["330112", "330108", "330106", "330108", "330106", "330100", "330200"],
            "year": [2022, 2022, 2022, 2023, 2023, 2021, 2021],
            "variable": "gdp",
            "value": 1.0,
        }
    )
    obs = pd.concat([obs, obs.assign(county_code="330122", year=2023)], ignore_index=True)
    assert map_units.map_year(obs, "gdp", "330112") == 2022
    assert map_units.map_year(obs, "gdp", "330113") == 2023  # no value for the study county
    assert map_units.map_year(obs, "gdp", "330113", units=["330112"]) == 2022
    assert map_units.map_year(obs, "rd", "330112") is None


def test_renamed_unit_carries_every_value_onto_the_map(map_codes):
    # 临安市 (330185) figures of 2016 are the territory of today's 临安区 (330112): an average
    # passes through like a count; 下城区's average cannot (拱墅区 took in other territory).
    obs = pd.DataFrame(
        {
            "county_code": ["330185", "330185", "330103"],
            "year": 2016,
            "variable": ["avg_years_schooling", "pop_census7_resident", "avg_years_schooling"],
            "value": [9.5, 600_000.0, 11.0],
            "confidence": "high",
        }
    )
    h = map_units.harmonise_to_map(obs, map_codes).set_index(["county_code", "variable"])
    assert h.loc[("330112", "avg_years_schooling"), "value"] == 9.5
    assert h.loc[("330112", "avg_years_schooling"), "status"] == "same"
    assert h.loc[("330112", "pop_census7_resident"), "value"] == 600_000.0
    assert "临安市(330185)" in h.loc[("330112", "avg_years_schooling"), "from_units"]
    assert np.isnan(h.loc[("330105", "avg_years_schooling"), "value"])
    assert "330185" not in set(h.index.get_level_values(0))

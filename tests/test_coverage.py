import pandas as pd
from conftest_data import make_obs

from zjinnov.data import coverage, selection


def test_statuses_from_synthetic_data():
    obs = make_obs(
        [
            ("330112", 2021, "a", 1),
            ("330112", 2021, "b", 2),
            ("330112", 2020, "a", 1),
            ("330112", 2019, "a", 1, "1-11"),
            ("330112", 2019, "b", 1, "1-11"),
            ("330185", 2016, "a", 1),
            ("330185", 2016, "b", 1),
        ]
    )
    ind = pd.DataFrame({"code": ["X"], "formula": ["a / b"]})
    cov = coverage.coverage_matrix(selection.best(obs), ind, years=range(2015, 2023))
    status = cov.set_index("year")["status"]
    assert status[2021] == "complete" and status[2020] == "incomplete" and status[2019] == "partial"
    assert status[2015] == "none" and status[2016] == "complete"  # 临安市 carried under 330112
    assert cov.set_index("year").loc[2020, "missing"] == "b"
    assert len(cov) == 8 and set(cov["county_code"]) == {"330112"}


def test_grid_and_summary():
    obs = make_obs([("330112", 2021, "a", 1)])
    ind = pd.DataFrame({"code": ["X", "Y"], "formula": ["a", "b"]})
    cov = coverage.coverage_matrix(selection.best(obs), ind, years=[2020, 2021])
    grid = coverage.coverage_grid(cov, "330112")
    assert grid.loc["X"].tolist() == [0, 3] and grid.loc["Y"].tolist() == [0, 0]
    s = coverage.summary(cov, "330112")
    assert (s["with_complete_year"], s["without_data"], s["cells"]) == (1, 1, 4)


def test_derived_and_inferred_figures_never_count_as_published():
    obs = make_obs(
        [
            ("330112", 2021, "a", 1),
            ("330112", 2021, "b", 2),
            ("330112", 2022, "a", 1),
            ("330112", 2022, "b", 2),
            ("330112", 2023, "a", 1),
            ("330112", 2023, "b", 2),
        ]
    )
    obs.loc[obs["year"].eq(2022) & obs["variable"].eq("b"), "confidence"] = "derived"
    obs.loc[obs["year"].eq(2023) & obs["variable"].eq("b"), "confidence"] = "inferred"
    ind = pd.DataFrame({"code": ["X"], "formula": ["a / b"]})
    cov = coverage.coverage_matrix(selection.best(obs), ind, years=[2021, 2022, 2023]).set_index(
        "year"
    )
    assert cov["status"].to_dict() == {2021: "complete", 2022: "incomplete", 2023: "incomplete"}
    assert cov.loc[2022, "missing"] == "b" and cov.loc[2023, "missing"] == "b"


def test_shipped_data_counts_no_derived_row_as_observed():
    from zjinnov.data import framework, sources

    obs = sources.load_observations()
    derived = obs[obs["confidence"].isin(["derived", "inferred"])]
    cov = coverage.coverage_matrix(selection.best(obs), framework.load_indicators())
    # The 2020 census gives college-educated persons only as a derived sum, so 每万人大专及以上
    # 学历人数 (I29) is never complete for a county from it.
    assert "pop_college_plus" in set(derived["variable"])
    i29 = cov[cov["indicator"].eq("I29") & cov["year"].eq(2020)]
    assert len(i29) and not i29["status"].eq("complete").any()
    assert i29["missing"].str.contains("pop_college_plus").all()

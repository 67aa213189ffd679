import pandas as pd
from conftest_data import make_obs

from zjinnov.data import coverage


def test_statuses_from_synthetic_data():
    obs = make_obs([("330112", 2021, "a", 1), ("330112", 2021, "b", 2), ("330112", 2020, "a", 1),
                    ("330112", 2019, "a", 1, "1-11"), ("330112", 2019, "b", 1, "1-11"),
                    ("330185", 2016, "a", 1), ("330185", 2016, "b", 1)])  # fmt: skip
    ind = pd.DataFrame({"code": ["X"], "formula": ["a / b"]})
    cov = coverage.coverage_matrix(obs, ind, years=range(2015, 2023))
    status = cov.set_index("year")["status"]
    assert status[2021] == "complete" and status[2020] == "incomplete" and status[2019] == "partial"
    assert status[2015] == "none" and status[2016] == "complete"  # 临安市 carried under 330112
    assert cov.set_index("year").loc[2020, "missing"] == "b"
    assert len(cov) == 8 and set(cov["county_code"]) == {"330112"}


def test_grid_and_summary():
    obs = make_obs([("330112", 2021, "a", 1)])
    ind = pd.DataFrame({"code": ["X", "Y"], "formula": ["a", "b"]})
    cov = coverage.coverage_matrix(obs, ind, years=[2020, 2021])
    grid = coverage.coverage_grid(cov, "330112")
    assert grid.loc["X"].tolist() == [0, 3] and grid.loc["Y"].tolist() == [0, 0]
    s = coverage.summary(cov, "330112")
    assert (s["with_complete_year"], s["without_data"], s["cells"]) == (1, 1, 4)

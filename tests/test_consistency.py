import pytest
from conftest_data import make_obs

from zjinnov.data import consistency, selection, sources
from zjinnov.data import flagged as fl


def _by_period(obs):
    """One figure per county, year, variable and period (the Study's `best_by_period`)."""
    return selection.best(obs, key=[*selection.KEY, "period"])


def _check(table, check, code="330112", year=None):
    rows = table[(table["check"] == check) & (table["county_code"] == code)]
    if year is not None:
        rows = rows[rows["year"] == year]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_synthetic_verdicts():
    obs = make_obs(
        [
            ("330112", 2021, "hightech_industry_value_added", 187.82),
            ("330112", 2021, "above_scale_industry_value_added", 230.82),
            ("330112", 2021, "hightech_share_of_above_scale_industry_va", 81.37),
            ("330102", 2021, "hightech_industry_value_added", 100.0),
            ("330102", 2021, "above_scale_industry_value_added", 200.0),
            ("330102", 2021, "hightech_share_of_above_scale_industry_va", 52.0, "year", "52.0"),
            ("330105", 2021, "rd_intensity", 3.3),
            ("330105", 2021, "rd_expenditure", 20),
        ]
    )
    checks = [c for c in consistency.CHECKS if c["id"] in {"hightech_share", "rd_intensity"}]
    table = consistency.consistency_table(_by_period(obs), checks)
    assert _check(table, "hightech_share")["verdict"] == "consistent"
    bad = _check(table, "hightech_share", "330102")
    assert bad["verdict"] == "inconsistent" and bad["difference"] == pytest.approx(-2.0)
    assert bad["tolerance"] < 0.1  # rounding of 52.0 and of the components
    gap = _check(table, "rd_intensity", "330105")
    assert gap["verdict"] == "not checkable" and "gdp" in gap["note"]


def test_tolerance_comes_from_printed_digits():
    obs = make_obs(
        [
            ("330112", 2021, "hightech_industry_value_added", 187.82),
            ("330112", 2021, "above_scale_industry_value_added", 230.82),
            ("330112", 2021, "hightech_share_of_above_scale_industry_va", 81.4, "year", "81.4"),
        ]
    )
    row = _check(
        consistency.consistency_table(_by_period(obs), consistency.CHECKS[:1]), "hightech_share"
    )
    assert row["tolerance"] == pytest.approx(0.05, abs=0.01) and row["verdict"] == "consistent"


@pytest.fixture(scope="module")
def real():
    return consistency.consistency_table(_by_period(sources.load_observations()))


def test_linan_high_tech_share_2021_reproduces(real):
    row = _check(real, "hightech_share", year=2021)
    assert row["verdict"] == "consistent" and row["recomputed"] == pytest.approx(81.37, abs=0.01)


def test_linan_rd_intensity_needs_gdp_and_2021_gdp_does_not_fit(real):
    assert _check(real, "rd_intensity", year=2020)["verdict"] == "not checkable"
    nxt = _check(real, "rd_intensity_next_gdp", year=2020)
    assert nxt["verdict"] == "inconsistent" and nxt["recomputed"] == pytest.approx(
        20.05 / 658.4 * 100
    )


def test_partial_year_prior_is_shown_but_never_matched(real):
    row = _check(real, "rd_spending_prior", year=2020)
    assert row["recomputed"] == pytest.approx(42.35 / 1.271) and row["published"] == pytest.approx(
        28.33
    )
    assert row["verdict"] == "not checkable" and "months 1-11" in row["note"]


def test_census_sums_and_every_verdict_known(real):
    assert set(real["verdict"]) <= {"consistent", "inconsistent", "not checkable"}
    assert _check(real, "census_sum_units", "330000")["verdict"] == "consistent"


# --- figures an identity contradicts -------------------------------------------------------


def test_each_check_names_the_raw_rows_of_both_sides(real):
    row = real[(real["check"] == "hightech_va_prior") & (real["county_code"] == "330112")]
    row = row[row["year"] == 2021].iloc[0]
    assert row["rows_published"] == "330112/2021/hightech_industry_value_added@linan-2022-03"
    assert row["rows_recomputed"].split("; ") == [
        "330112/2022/hightech_industry_value_added@linan-2023-lianghui",
        "330112/2022/hightech_industry_value_added_growth@linan-2023-lianghui",
    ]


def test_the_preliminary_2022_high_tech_value_added_is_left_out_of_fits(real):
    obs = sources.load_observations()
    flagged = fl.flagged_figures(obs, real).set_index("key")
    va = flagged.loc["330112/2022/hightech_industry_value_added@linan-2023-lianghui"]
    assert va["exclude"] and va["reason"] == fl.PRELIMINARY_AGAINST_FINAL
    final = flagged.loc["330112/2021/hightech_industry_value_added@linan-2022-03"]
    assert not final["exclude"] and final["reason"] == fl.FINAL_AGAINST_PRELIMINARY
    # A check of an assumption (R&D of the next year's GDP; real against nominal growth)
    # flags no figure.
    assumptions = {s["id"] for s in consistency.CHECKS if not s.get("identity", True)}
    assert not set(flagged["check"]) & assumptions
    out = fl.excluded_from_fit(obs, real)
    dropped = obs[out]
    assert (
        (dropped["variable"] == "hightech_industry_value_added") & (dropped["year"] == 2022)
    ).any()
    assert not (
        (dropped["variable"] == "hightech_industry_value_added") & (dropped["year"] == 2021)
    ).any()
    kept = fl.excluded_from_fit(obs, real, unresolved=False)
    assert kept.sum() == flagged["reason"].eq(fl.PRELIMINARY_AGAINST_FINAL).sum()


def test_both_sides_of_equal_standing_are_left_out_when_an_identity_fails():
    from conftest_data import make_obs

    obs = make_obs(
        [
            ("330112", 2021, "rd_intensity", 3.00, "year", "3.00"),
            ("330112", 2021, "rd_expenditure", 20.0, "year", "20.0"),
            ("330112", 2021, "gdp", 600.0, "year", "600.0"),
        ]
    )
    flagged = fl.flagged_figures(obs)
    assert set(flagged["variable"]) == {"rd_intensity", "rd_expenditure", "gdp"}
    assert flagged["exclude"].all() and flagged["reason"].eq(fl.UNRESOLVED).all()

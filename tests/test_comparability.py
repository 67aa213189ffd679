"""The comparison rule (zjinnov.data.comparability): hand-made pairs for every rule, then every
comparison the county profile makes for four counties on the shipped data."""

from __future__ import annotations

import pandas as pd
import pytest

from zjinnov.data import comparability as cmp


def fig(year=2022, variable="rd_intensity", period="year", status="published", kind="level", **kw):
    return dict(year=year, variable=variable, period=period, status=status, kind=kind, **kw)


def test_same_variable_same_basis_same_year_is_comparable():
    v = cmp.compare(fig(), fig())
    assert (v.verdict, v.reason, v.year, v.year_cmp, v.caveat) == (
        cmp.SAME_YEAR,
        "",
        2022,
        2022,
        "",
    )
    assert v.allowed


def test_a_different_variable_is_refused():
    v = cmp.compare(fig(), fig(variable="gdp"))
    assert (v.verdict, v.reason) == (cmp.REFUSED, cmp.DIFFERENT_VARIABLE) and not v.allowed


@pytest.mark.parametrize(("own", "other"), [("year", "1-11"), ("1-11", "1-9"), ("1-11", "year")])
def test_full_year_and_part_year_are_never_compared(own, other):
    assert cmp.compare(fig(period=own), fig(period=other)).reason == cmp.DIFFERENT_PERIOD


def test_an_indicator_value_carries_its_period_in_its_status():
    # indicator_values has no period column: 'partial' is a part-year value.
    own = fig(period=None, status="partial")
    assert cmp.compare(own, fig(period=None)).reason == cmp.DIFFERENT_PERIOD
    assert cmp.compare(own, fig(period=None, status="partial")).verdict == cmp.SAME_YEAR


@pytest.mark.parametrize("status", ["inferred", "implied", "derived"])
def test_a_figure_that_is_not_published_is_never_a_side(status):
    assert cmp.compare(fig(), fig(status=status)).reason == cmp.NOT_PUBLISHED
    assert cmp.compare(fig(status=status), fig()).reason == cmp.NOT_PUBLISHED
    # Not even when the sentence names both years of a nearby level.
    v = cmp.compare(fig(), fig(year=2021, status=status), names_both_years=True)
    assert v.reason == cmp.NOT_PUBLISHED


def test_a_figure_computed_from_published_figures_may_be_compared():
    assert cmp.compare(fig(status="computed"), fig()).verdict == cmp.SAME_YEAR


def test_a_nearby_year_level_only_when_the_sentence_names_both_years():
    own, other = fig(year=2020), fig(year=2021)
    refused = cmp.compare(own, other)
    assert (refused.verdict, refused.reason) == (cmp.REFUSED, cmp.OTHER_YEAR_UNNAMED)
    named = cmp.compare(own, other, names_both_years=True)
    assert (named.verdict, named.year, named.year_cmp) == (cmp.NEARBY_YEAR, 2020, 2021)
    far = cmp.compare(own, fig(year=2023), names_both_years=True)
    assert far.reason == cmp.YEARS_TOO_FAR
    wider = cmp.compare(own, fig(year=2022), names_both_years=True, max_gap=2)
    assert wider.verdict == cmp.NEARBY_YEAR


def test_growth_rates_only_within_one_year():
    own, other = fig(year=2021, kind="growth"), fig(year=2022, kind="growth")
    assert cmp.compare(own, other, names_both_years=True).reason == cmp.GROWTH_OTHER_YEAR
    assert cmp.compare(own, fig(year=2021, kind="growth")).verdict == cmp.SAME_YEAR


def test_a_preliminary_side_is_allowed_with_its_caveat():
    v = cmp.compare(fig(status="computed", preliminary=True), fig(preliminary=False))
    assert (v.verdict, v.caveat) == (cmp.SAME_YEAR, cmp.PRELIMINARY)
    assert cmp.compare(fig(preliminary=float("nan")), fig()).caveat == ""


def test_rules_apply_in_order_and_every_reason_is_listed():
    # A different variable is named before anything else is asked.
    v = cmp.compare(fig(), fig(variable="gdp", period="1-11", status="inferred", year=2015))
    assert v.reason == cmp.DIFFERENT_VARIABLE
    assert set(cmp.REASONS) == {
        cmp.DIFFERENT_VARIABLE,
        cmp.DIFFERENT_PERIOD,
        cmp.NOT_PUBLISHED,
        cmp.GROWTH_OTHER_YEAR,
        cmp.OTHER_YEAR_UNNAMED,
        cmp.YEARS_TOO_FAR,
    }


def test_judge_reads_the_comparator_from_cmp_columns():
    pairs = pd.DataFrame(
        {
            "indicator": ["I01", "I01", "I24"],
            "year": [2020, 2020, 2021],
            "year_cmp": [2020, 2021, 2022],
            "status": ["published"] * 3,
            "status_cmp": ["published", "published", "published"],
            "kind": ["level", "level", "growth"],
            "preliminary": [False, True, False],
            "preliminary_cmp": [False, False, False],
        }
    )
    out = cmp.judge(pairs)
    assert out["verdict"].tolist() == [cmp.SAME_YEAR, cmp.REFUSED, cmp.REFUSED]
    assert out["reason"].tolist() == ["", cmp.OTHER_YEAR_UNNAMED, cmp.GROWTH_OTHER_YEAR]
    named = cmp.judge(pairs, names_both_years=True)
    assert named["verdict"].tolist() == [cmp.SAME_YEAR, cmp.NEARBY_YEAR, cmp.REFUSED]
    assert named["caveat"].tolist() == ["", cmp.PRELIMINARY, ""]


# --- every comparison the county profile makes, on the shipped data ---------------------------

COUNTIES = ("330112", "330108", "330727", "331127")


@pytest.fixture(scope="module")
def judged():
    from zjinnov.study import county_profile
    from zjinnov.study.study import Study

    out = {}
    for code in COUNTIES:
        study = Study.load(code)
        comparators = {study.city: study.city_name, study.province: study.province_name}
        comp = county_profile.comparison(study.values, study.indicators, code, comparators)
        kinds = cmp.indicator_kinds(study.indicators, study.variables)
        out[code] = cmp.judge(cmp.with_sides(comp, study.values, kinds, code))
    return out


def test_the_rule_holds_for_every_comparison_made(judged):
    for code, table in judged.items():
        allowed = table[table["verdict"].ne(cmp.REFUSED)]
        # Read back from the rows each comparison used: same year, both sides published.
        assert (allowed["year"] == allowed["year_cmp"]).all(), code
        assert allowed["status"].isin(cmp.PUBLISHED_STATUSES).all()
        assert allowed["status_cmp"].isin(cmp.PUBLISHED_STATUSES).all()
        refused = table[table["verdict"].eq(cmp.REFUSED)]
        assert refused["reason"].isin(cmp.REASONS).all()


def test_lin_an_comparisons_across_years_are_refused_and_say_why(judged):
    table = judged["330112"].set_index(["indicator", "year", "comparator"])
    # R&D intensity 2020 against Hangzhou's 2021: another year, the sentence names one.
    assert table.at[("I01", 2020, "330100"), "reason"] == cmp.OTHER_YEAR_UNNAMED
    # Growth of high-tech investment 2021 against Hangzhou's 2022.
    assert table.at[("I24", 2021, "330100"), "reason"] == cmp.GROWTH_OTHER_YEAR
    # The 2022 high-tech share against Hangzhou's 2022 is allowed, and rests on 预计 figures.
    same = table.loc[("I22", 2022, "330100")]
    assert same["verdict"] == cmp.SAME_YEAR and same["caveat"] == cmp.PRELIMINARY
    # The 18.4 % investment share is not a Zhejiang benchmark: no comparison rests on it.
    assert "I23" not in set(judged["330112"]["indicator"])


def test_counties_without_data_make_no_comparison(judged):
    assert judged["330727"].empty and judged["331127"].empty

"""Chapter 06 (trends and plan targets) for four counties on the real data: Lin'an and
Binjiang (Hangzhou, no targets of their own: the city's ratios), 磐安 (Jinhua: four targets
of its own in data/targets.csv and no indicator data) and 景宁 (Lishui: no target at all).
The book is built in December 2026 here (a build date, as SOURCE_DATE_EPOCH gives one): the
plan period is over and its last year's figures are not in the data."""

from __future__ import annotations

from functools import partial

import matplotlib
from chapter_checks import build_for

matplotlib.use("Agg")  # tests only: no display; the book never sets a backend

import pandas as pd
import pytest

from zjinnov.data import comparability, flagged
from zjinnov.engine import forecast
from zjinnov.present import labels, sentences, style, trend_charts
from zjinnov.study import targets, trend_runs
from zjinnov.study.chapters import trends as chapter
from zjinnov.study.study import Study

COUNTIES = ("330112", "330108", "330727", "331127")
BUILT = "2026-12-07"


@pytest.fixture(scope="module")
def built():
    return build_for(COUNTIES, partial(chapter.build, built=BUILT))


def _rows(table: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=table.index)
    for col, value in where.items():
        mask &= table[col] == value
    return table[mask]


def test_horizon_and_plan_years_come_from_the_targets_table(built):
    study, result = built["330112"]
    assert result.facts["c06_horizon"].value == int(study.targets["target_year"].max())
    years = set(result.tables["projections_shown"]["year"])
    assert years == {targets.PLAN_END_YEAR, result.facts["c06_horizon"].value}
    # The page shows the model drawn on published figures only; the download has them all.
    shown = result.tables["projections_shown"]
    assert len(shown) == 2 * result.facts["c06_n_projectable"].value
    assert len(result.tables["projections"]) > len(shown)


def test_lin_an_rd_intensity_rests_on_four_published_figures(built):
    _, result = built["330112"]
    assert result.facts["c06_rd_n"].value == 4
    years = [f.value for f in result.facts["c06_rd_years"].value["year"]]
    assert years == [2010, 2019, 2020, 2023]  # 2010 under the old code 330185 (临安市)
    assert result.facts["c06_rd_n_models"].value == 3
    # The model average's 2025 median and 95 % interval (linear, logit, drift on 4 points).
    assert result.facts["c06_rd_end_median"].value == pytest.approx(4.27, abs=0.01)
    lo, hi = result.facts["c06_rd_end_lo"].value, result.facts["c06_rd_end_hi"].value
    assert lo < 3.87 < hi and hi - lo > 2  # four points cannot pin a projection down


def test_each_candidate_shows_its_status_and_why_it_is_or_is_not_fitted(built):
    _, result = built["330112"]
    cand = result.tables["candidates"]
    share = _rows(cand, name_zh="高新技术产业增加值占规上工业增加值比重")
    assert _rows(share, year=2022)["status"].tolist() == ["derived"]  # the 84.1 % row
    assert _rows(share, year=2020)["fit_reason"].tolist() == ["fit_partial"]
    implied = cand[cand["status"] == "implied"]
    assert len(implied)
    assert implied["fit_reason"].str.startswith("fit_implied").sum() == len(implied) - 1
    used = cand[cand["fit_reason"].isin(["fit_used", "fit_used_preliminary"])]
    assert used["status"].isin(["published", "derived", "inferred"]).all()
    computed = used["status"].isin(["derived", "inferred"]).sum()
    assert (result.facts["c06_n_computed_fitted"].value or 0) == computed


def test_a_figure_a_consistency_check_contradicts_is_not_fitted(built):
    """Lin'an's preliminary 2022 high-tech value added (212 亿元) contradicts 2021's figure and
    2022's growth rate: it stays a candidate, set aside, and no fit uses it (nor the 2021
    level implied from it)."""
    study, result = built["330112"]
    aside = flagged.excluded_from_fit(study.observations, study.checks.consistency)
    keys = set(
        study.observations.loc[aside & study.observations["county_code"].eq("330112"), "variable"]
    )
    assert "hightech_industry_value_added" in keys
    cand = result.tables["candidates"]
    va = _rows(cand, name_zh="高新技术产业增加值")
    row = _rows(va, year=2022)
    assert row["value"].tolist() == [212] and row["fit_reason"].tolist() == ["fit_flagged"]
    points = result.tables["fit_points"]
    fitted = points[points["variable"].eq("hightech_industry_value_added") & points["used"]]
    assert 2022 not in set(fitted["year"])
    runs = study.trends.runs
    for scenario in trend_runs.SCENARIOS:
        assert 212 not in set(runs["hightech_industry_value_added", scenario].selection.values)
    assert result.facts["c06_n_flagged"].value == 1
    text = sentences.render("c06_flagged_note", result.facts)
    assert "212 亿元（预计数）" in text
    assert "21.2 billion yuan (preliminary)" in sentences.render(
        "c06_flagged_note", result.facts, "en"
    )
    # Its evidence names the raw row set aside.
    [row] = result.facts["c06_n_flagged"].evidence
    assert (row["year"], row["source_id"]) == (2022, "linan-2023-lianghui")


def test_a_past_year_is_an_estimate_awaiting_its_figure_not_a_projection(built):
    _, result = built["330112"]
    assert result.facts["c06_built"].value == BUILT
    assert result.facts["c06_data_end"].value == 2024
    assert result.facts["c06_data_date"].value == "2025-05-21"
    shown = result.tables["projections_shown"].set_index("year")["timing"]
    assert set(shown.loc[[2025]]) == {"timing_past"} and set(shown.loc[[2027]]) == {"timing_future"}
    lead = sentences.render("c06_lead_dates", result.facts) + sentences.render(
        "c06_lead_plan", result.facts
    )
    assert BUILT in lead and "2024 年" in lead and "已经结束" in lead and "估计" in lead
    rd = sentences.render("c06_rd_example", result.facts)
    assert "2025 年的中位数为 4.27%（该年已过去" in rd
    for key in sentences.keys("c06"):
        assert "projects 2025" not in sentences.render(key, result.facts, "en")
    # Built before the plan's end, the same years are projections.
    study = built["330112"][0]
    early = chapter.build(study, built="2024-06-30")
    assert early.facts["c06_plan_over"].missing
    assert set(early.tables["projections_shown"]["timing"]) == {"timing_future"}
    assert "尚未结束" in sentences.render("c06_lead_plan", early.facts)


def test_projections_count_their_published_observations(built):
    _, result = built["330112"]
    proj = result.tables["projections"]
    assert (proj["n_published"] <= proj["n_obs"]).all()
    assert proj["n_obs"].min() >= min(forecast.MIN_OBS.values())
    cov = result.tables["coverage"].set_index("name_zh")
    rd = cov.loc["R&D经费支出占GDP比重"]
    assert (rd["n_obs"], rd["n_published"], rd["model"]) == (4, 4, "average")
    assert result.facts["c06_n_projectable"].value == int((cov["n_models"] > 0).sum())
    shown = result.tables["projections_shown"]
    assert shown["annual_growth"].notna().sum() + shown["annual_change_pp"].notna().sum() == len(
        shown
    )


def test_lin_an_measured_against_hangzhou_ratio_targets(built):
    _, result = built["330112"]
    assert result.facts["c06_target_region"].value == "330100"
    assert result.facts["c06_own_n_found"].missing
    used = result.tables["targets_used"]
    assert set(used["region"]) == {"杭州市"}
    assert "地区生产总值" not in set(used["name_zh"])  # a city's total is no county's target
    probs = result.tables["target_probability"]
    rd25 = _rows(probs, name_zh="R&D经费支出占GDP比重", target_year=2025).iloc[0]
    assert rd25["target_value"] == 4 and rd25["latest_value"] == 3.87
    assert 0.5 < rd25["prob"] < 1 and rd25["prob_model"] == "average"
    text = sentences.render("c06_targets_city", result.facts)
    assert "杭州市" in text and "比率目标" in text
    own = sentences.render("c06_targets_own", result.facts)
    assert "未找到临安区自身" in own and "目标值均为空" not in own
    # Hangzhou's 2027 targets come from its 2025 action plan: not called 十四五 targets.
    assert set(used["plan_kind"]) == {"plan_fyp14", "plan_action_plan"}
    assert "2027 年 ≥ 4.2 %（行动方案）" in text
    summary = sentences.render("c06_summary_targets", result.facts)
    assert "“十四五”规划目标取自" not in summary and "（行动方案）" in summary
    assert "Hangzhou City's action plan target" in sentences.render(
        "c06_target_probs", result.facts, "en"
    )


def test_every_target_comparison_goes_through_the_one_rule(built):
    """The comparisons behind the target statuses, judged again from their own columns by
    `comparability.judge`, give the verdicts the chapter recorded; a refused one is not made."""
    for code in COUNTIES:
        study, result = built[code]
        table = result.tables["comparisons"]
        for (both, gap), part in table.groupby(["names_both_years", "max_gap"]):
            again = comparability.judge(
                part.drop(columns=["verdict", "reason", "caveat"]),
                names_both_years=both,
                max_gap=gap,
            )
            assert again["verdict"].tolist() == part["verdict"].tolist()
            assert again["reason"].tolist() == part["reason"].tolist()
        # Each side is a raw row of the data (or a target of data/targets.csv).
        obs = study.observations.set_index(["county_code", "year", "variable", "source_id"])
        for row in table.itertuples(index=False):
            assert obs.loc[(row.county_code, row.year, row.variable, row.source_id), "value"] == (
                pytest.approx(row.value)
            )
        rules = result.tables["target_rules"]
        refused = rules["compared"].ne("cmp_allowed")
        assert rules.loc[refused, "sdg_ratio"].isna().all()
    _, result = built["330112"]
    table = result.tables["comparisons"]
    assert set(table["comparison"]) == {"target", "base"}
    assert set(table["verdict"]) == {comparability.NEARBY_YEAR}


def test_a_growth_target_is_not_set_against_another_years_growth(built):
    study, _ = built["330112"]
    status = pd.DataFrame(
        {
            "variable": ["gdp_growth_real"],
            "region_code": ["330100"],
            "target_year": [2025],
            "target_value": [7.0],
            "source_id": ["hz-14fyp"],
            "latest_year": [2023],
            "base_year_used": [2023],
        }
    )
    rows = {
        "gdp_growth_real": pd.DataFrame(
            {
                "county_code": ["330112"],
                "year": [2023],
                "period": ["year"],
                "status": ["published"],
                "value": [6.0],
                "source_id": ["x"],
                "preliminary": [False],
                "used": [True],
            }
        )
    }
    from zjinnov.study.chapters import trend_targets

    table = trend_targets.comparisons(status, rows, study.variables.set_index("variable"), 7)
    assert table["reason"].tolist() == [comparability.GROWTH_OTHER_YEAR]


def test_target_facts_carry_the_rows_they_rest_on(built):
    study, result = built["330112"]
    [rd] = [
        r
        for r in result.facts["c06_target_prob_rows"].evidence
        if r["variable"] == "rd_intensity" and r["year"] == 2023
    ]
    obs = study.observations
    row = obs[obs["file"].eq(rd["file"]) & obs["row"].eq(rd["row"])].iloc[0]
    assert (row["county_code"], row["value"]) == ("330112", 3.87)
    targets_rows = [
        r for r in result.facts["c06_targets_list"].evidence if r["file"] == "targets.csv"
    ]
    assert {r["source_id"] for r in targets_rows} == {"hz-14fyp", "hz-action-2025"}
    raw = pd.read_csv("data/targets.csv", dtype=str)
    for r in targets_rows:
        line = raw.iloc[r["row"] - 2]
        assert (line["region_code"], line["variable"]) == (r["county_code"], r["variable"])
    assert result.facts["c06_n_met"].evidence and result.facts["c06_rd_end_median"].evidence


def test_binjiang_meets_what_it_already_exceeds(built):
    _, result = built["330108"]
    assert result.facts["c06_target_region"].value == "330100"
    probs = result.tables["target_probability"]
    rules = result.tables["target_rules"]
    met = probs["latest_value"] >= probs["target_value"]
    assert result.facts["c06_n_met"].value == int(met.sum())
    assert (rules.loc[met, "sdg_category"] == "sdg_target_achieved").all()


def test_panan_uses_its_own_four_targets_and_says_so(built):
    _, result = built["330727"]
    assert result.facts["c06_target_region"].value == "330727"
    assert result.facts["c06_own_n_found"].value == 4
    used = result.tables["targets_used"]
    assert set(used["region"]) == {"磐安县"} and len(used) == 4
    assert "省科技型中小企业数" in set(used["name_zh"])
    own = sentences.render("c06_targets_own", result.facts)
    assert own.startswith("磐安县自身") and "260" in own and "（“十四五”规划）" in own
    assert sentences.render("c06_targets_city", result.facts).startswith("本章不以金华市")
    summary = sentences.render("c06_summary_targets", result.facts)
    assert summary == "磐安县的规划目标都不能与公布值比较：相关指标在数据中没有公布值。"
    # No indicator data: nothing projected, and the summary says why.
    assert result.facts["c06_n_projectable"].missing
    trend = sentences.render("c06_summary_trends", result.facts)
    assert "没有一个有足够的公布值" in trend
    assert result.tables["target_probability"].empty
    assert "没有全年公布数" in sentences.render("c06_lead_dates", result.facts)


def test_jingning_without_targets_gets_one_true_sentence_each(built):
    _, result = built["331127"]
    assert result.facts["c06_target_region"].missing
    assert result.tables["targets_used"].empty and result.tables["comparisons"].empty
    own = sentences.render("c06_targets_own", result.facts)
    assert (
        own
        == "公开来源中未找到景宁畲族自治县自身规划的量化目标，data/targets.csv 中没有它的目标值。"
    )
    assert "0 项" not in own + sentences.render("c06_targets_city", result.facts)
    assert "Jingning She Autonomous County" in sentences.render(
        "c06_summary_targets", result.facts, "en"
    )


def test_every_code_the_chapter_can_write_has_words():
    for model in [*forecast.MIN_OBS, "average", "none"]:
        assert labels.label(model, "model")
    codes = [f"sdg_{c}" for c in targets.SDG_CATEGORIES]
    codes += [f"dns_{c}" for c in targets.DNS_SYMBOLS]
    codes += [f"schedule_{c}" for c in targets.SCHEDULE_STATUSES]
    codes += [
        *trend_runs.SCENARIOS,
        *sorted(set(Study.load("330112").targets["comparator"]) - {""}),
    ]
    for code in codes:
        assert labels.label(code, "term")  # an unknown code raises, naming it
    for code in (*chapter.FIT_REASONS, *chapter.REFUSALS):
        assert labels.label(code, "reason")
    for code in comparability.REASONS:
        assert labels.label(f"cmp_{code}", "term")
    for code in ("timing_past", "timing_current", "timing_future", "cmp_allowed"):
        assert labels.label(code, "term")


@pytest.mark.parametrize("code", ("330112", "330727"))
def test_figures_are_readable_at_the_book_width(built, code):
    style.setup()
    _, result = built[code]
    for fig in (
        trend_charts.fans(result, "published_only"),
        trend_charts.fans(result, "with_implied"),
        trend_charts.context(result),
    ):
        assert fig.get_figwidth() <= trend_charts.WIDTH
        drawn = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
        assert all(len(ax.get_title()) for ax in drawn if ax.has_data())
        for text in fig.findobj(matplotlib.text.Text):
            if text.get_text() and text.get_visible():
                assert text.get_fontsize() >= trend_charts.TEXT - 1, text.get_text()
        matplotlib.pyplot.close(fig)


def test_fan_frames_a_share_below_its_ceiling():
    from matplotlib.figure import Figure

    points = pd.DataFrame(
        {
            "year": [2020, 2021, 2024],
            "value": [73.9, 81.4, 84.0],
            "status": ["partial", "published", "published"],
            "used": [False, True, True],
        }
    )
    proj = pd.DataFrame(
        {
            "year": [2025],
            "projected": [86.0],
            "lower80": [80.0],
            "upper80": [92.0],
            "lower95": [60.0],
            "upper95": [120.0],
        }
    )
    ax = Figure().subplots()
    trend_charts.fan(ax, points, proj, share=True)
    low, top = ax.get_ylim()
    assert top <= 100 and low <= 73.9  # a share axis stops at 100; the partial point in view
    empty = Figure().subplots()
    trend_charts.fan(empty, points.iloc[:0], proj.iloc[:0])  # says "no observations"
    assert empty.texts

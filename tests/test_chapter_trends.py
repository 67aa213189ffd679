"""Chapter 06 (trends and plan targets) for three counties on the real data: Lin'an and
Binjiang (Hangzhou, no targets of their own: the city's ratios) and 磐安 (Jinhua: four targets
of its own in data/targets.csv and no indicator data)."""

from __future__ import annotations

import matplotlib
from chapter_checks import build_for

matplotlib.use("Agg")  # tests only: no display; the book never sets a backend

import pandas as pd
import pytest

from zjinnov.engine import forecast
from zjinnov.present import labels, sentences, style, trend_charts
from zjinnov.study import targets, trend_runs
from zjinnov.study.chapters import trends as chapter
from zjinnov.study.study import Study

COUNTIES = ("330112", "330108", "330727")


@pytest.fixture(scope="module")
def built():
    return build_for(COUNTIES, chapter.build)


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
    assert len(implied) and implied["fit_reason"].str.startswith("fit_implied").all()
    used = cand[cand["fit_reason"] == "fit_used"]
    assert used["status"].isin(["published", "derived", "inferred"]).all()
    computed = used["status"].isin(["derived", "inferred"]).sum()
    assert (result.facts["c06_n_computed_fitted"].value or 0) == computed


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
    assert result.facts["c06_target_region"].value == "杭州市"
    assert result.facts["c06_own_n_found"].missing and result.facts["c06_own_n_recorded"].value == 4
    used = result.tables["targets_used"]
    assert set(used["region"]) == {"杭州市"}
    assert "地区生产总值" not in set(used["name_zh"])  # a city's total is no county's target
    probs = result.tables["target_probability"]
    rd25 = _rows(probs, name_zh="R&D经费支出占GDP比重", target_year=2025).iloc[0]
    assert rd25["target_value"] == 4 and rd25["latest_value"] == 3.87
    assert 0.5 < rd25["prob"] < 1 and rd25["prob_model"] == "average"
    text = sentences.render("c06_targets_city", result.facts)
    assert "杭州市" in text and "比率目标" in text
    assert "没有临安区自身" in sentences.render("c06_targets_own", result.facts)


def test_binjiang_meets_what_it_already_exceeds(built):
    _, result = built["330108"]
    assert result.facts["c06_target_region"].value == "杭州市"
    probs = result.tables["target_probability"]
    rules = result.tables["target_rules"]
    met = probs["latest_value"] >= probs["target_value"]
    assert result.facts["c06_n_met"].value == int(met.sum())
    assert (rules.loc[met, "sdg_category"] == "sdg_target_achieved").all()


def test_panan_uses_its_own_four_targets_and_says_so(built):
    _, result = built["330727"]
    assert result.facts["c06_target_region"].value == "磐安县"
    assert result.facts["c06_own_n_found"].value == 4
    used = result.tables["targets_used"]
    assert set(used["region"]) == {"磐安县"} and len(used) == 4
    assert "省科技型中小企业数" in set(used["name_zh"])
    own = sentences.render("c06_targets_own", result.facts)
    assert own.startswith("磐安县自身") and "260" in own
    assert sentences.render("c06_targets_city", result.facts).startswith("本章不以金华市")
    summary = sentences.render("c06_summary_targets", result.facts)
    assert "磐安县" in summary and "省科技型中小企业数" in summary
    # No indicator data: nothing projected, and the summary says why.
    assert result.facts["c06_n_projectable"].value == 0
    trend = sentences.render("c06_summary_trends", result.facts)
    assert "没有一个有足够的公布值" in trend
    assert result.tables["target_probability"].empty


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

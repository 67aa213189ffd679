"""Appendix A2 (assumptions log): what the page says is computed from the log itself."""

from __future__ import annotations

import csv
import re

import pytest

from zjinnov.data import paths
from zjinnov.present import assumptions_log, sentences
from zjinnov.study.chapters import assumptions
from zjinnov.study.study import Study

COUNTIES = ("330112", "330108", "330727")
WORDS = {"ratings": {"quality": "grade"}, "log": {"quality": "grade", "impact": "grade"}}


@pytest.fixture(scope="module")
def log_rows():
    with open(paths.FRAMEWORK / "assumptions.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module", params=COUNTIES)
def built(request):
    study = Study.load(request.param, paths.DATA)
    return study, assumptions.build(study)


def test_red_red_listed_from_the_log(built, log_rows):
    _, result = built
    red_red = [r["id"] for r in log_rows if r["quality"] == r["impact"] == "red"]
    assert list(result.facts["a2_red_red"].value["id"]) == red_red
    assert result.facts["a2_n_red_red"].value == len(red_red)
    # The trend models (A14) are red on both counts, not only the weights.
    assert "A14" in red_red
    assert "A14" in sentences.render("a2_counts", result.facts)
    red_any = [r for r in log_rows if "red" in (r["quality"], r["impact"])]
    assert result.facts["a2_n_red_any"].value == len(red_any)


def test_ratings_table_counts_every_assumption(built, log_rows):
    _, result = built
    ratings = result.tables["ratings"].set_index("quality")
    assert ratings.to_numpy().sum() == len(log_rows) == result.facts["a2_n"].value
    red = sum(r["quality"] == "red" and r["impact"] == "red" for r in log_rows)
    assert ratings.loc["red", "impact_red"] == red


def test_a07_says_most_likely(log_rows):
    a07 = next(r for r in log_rows if r["id"] == "A07")
    assert "很可能" in a07["evidence"] and "只能" not in a07["evidence"]


def test_log_rating_cells_coloured(built, log_rows):
    _, result = built
    html = assumptions_log.styled(result.tables["log"]).to_html()
    # The Styler writes one CSS rule per colour, listing the cells it applies to.
    rule = re.search(r"([^}]*)\{\s*background-color: " + assumptions_log.COLOUR["red"], html)
    coloured = rule.group(1).count("_row") if rule else 0
    reds = sum((r["quality"] == "red") + (r["impact"] == "red") for r in log_rows)
    assert coloured == reds
    assert "证据质量" in html and "quality" not in html.split("<tbody")[0]


def test_no_red_red_wording(built):
    _, result = built
    facts = dict(result.facts)
    empty = result.facts["a2_red_red"].value.iloc[0:0]
    facts["a2_red_red"] = type(result.facts["a2_red_red"])(empty, "items")
    assert "没有两者皆为红色的" in sentences.render("a2_counts", facts)


@pytest.mark.parametrize(
    ("code", "city", "scope"),
    [
        ("330112", "杭州市", "scope_city"),
        ("331127", "丽水市", "scope_none"),
        ("330727", "金华市", "scope_own"),
    ],
)
def test_the_plan_target_assumption_names_the_countys_own_city(code, city, scope):
    study = Study.load(code, paths.DATA)
    result = assumptions.build(study)
    a12 = result.tables["log"].set_index("assumption_id").loc["A12"]
    assert city in a12["assumption"] and study.name in a12["what_would_change_it"]
    assert "{" not in "".join(result.tables["log"]["assumption"])
    if city != "杭州市":
        assert "杭州" not in a12["assumption"] and "临安" not in a12["what_would_change_it"]
    assert result.facts["a2_targets_scope"].value == scope
    text = sentences.render("a2_targets", result.facts)
    assert study.name in text and city in text

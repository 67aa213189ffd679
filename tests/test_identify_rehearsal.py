"""A rehearsal that cannot flatter itself, through the book's own path: simulated monitoring
workbooks made by every candidate method, and by two methods outside the candidates, in three
layouts, each imported the analyst's way (import -> the analyst's folder -> laid over data/),
then a Study over the laid-over folder and chapter 07's build, exactly as the notebook calls
them (`Study(county, folder)`, `full_index.build(study)`).

For every candidate: chapter 07 names it as the method found (it ranks first among the
candidates), its residuals are at the rounding level of the printed index, the true weights
lie inside the weight ranges the chapter shows, the index it ranks is that method's, and the
recomputation matches the published index within a printed unit. For the outside methods:
the chapter says no candidate reproduces the index, lists the best one's residuals largest
first, gives no weight, and ranks by the registry's method, labelled an assumption.

Reduced size: 2015-2021 (seven years: the 2017 rename of 临安 and the 2021 changes in Hangzhou
fall inside), all county units; rank intervals from 200 draws (the book runs 10,000; the
benchmark times them). Each method in one layout, the layouts in turn, so every layout meets
three or four methods; `test_the_layouts_give_the_same_rows` reads one report in all three.
"""

from __future__ import annotations

import numpy as np
import pytest
import rehearsal
import rehearsal_methods

from zjinnov.data import geography
from zjinnov.engine.weight_ranges import MAX_WIDTH
from zjinnov.present import labels, sentences
from zjinnov.study import full_index as fi
from zjinnov.study.chapters import full_index as chapter
from zjinnov.study.study import Study

YEARS = tuple(range(2015, 2022))
COUNTY = "330112"  # 临安: 临安市 330185 until 2017
DRAWS = 200
CASES = [
    (method, rehearsal.LAYOUTS[k % len(rehearsal.LAYOUTS)])
    for k, method in enumerate(
        rehearsal_methods.CANDIDATE_METHODS + rehearsal_methods.OUTSIDE_METHODS
    )
]
SLACK = 1e-7  # percentage points: ranges are LP optima, the truth may sit on an end


def _book(tmp, method, layout, seed):
    truth = rehearsal.write_rehearsal(
        tmp / "analyst", seed=seed, method=method, layout=layout, years=YEARS
    )
    result, data = rehearsal.import_and_lay_over(truth, tmp / "build")
    study = Study(COUNTY, data)
    return truth, result, study, chapter.build(study, draws=DRAWS)


@pytest.mark.parametrize(("method", "layout"), CASES, ids=[f"{m}-{lay}" for m, lay in CASES])
def test_chapter_07_names_the_method_or_says_nothing_fits(tmp_path, method, layout):
    seed = 7000 + CASES.index((method, layout))
    truth, imported, study, book = _book(tmp_path, method, layout, seed)
    facts, tables = {k: f.value for k, f in book.facts.items()}, book.tables
    assert imported.index_base in ("", "2015")
    assert facts["c07_ident_rows"] > 400
    assert facts["c07_n_candidates"] == len(rehearsal_methods.CANDIDATE_METHODS)
    candidates = tables["candidates"]
    assert candidates["rank"].tolist() == list(range(1, len(candidates) + 1))
    assert candidates["candidate"].iloc[0] == facts["c07_best"]
    residuals = tables["residuals"]["residual"].abs().to_numpy()
    assert (np.diff(residuals) <= 0).all()  # largest first
    latest = max(YEARS)
    units = len(geography.units_in_year(latest))
    assert facts["c07_latest"] == latest and facts["c07_n_ranked_latest"] <= units
    assert len(tables["intervals"]) == facts["c07_n_ranked_latest"]
    found_text = sentences.render("c07_found", book.facts, "zh")
    if method in rehearsal_methods.OUTSIDE_METHODS:
        assert facts["c07_method"] is None
        assert facts["c07_method_status"] == "ident_not_reproduced"
        assert facts["c07_used"] == fi.REGISTRY
        assert (candidates["reproduces"] == "no").all()
        assert residuals[0] > facts["c07_max_limit"]
        assert tables["weights"].empty and tables["domain_weights"].empty
        assert facts["c07_n_identified"] is None and facts["c07_widest_range"] is None
        assert labels.label("ident_not_reproduced", "term") in found_text
        assert "不认定任何方法" in found_text
        # The ranking is still made, by the registry's method, and says so.
        assert facts["c07_n_ranked_latest"] == units
        return
    # The method is found, named, and used for everything downstream.
    assert facts["c07_method"] == method and facts["c07_used"] == method
    assert facts["c07_method_status"] == "ident_found"
    assert labels.label(method, "term") in found_text
    assert candidates["reproduces"].iloc[0] == "yes"
    assert facts["c07_best_rmse"] <= facts["c07_rmse_limit"]
    assert facts["c07_best_max_error"] <= facts["c07_max_limit"] == pytest.approx(0.1)
    assert residuals[0] <= facts["c07_max_limit"] + 1e-9
    # The runner-up is clearly worse, or nests the method (fits as well with more weights).
    nests = (
        method in study.identification.identification.fits[facts["c07_runner_up"]].candidate.nests
    )
    assert facts["c07_gap"] > 3.0 or nests
    # The true weights lie in the ranges the chapter shows.
    w = tables["weights"].set_index("indicator")
    true = 100 * truth.weights.reindex(w.index)
    inside = (true >= w["weight_lo_pct"] - SLACK) & (true <= w["weight_hi_pct"] + SLACK)
    assert inside.all(), w[~inside]
    d = tables["domain_weights"].set_index("domain")
    name = dict(zip(study.domains["code"], study.domains["domain"], strict=True))
    true_d = 100 * truth.domain_weights.rename(name).reindex(d.index)
    assert ((true_d >= d["weight_lo_pct"] - SLACK) & (true_d <= d["weight_hi_pct"] + SLACK)).all()
    assert facts["c07_n_identified"] == int((w["identified"] == "yes").sum()) > 0
    assert facts["c07_widest_range"] == pytest.approx(
        (w["weight_hi_pct"] - w["weight_lo_pct"]).max()
    )
    assert (w["identified"] == "yes").sum() == (
        (w["weight_hi_pct"] - w["weight_lo_pct"]) <= 100 * MAX_WIDTH + 1e-9
    ).sum()
    if truth.bases is not None:
        told = w[w["base_used"].isin(["base_province", "base_own"])]
        want = truth.bases.reindex(told.index).map(lambda b: f"base_{b}")
        assert (told["base_used"] == want).all() and len(told) >= 30
    assert tables["weights"]["importance"].between(0, 1).all()
    # The index the chapter ranks is the found method's: it matches the published index
    # within a printed unit for every county-year the report printed whole.
    assert facts["c07_max_abs_diff"] <= facts["c07_max_limit"] + 1e-9
    assert facts["c07_n_reconciled"] >= facts["c07_ident_rows"] - len(YEARS)
    drivers = tables["drivers"]
    assert len(drivers) == 34 and drivers["method_weight_pct"].sum() == pytest.approx(100)


def test_the_layouts_give_the_same_rows(tmp_path):
    """One simulated report printed three ways imports to the same figures (the year-column
    layout leaves a few county cells missing on purpose)."""
    got = {}
    for layout in rehearsal.LAYOUTS:
        truth = rehearsal.write_rehearsal(
            tmp_path / layout, seed=11, layout=layout, years=(2015, 2016, 2017)
        )
        result, _ = rehearsal.import_and_lay_over(truth, tmp_path / f"{layout}-build")
        rows = result.rows[~result.rows["county_code"].isin(geography.CITY_CODES)]
        got[layout] = rows.set_index(["county_code", "year", "variable"])["value"].astype(float)
    base = got["sheet_per_year"]
    for layout, rows in got.items():
        common = base.index.intersection(rows.index)
        assert len(common) >= len(base) - 6, layout
        assert np.allclose(rows[common], base[common], rtol=1e-9), layout

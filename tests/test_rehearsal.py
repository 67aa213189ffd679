"""The rehearsal: a simulated official workbook goes the whole way an analyst's would.

import -> laid over data/ -> validated -> the report's method identified from its published
index -> full index for every county-year by that method -> ranks and tiers -> reconciliation
with the "published" index -> rank intervals; and a broken workbook refused with every problem
named. (Every candidate method and two outside them go through chapter 07's build in
test_identify_rehearsal.py; here the default report, the registry's method, at full size.)
The simulation (tests/rehearsal.py) never reaches the published book: the last tests check
that.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import rehearsal

from zjinnov.__main__ import main
from zjinnov.data import geography, importer, overlay
from zjinnov.data.paths import DATA, ROOT
from zjinnov.study import full_coverage
from zjinnov.study import full_index as fi
from zjinnov.study.study import Study

WEIGHT_TOLERANCE = 0.002  # fitted vs true effective weights (whose mean is 1/34, about 0.029)
ROUNDING = 0.05 + 1e-9  # the published index is printed to one decimal
DRAWS = 500  # rank intervals here only need to exist; the benchmark runs 10,000


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rehearsal")
    truth = rehearsal.write_rehearsal(tmp / "analyst")
    result = importer.import_workbook(truth.workbook, rehearsal.SOURCE_ID, sources_dir=truth.folder)
    assert result.ok, str(result.report)
    importer.write(result, truth.folder, "monitoring")
    laid = overlay.lay_out(truth.folder, tmp / "build" / "data")
    study = Study("330112", tmp / "build" / "data")
    obs = study.observations  # validates every table, or raises
    full = study.full_index(draws=DRAWS)
    return {
        "truth": truth,
        "import": result,
        "overlay": laid,
        "obs": obs,
        "ind": study.indicators,
        "dom": study.domains,
        "study": study,
        "full": full,
    }


def test_the_workbook_comes_in_and_validates_over_the_public_data(run):
    rows = run["import"].rows
    assert set(rows["year"]) == {str(y) for y in rehearsal.YEARS}
    lin_an = rows[rows["county_name"].str.startswith("临安")].drop_duplicates("year")
    assert set(lin_an[lin_an["year"] < "2017"]["county_code"]) == {"330185"}
    assert set(lin_an[lin_an["year"] >= "2017"]["county_code"]) == {"330112"}
    # Values come back as printed, in the registry's units once validated.
    obs = run["obs"][run["obs"]["source_id"] == rehearsal.SOURCE_ID]
    got = obs[obs["variable"] == "research_instrument_value_per_capita"]  # printed in 元
    want = run["truth"].values
    one = got[(got["county_code"] == "330108") & (got["year"] == 2020)]["value"].iloc[0]
    assert one == pytest.approx(
        want[
            (want["county_code"] == "330108")
            & (want["year"] == 2020)
            & (want["indicator"] == "I05")
        ]["value"].iloc[0]
    )
    assert run["overlay"].simulated and run["overlay"].tables == ("monitoring",)


def test_every_county_unit_is_ranked_once_a_year_and_tiered(run):
    table = run["full"].table
    for year, part in table.groupby("year"):
        units = set(full_coverage.units_by_year([year], run["study"].framework_dir)["county_code"])
        assert set(part["county_code"]) == units and len(part) == len(units)
        assert sorted(part["rank"].astype(int)) == list(range(1, len(units) + 1))
        assert (part["tier"] == fi.TIERS[0]).sum() == run["full"].tier_size
    assert table["year"].nunique() == len(rehearsal.YEARS)
    assert not table[["index", *run["dom"]["domain"]]].isna().any().any()


def test_the_method_is_found_and_the_index_is_made_by_it(run):
    full, truth = run["full"], run["truth"]
    assert full.found.status == "found" and full.used == rehearsal.DEFAULT_METHOD
    assert full.identified and full.result is None  # the registry's path is not taken
    w = full.found.identification.weights.set_index("indicator")
    true = truth.weights.reindex(w.index)
    assert ((true >= w["lo"] - 1e-9) & (true <= w["hi"] + 1e-9)).all()
    assert np.abs(w["weight"] - true).max() < WEIGHT_TOLERANCE
    assert full.weights.reindex(w.index).to_numpy() == pytest.approx(w["weight"].to_numpy())


def test_reconciliation_matches_what_was_published(run):
    rec = run["full"].reconciliation
    mine = rec[rec["same_report"]]
    assert len(mine) == len(run["truth"].published)
    # The found method's index is the published one, up to the printing of one decimal.
    assert mine["diff"].abs().max() <= 0.1 + 1e-9
    # The public record's figures stand beside them, marked as another report's.
    others = rec[~rec["same_report"] & rec["published"].notna()]
    assert {"seed", "linan-2022-03"} <= set(others["source_id"])


def test_with_the_true_weights_the_method_gives_the_published_index(run):
    """The engine's forward model of the method, with the simulation's true weights, against
    the index the simulation made (tests/rehearsal_methods.py, written apart from the engine)."""
    truth, found = run["truth"], run["full"].found.identification
    fit = found.fits[rehearsal.DEFAULT_METHOD]
    e = truth.weights.reindex(np.asarray(found.panel.indicators)[fit.column_indicator])
    scores = found.scores(weights=e.to_numpy())
    index = scores[scores["node"] == "index"].set_index(["region", "year"])["score"]
    pub = truth.published.assign(
        region=geography.harmonise_codes(truth.published["county_code"])
    ).set_index(["region", "year"])["index"]
    both = pub.index.intersection(index.index)
    assert len(both) == len(pub)
    assert (index[both] - pub[both]).abs().max() <= ROUNDING


def test_rank_intervals_for_every_county(run):
    iv = run["full"].intervals
    assert len(iv) == 90 and iv["county_code"].is_unique
    assert (iv["rank_lo"] <= iv["rank_nominal"]).all() and (
        iv["rank_nominal"] <= iv["rank_hi"]
    ).all()
    assert run["full"].drivers is not None and len(run["full"].drivers) == 34


def test_a_broken_workbook_is_refused_with_every_problem_named(tmp_path, capsys):
    path, broken = rehearsal.write_broken(tmp_path)
    code = main(["import", str(path), "--source-id", rehearsal.SOURCE_ID, "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1 and not (tmp_path / "raw").exists()
    name, cell = broken["unknown_county"]
    assert re.search(rf"{cell} county .*unknown county name.*'{name}'", out), out
    text, cell = broken["text_cell"]
    assert re.search(rf"{cell} .*not a number.*'{text}'", out), out
    assert f"{broken['missing_column']} " in out and "indicator column missing" in out
    assert "90 county units expected in 2019, found 89" in out


# ------------------------------------------------------------------------ never in the book
def test_no_simulated_source_in_the_repository_data():
    kinds = pd.read_csv(DATA / "sources.csv", dtype=str, keep_default_na=False)["kind"]
    assert not kinds.eq(overlay.SIMULATED).any()
    assert not any(
        rehearsal.SOURCE_ID in p.read_text(encoding="utf-8") for p in (DATA / "raw").glob("*.csv")
    )


def test_nothing_the_book_runs_can_import_the_rehearsal():
    pattern = re.compile(
        r"(^|\n)\s*(import\s+rehearsal|from\s+rehearsal\s+import|.*tests[./]rehearsal)"
    )
    places = [
        *ROOT.glob("notebooks/*.ipynb"),
        *ROOT.glob("book/**/*.md"),
        *ROOT.glob("book/_ext/*.py"),
        *ROOT.glob("lib/**/*.py"),
        *ROOT.glob("tools/*.py"),
        ROOT / "_config.yml",
        ROOT / "_toc.yml",
    ]
    offenders = [
        str(p.relative_to(ROOT)) for p in places if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
    # The book never reads tests/ (excluded from the build) and the package cannot see it.
    assert "tests" in (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert not (ROOT / "lib" / "zjinnov" / "rehearsal.py").exists()


def test_the_public_data_carry_no_overlay():
    assert overlay.read(DATA) is None
    assert geography.ZHEJIANG == "330000"

"""The rehearsal: a simulated official workbook goes the whole way an analyst's would.

import -> laid over data/ -> validated -> full index for every county-year -> ranks and tiers
-> reconciliation with the "published" index -> weights recovered -> index rebuilt; and a
broken workbook refused with every problem named. The simulation (tests/rehearsal.py) never
reaches the published book: the last tests check that.
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
from zjinnov.engine.index import build_index
from zjinnov.study import full_coverage, reconciliation
from zjinnov.study import full_index as fi
from zjinnov.study.study import Study

# Tolerances, also stated in the full-index chapter.
WEIGHT_TOLERANCE = fi.REHEARSAL_WEIGHT_TOLERANCE  # recovered vs true effective weights
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


def test_weights_are_recovered_within_tolerance(run):
    w = run["full"].weights.set_index("indicator")
    truth = run["truth"]
    assert np.abs(w["weight"] - truth.weights.reindex(w.index)).max() < WEIGHT_TOLERANCE
    groups = run["full"].fit.groups.set_index("group")["weight"]
    code_of = dict(zip(run["dom"]["domain"], run["dom"]["code"], strict=True))
    true_groups = truth.domain_weights.reindex([code_of[g] for g in groups.index]).to_numpy()
    assert np.abs(groups.to_numpy() - true_groups).max() < WEIGHT_TOLERANCE
    assert run["full"].fit.n_identified == len(w)
    assert run["full"].fit.rmse < 2 * rehearsal_rounding()


def rehearsal_rounding() -> float:
    return 0.1 / np.sqrt(12)


def test_reconciliation_rebuilt_index_matches_what_was_published(run):
    rec = run["full"].reconciliation
    mine = rec[rec["same_report"]]
    assert len(mine) == len(run["truth"].published)
    assert (mine["rebuilt_diff"].abs() <= fi.REBUILT_TOLERANCE).all()
    # The registry's equal weights are not the true ones: the plain recomputation differs.
    assert mine["diff"].abs().max() > 1.0
    # The public record's figures stand beside them, marked as another report's.
    others = rec[~rec["same_report"] & rec["published"].notna()]
    assert {"seed", "linan-2022-03"} <= set(others["source_id"])


def test_with_the_true_weights_the_recomputation_is_the_published_index(run):
    truth, full = run["truth"], run["full"]
    weights = {**truth.within.to_dict(), **truth.domain_weights.to_dict()}
    again = build_index(
        full.engine_values, full.result.hierarchy.with_weights(weights), full.method
    )
    names = fi.names(run["study"].framework_dir)
    table = fi.score_table(again, run["dom"], full.tier_size, names)
    scores = pd.concat([table, fi.province_scores(again)])
    rec = reconciliation.reconcile(full.published, scores, None, full.eligible, names)
    rec = rec[rec["same_report"]]
    assert len(rec) == len(truth.published)
    assert rec["diff"].abs().max() <= ROUNDING
    ranked = rec.dropna(subset=["published_rank"])
    assert (ranked["rank_diff"] == 0).all()


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

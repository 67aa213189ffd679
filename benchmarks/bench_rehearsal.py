"""The rehearsal of the import path, timed step by step; prints only.

A simulated official workbook (tests/rehearsal.py, fixed seed: all county units × 34
indicators × 2015–2023, with a published index made by a known method from random weights)
goes the analyst's way, through the Study the book builds: import -> laid over data/ and
validated -> indicator values -> the report's method searched among every candidate and each
weight's range (the `identification` stage) -> full index for every year by the method found,
with ranks, tiers and the reconciliation (the `full_index` stage) -> 10,000 Monte Carlo draws
of rank intervals for the 90 counties under that method. The goal: under 15 s for those steps
together on the project's 2-core machine.

`--method` / `--layout` choose the simulated report (default: the registry's method, one
sheet a year); `--keep DIR` leaves the imported folder in DIR (for `make book DATA_EXTRA=DIR`).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the generator lives with the tests, not the package

import rehearsal  # noqa: E402

from zjinnov.data import importer, overlay, paths, quotes, sources, units  # noqa: E402
from zjinnov.study import full_index as fi  # noqa: E402
from zjinnov.study import full_standing  # noqa: E402
from zjinnov.study.study import Study  # noqa: E402

DRAWS = 10_000
GOAL = 15.0  # seconds, import to rank intervals


def _timed(label: str, times: dict, fn):
    t0 = time.perf_counter()
    out = fn()
    times[label] = time.perf_counter() - t0
    return out


def _pipeline(truth, folder: Path) -> tuple[dict, object, object, object]:
    """The analyst's steps once, each timed: import, lay over and validate, indicator values,
    method search and weight ranges, index, intervals."""
    # Caches that remember cells or tables between calls are emptied, and validated tables are
    # kept in a build folder of this run's own: each run starts as a new analyst's first one.
    quotes._printed.cache_clear()
    units._normalised.cache_clear()
    sources._MEMO.clear()
    paths.BUILD = folder.parent / f"{folder.name}-build"
    times: dict[str, float] = {}
    result = _timed(
        "import (read, find the layout, map headers and counties)",
        times,
        lambda: importer.import_workbook(
            truth.workbook,
            rehearsal.SOURCE_ID,
            sources_dir=folder,
            complete=truth.missing_cells == 0,
        ),
    )
    if not result.ok:
        raise SystemExit(str(result.report))
    importer.write(result, folder, "monitoring")
    data = folder.parent / f"{folder.name}-overlay"

    def validate():
        overlay.lay_out(folder, data)
        study = Study("330112", data)
        study.observations  # noqa: B018 - loading validates every table
        return study

    study = _timed("lay over data/ and validate every table", times, validate)
    _timed("selection and indicator values (the Study's values)", times, lambda: study.values)
    t0 = time.perf_counter()
    found = study.identification
    total = time.perf_counter() - t0
    ident = found.identification
    n_lp = ident.weights.attrs.get("programmes", 0) if ident.weights is not None else 0
    ranges = ident.seconds["ranges"]
    times["the report's rows and the method search over every candidate"] = total - ranges
    times[f"weight ranges ({n_lp} linear programmes)"] = ranges
    full = _timed(
        "full index by the method found, ranks, tiers, reconciliation",
        times,
        lambda: study.full_index(draws=0),
    )
    latest = int(full.table["year"].max())
    names = fi.names(study.framework_dir)
    units_now = full.table[full.table["year"] == latest]["county_code"]

    def intervals():
        if full.identified:
            return full_standing.found_rank_intervals(
                ident, units_now, latest, DRAWS, fi.SEED, names
            )
        return full_standing.rank_intervals(
            full.engine_values, full.result, full.method, latest, DRAWS, fi.SEED, names
        )

    _timed(f"rank intervals of the 90 counties, {DRAWS:,} draws", times, intervals)
    return times, full, result, found


def _label(step: str) -> str:
    # The weight ranges' label carries its count, which may differ run to run.
    return step.split(" (")[0] if step.startswith("weight ranges") else step


def run(folder: Path, runs: int, method: str, layout: str) -> None:
    t0 = time.perf_counter()
    truth = rehearsal.write_rehearsal(folder, method=method, layout=layout)
    simulate = time.perf_counter() - t0
    # The machine is shared: one run can be slowed by a neighbour, so the steps are run
    # several times (a new folder each) and the median reported, with the spread of the total.
    targets = [folder] + [folder.parent / f"{folder.name}-run{i}" for i in range(2, runs + 1)]
    for target in targets[1:]:
        shutil.copytree(folder, target)  # each run imports into an untouched copy
    timings, labels = [], {}
    for target in targets:
        times, full, result, found = _pipeline(truth, target)
        labels.update({_label(k): k for k in times})
        timings.append({_label(k): v for k, v in times.items()})
    totals = [sum(t.values()) for t in timings]
    budget = statistics.median(totals)
    n_rows = len(result.rows)
    print(
        f"rehearsal: {method} in the {layout} layout; {len(rehearsal.YEARS)} years × 34 "
        f"indicators × the county units, {n_rows:,} raw rows; median of {runs} runs"
    )
    print(f"  {'simulate and write the workbook (once, not timed)':62s} {simulate:6.2f} s")
    for step, label in labels.items():
        print(f"  {label:62s} {statistics.median(t[step] for t in timings):6.2f} s")
    verdict = "under" if budget < GOAL else "OVER"
    print(
        f"  {'import to rank intervals, together':62s} {budget:6.2f} s ({verdict} the "
        f"{GOAL:g} s goal; runs {', '.join(f'{t:.2f}' for t in totals)} s)"
    )
    v = found.identification.verdict
    print(
        f"method found: {v.method} (best {v.best}, RMSE {v.best_rmse:.4f} against "
        f"{v.rounding_rmse:.4f} from rounding alone, max |error| {v.best_max_error:.3f}; "
        f"runner-up {v.runner_up}, RMSE ×{v.gap:.1f}); the full index is made by: {full.used}"
    )
    weights = found.identification.weights
    if weights is not None:
        w = weights.set_index("indicator")
        err = np.abs(w["weight"] - truth.weights.reindex(w.index)).max()
        inside = (
            (truth.weights.reindex(w.index) >= w["lo"] - 1e-9)
            & (truth.weights.reindex(w.index) <= w["hi"] + 1e-9)
        ).sum()
        print(
            f"weights: {v.n_identified}/{len(w)} identified; largest |error| {err:.5f}; widest "
            f"range {w['width'].max():.5f}; true weight inside its range for {inside}/{len(w)}"
        )
    rec = full.reconciliation[full.reconciliation["same_report"]]
    print(f"recomputed against published: max |diff| {rec['diff'].abs().max():.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the rehearsal folder here and keep it")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the median is reported")
    parser.add_argument("--method", default=rehearsal.DEFAULT_METHOD)
    parser.add_argument("--layout", default="sheet_per_year", choices=rehearsal.LAYOUTS)
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.keep.resolve(), 1, args.method, args.layout)
        print(f"kept: {args.keep} -> make book DATA_EXTRA={args.keep}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp) / "analyst", max(args.runs, 1), args.method, args.layout)


if __name__ == "__main__":
    main()

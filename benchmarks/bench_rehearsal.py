"""The rehearsal of the import path, timed step by step; prints only.

A simulated official workbook (tests/rehearsal.py, fixed seed: all county units × 34
indicators × 2015–2023, with a published index from known weights) goes the analyst's way:
import -> laid over data/ and validated -> full index for every year with ranks, tiers,
reconciliation and weight recovery -> 10,000 Monte Carlo draws of rank intervals for the 90
counties. The goal: under 10 s for those steps together on the project's 2-core machine.

`--keep DIR` leaves the imported folder in DIR (for `make book DATA_EXTRA=DIR`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the generator lives with the tests, not the package

import rehearsal  # noqa: E402

from zjinnov.data import framework, importer, overlay, sources  # noqa: E402
from zjinnov.study import full_index as fi  # noqa: E402

DRAWS = 10_000


def _timed(label: str, times: dict, fn):
    t0 = time.perf_counter()
    out = fn()
    times[label] = time.perf_counter() - t0
    return out


def run(folder: Path) -> None:
    times: dict[str, float] = {}
    truth = _timed(
        "simulate and write the workbook", times, lambda: rehearsal.write_rehearsal(folder)
    )
    result = _timed(
        "import (read, map headers and counties)",
        times,
        lambda: importer.import_workbook(truth.workbook, rehearsal.SOURCE_ID, sources_dir=folder),
    )
    if not result.ok:
        raise SystemExit(str(result.report))
    importer.write(result, folder, "monitoring")
    data = folder.parent / f"{folder.name}-overlay"

    def validate():
        overlay.lay_out(folder, data)
        return sources.load_observations(data), sources.load_sources(data)

    obs, src = _timed("lay over data/ and validate every table", times, validate)
    ind, dom = (
        framework.load_indicators(data / "framework"),
        framework.load_domains(data / "framework"),
    )
    full = _timed(
        "full index, ranks, tiers, reconciliation, weights",
        times,
        lambda: fi.full_index(obs, ind, dom, "330112", sources=src, draws=0),
    )
    latest = int(full.table["year"].max())
    _timed(
        f"rank intervals of the 90 counties, {DRAWS:,} draws",
        times,
        lambda: fi.rank_intervals(full.engine_values, full.result, latest, DRAWS, fi.SEED),
    )
    budget = sum(v for k, v in times.items() if not k.startswith("simulate"))
    w = full.weights.set_index("indicator")
    err = np.abs(w["weight"] - truth.weights.reindex(w.index)).max()
    rec = full.reconciliation[full.reconciliation["same_report"]]
    n_rows = len(result.rows)
    print(
        f"rehearsal: {result.sheets['counties'].max()} county units × 34 indicators × "
        f"{len(result.sheets)} years, {n_rows:,} raw rows"
    )
    for label, seconds in times.items():
        print(f"  {label:52s} {seconds:6.2f} s")
    verdict = "under" if budget < 10 else "OVER"
    print(f"  {'import to rank intervals, together':52s} {budget:6.2f} s ({verdict} the 10 s goal)")
    print(
        f"weights recovered: max |error| {err:.5f} against the true weights "
        f"(tolerance in the tests {0.002}); {full.fit.n_identified}/{len(w)} identified, "
        f"design rank {full.fit.rank}; fit RMSE {full.fit.rmse:.4f} "
        f"(rounding alone: {0.1 / np.sqrt(12):.4f}), max error {full.fit.max_error:.3f}"
    )
    print(
        f"reconciliation: {len(rec)} published county-years; registry weights max |diff| "
        f"{rec['diff'].abs().max():.2f}; recovered weights max |diff| "
        f"{rec['rebuilt_diff'].abs().max():.3f} (tolerance {fi.REBUILT_TOLERANCE})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the rehearsal folder here and keep it")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.keep.resolve())
        print(f"kept: {args.keep} -> make book DATA_EXTRA={args.keep}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp) / "analyst")


if __name__ == "__main__":
    main()

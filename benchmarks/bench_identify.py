"""Every rehearsal method through import and identification, at full size; prints a table.

For each method that made a simulated report (every candidate of `zjinnov.engine.candidates`
and the two outside them, `tests/rehearsal_methods.py`), in the three layouts in turn, 2015–
2023: the workbook is imported the analyst's way and laid over data/, and the method is then
identified from what was laid over. Printed per method: the method found (or that none
reproduces the index), its RMSE against the rounding RMSE and its largest error, the largest
weight error against the true weights, the widest weight range, whether every true weight lies
in its range, and the seconds the identification took (search and ranges).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import rehearsal  # noqa: E402
import rehearsal_methods  # noqa: E402


def one(tmp: Path, method: str, layout: str, seed: int) -> dict:
    truth = rehearsal.write_rehearsal(tmp / "analyst", seed=seed, method=method, layout=layout)
    t0 = time.perf_counter()
    result, data = rehearsal.import_and_lay_over(truth, tmp / "build")
    t1 = time.perf_counter()
    found = rehearsal.identify(data)
    v = found.verdict
    row = {
        "method": method,
        "layout": layout,
        "found": v.method or "none reproduces",
        "best": v.best,
        "rmse/rounding": v.best_rmse / v.rounding_rmse,
        "max|err|": v.best_max_error,
        "runner-up": v.runner_up,
        "gap": v.gap,
        "weight err": np.nan,
        "widest range": np.nan,
        "true inside": "",
        "identified": v.n_identified,
        "missing cells": len(result.missing),
        "import s": t1 - t0,
        "search s": found.seconds["search"],
        "ranges s": found.seconds["ranges"],
    }
    if found.weights is not None:
        w = found.weights.set_index("indicator")
        true = truth.weights.reindex(w.index)
        row["weight err"] = float(np.abs(w["weight"] - true).max())
        row["widest range"] = float(w["width"].max())
        inside = ((true >= w["lo"] - 1e-9) & (true <= w["hi"] + 1e-9)).sum()
        row["true inside"] = f"{inside}/{len(w)}"
    return row


def main() -> None:
    methods = rehearsal_methods.CANDIDATE_METHODS + rehearsal_methods.OUTSIDE_METHODS
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, method in enumerate(methods):
            layout = rehearsal.LAYOUTS[k % len(rehearsal.LAYOUTS)]
            rows.append(one(Path(tmp) / method, method, layout, 9100 + k))
            print(f"  {method} ({layout}): {rows[-1]['found']}", flush=True)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(table.round(5).to_string(index=False))
    print(
        f"rounding RMSE of a one-decimal index: {0.1 / np.sqrt(12):.4f}; 'reproduces' means "
        "RMSE <= 1.5 × that and max |error| <= 0.1"
    )


if __name__ == "__main__":
    main()

"""Every rehearsal method through import, the Study and chapter 07's build, at full size;
prints a table.

For each method that made a simulated report (every candidate of `zjinnov.engine.candidates`
and the two outside them, `tests/rehearsal_methods.py`), in the three layouts in turn, 2015–
2023: the workbook is imported the analyst's way and laid over data/, and chapter 07 is built
from a Study over that folder, as the book builds it. Printed per method: the method chapter 07
names (or that none reproduces the index) and the method its index is made by, the best
candidate's RMSE against the rounding RMSE and its largest error, the largest weight error
against the true weights, the widest weight range, whether every true weight lies in its
range, the largest difference between the recomputed and the published index, and the
seconds the identification took (search and ranges).
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

from zjinnov.study.chapters import full_index as chapter  # noqa: E402
from zjinnov.study.study import Study  # noqa: E402


def one(tmp: Path, method: str, layout: str, seed: int) -> dict:
    truth = rehearsal.write_rehearsal(tmp / "analyst", seed=seed, method=method, layout=layout)
    t0 = time.perf_counter()
    result, data = rehearsal.import_and_lay_over(truth, tmp / "build")
    t1 = time.perf_counter()
    study = Study("330112", data)
    book = chapter.build(study, draws=0)
    facts = {k: f.value for k, f in book.facts.items()}
    found = study.identification.identification
    v = found.verdict
    row = {
        "method": method,
        "layout": layout,
        "chapter 07 names": facts["c07_method"] or "none reproduces",
        "index made by": facts["c07_used"],
        "best": v.best,
        "rmse/rounding": v.best_rmse / v.rounding_rmse,
        "max|err|": v.best_max_error,
        "runner-up": v.runner_up,
        "gap": v.gap,
        "weight err": np.nan,
        "widest range": np.nan,
        "true inside": "",
        "identified": v.n_identified,
        "max|diff| published": facts["c07_max_abs_diff"],
        "missing cells": len(result.missing),
        "import s": t1 - t0,
        "search s": found.seconds["search"],
        "ranges s": found.seconds["ranges"],
    }
    w = book.tables["weights"]
    if len(w):
        w = w.set_index("indicator")
        true = 100 * truth.weights.reindex(w.index)
        row["weight err"] = float(np.abs(w["weight_pct"] - true).max()) / 100
        row["widest range"] = float((w["weight_hi_pct"] - w["weight_lo_pct"]).max()) / 100
        inside = ((true >= w["weight_lo_pct"] - 1e-7) & (true <= w["weight_hi_pct"] + 1e-7)).sum()
        row["true inside"] = f"{inside}/{len(w)}"
    return row


def main() -> None:
    methods = rehearsal_methods.CANDIDATE_METHODS + rehearsal_methods.OUTSIDE_METHODS
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, method in enumerate(methods):
            layout = rehearsal.LAYOUTS[k % len(rehearsal.LAYOUTS)]
            rows.append(one(Path(tmp) / method, method, layout, 9100 + k))
            print(f"  {method} ({layout}): {rows[-1]['chapter 07 names']}", flush=True)
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(table.round(5).to_string(index=False))
    print(
        f"rounding RMSE of a one-decimal index: {0.1 / np.sqrt(12):.4f}; 'reproduces' means "
        "RMSE <= 1.5 × that and max |error| <= 0.1"
    )


if __name__ == "__main__":
    main()

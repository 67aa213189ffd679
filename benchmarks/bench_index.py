"""Time and memory of the index engine on generated panels (fixed seed); prints, never asserts.

Two cases: 90 units × 34 indicators × 10 years (the study's size) and 3,000 × 60 × 20.
For each: `build_index` from a long table (pivot, normalise, aggregate, rank, long output),
the array core alone (`normalise_array` + `aggregate_array` per level), a batch of 1,000
weight draws through `aggregate_array`, and, for scale, a plain numpy matrix product of the
same (rows × indicators) @ (indicators × parents) shape in the same run.
"""

from __future__ import annotations

import resource

import numpy as np
from timing import measure

from zjinnov.engine import synthetic
from zjinnov.engine.aggregate import aggregate_array
from zjinnov.engine.index import IndexMethod, build_index
from zjinnov.engine.normalise import normalise_array

SEED = 20240601
REPEATS = 5


def panel(n_units: int, n_ind: int, n_years: int):
    p = synthetic.panel(
        n_units, n_ind, n_years, seed=SEED, missing=0.02, first_year=2015, growth=True
    )
    return p.values, p.hierarchy, p.array


def core(x, h):
    z = normalise_array(
        x,
        "base_ratio",
        direction=h.leaves()["direction"].to_numpy(),
        years=2015 + np.arange(x.shape[0]),
        base_year=2015,
        ref_region=0,
    )
    s = z.reshape(-1, z.shape[-1])
    for level in h.levels[1:]:
        s = aggregate_array(s, h.level_matrix(level)).T
    return s


def run_case(n_units, n_ind, n_years):
    long, h, x = panel(n_units, n_ind, n_years)
    rows = n_units * n_years
    a = np.random.default_rng(SEED).random((rows, n_ind))
    b = np.random.default_rng(SEED + 1).random((n_ind, 5))
    draws = np.random.default_rng(SEED + 2).dirichlet(np.ones(n_ind), 1000)
    z = x.reshape(rows, n_ind)  # with its 2 % missing values, so weights are renormalised
    t_mm, _ = measure(lambda: a @ b)
    results = {
        "build_index (long in, long out)": measure(
            lambda: build_index(long, h, IndexMethod(base_region="U00000"))
        ),
        "array core (normalise + aggregate)": measure(lambda: core(x, h)),
        "1,000 weight draws (aggregate_array)": measure(lambda: aggregate_array(z, draws)),
    }
    print(f"\n{n_units} units × {n_ind} indicators × {n_years} years ({len(long):,} values)")
    print(f"  numpy matmul ({rows}×{n_ind}) @ ({n_ind}×5): {t_mm * 1e3:9.3f} ms")
    for name, (t, peak) in results.items():
        print(
            f"  {name:38s} {t * 1e3:9.1f} ms  peak {peak / 2**20:8.1f} MiB  ×{t / t_mm:,.0f} matmul"
        )


if __name__ == "__main__":
    print(f"median of {REPEATS} runs; peak memory by tracemalloc (Python allocations incl. numpy)")
    run_case(90, 34, 10)
    run_case(3000, 60, 20)
    print(
        f"\nprocess peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:.0f} MiB"
    )

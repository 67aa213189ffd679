"""Time and memory of the index engine on generated panels (fixed seed); prints, never asserts.

Two cases: 90 units × 34 indicators × 10 years (the study's size) and 3,000 × 60 × 20.
For each: `build_index` from a long table (pivot, normalise, aggregate, rank, long output),
the array core alone (`normalise_array` + `aggregate_array` per level), a batch of 1,000
weight draws through `aggregate_array`, and, for scale, a plain numpy matrix product of the
same (rows × indicators) @ (indicators × parents) shape in the same run.
"""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from zjinnov.aggregate import aggregate_array
from zjinnov.hierarchy import from_registry
from zjinnov.index import IndexMethod, build_index
from zjinnov.normalise import normalise_array

SEED = 20240601
REPEATS = 5


def panel(n_units: int, n_ind: int, n_years: int, n_domains: int = 5):
    rng = np.random.default_rng(SEED)
    ind = pd.DataFrame(
        {
            "code": [f"I{k:02d}" for k in range(n_ind)],
            "domain": [f"D{k % n_domains}" for k in range(n_ind)],
            "direction": rng.choice([1, -1], n_ind, p=[0.9, 0.1]),
            "weight": rng.uniform(0.5, 2.0, n_ind),
            "normaliser": "base_ratio",
        }
    )
    dom = pd.DataFrame(
        {
            "code": [f"D{k}" for k in range(n_domains)],
            "domain": [f"D{k}" for k in range(n_domains)],
            "weight": 1.0,
        }
    )
    growth = rng.lognormal(0.05, 0.1, (n_years, n_units, n_ind)).cumprod(axis=0)
    x = rng.lognormal(3, 1, (1, n_units, n_ind)) * growth
    x[rng.random(x.shape) < 0.02] = np.nan
    t, u, i = np.indices(x.shape).reshape(3, -1)
    units = np.array([f"U{k:05d}" for k in range(n_units)])
    long = pd.DataFrame(
        {
            "unit": units[u],
            "year": 2015 + t,
            "indicator": ind["code"].to_numpy()[i],
            "value": x.reshape(-1),
        }
    )
    return long.dropna(), from_registry(ind, dom), x


def measure(fn):
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak


def core(x, h):
    z = normalise_array(
        x,
        "base_ratio",
        direction=h.leaves()["direction"].to_numpy(),
        years=2015 + np.arange(x.shape[0]),
        base_year=2015,
        ref_unit=0,
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
            lambda: build_index(long, h, IndexMethod(base_unit="U00000"))
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

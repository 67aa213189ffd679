"""Time and peak memory of the Monte Carlo robustness engine at the study's size; prints only.

10,000 draws for 90 units × 34 indicators in 5 domains (generated, fixed seed): weights
perturbed ±25 % at both levels (and, second case, Dirichlet draws), normaliser (min-max or
z-score), aggregation (arithmetic or geometric) and missing-value rule (drop and reweight, or
group-mean imputation): 8 discrete combinations. Beside it, in the same run, a plain numpy
matrix product of the same shape, (10,000 × 34) @ (34 × 90), for scale.
"""

from __future__ import annotations

import numpy as np
from timing import measure

from zjinnov.engine import robustness as rb
from zjinnov.engine import synthetic
from zjinnov.engine.index import IndexMethod

SEED = 20240601
DRAWS, UNITS, INDICATORS, DOMAINS = 10_000, 90, 34, 5
REPEATS = 3


def panel():
    p = synthetic.panel(UNITS, INDICATORS, n_domains=DOMAINS, seed=SEED, normaliser="minmax")
    return p.values, p.hierarchy, p.groups


def spec(kind: str) -> rb.UncertaintySpec:
    return rb.UncertaintySpec(
        rb.WeightNoise(kind, spread=0.25, alpha=20.0),
        (
            rb.Choice(
                "normaliser",
                (
                    ("minmax", {"normaliser": "minmax", "params": (("lo", 1.0), ("hi", 100.0))}),
                    ("zscore", {"normaliser": "zscore", "params": (("m", 10.0), ("s", 2.0))}),
                ),
            ),
            rb.Choice(
                "aggregation",
                (
                    ("arithmetic", {"aggregation": "arithmetic"}),
                    ("geometric", {"aggregation": "geometric"}),
                ),
            ),
            rb.Choice(
                "missing",
                (("renormalise", {"impute": "none"}), ("group_mean", {"impute": "group_mean"})),
            ),
        ),
    )


def main() -> None:
    values, hierarchy, groups = panel()
    method = IndexMethod(normaliser="minmax", params=(("lo", 1.0), ("hi", 100.0)), base_year=None)
    rng = np.random.default_rng(SEED)
    A, B = rng.random((DRAWS, INDICATORS)), rng.random((INDICATORS, UNITS))
    t_mm, _ = measure(lambda: A @ B, repeats=50)
    print(
        f"{DRAWS:,} draws, {UNITS} units × {INDICATORS} indicators × {DOMAINS} domains, 8 method combinations"
    )
    print(
        f"plain matrix product ({DRAWS} × {INDICATORS}) @ ({INDICATORS} × {UNITS}): {t_mm * 1e3:8.2f} ms"
    )
    for kind in ("uniform", "dirichlet"):
        s = spec(kind)
        U = rb.sample(s, hierarchy, DRAWS, SEED)
        t, peak = measure(lambda s=s, U=U: rb.run(values, hierarchy, method, s, U, groups=groups))
        mc = rb.run(values, hierarchy, method, s, U, groups=groups)
        ok = "under" if t < 3 else "OVER"
        print(
            f"Monte Carlo, weights {kind:9s}: {t:6.2f} s ({ok} 3 s), {t / t_mm:8.0f}× the matrix product, "
            f"peak memory {peak / 2**20:6.1f} MiB, median rank shift {np.median(rb.rank_shift(mc)):.2f}"
        )
    U = rb.sample(spec("uniform"), hierarchy, DRAWS, SEED)
    t, peak = measure(lambda: rb.decode(spec("uniform"), hierarchy, method, U))
    print(f"  of which decoding the draws (uniform): {t * 1e3:.1f} ms")
    t, peak = measure(lambda: rb.removal_table(values, hierarchy, method, groups=groups))
    print(
        f"removal table ({INDICATORS} indicators + {DOMAINS} domains): {t * 1e3:.1f} ms, peak {peak / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()

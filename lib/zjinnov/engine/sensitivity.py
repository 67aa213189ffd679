"""Variance-based sensitivity of the index to its assumptions (SALib, Saltelli/Sobol').

Why Sobol' with groups: the assumptions mix many continuous weights with a few discrete
choices. SALib lets factors be grouped, so all weights of one tree level count as one factor
and the Saltelli design needs N·(G + 2) runs for G groups (first-order and total indices,
no second order) instead of N·(D + 2) for D columns. The discrete choices are uniform
columns mapped to levels by `zjinnov.engine.robustness.decode`, the same decoder as the plain Monte
Carlo, so the two analyses share one engine. Second-order indices are not estimated: the
gap between total and first-order index already says how much an assumption acts through
interactions. (RBD-FAST and delta work on any sample but have no grouping and handle
two-level factors poorly; Sobol' indices are also what the JRC and COINr report.)

Targets (one scalar per run): the mean absolute rank change against the nominal ranking
(COINr's choice, where several regions are ranked) and the score of one region.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from zjinnov.engine.hierarchy import Hierarchy
from zjinnov.engine.index import IndexMethod
from zjinnov.engine.robustness import MonteCarlo, UncertaintySpec, factors, rank_shift, run


def problem(spec: UncertaintySpec, hierarchy: Hierarchy) -> dict:
    """SALib problem over the region hypercube, grouped as `robustness.factors` groups them."""
    table = factors(spec, hierarchy)
    if table["group"].nunique() < 2:
        raise ValueError("a sensitivity analysis needs at least two groups of assumptions")
    return {
        "num_vars": len(table),
        "names": table["name"].tolist(),
        "bounds": [[0.0, 1.0]] * len(table),
        "groups": table["group"].tolist(),
    }


def saltelli(spec: UncertaintySpec, hierarchy: Hierarchy, n: int, seed: int) -> np.ndarray:
    """Saltelli design (scrambled Sobol' sequence, seeded): n·(groups + 2) rows; n a power of 2."""
    if n < 2 or n & (n - 1):
        raise ValueError(f"n={n}: the Sobol' sequence needs a power of 2 (e.g. 256, 512, 1024)")
    return sobol_sample.sample(problem(spec, hierarchy), n, calc_second_order=False, seed=seed)


def targets(mc: MonteCarlo, region=None, year=None) -> dict[str, np.ndarray]:
    """Scalar outputs per run: rank shift (if several regions are ranked) and `region`'s score."""
    t = -1 if year is None else int(np.flatnonzero(mc.years == year)[0])
    out = {}
    if np.sum(~np.isnan(mc.nominal_ranks[t])) >= 2:
        out["rank_shift"] = rank_shift(mc)[:, t]
    if region is not None:
        out[f"score:{region}"] = mc.scores[:, t, int(np.flatnonzero(mc.regions == region)[0])]
    return out


def indices(
    spec: UncertaintySpec, hierarchy: Hierarchy, Y, *, seed: int, resamples: int = 200
) -> pd.DataFrame:
    """First-order and total Sobol' indices (with 95 % bootstrap half-widths) per group."""
    Y = np.asarray(Y, float)
    if np.isnan(Y).any():
        raise ValueError(
            f"{int(np.isnan(Y).sum())} of {len(Y)} runs gave no value (a region without score "
            "under some assumption); choose a target defined in every run"
        )
    prob = problem(spec, hierarchy)
    si = sobol_analyze.analyze(prob, Y, calc_second_order=False, num_resamples=resamples, seed=seed)
    names = list(dict.fromkeys(prob["groups"]))
    return pd.DataFrame(
        {
            "factor": names,
            "S1": si["S1"],
            "S1_conf": si["S1_conf"],
            "ST": si["ST"],
            "ST_conf": si["ST_conf"],
        }
    )


def analyse(
    values,
    hierarchy: Hierarchy,
    method: IndexMethod,
    spec: UncertaintySpec,
    *,
    n: int = 512,
    seed: int = 1,
    region=None,
    year=None,
    groups=None,
) -> tuple[pd.DataFrame, MonteCarlo]:
    """Saltelli runs through the Monte Carlo engine, then Sobol' indices for every target.

    Returns a tidy table (target, factor, S1, S1_conf, ST, ST_conf) and the runs themselves.
    """
    U = saltelli(spec, hierarchy, n, seed)
    mc = run(values, hierarchy, method, spec, U, groups=groups)
    frames = [
        indices(spec, hierarchy, Y, seed=seed).assign(target=name)
        for name, Y in targets(mc, region, year).items()
    ]
    if not frames:
        raise ValueError("no target: name a region, or score several regions so that ranks exist")
    table = pd.concat(frames, ignore_index=True)
    return table[["target", "factor", "S1", "S1_conf", "ST", "ST_conf"]], mc

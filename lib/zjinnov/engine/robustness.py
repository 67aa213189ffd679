"""Uncertainty analysis of a composite index, the way the EU JRC audits the GII (and COINr does).

Every uncertain assumption is a column of a region hypercube ``U`` (draws × factors), so one
sampler (plain Monte Carlo here, Saltelli in `zjinnov.engine.sensitivity`) and one decoder serve both
the uncertainty and the sensitivity analysis:

- weights: one column per weighted node (indicators within their domain, domains within the
  index, ...). ``uniform`` perturbs each nominal weight by up to ±``spread`` (w·(1 + s·(2u-1)));
  ``dirichlet`` draws the shares of each parent's children from Dirichlet(α·w̄) (the inverse
  gamma CDF of u, normalised within the parent), so α is the concentration around nominal.
- discrete choices (normaliser, aggregation, missing-value rule, ...): u is mapped to one of
  L levels (floor(L·u)); each level is a set of `IndexMethod` changes.

Evaluation groups the draws by their combination of discrete levels. Per combination the
engine (`zjinnov.engine.index.build_index`) imputes, treats and normalises once; the weights of all
draws of that combination then go through `zjinnov.engine.aggregate.aggregate_array` as one batch,
level by level up the tree. No loop over draws or regions.

One module of about 440 lines, on purpose: the design (factors, sampling, decoding), the batched
evaluation, the summaries and the removal table all work on the same `Design`/`MonteCarlo`
records and the same batched scoring and ranking (`scores_for`, `rank_draws`, `_rankable`);
split apart, each part would reach into the others' private helpers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# The gamma quantile as scipy.special's inverse incomplete gamma: scipy.stats.gamma.ppf is the
# same function, but importing scipy.stats costs every process about a second more.
from scipy.special import gammaincinv

from zjinnov.engine.aggregate import AggregationError, aggregate_array
from zjinnov.engine.hierarchy import Hierarchy
from zjinnov.engine.index import IndexMethod, build_index, rank_array, resolve_method

WEIGHT_KINDS = ("uniform", "dirichlet", "none")
# Fields of IndexMethod that act after normalisation: they do not change the normalised data.
_AFTER_NORMALISATION = dict(
    aggregation="arithmetic",
    level_aggregation=(),
    missing="renormalise",
    min_share=0.0,
    weights=(),
    ties="min",
)
_EPS = 1e-12


@dataclass(frozen=True)
class WeightNoise:
    """How weights vary. `levels`: the tree levels whose nodes' weights vary (1 = indicators)."""

    kind: str = "uniform"
    spread: float = 0.25
    alpha: float = 20.0
    levels: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind not in WEIGHT_KINDS:
            raise ValueError(f"WeightNoise.kind={self.kind!r}: choose one of {WEIGHT_KINDS}")
        if self.kind == "uniform" and not 0 <= self.spread < 1:
            raise ValueError(
                f"WeightNoise.spread={self.spread}: must lie in [0, 1) to keep weights > 0"
            )
        if self.kind == "dirichlet" and self.alpha <= 0:
            raise ValueError(f"WeightNoise.alpha={self.alpha}: must be > 0")


@dataclass(frozen=True)
class Choice:
    """A discrete assumption: named levels, each a dict of `IndexMethod` changes."""

    name: str
    levels: tuple[tuple[str, dict], ...]

    def __post_init__(self) -> None:
        if not self.levels:
            raise ValueError(f"choice {self.name!r} has no levels")
        for label, changes in self.levels:
            unknown = set(changes) - set(IndexMethod.__dataclass_fields__)
            if unknown:
                raise ValueError(
                    f"choice {self.name!r}, level {label!r}: not IndexMethod fields {sorted(unknown)}"
                )

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.levels]


@dataclass(frozen=True)
class UncertaintySpec:
    weights: WeightNoise = WeightNoise()
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class Design:
    """Decoded draws: weights of every node by level (draws × nodes) and level codes per choice."""

    U: np.ndarray
    weights: dict[int, np.ndarray]
    levels: np.ndarray


@dataclass
class MonteCarlo:
    """Root-index scores and ranks of every draw, as arrays (draws, years, regions)."""

    scores: np.ndarray
    ranks: np.ndarray
    nominal_scores: np.ndarray
    nominal_ranks: np.ndarray
    regions: np.ndarray
    years: np.ndarray
    design: Design
    spec: UncertaintySpec
    rankable: np.ndarray = field(repr=False, default=None)


# ------------------------------------------------------------------------------- factors
def weighted_levels(spec: UncertaintySpec, hierarchy: Hierarchy) -> list[int]:
    """Tree levels whose nodes carry perturbed weights (all below the root by default)."""
    if spec.weights.kind == "none":
        return []
    below_root = hierarchy.levels[:-1]
    chosen = below_root if spec.weights.levels is None else list(spec.weights.levels)
    bad = sorted(set(chosen) - set(below_root))
    if bad:
        raise ValueError(
            f"WeightNoise.levels {bad}: the tree has levels {below_root} below the root"
        )
    return sorted(chosen)


def factors(spec: UncertaintySpec, hierarchy: Hierarchy) -> pd.DataFrame:
    """One row a column of U: name, group (weights of one level, or the choice) and kind."""
    rows = [
        {"name": f"w:{code}", "group": f"weights_level{level}", "kind": "weight", "level": level}
        for level in weighted_levels(spec, hierarchy)
        for code in hierarchy.codes(level)
    ]
    rows += [
        {"name": c.name, "group": c.name, "kind": "choice", "level": None} for c in spec.choices
    ]
    return pd.DataFrame(rows, columns=["name", "group", "kind", "level"])


def sample(spec: UncertaintySpec, hierarchy: Hierarchy, n: int, seed: int) -> np.ndarray:
    """Plain Monte Carlo: n independent uniform draws of every factor, seeded."""
    return np.random.default_rng(seed).random((n, len(factors(spec, hierarchy))))


def nominal_weights(hierarchy: Hierarchy, method: IndexMethod) -> dict[int, np.ndarray]:
    """Weight of each node below the root, by level, in `hierarchy.codes(level)` order."""
    h = hierarchy.with_weights(dict(method.weights)) if method.weights else hierarchy
    w = h.nodes.set_index("code")["weight"]
    return {level: w.loc[h.codes(level)].to_numpy(float) for level in h.levels[:-1]}


def _parent_matrix(hierarchy: Hierarchy, level: int) -> np.ndarray:
    """0/1 (parents at level + 1, children at level)."""
    return (hierarchy.level_matrix(level + 1, {c: 1.0 for c in hierarchy.codes(level)}) > 0).astype(
        float
    )


def decode(spec: UncertaintySpec, hierarchy: Hierarchy, method: IndexMethod, U) -> Design:
    """Map uniform draws to weights (renormalised within each parent) and discrete levels."""
    U = np.atleast_2d(np.asarray(U, float))
    table = factors(spec, hierarchy)
    if U.shape[1] != len(table):
        raise ValueError(f"U has {U.shape[1]} columns, the spec has {len(table)} factors")
    U = np.clip(U, _EPS, 1 - _EPS)
    nominal = nominal_weights(hierarchy, method)
    weights = {level: np.broadcast_to(w, (len(U), len(w))).copy() for level, w in nominal.items()}
    for level in weighted_levels(spec, hierarchy):
        cols = np.flatnonzero((table["kind"] == "weight") & (table["level"] == level))
        M = _parent_matrix(hierarchy, level)
        share = nominal[level] / (M.T @ (M @ nominal[level]))  # nominal share within parent
        u = U[:, cols]
        if spec.weights.kind == "uniform":
            raw = nominal[level] * (1 + spec.weights.spread * (2 * u - 1))
        else:
            raw = gammaincinv(np.maximum(spec.weights.alpha * share, _EPS), u)
        # Renormalise within each parent so that the parent's total weight is unchanged.
        totals = (raw @ M.T) @ M
        weights[level] = raw / totals * (M.T @ (M @ nominal[level]))
    choice_cols = np.flatnonzero(table["kind"] == "choice")
    sizes = np.array([len(c.levels) for c in spec.choices], int)
    levels = np.minimum(np.floor(U[:, choice_cols] * sizes).astype(int), sizes - 1)
    return Design(U, weights, levels.reshape(len(U), len(spec.choices)))


# ---------------------------------------------------------------------------- evaluation
def method_for(spec: UncertaintySpec, method: IndexMethod, combo) -> IndexMethod:
    """The nominal method with the changes of one combination of discrete levels."""
    changes: dict = {}
    for choice, k in zip(spec.choices, combo, strict=True):
        changes.update(choice.levels[int(k)][1])
    return method.with_(**changes) if changes else method


def _normalised(
    values, hierarchy, method, groups, cache
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normalised indicators (rows = year × region) from the engine, cached by what shapes them."""
    key = method.with_(label="", **_AFTER_NORMALISATION)
    if key not in cache:
        res = build_index(values, hierarchy, key, groups=groups)
        years = res.arrays["years"]
        all_years = np.arange(years.min(), years.max() + 1)
        Z = res.arrays["Z"][np.isin(all_years, years)]
        cache[key] = (Z.reshape(-1, Z.shape[-1]), np.asarray(res.arrays["regions"]), years)
    return cache[key]


def aggregate_batch(
    Z, hierarchy: Hierarchy, method: IndexMethod, weights: dict[int, np.ndarray]
) -> np.ndarray:
    """Root score of each row of Z (rows × indicators) for k weight draws: (k, rows).

    `weights[level]` is (k, nodes of that level). Rules per node as the engine resolves them.
    """
    _, how = resolve_method(method, hierarchy)
    k = len(weights[1])
    child = None
    for level in hierarchy.levels[1:]:
        M = _parent_matrix(hierarchy, level - 1)
        rules = np.array(how[level])
        if "chain" in rules:
            raise ValueError(
                "the Monte Carlo does not cover chained (growth) aggregation; choose another"
            )
        out = np.empty((k, Z.shape[0], len(M)))
        W = weights[level - 1]
        for rule in dict.fromkeys(rules):
            sel = np.flatnonzero(rules == rule)
            kw = dict(missing=method.missing, min_share=method.min_share)
            if child is None:
                # Shared data: all draws and parents in one matrix product.
                batch = (W[:, None, :] * M[sel][None]).reshape(-1, M.shape[1])
                res = aggregate_array(Z, batch, rule, **kw).reshape(k, len(sel), -1)
                out[:, :, sel] = res.transpose(0, 2, 1)
            else:
                for p in sel:  # a handful of parents per level above the indicators
                    out[:, :, p] = aggregate_array(child, W * M[p], rule, **kw)
        child = out
    return child[:, :, 0]


def scores_for(values, hierarchy, method, weights, *, groups=None, cache=None):
    """Root scores (k, years, regions) of one method under k weight draws; also regions and years."""
    cache = {} if cache is None else cache
    Z, regions, years = _normalised(values, hierarchy, method, groups, cache)
    S = aggregate_batch(Z, hierarchy, method, weights)
    return S.reshape(len(S), len(years), len(regions)), regions, years


def rank_draws(S: np.ndarray, rankable: np.ndarray, ties: str) -> np.ndarray:
    """Ranks (1 = best) of (draws, years, regions) scores among rankable regions, by the engine's rule."""
    k, t, n = S.shape
    return rank_array(S.reshape(k * t, n, 1), rankable, ties).reshape(k, t, n)


def _rankable(regions: np.ndarray, method: IndexMethod, reference) -> np.ndarray:
    return ~np.isin(regions, [u for u in (method.base_region, *reference) if u is not None])


def run(
    values,
    hierarchy: Hierarchy,
    method: IndexMethod,
    spec: UncertaintySpec,
    U,
    *,
    groups=None,
    reference=(),
) -> MonteCarlo:
    """Scores and ranks of the root index for every draw in U (see `sample`).

    Regions in `reference` (and the method's base region) are scored but never ranked, also when
    a choice moves the base to another region.
    """
    design = decode(spec, hierarchy, method, U)
    cache: dict = {}
    nominal = nominal_weights(hierarchy, method)
    S0, regions, years = scores_for(
        values,
        hierarchy,
        method,
        {lv: w[None] for lv, w in nominal.items()},
        groups=groups,
        cache=cache,
    )
    S = np.full((len(U), len(years), len(regions)), np.nan)
    combos, which = np.unique(design.levels, axis=0, return_inverse=True)
    for c, combo in enumerate(combos):  # a handful of discrete combinations
        idx = np.flatnonzero(which.reshape(-1) == c)
        m = method_for(spec, method, combo)
        w = {lv: arr[idx] for lv, arr in design.weights.items()}
        try:
            S[idx] = scores_for(values, hierarchy, m, w, groups=groups, cache=cache)[0]
        except AggregationError as exc:
            labels = {c.name: c.labels[int(k)] for c, k in zip(spec.choices, combo, strict=True)}
            raise ValueError(
                f"assumptions {labels} cannot be applied to these data: {exc}"
            ) from exc
    rankable = _rankable(regions, method, reference)
    R = rank_draws(S, rankable, method.ties)
    R0 = rank_draws(S0, rankable, method.ties)[0]
    return MonteCarlo(S, R, S0[0], R0, regions, years, design, spec, rankable)


# ------------------------------------------------------------------------------ summaries
def summary(mc: MonteCarlo, lo: float = 0.05, hi: float = 0.95) -> pd.DataFrame:
    """Per year and region: nominal, median and [lo, hi] interval of score and rank.

    Ranks are left empty where fewer than two regions are ranked: a rank interval needs rivals.
    Draws in which a region has no score (e.g. under a missing-value rule that leaves a year
    empty) are left out of its quantiles; `share_scored` says how many draws remain.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells give NaN, as intended
        q = np.nanquantile(mc.scores, [lo, 0.5, hi], axis=0)
        r = np.nanquantile(mc.ranks, [lo, 0.5, hi], axis=0)
        shift = np.nanmean(np.abs(mc.ranks - mc.nominal_ranks[None]), axis=0)
    n_ranked = np.sum(~np.isnan(mc.nominal_ranks), axis=1, keepdims=True)
    t, u = np.indices(mc.nominal_scores.shape)
    out = pd.DataFrame(
        {
            "year": mc.years[t.ravel()],
            "region": mc.regions[u.ravel()],
            "score_nominal": mc.nominal_scores.ravel(),
            "score_median": q[1].ravel(),
            "score_lo": q[0].ravel(),
            "score_hi": q[2].ravel(),
            "rank_nominal": mc.nominal_ranks.ravel(),
            "rank_median": r[1].ravel(),
            "rank_lo": r[0].ravel(),
            "rank_hi": r[2].ravel(),
            "mean_abs_rank_shift": shift.ravel(),
            "n_ranked": np.broadcast_to(n_ranked, mc.nominal_scores.shape).ravel(),
            "share_scored": np.mean(~np.isnan(mc.scores), axis=0).ravel(),
        }
    )
    rank_cols = ["rank_nominal", "rank_median", "rank_lo", "rank_hi", "mean_abs_rank_shift"]
    out.loc[out["n_ranked"] < 2, rank_cols] = np.nan
    out.attrs["interval"] = (lo, hi)
    return out


def rank_shift(mc: MonteCarlo) -> np.ndarray:
    """Mean absolute rank change against nominal, per draw and year (COINr's SA target)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # years without ranks give NaN
        return np.nanmean(np.abs(mc.ranks - mc.nominal_ranks[None]), axis=2)


def by_choice(mc: MonteCarlo, region, year=None) -> pd.DataFrame:
    """Median and 5–95 % of one region's score under each level of each discrete choice."""
    t = -1 if year is None else int(np.flatnonzero(mc.years == year)[0])
    s = mc.scores[:, t, int(np.flatnonzero(mc.regions == region)[0])]
    frames = []
    for j, choice in enumerate(mc.spec.choices):
        frame = pd.DataFrame(
            {
                "choice": choice.name,
                "level": np.array(choice.labels)[mc.design.levels[:, j]],
                "score": s,
            }
        )
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["choice", "level", "draws", "median", "lo", "hi"])
    g = pd.concat(frames).groupby(["choice", "level"], sort=False)["score"]
    return pd.DataFrame(
        {"draws": g.size(), "median": g.median(), "lo": g.quantile(0.05), "hi": g.quantile(0.95)}
    ).reset_index()


# ---------------------------------------------------------------------------- removal
def removal_table(
    values, hierarchy: Hierarchy, method: IndexMethod, *, levels=(1, 2), groups=None, reference=()
) -> pd.DataFrame:
    """Effect of removing each node (weight set to 0, siblings renormalised) on every region.

    One row a (removed node, year, region): nominal and new root score and rank, and changes.
    A parent left without children drops out of its own parent in turn (missing-value rule).
    """
    nominal = nominal_weights(hierarchy, method)
    removed = [(lv, code) for lv in levels for code in hierarchy.codes(lv)]
    weights = {}
    for lv, w in nominal.items():
        batch = np.broadcast_to(w, (len(removed) + 1, len(w))).copy()
        rows = [k + 1 for k, (rl, _) in enumerate(removed) if rl == lv]
        cols = [hierarchy.codes(lv).index(code) for rl, code in removed if rl == lv]
        batch[rows, cols] = 0.0
        weights[lv] = batch
    S, regions, years = scores_for(values, hierarchy, method, weights, groups=groups)
    rankable = _rankable(regions, method, reference)
    R = rank_draws(S, rankable, method.ties)
    k, t, u = np.indices((len(removed), len(years), len(regions)))
    names = hierarchy.nodes.set_index("code")["name"]
    out = pd.DataFrame(
        {
            "removed": np.array([c for _, c in removed], dtype=object)[k.ravel()],
            "removed_name": np.array([names[c] for _, c in removed], dtype=object)[k.ravel()],
            "level": np.array([lv for lv, _ in removed])[k.ravel()],
            "year": years[t.ravel()],
            "region": regions[u.ravel()],
            "score_nominal": np.broadcast_to(S[0], S[1:].shape).ravel(),
            "score_removed": S[1:].ravel(),
            "rank_nominal": np.broadcast_to(R[0], R[1:].shape).ravel(),
            "rank_removed": R[1:].ravel(),
        }
    )
    out["score_change"] = out["score_removed"] - out["score_nominal"]
    out["rank_change"] = out["rank_removed"] - out["rank_nominal"]
    return out


def removal_summary(table: pd.DataFrame, region=None, year=None) -> pd.DataFrame:
    """One row a removed node: mean |rank change| over regions and, for `region`, its changes."""
    year = table["year"].max() if year is None else year
    t = table[table["year"] == year].assign(abs_rank_change=lambda d: d["rank_change"].abs())
    g = t.groupby(["removed", "removed_name", "level"], sort=False)
    out = pd.DataFrame(
        {
            "mean_abs_rank_change": g["abs_rank_change"].mean(),
            "max_abs_rank_change": g["abs_rank_change"].max(),
            "mean_score_change": g["score_change"].mean(),
        }
    ).reset_index()
    if region is not None:
        own = t[t["region"] == region].set_index("removed")
        for col in ("score_nominal", "score_removed", "score_change", "rank_change"):
            out[f"region_{col}"] = out["removed"].map(own[col]).to_numpy()
    out.attrs["year"] = year
    return out

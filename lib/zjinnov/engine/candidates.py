"""Candidate methods for an index whose method is not published, and each one's forward model.

The monitoring report prints a 2015 = 100 index and its indicators, not how one is made from
the other. Each candidate here is one documented way, named by three choices:

- base, how an indicator becomes a score (100 = the base; a reversed indicator is turned
  round, 100·base / x):
  ``province``       100·x / the province's base-year value (one anchor for every county);
  ``own``            100·x / the region's own base-year value (a unit created later: its first
                     positive value; a unit with no value in the base year has no score);
  ``chained``        year-on-year growth 100·x_t / x_{t-1}, each domain carried forward from
                     100 by its weighted mean growth (the NBS China Innovation Index);
  ``registry``       this study's assumption (`zjinnov.study.full_index`): ``own`` for counts
                     and amounts (units that grow with a place's size), ``province`` otherwise;
  ``per_indicator``  both ``province`` and ``own`` scores of every indicator enter one fit, so
                     the data say which base each indicator uses (arithmetic aggregation only,
                     where the index is linear in every score).
- within: the weighted ``arithmetic`` or ``geometric`` mean of a domain's scores;
- across: the weighted mean of the domains, ``arithmetic``; or ``geometric`` (the index then
  is one weighted geometric mean of all indicators, linear in the log scores).

Chained growth with geometric means is not listed: the product telescopes, so it is exactly
``own`` with geometric means (the registry says so in its `same_as` column).

Weights are the effective weights e (one per score column, e >= 0, Σe = 1): the domain weight
is W_j = Σ_{i in j} e_i and the weight within the domain e_i / W_j. Arithmetic-arithmetic
fixed-base candidates are linear in e; geometric-throughout ones are linear in the log scores;
the rest are smooth and fitted by nonlinear least squares (`zjinnov.engine.identify`).

Arrays: values ``X`` (years, regions, indicators); scores ``S`` (years, regions, columns);
predictions (years, regions) for the index and (years, regions, domains) for the domains.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BASES = ("province", "own", "chained", "registry", "per_indicator")
MEANS = ("arithmetic", "geometric")


@dataclass(frozen=True)
class Candidate:
    name: str
    base: str
    within: str
    across: str
    label_en: str
    doc: str
    same_as: tuple[str, ...] = ()  # other names for exactly this index

    def __post_init__(self) -> None:
        if self.base not in BASES or self.within not in MEANS or self.across not in MEANS:
            raise ValueError(f"candidate {self.name}: unknown base or mean")
        if self.base in ("chained", "per_indicator") and self.within != "arithmetic":
            raise ValueError(f"candidate {self.name}: {self.base} goes with arithmetic means")

    @property
    def form(self) -> str:
        """How the fit treats it: ``linear`` in e, ``loglinear`` (linear in log scores) or
        ``nonlinear``."""
        if self.base != "chained" and self.within == self.across == "arithmetic":
            return "linear"
        if self.base != "chained" and self.within == self.across == "geometric":
            return "loglinear"
        return "nonlinear"

    @property
    def nests(self) -> tuple[str, ...]:
        """Candidates this one contains as a special case (it fits at least as well)."""
        if self.base == "per_indicator":
            return tuple(
                c.name
                for c in CANDIDATES.values()
                if c.base in ("province", "own", "registry") and c.form == "linear"
            )
        return ()


def _c(name, base, within, across, label, doc, same_as=()):
    return Candidate(name, base, within, across, label, doc, tuple(same_as))


CANDIDATES: dict[str, Candidate] = {
    c.name: c
    for c in (
        _c(
            "province_arithmetic",
            "province",
            "arithmetic",
            "arithmetic",
            "ratio to the province's base-year value, arithmetic means",
            "score 100·x / x(province, base year); domains and index weighted arithmetic means",
        ),
        _c(
            "province_geometric",
            "province",
            "geometric",
            "arithmetic",
            "ratio to the province's base-year value, geometric means within domains",
            "score as province_arithmetic; a domain is the weighted geometric mean of its "
            "scores, the index the weighted arithmetic mean of the domains",
        ),
        _c(
            "province_geometric_all",
            "province",
            "geometric",
            "geometric",
            "ratio to the province's base-year value, geometric means throughout",
            "score as province_arithmetic; domains and index weighted geometric means (the "
            "index is one weighted geometric mean of all scores)",
        ),
        _c(
            "own_arithmetic",
            "own",
            "arithmetic",
            "arithmetic",
            "ratio to the county's own base-year value, arithmetic means",
            "score 100·x / x(same region, base year; a later unit: its first positive value); "
            "domains and index weighted arithmetic means",
        ),
        _c(
            "own_geometric",
            "own",
            "geometric",
            "arithmetic",
            "ratio to the county's own base-year value, geometric means within domains",
            "score as own_arithmetic; domains weighted geometric means, index arithmetic",
            ["chained_geometric"],
        ),
        _c(
            "own_geometric_all",
            "own",
            "geometric",
            "geometric",
            "ratio to the county's own base-year value, geometric means throughout",
            "score as own_arithmetic; domains and index weighted geometric means",
            ["chained_geometric_all"],
        ),
        _c(
            "chained_arithmetic",
            "chained",
            "arithmetic",
            "arithmetic",
            "year-on-year ratios chained from the base year (NBS China Innovation Index)",
            "growth 100·x_t / x_{t-1}; a domain D_t = D_{t-1}·Σ w·growth / 100 with D = 100 "
            "in the base year (a later unit: its first year); index the weighted arithmetic "
            "mean of the domains",
        ),
        _c(
            "registry_arithmetic",
            "registry",
            "arithmetic",
            "arithmetic",
            "this study's assumption: counts and amounts against their own base, the rest "
            "against the province's",
            "score own (counts and amounts) or province (the rest); arithmetic means",
        ),
        _c(
            "per_indicator_arithmetic",
            "per_indicator",
            "arithmetic",
            "arithmetic",
            "each indicator against the province's or its own base, as the data say",
            "both scores of every indicator enter one constrained fit; arithmetic means",
        ),
    )
}


@dataclass(frozen=True)
class Panel:
    """Raw indicator values on one grid, with what every candidate needs besides them."""

    X: np.ndarray  # (years, regions, indicators), NaN = missing
    years: np.ndarray
    regions: np.ndarray  # region codes (str)
    indicators: tuple[str, ...]
    domain_of: np.ndarray  # (indicators,) domain position
    domains: tuple[str, ...]
    direction: np.ndarray  # (indicators,) 1 or -1
    extensive: np.ndarray  # (indicators,) bool: counts and amounts
    base_pos: int
    province_pos: int | None

    @property
    def n_domains(self) -> int:
        return len(self.domains)


def _ratio(X: np.ndarray, base: np.ndarray, direction: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(direction < 0, base / X, X / base) * 100.0
    return np.where(np.isfinite(z) & (z > 0), z, np.nan)


def own_base(X: np.ndarray, base_pos: int) -> np.ndarray:
    """Each region's base: its base-year value; for a unit created later (no value at all in
    the base year), its first positive value. A unit present in the base year without this
    indicator has no base: its ratios are missing, not re-based on a later year.
    Shape (1, regions, indicators)."""
    later = np.where(X[base_pos:] > 0, X[base_pos:], np.nan)
    first = np.argmax(~np.isnan(later), axis=0)
    base = np.take_along_axis(later, first[None], axis=0)
    existed = ~np.isnan(X[base_pos]).all(axis=1)  # (regions,)
    at_base = np.where(X[base_pos] > 0, X[base_pos], np.nan)[None]
    return np.where(existed[None, :, None], at_base, base)


def province_base(panel: Panel) -> np.ndarray | None:
    if panel.province_pos is None:
        return None
    return panel.X[panel.base_pos, panel.province_pos][None, None, :]


def scores(candidate: Candidate, panel: Panel) -> tuple[np.ndarray, np.ndarray]:
    """The candidate's score columns (years, regions, columns) and each column's indicator
    position. Raises ValueError when the panel cannot give them (e.g. no province row)."""
    X, d = panel.X, panel.direction
    k = len(panel.indicators)
    cols = np.arange(k)
    needs_province = candidate.base in ("province", "registry", "per_indicator")
    prov = province_base(panel)
    if needs_province:
        if prov is None:
            raise ValueError("no province row: the province's base-year values are the base")
        gone = [panel.indicators[i] for i in np.flatnonzero(~(prov.reshape(-1) > 0))]
        if gone:
            raise ValueError(f"no positive province base-year value for {', '.join(gone)}")
    if candidate.base == "province":
        return _ratio(X, prov, d), cols
    if candidate.base == "own":
        return _ratio(X, own_base(X, panel.base_pos), d), cols
    if candidate.base == "registry":
        own = _ratio(X, own_base(X, panel.base_pos), d)
        return np.where(panel.extensive, own, _ratio(X, prov, d)), cols
    if candidate.base == "per_indicator":
        own = _ratio(X, own_base(X, panel.base_pos), d)
        return np.concatenate([_ratio(X, prov, d), own], axis=2), np.concatenate([cols, cols])
    prev = np.concatenate([np.full_like(X[:1], np.nan), X[:-1]], axis=0)
    return _ratio(X, prev, d), cols


def membership(panel: Panel, column_indicator: np.ndarray) -> np.ndarray:
    """(domains, columns) 0/1: which domain each score column belongs to."""
    dom = panel.domain_of[column_indicator]
    return (np.arange(panel.n_domains)[:, None] == dom[None, :]).astype(float)


def chain_start(X: np.ndarray, base_pos: int) -> np.ndarray:
    """Per region, the year position where its chained domains start at 100: the base year
    for a unit that existed then (a value missing in it breaks the chain, see `defined`), or
    a later unit's first year with every indicator (regions,)."""
    existed = ~np.isnan(X[base_pos]).all(axis=1)
    complete = ~np.isnan(X[base_pos:]).any(axis=2)  # (years from the base, regions)
    first = base_pos + np.argmax(complete, axis=0)
    first[~complete.any(axis=0)] = X.shape[0]  # never chained
    return np.where(existed, base_pos, first)


def predict(
    candidate: Candidate,
    S: np.ndarray,
    e: np.ndarray,
    member: np.ndarray,
    base_pos: int = 0,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Index (years, regions) and domain scores (years, regions, domains) for effective
    weights `e` over the score columns of S. e is normalised here, so any positive scale of
    it gives the same index."""
    e = np.clip(np.asarray(e, float), 0.0, None)
    e = e / e.sum()
    W = member @ e  # domain weights
    with np.errstate(divide="ignore", invalid="ignore"):
        within = member * e[None, :] / np.where(W > 0, W, 1.0)[:, None]  # (domains, columns)
    if candidate.base == "chained":
        growth = np.einsum("trc,jc->trj", S, within) / 100.0
        T = S.shape[0]
        t = np.arange(T)[:, None, None]
        first = (start if start is not None else np.full(S.shape[1], base_pos))[None, :, None]
        growth = np.where(t <= first, 1.0, growth)
        D = 100.0 * np.cumprod(growth, axis=0)
        D = np.where(t >= first, D, np.nan)
    elif candidate.within == "geometric":
        with np.errstate(divide="ignore", invalid="ignore"):
            D = np.exp(np.einsum("trc,jc->trj", np.log(S), within))
    else:
        D = np.einsum("trc,jc->trj", S, within)
    if candidate.across == "geometric":
        # A domain without weight takes no part (its log would be 0 · -inf).
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.exp(np.log(np.where(W > 0, D, 1.0)) @ W)
    else:
        y = D @ W
    return y, D


def defined(candidate: Candidate, S: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """(years, regions) where the candidate can score a region-year whatever the weights."""
    ok = ~np.isnan(S).any(axis=2)
    if candidate.base == "chained":
        # The chain needs every year from its start: one gap breaks it for the years after.
        T = S.shape[0]
        t = np.arange(T)[:, None]
        first = start[None, :]
        step = np.where(t <= first, True, ok)
        ok = np.logical_and.accumulate(step, axis=0) & (t >= first)
    return ok


def jacobian(
    candidate: Candidate,
    S: np.ndarray,
    e: np.ndarray,
    member: np.ndarray,
    base_pos: int = 0,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Derivatives of the index (years, regions, columns) and of each column's own domain
    score (years, regions, columns) with respect to e, on the simplex (Σe = 1).

    With W_j the domain's weight and D_j its score, for a column i of domain j:
    arithmetic within ∂D_j/∂e_i = (z_i − D_j)/W_j; geometric ∂D_j/∂e_i = D_j·(ln z_i − ln D_j)/W_j;
    chained ∂D_j,t/∂e_i = D_j,t·Σ_{s<=t} (g_i,s / (100·m_j,s) − 1)/W_j, m the domain's growth.
    Then ∂y/∂e_i = D_j + W_j·∂D_j/∂e_i (arithmetic across) or y·(ln D_j + W_j·∂D_j/∂e_i / D_j)
    (geometric across)."""
    e = np.clip(np.asarray(e, float), 0.0, None)
    e = e / e.sum()
    W = np.maximum(member @ e, 1e-12)
    col = np.argmax(member, axis=0)  # each column's domain
    y, D = predict(candidate, S, e, member, base_pos, start)
    Dc, Wc = D[..., col], W[col]
    if candidate.base == "chained":
        within = member * e[None, :] / W[:, None]
        m = np.einsum("trc,jc->trj", S, within) / 100.0
        T = S.shape[0]
        t = np.arange(T)[:, None, None]
        first = (start if start is not None else np.full(S.shape[1], base_pos))[None, :, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(t > first, S / (100.0 * m[..., col]) - 1.0, 0.0)
        dD = Dc * np.cumsum(step, axis=0) / Wc
    elif candidate.within == "geometric":
        with np.errstate(divide="ignore", invalid="ignore"):
            dD = Dc * (np.log(S) - np.log(Dc)) / Wc
    else:
        dD = (S - Dc) / Wc
    if candidate.across == "geometric":
        with np.errstate(divide="ignore", invalid="ignore"):
            dy = y[..., None] * (np.log(Dc) + Wc * dD / Dc)
    else:
        dy = Dc + Wc * dD
    return dy, dD

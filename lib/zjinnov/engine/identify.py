"""Which method made a published index, then which weights: every candidate fitted, ranked, and
a verdict that says plainly when none reproduces the index.

``identify(values, published, hierarchy, province=..., extensive=...) -> Identification``

1. Every candidate of `zjinnov.engine.candidates` is fitted to the published scores (the index,
   and domain scores where given) on the same rows: the region-years every candidate can score.
   Linear candidates by least squares on the simplex (`weights.simplex_lsq`); geometric-
   throughout ones in log scores, then refined; the rest by bounded nonlinear least squares
   started from the nearest linear fit.
2. The ranking: candidates that reproduce the index first (fewer weights before more, since a
   candidate that nests another fits at least as well), then the rest by RMSE.
3. The test. A candidate *reproduces* the published index when its residuals are what the
   printing leaves: RMSE <= 1.5 × u/√12 (u the printed unit; u/√12 is the RMSE of rounding
   alone) and max |error| <= u. If the best candidate fails it, no candidate reproduces the
   index: the verdict says so, the residuals of the best one are listed largest first, and no
   weight is called identified. If another candidate that neither nests nor is nested by the
   best also passes, the method is not identified either (both are named).
4. For a method that reproduces the index, each weight's range: the smallest and largest value
   over all weights that keep every published score within half a unit (`weight_ranges`),
   exact for linear and geometric-throughout candidates, on the fit's linearisation for the
   others (each end point then re-checked in the model; the table says which). A weight is
   identified when its range is narrower than 0.01. Each indicator's importance (correlation
   ratio, `importance`) stands beside its weight.

The result is a set of tidy tables (`Identification.tables()`) and a `Verdict` a chapter reads.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from zjinnov.engine import candidates as cd
from zjinnov.engine.hierarchy import Hierarchy
from zjinnov.engine.importance import importance as importance_table
from zjinnov.engine.weight_ranges import RangeError, chebyshev, ranges
from zjinnov.engine.weights import simplex_lsq

RMSE_FACTOR = 1.5  # RMSE within this multiple of the rounding RMSE u/√12
MAX_UNITS = 1.0  # and no error beyond this many printed units
MAX_WIDTH = 0.01  # a weight whose range is narrower is called identified
ZERO = 1e-6  # a weight whose range ends below this can be zero
CHECK_SLACK = 1.1  # a linearised range end may miss the band by 10 % before it is flagged
INDEX = "index"
GN_STEPS = 50  # Gauss-Newton steps at most
FLOOR = 1e-10  # smallest weight in a nonlinear fit


def printed_unit(values) -> float:
    """The unit a column of printed numbers was rounded to: 0.1 for 151.5, 148.2, 100."""
    v = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce").dropna(), float)
    for d in range(0, 5):
        if np.all(np.abs(v * 10**d - np.round(v * 10**d)) < 1e-6 * max(1.0, 10**d)):
            return 10.0**-d
    return 1e-4


@dataclass(frozen=True)
class Rule:
    """When a candidate reproduces a printed index (see the module docstring)."""

    unit: float
    rmse_factor: float = RMSE_FACTOR
    max_units: float = MAX_UNITS

    @property
    def rounding_rmse(self) -> float:
        return float(self.unit / np.sqrt(12.0))

    @property
    def rmse_limit(self) -> float:
        return self.rmse_factor * self.rounding_rmse

    @property
    def max_limit(self) -> float:
        return self.max_units * self.unit

    def holds(self, rmse: float, max_abs: float) -> bool:
        return bool(rmse <= self.rmse_limit + 1e-12 and max_abs <= self.max_limit + 1e-12)

    def text(self) -> str:
        return (
            f"RMSE <= {self.rmse_factor:g} × {self.unit:g}/√12 = {self.rmse_limit:.4f} and "
            f"max |error| <= {self.max_units:g} × {self.unit:g} = {self.max_limit:g}"
        )


@dataclass
class Fit:
    """One candidate fitted to the published rows."""

    candidate: cd.Candidate
    e: np.ndarray  # effective weight of each score column
    column_indicator: np.ndarray
    fitted: np.ndarray
    residuals: np.ndarray
    rmse: float
    max_abs: float
    reproduces: bool
    model: object = field(repr=False, default=None)  # e -> fitted rows
    jac: object = field(repr=False, default=None)  # e -> their derivatives
    S: np.ndarray | None = field(repr=False, default=None)


@dataclass(frozen=True)
class Verdict:
    """What the identification found, in fields a chapter glues."""

    reproduced: bool  # the best candidate reproduces the published scores
    method: str | None  # the method found: reproduced, and no distinct rival also reproduces
    best: str | None
    runner_up: str | None
    best_rmse: float
    runner_up_rmse: float
    gap: float  # runner-up RMSE / best RMSE
    alternatives: tuple[str, ...]  # other distinct candidates that also reproduce
    unit: float
    rounding_rmse: float
    rmse_limit: float
    max_limit: float
    best_max_error: float
    n_rows: int
    n_candidates: int
    n_weights: int
    n_identified: int  # weights identified (0 unless a method was found)
    widest_range: float
    rule: str
    reason: str = ""  # why nothing could be fitted, if so

    def as_dict(self) -> dict:
        d = asdict(self)
        d["alternatives"] = list(self.alternatives)
        return d


@dataclass
class Identification:
    verdict: Verdict
    ranking: pd.DataFrame  # one row a candidate, best first
    residuals: pd.DataFrame  # the best candidate's, largest first
    weights: pd.DataFrame | None  # ranges, when a candidate reproduces the index
    domain_weights: pd.DataFrame | None
    importance: pd.DataFrame | None
    fits: dict[str, Fit] = field(repr=False, default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # search, ranges, importance

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"ranking": self.ranking, "residuals": self.residuals}
        for name in ("weights", "domain_weights", "importance"):
            table = getattr(self, name)
            if table is not None:
                out[name] = table
        out["verdict"] = pd.DataFrame([self.verdict.as_dict()])
        return out


# ------------------------------------------------------------------------------ inputs
def _long(frame: pd.DataFrame) -> pd.DataFrame:
    f = frame.rename(columns={"county_code": "region"})
    return f.assign(region=f["region"].astype(str), year=f["year"].astype(int))


def make_panel(
    values: pd.DataFrame,
    hierarchy: Hierarchy,
    *,
    province: str | None,
    base_year: int,
    extensive=(),
) -> cd.Panel:
    """Values (region or county_code, year, indicator, value) on the grid every candidate uses."""
    v = _long(values)
    leaves = hierarchy.leaves()
    codes = hierarchy.indicators
    v = v[v["indicator"].isin(codes)]
    years = np.arange(int(v["year"].min()), int(v["year"].max()) + 1)
    if base_year not in years:
        raise ValueError(f"base year {base_year} not among the years of the values")
    regions = np.array(sorted(v["region"].unique()), dtype=object)
    X = np.full((len(years), len(regions), len(codes)), np.nan)
    t = v["year"].to_numpy() - years[0]
    r = pd.Index(regions).get_indexer(v["region"])
    i = pd.Index(codes).get_indexer(v["indicator"])
    X[t, r, i] = pd.to_numeric(v["value"], errors="coerce").to_numpy(float)
    domains = tuple(hierarchy.codes(2))
    domain_of = pd.Index(domains).get_indexer(leaves.loc[codes, "parent"])
    hit = np.flatnonzero(regions == province) if province is not None else []
    return cd.Panel(
        X,
        years,
        regions,
        tuple(codes),
        domain_of,
        domains,
        leaves.loc[codes, "direction"].to_numpy(float),
        np.isin(codes, list(extensive)),
        int(np.flatnonzero(years == base_year)[0]),
        int(hit[0]) if len(hit) else None,
    )


def _targets(published: pd.DataFrame, panel: cd.Panel) -> pd.DataFrame:
    """Published rows on the panel's grid: t, r, node (-1 the index, j a domain), y."""
    p = _long(published)
    node = p["node"].astype(str) if "node" in p else pd.Series(INDEX, index=p.index)
    pos = pd.Index(panel.domains).get_indexer(node)
    out = pd.DataFrame(
        {
            "region": p["region"],
            "year": p["year"],
            "node": node,
            "t": p["year"].to_numpy() - panel.years[0],
            "r": pd.Index(panel.regions).get_indexer(p["region"]),
            "j": np.where(node.eq(INDEX), -1, pos),
            "y": pd.to_numeric(p["value"], errors="coerce"),
        }
    )
    inside = (out["t"] >= 0) & (out["t"] < len(panel.years)) & (out["r"] >= 0)
    known = out["node"].eq(INDEX) | (out["j"] >= 0)
    return out[inside & known & out["y"].notna()].reset_index(drop=True)


# ------------------------------------------------------------------------------ fitting
@dataclass
class _Prepared:
    candidate: cd.Candidate
    S: np.ndarray
    columns: np.ndarray
    member: np.ndarray
    start: np.ndarray | None
    ok: np.ndarray  # (years, regions)


def _prepare(c: cd.Candidate, panel: cd.Panel) -> _Prepared:
    S, cols = cd.scores(c, panel)
    start = cd.chain_start(S, panel.base_pos) if c.base == "chained" else None
    return _Prepared(c, S, cols, cd.membership(panel, cols), start, cd.defined(c, S, start))


def _model(p: _Prepared, rows: pd.DataFrame, base_pos: int):
    """The candidate's fitted rows as a function of e, and their Jacobian."""
    t, r, j = rows["t"].to_numpy(), rows["r"].to_numpy(), rows["j"].to_numpy()
    is_index = j < 0
    ti, ri, td, rd, jd = t[is_index], r[is_index], t[~is_index], r[~is_index], j[~is_index]

    def model(e):
        y, D = cd.predict(p.candidate, p.S, e, p.member, base_pos, p.start)
        out = np.empty(len(t))
        out[is_index] = y[ti, ri]
        out[~is_index] = D[td, rd, jd]
        return out

    def jac(e):
        dy, dD = cd.jacobian(p.candidate, p.S, e, p.member, base_pos, p.start)
        out = np.empty((len(t), p.S.shape[2]))
        out[is_index] = dy[ti, ri]
        out[~is_index] = dD[td, rd] * p.member[jd]
        return out

    return model, jac


def _refine(model, jac, y: np.ndarray, e0: np.ndarray, steps: int = GN_STEPS) -> np.ndarray:
    """Gauss-Newton on the simplex: each step is the least-squares fit of the model's
    linearisation (`simplex_lsq`), halved until the fit improves. Near a model that
    reproduces the scores the residuals are rounding only and it converges in a few steps."""
    e = np.clip(np.asarray(e0, float), FLOOR, None)
    e = e / e.sum()
    sse = float(np.sum((y - model(e)) ** 2))
    for _ in range(steps):
        J = jac(e)
        r = y - model(e)
        # Kept off the faces: a domain whose weights all reach zero has no score to derive.
        target = np.maximum(simplex_lsq(J, J @ e + r), FLOOR)
        d = target / target.sum() - e
        step = 1.0
        while step > 1e-6:
            trial = e + step * d
            got = model(trial)
            new = float(np.sum((y - got) ** 2)) if np.isfinite(got).all() else np.inf
            if new <= sse:
                break
            step /= 2
        else:
            break
        done = sse - new <= 1e-12 * max(sse, 1e-300) or np.abs(step * d).max() < 1e-12
        e, sse = trial, new
        if done:
            break
    return e


def _fit(p: _Prepared, rows: pd.DataFrame, base_pos: int, rule: Rule, starts: dict) -> Fit:
    c = p.candidate
    y = rows["y"].to_numpy(float)
    model, jac = _model(p, rows, base_pos)
    only_index = bool((rows["j"] < 0).all())
    A = p.S[rows["t"].to_numpy(), rows["r"].to_numpy()]
    if c.form == "linear" and only_index:
        e = simplex_lsq(A, y)
    elif c.form == "loglinear" and only_index:
        L = np.log(A)
        e = _refine(model, jac, y, simplex_lsq(L * y[:, None], np.log(y) * y))
    else:
        e0 = starts.get(c.base if c.base != "chained" else "own")
        if e0 is None or len(e0) != p.S.shape[2]:
            e0 = np.full(p.S.shape[2], 1.0 / p.S.shape[2])
        e = _refine(model, jac, y, e0)
    if c.form == "linear":
        starts.setdefault(c.base, e)
    fitted = model(e)
    res = y - fitted
    rmse, max_abs = float(np.sqrt(np.mean(res**2))), float(np.abs(res).max())
    ok = rule.holds(rmse, max_abs)
    return Fit(c, e, p.columns, fitted, res, rmse, max_abs, ok, model, jac, p.S)


# ------------------------------------------------------------------------------ ranges
def _band(fit: Fit, rows: pd.DataFrame, rule: Rule):
    """Rows A, bounds lo/hi in which weights reproduce every score, and whether exact."""
    y = rows["y"].to_numpy(float)
    only_index = bool((rows["j"] < 0).all())
    S_rows = fit.S[rows["t"].to_numpy(), rows["r"].to_numpy()]
    half = rule.unit / 2.0
    tol = 1e-6 * rule.unit
    form = fit.candidate.form if only_index else "nonlinear"
    if form == "linear":
        A, c = S_rows, y
        h = max(half, chebyshev(A, c)[0]) + tol
        return A, c - h, c + h, True, h
    if form == "loglinear":
        A = np.log(S_rows)
        h = max(half, chebyshev(A * y[:, None], np.log(y) * y)[0]) + tol
        for _ in range(20):  # the scaled fit is first-order: widen until feasible
            lo, hi = np.log(np.maximum(y - h, 1e-12)), np.log(y + h)
            if _feasible(A, lo, hi):
                return A, lo, hi, True, h
            h *= 1.1
        raise RangeError("no weights reproduce the scores in log form")
    J = fit.jac(fit.e)
    c = y - fit.model(fit.e) + J @ fit.e
    h = max(half, chebyshev(J, c)[0]) + tol
    return J, c - h, c + h, False, h


def _feasible(A, lo, hi) -> bool:
    try:
        ranges(A, lo, hi, np.zeros((1, A.shape[1])))
    except RangeError:
        return False
    return True


def _weight_tables(fit: Fit, rows: pd.DataFrame, rule: Rule, panel: cd.Panel, identified: bool):
    A, lo, hi, exact, h = _band(fit, rows, rule)
    m = len(fit.e)
    k = len(panel.indicators)
    ind_of = fit.column_indicator
    per_indicator = np.zeros((k, m))
    per_indicator[ind_of, np.arange(m)] = 1.0
    member = (np.arange(panel.n_domains)[:, None] == panel.domain_of[None, :]).astype(float)
    objectives = [per_indicator, member @ per_indicator]
    if m > k:  # both bases of each indicator: each column's range too
        objectives.append(np.eye(m))
    Q = np.vstack(objectives)
    got = ranges(A, lo, hi, Q, start=fit.e)
    check = np.full(len(Q), np.nan)
    if not exact:
        y = rows["y"].to_numpy(float)
        for q in range(len(Q)):
            worst = max(np.abs(fit.model(e) - y).max() for e in (got.at_lo[q], got.at_hi[q]))
            check[q] = worst
    e_ind = per_indicator @ fit.e
    n = k + panel.n_domains
    lo_w, hi_w = np.clip(got.lo, 0, 1), np.clip(got.hi, 0, 1)
    width = hi_w - lo_w
    ok = np.isnan(check) | (check <= CHECK_SLACK * h)
    weights = pd.DataFrame(
        {
            "indicator": list(panel.indicators),
            "domain": [panel.domains[d] for d in panel.domain_of],
            "weight": e_ind,
            "lo": lo_w[:k],
            "hi": hi_w[:k],
            "width": width[:k],
            "identified": identified & (width[:k] <= MAX_WIDTH) & ok[:k],
            "exact": exact,
            "check_max_error": check[:k],
        }
    )
    if m > k:
        col_lo, col_hi = lo_w[n:], hi_w[n:]
        weights["province_lo"], weights["province_hi"] = col_lo[:k], col_hi[:k]
        weights["own_lo"], weights["own_hi"] = col_lo[k:], col_hi[k:]
        weights["base"] = [
            _which_base(*b)
            for b in zip(col_lo[:k], col_hi[:k], col_lo[k:], col_hi[k:], hi_w[:k], strict=True)
        ]
    domains = pd.DataFrame(
        {
            "domain": list(panel.domains),
            "weight": member @ e_ind,
            "lo": lo_w[k:n],
            "hi": hi_w[k:n],
            "width": width[k:n],
            "identified": identified & (width[k:n] <= MAX_WIDTH) & ok[k:n],
        }
    )
    weights.attrs.update(band=h, exact=exact, programmes=got.n_programmes, active=got.n_active)
    return weights, domains


def _which_base(p_lo: float, p_hi: float, o_lo: float, o_hi: float, total_hi: float) -> str:
    """Which base carries an indicator: the one whose smallest weight exceeds the other's
    largest; 'either' when the data cannot tell (rounding leaves both possible)."""
    if total_hi <= ZERO:
        return "none"
    if p_lo > o_hi:
        return "province"
    if o_lo > p_hi:
        return "own"
    return "either"


# ------------------------------------------------------------------------------ together
def _ranking(fits: dict[str, Fit], failed: dict[str, str], n_rows: int, rule: Rule):
    rows = []
    for name, c in cd.CANDIDATES.items():
        f = fits.get(name)
        rows.append(
            {
                "candidate": name,
                "label_en": c.label_en,
                "base": c.base,
                "within": c.within,
                "across": c.across,
                "form": c.form,
                "same_as": "; ".join(c.same_as),
                "n_weights": (len(f.e) - 1) if f else np.nan,
                "n_rows": n_rows if f else 0,
                "rmse": f.rmse if f else np.nan,
                "max_abs_error": f.max_abs if f else np.nan,
                "rmse_to_rounding": f.rmse / rule.rounding_rmse if f else np.nan,
                "reproduces": bool(f.reproduces) if f else False,
                "status": "fitted" if f else f"not computable: {failed.get(name, 'not asked')}",
            }
        )
    table = pd.DataFrame(rows)
    table = table[table["candidate"].isin(list(fits) + list(failed))]
    key = pd.DataFrame(
        {
            "computable": ~table["status"].eq("fitted"),
            "reproduces": ~table["reproduces"],
            "size": np.where(table["reproduces"], table["n_weights"], 0),
            "rmse": table["rmse"],
        }
    )
    order = key.sort_values(["computable", "reproduces", "size", "rmse"]).index
    table = table.loc[order].reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def _residual_table(fit: Fit, rows: pd.DataFrame) -> pd.DataFrame:
    out = rows[["region", "year", "node", "y"]].rename(columns={"y": "published"})
    out = out.assign(fitted=fit.fitted, residual=fit.residuals, abs_residual=np.abs(fit.residuals))
    return out.sort_values("abs_residual", ascending=False, kind="stable").reset_index(drop=True)


def _importance(fit: Fit, panel: cd.Panel, rows: pd.DataFrame) -> pd.DataFrame:
    idx = rows[rows["j"] < 0]
    t, r = idx["t"].to_numpy(), idx["r"].to_numpy()
    k = len(panel.indicators)
    if fit.candidate.base == "chained":  # levels, not growth: each indicator against its base
        S = cd.scores(cd.CANDIDATES["own_arithmetic"], panel)[0]
    else:
        S = fit.S
    Z = S[t, r]
    if Z.shape[1] > k:  # both bases: the one the fit leans on
        use_own = fit.e[k:] > fit.e[:k]
        Z = np.where(use_own[None, :], Z[:, k:], Z[:, :k])
    w = np.bincount(fit.column_indicator, fit.e, minlength=k)
    out = importance_table(Z, idx["y"].to_numpy(float), panel.indicators, w, idx["year"])
    out.insert(1, "domain", [panel.domains[d] for d in panel.domain_of])
    return out


def identify(
    values: pd.DataFrame,
    published: pd.DataFrame,
    hierarchy: Hierarchy,
    *,
    province: str | None,
    base_year: int = 2015,
    extensive=(),
    unit: float | None = None,
    names: list[str] | None = None,
) -> Identification:
    """Fit every candidate (or those in `names`) to the published scores; see the module
    docstring. `published`: region (or county_code), year, value, and optionally node (a domain
    code; the index where absent or 'index')."""
    panel = make_panel(
        values, hierarchy, province=province, base_year=base_year, extensive=extensive
    )
    targets = _targets(published, panel)
    rule = Rule(unit if unit is not None else printed_unit(targets["y"]))
    chosen = [cd.CANDIDATES[n] for n in (names or list(cd.CANDIDATES))]
    prepared, failed = {}, {}
    for c in chosen:
        try:
            prepared[c.name] = _prepare(c, panel)
        except ValueError as err:
            failed[c.name] = str(err)
    ok = np.ones((len(panel.years), len(panel.regions)), bool)
    for p in prepared.values():
        ok &= p.ok
    rows = targets[ok[targets["t"], targets["r"]]].reset_index(drop=True)
    if not prepared or rows.empty:
        why = (
            "no candidate can be computed: " + "; ".join(f"{k}: {v}" for k, v in failed.items())
            if not prepared
            else "no published score has every indicator (and base) a candidate needs"
        )
        return _nothing(rule, failed, why, len(chosen))
    clock = time.perf_counter()
    fits: dict[str, Fit] = {}
    starts: dict[str, np.ndarray] = {}
    for c in sorted(prepared.values(), key=lambda p: p.candidate.form != "linear"):
        fits[c.candidate.name] = _fit(c, rows, panel.base_pos, rule, starts)
    ranking = _ranking(fits, failed, len(rows), rule)
    best = fits[ranking["candidate"].iloc[0]]
    runner = fits.get(ranking["candidate"].iloc[1]) if len(ranking) > 1 else None
    alternatives = tuple(
        f.candidate.name
        for f in fits.values()
        if f.reproduces
        and f is not best
        and best.candidate.name not in f.candidate.nests
        and f.candidate.name not in best.candidate.nests
    )
    method = best.candidate.name if best.reproduces and not alternatives else None
    seconds = {"search": time.perf_counter() - clock}
    clock = time.perf_counter()
    weights = domain_weights = None
    if best.reproduces:
        weights, domain_weights = _weight_tables(best, rows, rule, panel, method is not None)
    seconds["ranges"] = time.perf_counter() - clock
    verdict = Verdict(
        reproduced=best.reproduces,
        method=method,
        best=best.candidate.name,
        runner_up=None if runner is None else runner.candidate.name,
        best_rmse=best.rmse,
        runner_up_rmse=np.nan if runner is None else runner.rmse,
        gap=np.nan if runner is None else runner.rmse / max(best.rmse, 1e-12),
        alternatives=alternatives,
        unit=rule.unit,
        rounding_rmse=rule.rounding_rmse,
        rmse_limit=rule.rmse_limit,
        max_limit=rule.max_limit,
        best_max_error=best.max_abs,
        n_rows=len(rows),
        n_candidates=len(fits),
        n_weights=len(panel.indicators),
        n_identified=0 if weights is None else int(weights["identified"].sum()),
        widest_range=np.nan if weights is None else float(weights["width"].max()),
        rule=rule.text(),
    )
    clock = time.perf_counter()
    importance = _importance(best, panel, rows)
    seconds["importance"] = time.perf_counter() - clock
    return Identification(
        verdict,
        ranking,
        _residual_table(best, rows),
        weights,
        domain_weights,
        importance,
        fits,
        seconds,
    )


def _nothing(rule: Rule, failed: dict, why: str, n: int) -> Identification:
    verdict = Verdict(
        False, None, None, None, np.nan, np.nan, np.nan, (), rule.unit, rule.rounding_rmse,
        rule.rmse_limit, rule.max_limit, np.nan, 0, 0, 0, 0, np.nan, rule.text(), why,
    )  # fmt: skip
    empty = pd.DataFrame(columns=["region", "year", "node", "published", "fitted", "residual"])
    return Identification(verdict, _ranking({}, failed, 0, rule), empty, None, None, None)

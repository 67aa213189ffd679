"""Fitting one candidate method to published scores: the panel every candidate is scored on,
the published rows, the rule for "reproduces", and the fit itself.

Linear candidates are fitted by least squares on the simplex (`weights.simplex_lsq`);
geometric-throughout ones first in log scores; the rest by Gauss-Newton on the simplex from the
nearest linear fit, each step a least-squares fit of the model's linearisation, with the
analytic derivatives of `candidates.jacobian`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zjinnov.engine import candidates as cd
from zjinnov.engine.hierarchy import Hierarchy
from zjinnov.engine.weights import simplex_lsq

RMSE_FACTOR = 1.5  # RMSE within this multiple of the rounding RMSE u/√12
MAX_UNITS = 1.0  # and no error beyond this many printed units
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
    everywhere: object = field(repr=False, default=None)  # e -> (index, domains) on the panel


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


def targets(published: pd.DataFrame, panel: cd.Panel) -> pd.DataFrame:
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
class Prepared:
    candidate: cd.Candidate
    S: np.ndarray
    columns: np.ndarray
    member: np.ndarray
    start: np.ndarray | None
    ok: np.ndarray  # (years, regions)


def prepare(c: cd.Candidate, panel: cd.Panel) -> Prepared:
    S, cols = cd.scores(c, panel)
    start = cd.chain_start(panel.X, panel.base_pos) if c.base == "chained" else None
    return Prepared(c, S, cols, cd.membership(panel, cols), start, cd.defined(c, S, start))


def model_of(p: Prepared, rows: pd.DataFrame, base_pos: int):
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


def fit(p: Prepared, rows: pd.DataFrame, base_pos: int, rule: Rule, starts: dict) -> Fit:
    c = p.candidate
    y = rows["y"].to_numpy(float)
    model, jac = model_of(p, rows, base_pos)
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

    def everywhere(weights):
        return cd.predict(c, p.S, weights, p.member, base_pos, p.start)

    return Fit(c, e, p.columns, fitted, res, rmse, max_abs, ok, model, jac, p.S, everywhere)

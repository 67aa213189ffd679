"""Which method made a published index, then which weights: every candidate fitted, ranked, and
a verdict that says plainly when none reproduces the index.

``identify(values, published, hierarchy, province=..., extensive=...) -> Identification``

1. Every candidate of `zjinnov.engine.candidates` is fitted to the published scores (the index,
   and domain scores where given) on the same rows: the region-years every candidate can score
   (`zjinnov.engine.fitting`).
2. The ranking: candidates that reproduce the index first (fewer weights before more, since a
   candidate that nests another fits at least as well), then the rest by RMSE.
3. The test. A candidate *reproduces* the published index when its residuals are what the
   printing leaves: RMSE <= 1.5 × u/√12 (u the printed unit; u/√12 is the RMSE of rounding
   alone) and max |error| <= u. If the best candidate fails it, no candidate reproduces the
   index: the verdict says so, the residuals of the best one are listed largest first, and no
   weight is called identified. If another candidate that neither nests nor is nested by the
   best also passes, the method is not identified either (both are named).
4. For a method that reproduces the index, each weight's range: the smallest and largest value
   over all weights that keep every published score within half a unit
   (`zjinnov.engine.weight_ranges`),
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
from zjinnov.engine.fitting import (
    INDEX,
    Fit,
    Rule,
    fit,
    make_panel,
    prepare,
    printed_unit,
    targets,
)
from zjinnov.engine.hierarchy import Hierarchy
from zjinnov.engine.importance import importance as importance_table
from zjinnov.engine.weight_ranges import MAX_WIDTH, RangeError, weight_tables

__all__ = [
    "INDEX",
    "MAX_WIDTH",
    "Identification",
    "Rule",
    "Verdict",
    "identify",
    "make_panel",
    "printed_unit",
]


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
    reason: str = ""  # why nothing could be fitted (or no range computed), if so

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
    panel: cd.Panel | None = field(repr=False, default=None)

    def scores(self, candidate: str | None = None, weights=None) -> pd.DataFrame:
        """Index and domain scores of every region-year the candidate can score (default: the
        method found; none found: an empty table), with its fitted weights or `weights` (one
        per score column): region, year, node, score. What ranks and tiers are made from."""
        name = candidate or self.verdict.method
        if name is None or self.panel is None:
            return pd.DataFrame(columns=["region", "year", "node", "score"])
        fit = self.fits[name]
        y, D = fit.everywhere(fit.e if weights is None else np.asarray(weights, float))
        T, R = y.shape
        frames = [
            pd.DataFrame(
                {
                    "region": np.tile(self.panel.regions, T),
                    "year": np.repeat(self.panel.years, R),
                    "node": node,
                    "score": block.reshape(-1),
                }
            )
            for node, block in [
                (INDEX, y),
                *zip(self.panel.domains, np.moveaxis(D, 2, 0), strict=True),
            ]
        ]
        out = pd.concat(frames, ignore_index=True)
        return out[np.isfinite(out["score"])].reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"ranking": self.ranking, "residuals": self.residuals}
        for name in ("weights", "domain_weights", "importance"):
            table = getattr(self, name)
            if table is not None:
                out[name] = table
        out["verdict"] = pd.DataFrame([self.verdict.as_dict()])
        return out


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
    published_rows = targets(published, panel)
    rule = Rule(unit if unit is not None else printed_unit(published_rows["y"]))
    chosen = [cd.CANDIDATES[n] for n in (names or list(cd.CANDIDATES))]
    prepared, failed = {}, {}
    for c in chosen:
        try:
            prepared[c.name] = prepare(c, panel)
        except ValueError as err:
            failed[c.name] = str(err)
    ok = np.ones((len(panel.years), len(panel.regions)), bool)
    for p in prepared.values():
        ok &= p.ok
    rows = published_rows[ok[published_rows["t"], published_rows["r"]]].reset_index(drop=True)
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
        fits[c.candidate.name] = fit(c, rows, panel.base_pos, rule, starts)
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
    reason = ""
    if best.reproduces:
        try:
            weights, domain_weights = weight_tables(best, rows, rule, panel, method is not None)
        except RangeError as err:  # said, not raised: the method stands, its weights do not
            reason = f"weight ranges could not be computed: {err}"
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
        reason=reason,
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
        panel,
    )


def _nothing(rule: Rule, failed: dict, why: str, n: int) -> Identification:
    verdict = Verdict(
        False, None, None, None, np.nan, np.nan, np.nan, (), rule.unit, rule.rounding_rmse,
        rule.rmse_limit, rule.max_limit, np.nan, 0, 0, 0, 0, np.nan, rule.text(), why,
    )  # fmt: skip
    empty = pd.DataFrame(columns=["region", "year", "node", "published", "fitted", "residual"])
    return Identification(verdict, _ranking({}, failed, 0, rule), empty, None, None, None)

"""Using a method the identification found: what the study reads from it besides the index.

`zjinnov.engine.identify` finds the method of a published index and gives its index and domain
scores (`Identification.scores`). The study also needs, under that same method and weights:

- each indicator's score and effective weight (`indicator_scores`), from which a county's
  drivers are read (weight × its score against the median county's). Chained growth is read
  as levels, each indicator against its own base-year value (a year's growth says nothing about
  where a county stands), as the identification reads importance; an indicator that enters
  with both bases (``per_indicator``) takes the weighted mean of its two scores;
- the index under weights perturbed around the found ones (`perturbed_weights`, `index_at`),
  from which rank intervals are read. The perturbation is the robustness audit's
  (`zjinnov.engine.robustness.WeightNoise`, uniform): every domain weight and every weight
  within a domain times 1 + s·(2u − 1), u uniform, renormalised within its parent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.engine import candidates as cd
from zjinnov.engine.identify import Identification


def _fit(found: Identification, candidate: str | None):
    name = candidate or found.verdict.method
    if name is None or found.panel is None:
        raise ValueError("no method was identified: name a fitted candidate")
    return found.fits[name]


def indicator_scores(
    found: Identification, candidate: str | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """(region, year, indicator, score) of every region-year with a score, and each
    indicator's effective weight (summing to 1), under the found method (or `candidate`)."""
    fit = _fit(found, candidate)
    panel = found.panel
    k = len(panel.indicators)
    if fit.candidate.base == "chained":
        S = cd.scores(cd.CANDIDATES["own_arithmetic"], panel)[0]
    else:
        S = fit.S
    e = np.clip(fit.e, 0.0, None) / np.clip(fit.e, 0.0, None).sum()
    w = np.bincount(fit.column_indicator, e, minlength=k)
    if S.shape[2] > k:  # both bases: the weighted mean of the two scores
        num = np.zeros(S.shape[:2] + (k,))
        for c, i in enumerate(fit.column_indicator):
            num[..., i] += e[c] * S[..., c]
        Z = np.where(w > 0, num / np.where(w > 0, w, 1.0), S[..., :k])
    else:
        Z = S
    T, R, _ = Z.shape
    t, r, i = np.indices(Z.shape)
    out = pd.DataFrame(
        {
            "region": panel.regions[r.ravel()],
            "year": panel.years[t.ravel()],
            "indicator": np.asarray(panel.indicators, dtype=object)[i.ravel()],
            "score": Z.ravel(),
        }
    )
    out = out[np.isfinite(out["score"])].reset_index(drop=True)
    return out, pd.Series(w, index=list(panel.indicators), name="weight")


def perturbed_weights(
    found: Identification,
    draws: int,
    spread: float,
    seed: int,
    candidate: str | None = None,
) -> np.ndarray:
    """(draws, score columns): the found weights, each domain weight and each weight within
    its domain varied by up to ±spread (uniform) and renormalised within its parent."""
    if not 0 <= spread < 1:
        raise ValueError(f"spread={spread}: must lie in [0, 1) to keep weights > 0")
    fit = _fit(found, candidate)
    e = np.clip(fit.e, 0.0, None)
    e = e / e.sum()
    domain = found.panel.domain_of[fit.column_indicator]  # each column's domain
    n_dom = found.panel.n_domains
    W = np.bincount(domain, e, minlength=n_dom)
    share = e / np.where(W[domain] > 0, W[domain], 1.0)
    rng = np.random.default_rng(seed)
    dom = W[None, :] * (1 + spread * (2 * rng.random((draws, n_dom)) - 1))
    dom /= dom.sum(axis=1, keepdims=True)
    within = share[None, :] * (1 + spread * (2 * rng.random((draws, len(e))) - 1))
    parent = np.zeros((draws, n_dom))
    for j in range(n_dom):
        parent[:, j] = within[:, domain == j].sum(axis=1)
    within /= np.where(parent > 0, parent, 1.0)[:, domain]
    return dom[:, domain] * within


def index_at(
    found: Identification, weights: np.ndarray, year: int, candidate: str | None = None
) -> np.ndarray:
    """(rows of `weights`, regions): the index of every panel region in `year` under each row
    of weights (one per score column); NaN where the method cannot score a region. The model
    is the fit's own (`candidates.predict`), on the years it needs: `year` alone for a fixed
    base, the years up to it for chained growth."""
    fit = _fit(found, candidate)
    panel = found.panel
    if year not in panel.years:
        raise ValueError(f"year {year} is not among the panel's years {list(panel.years)}")
    t = int(np.flatnonzero(panel.years == year)[0])
    c = fit.candidate
    member = cd.membership(panel, fit.column_indicator)
    if c.base == "chained":
        S, at, start = fit.S[: t + 1], t, cd.chain_start(panel.X, panel.base_pos)
    else:
        S, at, start = fit.S[t : t + 1], 0, None
    W = np.atleast_2d(np.asarray(weights, float))
    out = np.empty((len(W), len(panel.regions)))
    for k, e in enumerate(W):
        out[k] = cd.predict(c, S, e, member, panel.base_pos, start)[0][at]
    return out

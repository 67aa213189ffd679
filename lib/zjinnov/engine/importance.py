"""How much of an index each indicator explains: the correlation ratio beside the nominal weight.

Nominal weights and importance differ: an indicator with a large weight but little spread
across counties moves the index less than one with a small weight and a wide spread, and
correlated indicators share their influence. Paruolo, Saisana and Saltelli (2013, "Ratings
and rankings: voodoo or science?", JRSS A 176(3)) measure an indicator's importance by its
first-order sensitivity index, the correlation ratio S_i = Var(E[y | x_i]) / Var(y): the share
of the index's variance that the indicator alone accounts for, linear or not.

Estimated here without a model, by binning: the rows are cut into B bins of equal count along
x_i, and within each bin E[y | x_i] is a straight line (a bin mean alone misses the slope
inside the outer bins, where x_i spreads most); S_i is the share of the variance these lines
explain, adjusted for their 2B parameters (as ε², so an indicator unrelated to y scores
about 0, not (2B − 1)/n). The index moves with time (every county grows), so each row's year mean is taken
out of y and x_i first: S_i speaks of differences between counties, not of the common trend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def n_bins(n: int) -> int:
    """About 2·n^(1/3) bins, 4 to 30: 19 for 810 county-years, 9 for 90 counties."""
    return int(np.clip(round(2 * n ** (1 / 3)), 4, 30))


def correlation_ratio(x, y, groups=None, bins: int | None = None) -> float:
    """S = Var(E[y|x]) / Var(y) by equal-count bins of x, after removing group (year) means."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if groups is not None:
        g = np.asarray(groups)[ok]
        x = x - pd.Series(x).groupby(g).transform("mean").to_numpy()
        y = y - pd.Series(y).groupby(g).transform("mean").to_numpy()
    n = len(y)
    B = bins or n_bins(n)
    if n < 2 * B or np.ptp(y) == 0:
        return float("nan")
    if n < 4 * B:
        return float("nan")
    order = np.argsort(x, kind="stable")
    label = np.empty(n, int)
    label[order] = np.arange(n) * B // n
    count = np.bincount(label, minlength=B)
    mx, my = np.bincount(label, x, B) / count, np.bincount(label, y, B) / count
    dx, dy = x - mx[label], y - my[label]
    sxx = np.bincount(label, dx * dx, B)
    slope = np.divide(np.bincount(label, dx * dy, B), sxx, out=np.zeros(B), where=sxx > 0)
    within = np.sum((dy - slope[label] * dx) ** 2)
    total = np.sum((y - y.mean()) ** 2)
    adjusted = 1.0 - (within / (n - 2 * B)) / (total / (n - 1))
    return float(np.clip(adjusted, 0.0, 1.0))


def importance(
    Z: np.ndarray, y: np.ndarray, names, weights=None, groups=None, bins: int | None = None
) -> pd.DataFrame:
    """Per column of Z (rows × indicators): the correlation ratio with y, its share of their
    sum, and the nominal weight beside it (share of the weights) when given."""
    S = np.array([correlation_ratio(Z[:, i], y, groups, bins) for i in range(Z.shape[1])])
    out = pd.DataFrame({"indicator": list(names), "first_order": S})
    total = np.nansum(S)
    out["first_order_share"] = S / total if total > 0 else np.nan
    if weights is not None:
        w = np.asarray(weights, float)
        out["weight"] = w
        out["weight_share"] = w / w.sum()
    return out

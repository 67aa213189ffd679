"""Outlier treatment as the EU JRC and COINr do it: skew/kurtosis test, winsorise, log fallback.

The recipe (COINr 1.1 ``Treat()`` defaults; `tests/reference/coinr-asem/README.md`):

1. An indicator passes when |skew| < 2 OR kurtosis < 3.5 (sample skewness and excess
   kurtosis of e1071 type 2, missing values dropped).
2. If it fails, winsorise step by step: if skew >= 0, every point equal to the maximum is set
   to the largest remaining value; else every point equal to the minimum is set to the
   smallest remaining value; re-test after each step. The loop stops when the indicator passes
   or when the count of points moved reaches ``winmax``. As in COINr's ``winsorise()``, that
   count is the size of the latest high-side step plus the latest low-side step, not a running
   total; on one side it still grows by one a step, because the points moved earlier are tied
   with the new extreme and move again.
3. If it still fails, the untreated values are log-transformed (COIN Tool log):
   ln(x - min + 0.01·(max - min)).

The loop runs over indicators and winsorising steps, never over regions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def skew(X) -> np.ndarray:
    """Sample skewness (e1071 type 2, as Excel) of each column, NaN dropped."""
    X = np.asarray(X, dtype=float)
    n = np.sum(~np.isnan(X), axis=0)
    d = X - np.nanmean(X, axis=0)
    s2, s3 = np.nansum(d**2, axis=0), np.nansum(d**3, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.sqrt(n) * s3 / s2**1.5
        return np.where(n >= 3, g * np.sqrt(n * (n - 1)) / (n - 2), np.nan)


def kurt(X) -> np.ndarray:
    """Sample excess kurtosis (e1071 type 2, as Excel) of each column, NaN dropped."""
    X = np.asarray(X, dtype=float)
    n = np.sum(~np.isnan(X), axis=0)
    d = X - np.nanmean(X, axis=0)
    s2, s4 = np.nansum(d**2, axis=0), np.nansum(d**4, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * s4 / s2**2
        return np.where(n >= 4, ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)), np.nan)


def passes(X, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> np.ndarray:
    """COINr `check_SkewKurt`: True where |skew| < threshold OR kurtosis < threshold."""
    return (np.abs(skew(X)) < skew_thresh) | (kurt(X) < kurt_thresh)


def log_ct(x) -> np.ndarray:
    """COIN Tool log: ln(x - min + 0.01·(max - min)), per column."""
    x = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    return np.log(x - lo + 0.01 * (hi - lo))


def winsorise(x, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5):
    """COINr `winsorise()` on one vector; returns (values, number moved in the last steps, flags)."""
    x = np.asarray(x, dtype=float).copy()
    flags = np.array([""] * len(x), dtype=object)
    ok = bool(passes(x[:, None], skew_thresh, kurt_thresh)[0])
    n_hi = n_lo = 0
    while not ok and n_hi + n_lo < winmax:
        if skew(x[:, None])[0] >= 0:
            at = x == np.nanmax(x)
            x[at] = np.nanmax(np.where(at, np.nan, x))
            flags[at], n_hi = "winhi", int(at.sum())
        else:
            at = x == np.nanmin(x)
            x[at] = np.nanmin(np.where(at, np.nan, x))
            flags[at], n_lo = "winlo", int(at.sum())
        ok = bool(passes(x[:, None], skew_thresh, kurt_thresh)[0])
    return x, n_hi + n_lo, flags


def treat_array(
    X,
    *,
    winmax: int = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    names=None,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Treat each column of X (regions, indicators); returns treated X and one report row per column."""
    X = np.asarray(X, dtype=float)
    out = X.copy()
    names = list(range(X.shape[1])) if names is None else list(names)
    sk0, ku0 = skew(X), kurt(X)
    ok0 = passes(X, skew_thresh, kurt_thresh)
    rows = []
    for j in np.flatnonzero(~ok0 & ~np.isnan(sk0)):
        xw, n_win, flags = winsorise(X[:, j], winmax, skew_thresh, kurt_thresh)
        if passes(xw[:, None], skew_thresh, kurt_thresh)[0]:
            out[:, j], how = xw, "winsorised"
            moved = int((flags != "").sum())
        else:
            out[:, j], how, moved = log_ct(X[:, j]), "log", 0
        rows.append(
            {
                "indicator": names[j],
                "treatment": how,
                "points_winsorised": moved,
                "last_steps": n_win,
            }
        )
    report = pd.DataFrame(
        {
            "indicator": names,
            "skew_before": sk0,
            "kurt_before": ku0,
            "skew_after": skew(out),
            "kurt_after": kurt(out),
        }
    )
    done = pd.DataFrame(rows, columns=["indicator", "treatment", "points_winsorised", "last_steps"])
    report = report.merge(done, on="indicator", how="left")
    report["treatment"] = report["treatment"].fillna("none")
    report[["points_winsorised", "last_steps"]] = (
        report[["points_winsorised", "last_steps"]].fillna(0).astype(int)
    )
    return out, report

"""An honest backtest of the forecasting models: fit on the years up to a cutoff, project the
later observed years, and score the projections against what was observed.

A model that refuses on the shorter series keeps its rows, with the refusal's code
(`forecast.InsufficientData.code`) and its reason.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zjinnov.engine.forecast import AMOUNT, annual, project_all


def backtest(
    series: pd.Series,
    cutoff: int = 2020,
    models: Sequence[str] | None = None,
    *,
    kind: str = AMOUNT,
    name: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Fit on years <= cutoff, project the later observed years, and score against them.

    One row per (model, later year); refused models keep their rows with the reason in `status`.
    """
    y = annual(series)
    name = name or str(series.name or "series")
    fit, later = y[y.index <= cutoff], y[y.index > cutoff]
    cols = [
        "series",
        "model",
        "n_fit",
        "fit_years",
        "year",
        "actual",
        "projected",
        "lower",
        "upper",
        "abs_error",
        "pct_error",
        "inside_interval",
        "status",
        "refusal",
    ]
    if later.empty:
        return pd.DataFrame(columns=cols)
    fitted, refused = project_all(fit, later.index, kind=kind, models=models, name=name)
    rows = []
    for model, fc in fitted.items():
        for year in fc.years:
            proj = fc.median(year)
            lo, hi = fc.quantile(year, (1 - level) / 2), fc.quantile(year, (1 + level) / 2)
            act = float(later[year])
            rows.append(
                [
                    name,
                    model,
                    fc.n_obs,
                    ",".join(map(str, fc.fit_years)),
                    year,
                    act,
                    proj,
                    lo,
                    hi,
                    abs(proj - act),
                    100 * (proj - act) / act,
                    bool(lo <= act <= hi),
                    "ok",
                    "",
                ]
            )
    for rec in refused.itertuples():
        for year in later.index:
            rows.append(
                [
                    name,
                    rec.model,
                    rec.n_obs,
                    ",".join(map(str, fit.index)),
                    int(year),
                    float(later[year]),
                    np.nan,
                    np.nan,
                    np.nan,
                    np.nan,
                    np.nan,
                    pd.NA,
                    f"refused: {rec.reason}",
                    rec.refusal,
                ]
            )
    return pd.DataFrame(rows, columns=cols).sort_values(["model", "year"], ignore_index=True)

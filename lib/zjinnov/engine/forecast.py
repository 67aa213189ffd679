"""Forecasting models for short, gappy annual series: projections with intervals, or a clear
refusal. Engine code beside the index maths: pure functions of a series (index = year).

Every model returns a `Forecast`: for each projected year a location, scale and degrees of
freedom of a Student-t (df = inf: normal) on a transformed scale (log for amounts, identity
or logit for shares), so intervals, medians and target probabilities all come from one
predictive distribution. The central projection is the predictive median, which survives the
back-transformation (the mean of a log-t does not exist).

Models and why each is there:
- `loglinear`: OLS of ln y on year (constant growth) for amounts and counts.
- `linear` / `logit`: OLS of y (percentage points) or logit(y/100) on year, for shares.
- `ets`: damped additive-trend ETS (statsmodels ETSModel) on the transformed scale; it needs
  consecutive years and more observations than its five free parameters.
- `drift`: random walk with drift on the transformed scale. Over irregular gaps the drift is
  the total change over the total span (the estimate when a g-year step has variance g*s^2).
- `average`: equal-weight mixture of the predictive distributions of the models that ran;
  its interval is read off the mixture's quantiles, so it is never narrower than the models'
  disagreement.

Years are integers; statsmodels' time-series models get a `pd.period_range(..., freq="Y")` index.

About 400 lines, one job: the five models share one predictive distribution (`Forecast`) and
its transforms; apart, each would reach into the others' private helpers.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats

AMOUNT = "amount"
SHARE = "share"

# Fewest observations each model will rest a projection on. OLS trends need one residual
# degree of freedom beyond slope and intercept; drift needs at least two steps to estimate
# the step variance (plus one for its degrees of freedom); damped ETS estimates five
# parameters (alpha, beta, phi, initial level and trend), so it needs more points than that.
MIN_OBS_LOGLINEAR = 3
MIN_OBS_LINEAR = 3
MIN_OBS_LOGIT = 3
MIN_OBS_DRIFT = 4
MIN_OBS_ETS = 6
MIN_OBS = {
    "loglinear": MIN_OBS_LOGLINEAR,
    "linear": MIN_OBS_LINEAR,
    "logit": MIN_OBS_LOGIT,
    "drift": MIN_OBS_DRIFT,
    "ets": MIN_OBS_ETS,
}
MODELS_BY_KIND = {AMOUNT: ("loglinear", "ets", "drift"), SHARE: ("linear", "logit", "ets", "drift")}
_SCALE_FLOOR = 1e-12  # an exact fit has zero residual scale; keep the t-distribution defined


class InsufficientData(ValueError):
    """A model refused to extrapolate: too few observations (or unusable ones) for it.

    `code` says why, as a vocabulary key (labels table, group `reason`), so a chapter words a
    refusal without reading the message."""

    code = "refuse_too_few"

    def __init__(self, series: str, model: str, n_found: int, n_required: int, detail: str = ""):
        self.series, self.model = series, model
        self.n_found, self.n_required = n_found, n_required
        msg = (
            f"{series}: model '{model}' needs at least {n_required} observations, "
            f"found {n_found}; refusing to extrapolate"
        )
        super().__init__(f"{msg} ({detail})" if detail else msg)


class IrregularYears(InsufficientData):
    """ETS needs an unbroken run of years; the series has gaps."""

    code = "refuse_gaps"

    def __init__(self, series: str, model: str, years: Sequence[int]):
        gaps = [f"{a}->{b}" for a, b in zip(years[:-1], years[1:], strict=True) if b - a > 1]
        super().__init__(
            series,
            model,
            len(years),
            MIN_OBS.get(model, 0),
            f"needs consecutive years, the series has gaps {', '.join(gaps)}",
        )
        self.gaps = gaps


# --- transformations -------------------------------------------------------------------


def _forward(transform: str, y):
    y = np.asarray(y, dtype=float)
    if transform == "log":
        return np.log(y)
    if transform == "logit":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(y / (100.0 - y))
    return y


def _inverse(transform: str, z):
    z = np.asarray(z, dtype=float)
    if transform == "log":
        return np.exp(z)
    if transform == "logit":
        return 100.0 / (1.0 + np.exp(-z))
    return z


def _transform_for(model: str, kind: str) -> str:
    if model == "loglinear":
        return "log"
    if model == "logit":
        return "logit"
    if model == "linear":
        return "identity"
    return "log" if kind == AMOUNT else "identity"


# --- the forecast object ------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """Predictive distributions for the projected years; `components` set only for `average`."""

    series: str
    model: str
    kind: str
    transform: str
    fit_years: tuple[int, ...]
    years: tuple[int, ...]
    loc: np.ndarray
    scale: np.ndarray
    df: np.ndarray
    annual_change: float  # growth rate (log scale models) or points per year (share models)
    components: tuple[Forecast, ...] = ()

    @property
    def n_obs(self) -> int:
        return len(self.fit_years)

    def _row(self, year: int) -> int:
        if year not in self.years:
            raise KeyError(
                f"{self.series}/{self.model}: no projection for {year}; have {self.years}"
            )
        return self.years.index(year)

    def cdf(self, year: int, x) -> np.ndarray:
        """P(Y_year <= x) under the predictive distribution."""
        if self.components:
            return np.mean([c.cdf(year, x) for c in self.components], axis=0)
        i = self._row(year)
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = _forward(self.transform, x)
            p = stats.t.cdf((z - self.loc[i]) / self.scale[i], self.df[i])
        # Outside a bounded model's support the answer is certain, not undefined.
        if self.transform in ("log", "logit"):
            p = np.where(x <= 0, 0.0, p)
        if self.transform == "logit":
            p = np.where(x >= 100, 1.0, p)
        return p

    def quantile(self, year: int, q: float) -> float:
        if not self.components:
            i = self._row(year)
            z = self.loc[i] + self.scale[i] * stats.t.ppf(q, self.df[i])
            return float(_inverse(self.transform, z))
        qs = [c.quantile(year, q) for c in self.components]
        lo, hi = min(qs), max(qs)
        if np.isclose(lo, hi):
            return lo
        # The mixture quantile lies between the components' quantiles at the same level.
        return float(optimize.brentq(lambda x: self.cdf(year, x) - q, lo, hi, xtol=1e-10))

    def median(self, year: int) -> float:
        return self.quantile(year, 0.5)


def prob_reach(fc: Forecast, year: int, target: float, comparator: str = ">=") -> float:
    """Predictive probability that the indicator meets `target` in `year`."""
    below = float(fc.cdf(year, target))
    return below if comparator.strip() in ("<=", "<", "≤") else 1.0 - below


# --- model fits ---------------------------------------------------------------------------


def annual(series: pd.Series) -> pd.Series:
    """A series as the models read it: float values, integer years, sorted, no gaps filled."""
    s = pd.Series(series, dtype=float).dropna()
    s.index = s.index.astype(int)
    return s.sort_index()


def _check_n(y: pd.Series, name: str, model: str) -> None:
    if len(y) < MIN_OBS[model]:
        detail = f"years {list(y.index)}" if len(y) else "no usable observations"
        raise InsufficientData(name, model, len(y), MIN_OBS[model], detail)


def _ahead(years: Iterable[int], last: int, name: str, model: str) -> tuple[int, ...]:
    ys = tuple(int(y) for y in years)
    if model in ("ets", "drift") and any(y <= last for y in ys):
        raise ValueError(f"{name}: model '{model}' projects only after {last}; asked for {ys}")
    return ys


def _fit_ols(y: pd.Series, years, name: str, model: str, kind: str) -> Forecast:
    transform = _transform_for(model, kind)
    z = _forward(transform, y.to_numpy())
    if not np.isfinite(z).all():
        raise ValueError(f"{name}: model '{model}' needs values inside its domain; found {list(y)}")
    last = int(y.index.max())
    x = y.index.to_numpy(float) - last  # centred on the last year for a well-conditioned fit
    res = sm.OLS(z, sm.add_constant(x)).fit()
    ys = _ahead(years, last, name, model)
    new = sm.add_constant(np.asarray(ys, float) - last, has_constant="add")
    pred = res.get_prediction(new)
    slope = float(res.params[1])
    change = {
        "log": float(np.expm1(slope)),
        # logit slope as points per year at the fitted last-year share
        "logit": slope
        * float(_inverse("logit", res.params[0]) * (1 - _inverse("logit", res.params[0]) / 100)),
    }.get(transform, slope)
    return Forecast(
        name,
        model,
        kind,
        transform,
        tuple(int(t) for t in y.index),
        ys,
        np.asarray(pred.predicted, float),
        np.maximum(np.asarray(pred.se_obs, float), _SCALE_FLOOR),
        np.full(len(ys), float(res.df_resid)),
        change,
    )


def _fit_drift(y: pd.Series, years, name: str, kind: str) -> Forecast:
    transform = _transform_for("drift", kind)
    t = y.index.to_numpy(float)
    z = _forward(transform, y.to_numpy())
    gaps, steps = np.diff(t), np.diff(z)
    span = t[-1] - t[0]
    mu = (z[-1] - z[0]) / span
    m = len(steps)
    # A g-year step has mean g*mu and variance g*s^2; standardise before pooling.
    s2 = float(np.sum((steps - mu * gaps) ** 2 / gaps) / (m - 1))
    ys = _ahead(years, int(t[-1]), name, "drift")
    h = np.asarray(ys, float) - t[-1]
    var = s2 * (h + h**2 / span)  # step noise plus the uncertainty of the estimated drift
    return Forecast(
        name,
        "drift",
        kind,
        transform,
        tuple(int(v) for v in t),
        ys,
        z[-1] + mu * h,
        np.maximum(np.sqrt(var), _SCALE_FLOOR),
        np.full(len(ys), float(m - 1)),
        float(np.expm1(mu)) if transform == "log" else float(mu),
    )


def _fit_ets(y: pd.Series, years, name: str, kind: str) -> Forecast:
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    idx = y.index.to_numpy(int)
    if (np.diff(idx) != 1).any():
        raise IrregularYears(name, "ets", list(idx))
    transform = _transform_for("ets", kind)
    z = pd.Series(
        _forward(transform, y.to_numpy()),
        index=pd.period_range(start=str(idx[0]), periods=len(idx), freq="Y"),
    )
    last = int(idx[-1])
    ys = _ahead(years, last, name, "ets")
    with warnings.catch_warnings():
        # Short series often stop the optimiser at a bound; the fit is still usable.
        warnings.simplefilter("ignore")
        res = ETSModel(z, error="add", trend="add", damped_trend=True).fit(disp=False)
        pred = res.get_prediction(start=len(z), end=len(z) + max(ys) - last - 1)
    pos = [y_ - last - 1 for y_ in ys]
    mean = np.asarray(pred.predicted_mean, float)[pos]
    var = np.asarray(pred.forecast_variance, float)[pos]
    step = float(np.asarray(pred.predicted_mean, float)[0] - z.iloc[-1])
    return Forecast(
        name,
        "ets",
        kind,
        transform,
        tuple(int(v) for v in idx),
        ys,
        mean,
        np.maximum(np.sqrt(var), _SCALE_FLOOR),
        np.full(len(ys), np.inf),
        float(np.expm1(step)) if transform == "log" else step,
    )


def project(
    series: pd.Series,
    model: str,
    years: Iterable[int],
    *,
    kind: str = AMOUNT,
    name: str | None = None,
) -> Forecast:
    """Fit one model to an annual series (index = year) and project it to `years`.

    Raises InsufficientData (or IrregularYears for ETS on a gappy series) instead of
    extrapolating from too little.
    """
    y = annual(series)
    name = name or str(series.name or "series")
    if model not in MIN_OBS:
        raise ValueError(f"unknown model {model!r}; choose from {sorted(MIN_OBS)}")
    _check_n(y, name, model)
    if model == "drift":
        return _fit_drift(y, years, name, kind)
    if model == "ets":
        return _fit_ets(y, years, name, kind)
    return _fit_ols(y, years, name, model, kind)


def average(forecasts: Sequence[Forecast]) -> Forecast:
    """Equal-weight mixture of forecasts of the same series over the same years."""
    if len(forecasts) < 2:
        raise ValueError("a model average needs at least two fitted models")
    first = forecasts[0]
    if any(f.years != first.years for f in forecasts):
        raise ValueError("models in an average must project the same years")
    return Forecast(
        first.series,
        "average",
        first.kind,
        first.transform,
        first.fit_years,
        first.years,
        np.full(len(first.years), np.nan),
        np.full(len(first.years), np.nan),
        np.full(len(first.years), np.nan),
        float(np.mean([f.annual_change for f in forecasts])),
        tuple(forecasts),
    )


def project_all(
    series: pd.Series,
    years: Iterable[int],
    *,
    kind: str = AMOUNT,
    models: Sequence[str] | None = None,
    name: str | None = None,
) -> tuple[dict[str, Forecast], pd.DataFrame]:
    """Every model for the kind, plus their average; refusals returned as a table, not raised."""
    name = name or str(series.name or "series")
    years = tuple(int(y) for y in years)
    fitted: dict[str, Forecast] = {}
    refused = []
    for model in models or MODELS_BY_KIND[kind]:
        try:
            fitted[model] = project(series, model, years, kind=kind, name=name)
        except InsufficientData as err:
            refused.append(
                {
                    "series": name,
                    "model": model,
                    "n_obs": err.n_found,
                    "n_required": err.n_required,
                    "refusal": err.code,
                    "reason": str(err),
                }
            )
    if len(fitted) >= 2:
        fitted["average"] = average(list(fitted.values()))
    cols = ["series", "model", "n_obs", "n_required", "refusal", "reason"]
    return fitted, pd.DataFrame(refused, columns=cols)


def forecast_frame(
    forecasts: Iterable[Forecast], levels: Sequence[float] = (0.8, 0.95)
) -> pd.DataFrame:
    """Tidy projections: one row per (series, model, year) with median and interval bounds."""
    rows = []
    for fc in forecasts:
        for year in fc.years:
            row = {
                "series": fc.series,
                "model": fc.model,
                "year": year,
                "n_obs": fc.n_obs,
                "fit_years": ",".join(map(str, fc.fit_years)),
                "median": fc.median(year),
                "annual_change": fc.annual_change,
            }
            for lvl in levels:
                pct = round(lvl * 100)
                row[f"lower{pct}"] = fc.quantile(year, (1 - lvl) / 2)
                row[f"upper{pct}"] = fc.quantile(year, (1 + lvl) / 2)
            rows.append(row)
    bounds = [f"{side}{round(lvl * 100)}" for lvl in levels for side in ("lower", "upper")]
    cols = ["series", "model", "year", "n_obs", "fit_years", "median", "annual_change", *bounds]
    return pd.DataFrame(rows, columns=cols)

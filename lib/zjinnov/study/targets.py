"""Where an indicator stands against a plan target, four ways side by side.

(a) model probability: P(indicator meets the target in the target year) from the predictive
    distribution of `zjinnov.engine.forecast` (the equal-weight model average where two or more models ran);
(b) Open SDG / Eurostat ratio of observed to required compound growth, R = s*d*CAGR_obs/|CAGR_req|,
    categories at R >= 0.95 / 0.6 / 0 (Open SDG's sdg-build, `ProgressMeasure.py`);
(c) the German sustainability strategy's weather symbol: the average annual change over the
    last five years extrapolated linearly to the target year, shortfall measured as a share of
    the current distance to target, bands 5 % / 20 % (Destatis, indicator status of the German Sustainable Development Strategy);
(d) 序时进度: share of the base-to-target gap closed against share of the plan period elapsed.

Which targets a county is held to (`plan_targets`): its own, where data/targets.csv has them,
else its city's ratios (a city's totals are not a county's). Categories are returned as codes;
the labels table holds their words.

Readers trained in any one of these conventions find their answer in the same row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from zjinnov.engine import forecast

# Open SDG thresholds on the growth ratio R (quantitative targets).
# The 14th Five-Year Plan (十四五, 2021-2025) is measured from 2020; targets dated 2020 or earlier
# belong to an earlier plan.
PLAN_BASE_YEAR = 2020
PLAN_END_YEAR = 2025
OWN, CITY = "own", "city"

SDG_ON_TRACK = 0.95
SDG_ACCELERATION = 0.60
SDG_LIMITED = 0.0
# The categories, in the order of the thresholds (their words are in the labels table).
SDG_CATEGORIES = (
    "target_achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "not_available",
)

# DNS: shortfall below 5 % of the distance to target is a sun, up to 20 % a partly cloudy sun.
DNS_SUN = 0.05
DNS_SUN_CLOUD = 0.20
DNS_WINDOW = 5  # years: "average annual change over the last five years" (six data points)
DNS_MIN_POINTS = 4  # "the last four consecutive points ... as a minimum"; fewer: no calculation
DNS_SYMBOLS = ("sun", "sun_cloud", "cloud", "thunderstorm", "not_assessable")
SCHEDULE_STATUSES = ("achieved", "ahead", "behind", "reversing", "fell_below", "not_available")


def horizon(targets: pd.DataFrame) -> int:
    """The last year any plan target names: how far the trends are projected."""
    years = pd.to_numeric(targets["target_year"], errors="coerce").dropna()
    if years.empty:
        raise ValueError("data/targets.csv: no target_year, so no projection horizon")
    return int(years.max())


def plan_targets(
    targets: pd.DataFrame, county: str, city: str, comparable: Sequence[str] = ()
) -> tuple[pd.DataFrame, str | None]:
    """The targets a county is measured against, and whose they are: (rows, "own" | "city" | None).

    The county's own targets with a value and a target year after PLAN_BASE_YEAR, if any; else
    its city's, restricted to `comparable` variables (ratios: a city's totals say nothing
    about one county's); else none.
    """
    current = targets[
        targets["target_value"].notna()
        & (pd.to_numeric(targets["target_year"], errors="coerce") > PLAN_BASE_YEAR)
    ]
    own = current[current["region_code"] == county]
    if len(own):
        return own.reset_index(drop=True), OWN
    theirs = current[(current["region_code"] == city) & current["variable"].isin(comparable)]
    if len(theirs):
        return theirs.reset_index(drop=True), CITY
    return current.iloc[:0].reset_index(drop=True), None


def _frame(columns: dict) -> pd.DataFrame:
    """Columns broadcast to a common length, so scalar and array inputs give the same table."""
    arrays = np.broadcast_arrays(*(np.atleast_1d(v) for v in columns.values()))
    return pd.DataFrame(dict(zip(columns, arrays, strict=True)))


def direction_of(comparator: str) -> int:
    """+1 where more is better (>=, >), -1 where the target is a ceiling (<=, <)."""
    return -1 if str(comparator).strip() in ("<=", "<", "≤") else 1


def _met(value, target, direction) -> np.ndarray:
    return np.asarray(direction) * (np.asarray(value, float) - np.asarray(target, float)) >= 0


def cagr(value, base_value, year, base_year) -> np.ndarray:
    """Compound annual growth rate between two dated values."""
    with np.errstate(divide="ignore", invalid="ignore"):
        span = np.asarray(year, float) - np.asarray(base_year, float)
        return (np.asarray(value, float) / np.asarray(base_value, float)) ** (1 / span) - 1


def opensdg_status(
    base_year, base_value, current_year, current_value, target_year, target_value, direction=1
) -> pd.DataFrame:
    """Observed vs required CAGR and the Open SDG category, elementwise over array inputs."""
    d = np.asarray(direction)
    b = np.asarray(base_value, float)
    obs = cagr(current_value, base_value, current_year, base_year)
    req = cagr(target_value, base_value, target_year, base_year)
    sign = np.where(b < 0, -1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = sign * d * obs / np.abs(req)
    unusable = (
        ~np.isfinite(ratio)
        | (np.asarray(current_year) <= np.asarray(base_year))
        | (np.sign(b) != np.sign(np.asarray(current_value, float)))
    )
    ratio = np.where(unusable, np.nan, np.round(ratio, 12))
    achieved = _met(current_value, target_value, d)
    category = np.select(
        [
            achieved,
            np.isnan(ratio),
            ratio >= SDG_ON_TRACK,
            ratio >= SDG_ACCELERATION,
            ratio >= SDG_LIMITED,
        ],
        ["target_achieved", "not_available", "on_track", "acceleration_needed", "limited_progress"],
        "deterioration",
    )
    return _frame(
        {"cagr_observed": obs, "cagr_required": req, "sdg_ratio": ratio, "sdg_category": category}
    )


def weather_from_trend(current, avg_change, years_left, target, direction=1) -> pd.DataFrame:
    """DNS symbol from the current value and the average annual change, elementwise.

    A target already met is judged as a constant target: sun unless the trend points away.
    """
    d = np.asarray(direction)
    cur, tgt = np.asarray(current, float), np.asarray(target, float)
    change = np.asarray(avg_change, float)
    projected = cur + np.asarray(years_left, float) * change
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = (tgt - projected) / (tgt - cur)
    met = _met(cur, tgt, d)
    toward = d * change > 0
    # Float noise must not move a value that sits on a band edge into the next band.
    band = np.round(gap, 12)
    symbol = np.select(
        [
            np.isnan(change),
            met & (d * change >= 0),
            met,
            ~toward,
            band < DNS_SUN,
            band <= DNS_SUN_CLOUD,
        ],
        ["not_assessable", "sun", "sun_cloud", "thunderstorm", "sun", "sun_cloud"],
        "cloud",
    )
    return _frame(
        {"dns_projected": projected, "dns_gap": np.where(met, np.nan, gap), "dns_symbol": symbol}
    )


def dns_trend(series: pd.Series, *, strict: bool = True) -> tuple[float, int, int]:
    """Average annual change over the last five years: (change, n points used, first year used).

    strict: the DNS rule, the unbroken run of years ending at the latest one (at most six
    points, at least four), else no calculation. Not strict: every point in the five-year
    window, at least two, gaps allowed; a weaker reading that must be labelled as such.
    """
    s = series.dropna().sort_index()
    if s.empty:
        return np.nan, 0, 0
    years = s.index.to_numpy(int)
    last = years[-1]
    window = s[years >= last - DNS_WINDOW]
    if strict:
        wy = window.index.to_numpy(int)
        breaks = np.flatnonzero(np.diff(wy) != 1)
        window = window.iloc[breaks[-1] + 1 :] if breaks.size else window
        enough = len(window) >= DNS_MIN_POINTS
    else:
        enough = len(window) >= 2
    if not enough:
        return np.nan, len(window), int(window.index[0])
    first = int(window.index[0])
    return (float(window.iloc[-1]) - float(window.iloc[0])) / (last - first), len(window), first


def schedule_progress(
    base_year, base_value, current_year, current_value, target_year, target_value, direction=1
) -> pd.DataFrame:
    """序时进度: share of the gap closed since the plan base against share of time elapsed."""
    d = np.asarray(direction)
    b, c, t = (np.asarray(v, float) for v in (base_value, current_value, target_value))
    with np.errstate(divide="ignore", invalid="ignore"):
        completion = (c - b) / (t - b)
        elapsed = (np.asarray(current_year, float) - np.asarray(base_year, float)) / (
            np.asarray(target_year, float) - np.asarray(base_year, float)
        )
    base_met = _met(b, t, d)
    status = np.select(
        [
            _met(c, t, d),
            base_met,
            ~np.isfinite(completion) | ~np.isfinite(elapsed) | (elapsed <= 0),
            completion < 0,
            completion >= elapsed,
        ],
        ["achieved", "fell_below", "not_available", "reversing", "ahead"],
        "behind",
    )
    completion = np.where(base_met, np.nan, completion)
    return _frame(
        {
            "schedule_completion": completion,
            "schedule_elapsed": elapsed,
            "schedule_status": status,
        }
    )


STATUS_COLUMNS = [
    "direction",
    "latest_year",
    "latest_value",
    "base_year_used",
    "base_value_used",
    "prob",
    "prob_model",
    "prob_components",
    "n_obs",
    "projected_median",
    "projected_lower95",
    "projected_upper95",
    "prob_note",
    "dns_change",
    "dns_points",
    "dns_from",
    "dns_gap",
    "dns_symbol",
    "dns_relaxed_change",
    "dns_relaxed_points",
    "dns_relaxed_from",
    "dns_relaxed_gap",
    "dns_relaxed_symbol",
    "cagr_observed",
    "cagr_required",
    "sdg_ratio",
    "sdg_category",
    "schedule_completion",
    "schedule_elapsed",
    "schedule_status",
]


def _base(series: pd.Series, base_year: int) -> tuple[float, float]:
    """Value at the plan base year, else at the next year observed (the Open SDG rule)."""
    after = series[series.index >= base_year]
    if after.empty:
        return np.nan, np.nan
    return float(after.index[0]), float(after.iloc[0])


def _model_probability(
    series: pd.Series, kind: str, year: int, target: float, comparator: str, models
) -> dict:
    fitted, refused = forecast.project_all(series, [year], kind=kind, models=models)
    if not fitted:
        reasons = "; ".join(refused["reason"])
        return {
            "prob": np.nan,
            "prob_model": "none",
            "prob_components": "",
            "n_obs": len(series),
            "prob_note": reasons,
        }
    fc = fitted.get("average") or next(iter(fitted.values()))
    return {
        "prob": forecast.prob_reach(fc, year, target, comparator),
        "prob_model": fc.model,
        "prob_components": ",".join(c.model for c in fc.components) or fc.model,
        "n_obs": fc.n_obs,
        "projected_median": fc.median(year),
        "projected_lower95": fc.quantile(year, 0.025),
        "projected_upper95": fc.quantile(year, 0.975),
        "prob_note": "; ".join(refused["reason"]),
    }


def target_status_table(
    series: Mapping[str, pd.Series],
    targets: pd.DataFrame,
    *,
    kinds: Mapping[str, str] | None = None,
    plan_base_year: int = 2020,
    models: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per (indicator, target) with the four assessments side by side.

    `series` maps variable -> annual values (index = year) of the unit under study; `targets`
    has columns variable, target_year, target_value, comparator (and any labels such as
    region_name, plan, source_id, which are carried through). Targets with no numeric value
    and variables with no series are skipped: the caller reports those separately.
    """
    kinds = kinds or {}
    tg = targets.assign(target_value=pd.to_numeric(targets["target_value"], errors="coerce"))
    tg = tg[tg["target_value"].notna() & tg["variable"].isin(list(series))]
    rows = []
    for rec in tg.to_dict("records"):
        s = forecast.annual(series[rec["variable"]])
        if s.empty:
            continue
        d = direction_of(rec.get("comparator", ">="))
        target_year, target = int(rec["target_year"]), float(rec["target_value"])
        cur_year, cur = int(s.index[-1]), float(s.iloc[-1])
        base_year, base = _base(s, plan_base_year)
        row = dict(rec)
        row.update(
            direction=d,
            latest_year=cur_year,
            latest_value=cur,
            base_year_used=base_year,
            base_value_used=base,
        )
        if target_year > cur_year:
            kind = kinds.get(rec["variable"], forecast.AMOUNT)
            row.update(
                _model_probability(
                    s, kind, target_year, target, rec.get("comparator", ">="), models
                )
            )
        else:
            row.update(
                prob=np.nan,
                prob_model="none",
                prob_components="",
                n_obs=len(s),
                prob_note="target year observed",
            )
        for strict, tag in ((True, "dns"), (False, "dns_relaxed")):
            change, n_pts, first = dns_trend(s, strict=strict)
            w = weather_from_trend(cur, change, target_year - cur_year, target, d).iloc[0]
            row.update(
                {
                    f"{tag}_change": change,
                    f"{tag}_points": n_pts,
                    f"{tag}_from": first,
                    f"{tag}_gap": w["dns_gap"],
                    f"{tag}_symbol": w["dns_symbol"],
                }
            )
        row.update(
            opensdg_status(base_year, base, cur_year, cur, target_year, target, d).iloc[0].to_dict()
        )
        row.update(
            schedule_progress(base_year, base, cur_year, cur, target_year, target, d)
            .iloc[0]
            .to_dict()
        )
        rows.append(row)
    if not rows:
        return pd.DataFrame(columns=[*targets.columns, *STATUS_COLUMNS])
    return pd.DataFrame(rows)

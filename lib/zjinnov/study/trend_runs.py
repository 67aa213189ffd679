"""The trend-runs stage: every series chapter 06 projects, every model run on it (or its
refusal), the context series of the province and the city, and the backtests.

For each key indicator (and each variable a target of the county names): the county's series
from the Study's selection stage (`series`, two scenarios: published figures only, and with
prior-year levels implied from growth rates), every model that can run on it
(`zjinnov.engine.forecast.project_all`) projected from its last observation to the horizon
(the last target year), or the reason each refuses. A figure a consistency check contradicts
(`zjinnov.data.flagged.excluded_from_fit`) is not fitted: it stays a candidate, set aside with
its reason (`series.set_aside`). Then the province's and the city's R&D
intensity, and a backtest of every series from the plan's base year
(`zjinnov.engine.backtest`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from zjinnov.data import geography
from zjinnov.engine import backtest as bt
from zjinnov.engine import forecast as fc
from zjinnov.study import series as series_module
from zjinnov.study import targets

KEY_VARIABLES = (
    "rd_intensity",
    "rd_expenditure",
    "above_scale_industry_rd_spending",
    "hightech_industry_value_added",
    "hightech_share_of_above_scale_industry_va",
    "hightech_investment",
    "national_hightech_enterprises",
    "patent_grants_total",
    "rd_tax_deduction_amount",
    "total_tax_relief",
)
PUBLISHED_ONLY, WITH_IMPLIED = "published_only", "with_implied"
SCENARIOS = (PUBLISHED_ONLY, WITH_IMPLIED)
# A city's ratios can be a benchmark for one of its counties; its totals cannot.
COMPARABLE_KINDS = ("share", "rate")
CONTEXT_VARIABLE = "rd_intensity"
# Province series backtested beside the county's (long, unbroken: every model can run).
PROVINCE_BACKTESTS = ("rd_intensity", "rd_expenditure")


@dataclass(frozen=True)
class IndicatorRun:
    """An indicator's selected series, the models that ran on it and those that refused."""

    variable: str
    kind: str
    selection: series_module.Selection
    fitted: dict[str, fc.Forecast]
    refused: pd.DataFrame

    @property
    def best(self) -> fc.Forecast | None:
        """The average where two or more models ran, else the single model, else None."""
        return self.fitted.get("average") or next(iter(self.fitted.values()), None)


def run_indicator(
    selected: series_module.Selection,
    variable: str,
    kind: str,
    until: int,
    *,
    models: Sequence[str] | None = None,
) -> IndicatorRun:
    """Project a selected series every year from its last observation to `until`."""
    last = int(selected.values.index.max()) if len(selected.values) else until - 1
    years = range(last + 1, until + 1)
    fitted, refused = fc.project_all(
        selected.values, years, kind=kind, models=models, name=variable
    )
    return IndicatorRun(variable, kind, selected, fitted, refused)


def kind_of(variable: str, variables: pd.DataFrame) -> str:
    """The models' kind of a variable: a share, or an amount (counts too)."""
    return fc.SHARE if variables["kind"].get(variable, "") == "share" else fc.AMOUNT


@dataclass(frozen=True)
class TrendRuns:
    horizon: int  # the last year any target names: how far the series are projected
    targets: pd.DataFrame  # the targets the county is held to (`targets.plan_targets`)
    scope: str | None  # whose targets they are: "own", "city" or None
    indicators: tuple[str, ...]  # the key variables, then the targets' own
    runs: dict[tuple[str, str], IndicatorRun]  # (variable, scenario) -> run
    context: dict[str, IndicatorRun]  # region code -> its R&D intensity run
    backtests: pd.DataFrame  # every backtest row (region, variable, model, year ...)
    backtest_series: pd.DataFrame  # county_code, variable, n_years: the series backtested


def trend_runs(
    *,
    selections,
    variables: pd.DataFrame,
    all_targets: pd.DataFrame,
    county: str,
    city: str,
    province: str,
    set_aside: Collection[str] = (),
) -> TrendRuns:
    """The stage, from the Study's selection of the series (`selections`: `Selections`);
    `set_aside`: the keys (county/year/variable@source) of raw rows no fit may use."""
    variables = variables.set_index("variable")
    # Each target keeps its line in data/targets.csv (a fact's evidence names it).
    all_targets = all_targets.assign(file="targets.csv", row=all_targets.index + 2)
    horizon = targets.horizon(all_targets)
    comparable = variables.index[variables["kind"].isin(COMPARABLE_KINDS)]
    used, scope = targets.plan_targets(all_targets, county, city, comparable)
    indicators = list(KEY_VARIABLES) + [
        v
        for v in dict.fromkeys(used["variable"])
        if v not in KEY_VARIABLES and v in variables.index
    ]
    chosen = {
        PUBLISHED_ONLY: series_module.set_aside(selections.series_published, set_aside),
        WITH_IMPLIED: series_module.set_aside(
            selections.series_with_implied, set_aside, use_implied=True
        ),
    }
    runs = {
        (v, s): run_indicator(
            series_module.series_of(chosen[s], county, v), v, kind_of(v, variables), horizon
        )
        for v in indicators
        for s in SCENARIOS
    }
    context = {
        region: run_indicator(
            series_module.series_of(chosen[PUBLISHED_ONLY], region, CONTEXT_VARIABLE),
            CONTEXT_VARIABLE,
            kind_of(CONTEXT_VARIABLE, variables),
            horizon,
        )
        for region in (province, city)
    }
    specs = [(county, v, runs[v, PUBLISHED_ONLY].selection.values) for v in indicators]
    specs += [
        (province, v, series_module.series_of(chosen[PUBLISHED_ONLY], province, v).values)
        for v in PROVINCE_BACKTESTS
    ]
    specs.append((city, CONTEXT_VARIABLE, context[city].selection.values))
    frames, series_rows = [], []
    for code, v, values in specs:
        done = bt.backtest(
            values, cutoff=targets.PLAN_BASE_YEAR, kind=kind_of(v, variables), name=v
        )
        frames.append(done.assign(county_code=code, variable=v))
        n_fit = int((values.index <= targets.PLAN_BASE_YEAR).sum())
        series_rows.append((code, v, len(values), n_fit))
    return TrendRuns(
        horizon=horizon,
        targets=used,
        scope=scope,
        indicators=tuple(indicators),
        runs=runs,
        context=context,
        backtests=pd.concat(frames, ignore_index=True),
        backtest_series=pd.DataFrame(
            series_rows, columns=["county_code", "variable", "n_years", "n_fit"]
        ),
    )


def territories(county: str, city: str, province: str, framework_dir) -> dict[str, list[str]]:
    """The places whose series the stage reads: the county's territory (its earlier codes
    too, `geography.series_codes`), its city and the province."""
    return {
        county: geography.series_codes(county, framework_dir),
        city: [city],
        province: [province],
    }

"""The report's method, found from its own published index: the Study's `identification` stage.

The monitoring report prints an index (2015 = 100) beside its indicators but not how one is
made from the other. Where one report printed a county-year's index and every registry
indicator (`reconciliation.same_report`), the candidate methods of `zjinnov.engine.candidates`
are fitted to those published scores (`zjinnov.engine.identify`): the verdict says which
method reproduces them within rounding, or that none does, and for a method found, each
weight's range and each indicator's importance.

What is fitted is the report's own figures: its raw rows (one figure per county, year and
variable; where two such reports overlap, the later one's), their indicator values by the
registry's formulas, for the county units of each year (a renamed unit under its current code)
and the province, whose values are the bases (`zjinnov.study.full_coverage.taking_part`); the
base year and the indicators that scale with a place's size come from the registry. The
figures of other sources never enter the fit, even where the selection policy prefers them
for a county-year: the method is the report's, read from the report.

`Found.status` is a code the chapter words: `found`, `not_reproduced` (no candidate
reproduces the index), `ambiguous` (distinct candidates reproduce it alike), `no_report` (no
report printed an index beside every indicator), `no_base_year` (the report starts after the
base year), `not_computable` (no candidate could be computed on the report's figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zjinnov.data import framework, geography, selection
from zjinnov.engine import candidates
from zjinnov.engine.hierarchy import Hierarchy
from zjinnov.engine.identify import Identification, identify
from zjinnov.study import bases as base_rule
from zjinnov.study import full_coverage, reconciliation

STATUSES = ("found", "not_reproduced", "ambiguous", "no_report", "no_base_year", "not_computable")
N_CANDIDATES = len(candidates.CANDIDATES)


@dataclass
class Found:
    """What the identification found, with what it was fitted on."""

    published: pd.DataFrame  # every published index and rank (`reconciliation.published`)
    fitted: pd.DataFrame  # the published index figures fitted: county_code, year, source_id
    rows: pd.DataFrame  # the report's raw rows the fit read (evidence)
    identification: Identification | None
    reason: str | None = None  # a status code when nothing was fitted

    @property
    def method(self) -> str | None:
        """The candidate found (reproduces the index, no distinct rival does), else None."""
        return None if self.identification is None else self.identification.verdict.method

    @property
    def status(self) -> str:
        if self.identification is None:
            return self.reason or "no_report"
        v = self.identification.verdict
        if v.best is None:
            return "not_computable"
        if v.method is not None:
            return "found"
        return "ambiguous" if v.reproduced else "not_reproduced"

    @property
    def sources(self) -> list[str]:
        return sorted(set(self.fitted["source_id"]))


def report_rows(observations: pd.DataFrame, source_ids) -> pd.DataFrame:
    """The published full-year raw rows of the reports `source_ids`, one per county, year and
    variable (where two reports print the same figure, the later report's)."""
    rows = observations[observations["source_id"].isin(list(source_ids))]
    rows = rows[
        selection.status_of(rows["confidence"]).eq(selection.PUBLISHED)
        & ~rows["partial"].fillna(False).astype(bool)
    ]
    rows = rows.assign(_date=rows["date_published"].fillna("").astype(str))
    rows = rows.sort_values(["_date", "source_id"], kind="stable")
    rows = rows.drop_duplicates(["county_code", "year", "variable"], keep="last")
    return rows.drop(columns="_date").reset_index(drop=True)


def identification(
    *,
    observations: pd.DataFrame,
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    hierarchy: Hierarchy,
    extensive: set[str],
    framework_dir: Path,
    base_year: int,
) -> Found:
    """Fit every candidate to the published index figures of the county-years one report
    printed with every indicator; see the module docstring. `values`: the Study's indicator
    values (which county-years one report printed whole)."""
    pub = reconciliation.published(observations, values, len(indicators), framework_dir)
    fitted = pub[pub["same_report"] & pub["published"].notna()]
    fitted = fitted[["county_code", "year", "source_id", "published"]].reset_index(drop=True)
    if fitted.empty:
        return Found(pub, fitted, observations.iloc[:0], None, "no_report")
    rows = report_rows(observations, fitted["source_id"].unique())
    report = framework.indicator_values(rows, indicators)
    report = full_coverage.taking_part(report, indicators, framework_dir)
    if not report["year"].astype(int).eq(base_year).any():
        return Found(pub, fitted, rows, None, "no_base_year")
    engine_values, engine_published = base_rule.to_identification(report, fitted)
    found = identify(
        engine_values,
        engine_published,
        hierarchy,
        province=geography.ZHEJIANG,
        base_year=base_year,
        extensive=extensive,
    )
    return Found(pub, fitted, rows, found)

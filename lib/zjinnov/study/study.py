"""One Study per county: every step from the raw tables to the indicator values, built once.

Like COINr's coin, the Study keeps each step's result by name, so a chapter reads what it
needs and never reloads or recomputes it:

    observations  every validated raw row (canonical units)
    candidates    every row with its selection status and reason (`zjinnov.data.selection`)
    best          the chosen published figure per county, year and variable
    indicators, domains, variables, targets   the registries
    values        indicator values per county-year (registry formulas over `best`)
    hierarchy     the index tree (indicators -> domains -> index)
    partial       the partial index of the county from public indicators (one definition)

The county is always given; only a notebook's first cell reads it from the environment
(`zjinnov.data.config.county_code`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from zjinnov.data import framework, geography, paths, selection, sources
from zjinnov.data.targets import load_targets
from zjinnov.engine.hierarchy import Hierarchy, from_registry
from zjinnov.study import partial_index as partial_index_module


@dataclass(frozen=True)
class PartialIndex:
    """The county's partial index from public indicators: bases, engine result, coverage."""

    bases: pd.DataFrame
    result: object  # IndexResult, or None when the county has no public indicator
    coverage: pd.DataFrame

    @property
    def available(self) -> bool:
        return self.result is not None and len(self.coverage) > 0


class Study:
    """The study of one county on one data folder. Build with `Study.load(county, data_dir)`."""

    def __init__(self, county: str, data_dir: Path):
        self.county = geography.require_current(str(county), Path(data_dir) / "framework")
        self.data_dir = Path(data_dir)

    @classmethod
    def load(cls, county: str, data_dir: Path | str = paths.DATA) -> Study:
        """The Study for `county`, built once per process for a given data folder."""
        return _load(str(county), str(Path(data_dir).resolve()))

    def __repr__(self) -> str:
        return f"Study({self.county} {self.name}, data={self.data_dir})"

    # --- geography ---------------------------------------------------------------------
    @property
    def framework_dir(self) -> Path:
        return self.data_dir / "framework"

    @cached_property
    def name(self) -> str:
        return geography.name_of(self.county, framework_dir=self.framework_dir)

    @property
    def city(self) -> str:
        return geography.city_code(self.county)

    @cached_property
    def city_name(self) -> str:
        return geography.name_of(self.city, framework_dir=self.framework_dir)

    @property
    def province(self) -> str:
        return geography.ZHEJIANG

    @cached_property
    def province_name(self) -> str:
        return geography.name_of(self.province, framework_dir=self.framework_dir)

    # --- data ----------------------------------------------------------------------------
    @cached_property
    def observations(self) -> pd.DataFrame:
        return sources.load_observations(self.data_dir)

    @cached_property
    def sources(self) -> pd.DataFrame:
        return sources.load_sources(self.data_dir)

    @cached_property
    def candidates(self) -> pd.DataFrame:
        """Every raw row with `status`, `used` and `reason` under the one selection policy."""
        return selection.select(self.observations, self.sources)

    @cached_property
    def best(self) -> pd.DataFrame:
        """The chosen published figure per county, year and variable."""
        used = self.candidates[self.candidates["used"]].drop(columns="used")
        return used.sort_values(selection.KEY).reset_index(drop=True)

    @cached_property
    def indicators(self) -> pd.DataFrame:
        return framework.load_indicators(self.framework_dir)

    @cached_property
    def domains(self) -> pd.DataFrame:
        return framework.load_domains(self.framework_dir)

    @cached_property
    def variables(self) -> pd.DataFrame:
        return sources.load_variables(self.data_dir)

    @cached_property
    def targets(self) -> pd.DataFrame:
        return load_targets(self.data_dir)

    @cached_property
    def values(self) -> pd.DataFrame:
        """Indicator values per county-year: county_code, year, indicator, value, unit, ..."""
        return framework.indicator_values(self.observations, self.indicators)

    @cached_property
    def hierarchy(self) -> Hierarchy:
        return from_registry(self.indicators, self.domains)

    @cached_property
    def extensive(self) -> set[str]:
        """Indicators that scale with a place's size (never compared across places)."""
        return framework.extensive_codes(self.indicators)

    # --- the county's own records ----------------------------------------------------------
    def observations_of(self, county: str | None = None) -> pd.DataFrame:
        """The chosen published figures of one place (default: the study county)."""
        code = self.county if county is None else county
        return self.best[self.best["county_code"] == code].reset_index(drop=True)

    def values_of(self, county: str | None = None) -> pd.DataFrame:
        code = self.county if county is None else county
        return self.values[self.values["county_code"] == code].reset_index(drop=True)

    @cached_property
    def partial(self) -> PartialIndex:
        """The partial index (chapter 03 shows it; chapter 04 audits the same one)."""
        bases = partial_index_module.base_table(self.values, self.county, extensive=self.extensive)
        result, cov = partial_index_module.partial_index(
            self.values, self.indicators, self.domains, self.county, bases=bases
        )
        return PartialIndex(bases=bases, result=result, coverage=cov)


@cache
def _load(county: str, data_dir: str) -> Study:
    return Study(county, Path(data_dir))

"""One Study per county: every stage from the raw tables to the robustness audit, built once.

Like COINr's coin, the Study keeps each stage's result by name and records the settings it
ran with (`zjinnov.study.stages`), so a chapter reads what it needs and never rebuilds it:

    observations  every validated raw row (canonical units)
    selection     the one selection policy, applied once, in every view a stage needs
                  (`zjinnov.study.selections`: candidates, best, best_any, census, series ...)
    checks        validation, the coverage cube, published figures against their parts
    values        indicator values per county-year (registry formulas over full-year figures)
    bases         the one base rule for the study county (`zjinnov.study.bases`)
    partial       the partial index of the county from public indicators
    identification the report's method found from its published index (or that none fits)
    full_index    the full index of every county-year whose data allow it, by that method
    census        the 2020 census: ratios, the map's units, the county's standing
    trends        every trend series, model run, refusal and backtest
    robustness    the audit of the partial index

`Study.stages()` lists them, with their settings and whether each ran. The county is always
given; only a notebook's first cell reads it from the environment
(`zjinnov.data.config.county_code`).
"""

from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from zjinnov.data import flagged, formula, framework, geography, paths, quotes, settings, sources
from zjinnov.data.targets import load_targets
from zjinnov.engine.hierarchy import Hierarchy, from_registry
from zjinnov.study import audit as audit_module
from zjinnov.study import bases as base_rule
from zjinnov.study import census as census_module
from zjinnov.study import checks as checks_module
from zjinnov.study import full_index as full_module
from zjinnov.study import identification as identification_module
from zjinnov.study import partial_index as partial_module
from zjinnov.study import selections as selections_module
from zjinnov.study import stages as stage_module
from zjinnov.study import trend_runs as trends_module
from zjinnov.study import uncertainty_settings as us
from zjinnov.study.stages import stage


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

    def stages(self) -> pd.DataFrame:
        """Every stage in the order the data flow: what it holds and reads, its settings (a
        list), and whether it ran in this process."""
        return stage_module.table(self)

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

    # --- the registries ----------------------------------------------------------------
    @cached_property
    def sources(self) -> pd.DataFrame:
        return sources.load_sources(self.data_dir)

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
    def hierarchy(self) -> Hierarchy:
        return from_registry(self.indicators, self.domains)

    @cached_property
    def extensive(self) -> set[str]:
        """Indicators that scale with a place's size (never compared across places)."""
        return framework.extensive_codes(self.indicators)

    @cached_property
    def base_year(self) -> int:
        """The index's base year (data/framework/settings.csv)."""
        return settings.base_year(self.framework_dir)

    # --- stages ------------------------------------------------------------------------
    @property
    @stage(
        "observations",
        holds="every validated raw row, in canonical units, with its source's date",
        settings=lambda s: {"data_dir": _shown(s.data_dir)},
    )
    def observations(self) -> pd.DataFrame:
        return sources.load_observations(self.data_dir)

    @property
    @stage(
        "selection",
        holds="one figure per place, year and variable, in every view the stages need",
        reads=("observations",),
        settings=lambda s: dict(selections_module.FLAGS),
    )
    def selection(self) -> selections_module.Selections:
        return selections_module.select_all(
            self.observations,
            self.sources,
            census_source=census_module.SOURCE,
            territories=trends_module.territories(
                self.county, self.city, self.province, self.framework_dir
            ),
        )

    @property
    def candidates(self) -> pd.DataFrame:
        """Every raw row with `status`, `used` and `reason` under the one selection policy."""
        return self.selection.candidates

    @property
    def best(self) -> pd.DataFrame:
        """The chosen published figure per county, year and variable."""
        return self.selection.best

    @property
    @stage(
        "checks",
        holds="validation, the coverage cube and the consistency of published figures",
        reads=("observations", "selection"),
        settings=lambda s: {
            "coverage": "selection.best",
            "consistency": "selection.best_by_period",
        },
    )
    def checks(self) -> checks_module.Checks:
        chosen = self.selection
        return checks_module.checks(
            self.data_dir, chosen.best, chosen.best_by_period, self.indicators
        )

    @property
    @stage(
        "values",
        holds="indicator values per county-year: the registry's formulas over full-year figures",
        reads=("selection",),
        settings=lambda s: {"figures": "selection.best_full_year", "indicators": len(s.indicators)},
    )
    def values(self) -> pd.DataFrame:
        """county_code, year, indicator, value, unit, source_ids, status."""
        return framework.indicator_values(self.selection.best_full_year, self.indicators)

    @property
    @stage(
        "bases",
        holds="the study county's base of every indicator it has (the one base rule)",
        reads=("values",),
        settings=lambda s: {
            "base_year": s.base_year,
            "reference": s.province,
            "rules": base_rule.RULES,
        },
    )
    def bases(self) -> pd.DataFrame:
        return self._bases(self.province)

    def _bases(self, reference: str | None) -> pd.DataFrame:
        table = base_rule.base_table(
            self.values,
            [self.county],
            reference=reference,
            base_year=self.base_year,
            extensive=self.extensive,
        )
        return table.drop(columns="region")

    @property
    @stage(
        "partial",
        holds="the county's partial index from public indicators, and what it rests on",
        reads=("values", "bases"),
        settings=lambda s: (
            _method(partial_module.method(s.base_year))
            | {"aggregation": partial_module.AGGREGATION}
        ),
    )
    def partial(self) -> partial_module.PartialIndex:
        """The partial index (chapter 03 shows it; chapter 04 audits the same one)."""
        return partial_module.partial_index(
            self.values, self.bases, self.indicators, self.domains, self.county, self.base_year
        )

    @property
    @stage(
        "identification",
        holds="the method of the published index among the candidates, or that none fits; "
        "weight ranges and importance",
        reads=("observations", "values"),
        settings=lambda s: {
            "candidates": identification_module.N_CANDIDATES,
            "rows": "county-years one report printed with its index and every indicator",
            "reproduces": "RMSE <= 1.5 u/sqrt(12) and max |error| <= u (u: the printed unit)",
            "base_year": s.base_year,
        },
    )
    def identification(self) -> identification_module.Found:
        return identification_module.identification(
            observations=self.observations,
            values=self.values,
            indicators=self.indicators,
            hierarchy=self.hierarchy,
            extensive=self.extensive,
            framework_dir=self.framework_dir,
            base_year=self.base_year,
        )

    @stage(
        "full_index",
        holds="the full index of every county-year whose data allow it, by the method "
        "identified (else the registry's, assumed); its reconciliation",
        reads=("values", "selection", "identification"),
        settings=lambda s: (
            _method(full_module.method(s.base_year))
            | {
                "method_used": "identified, else registry (assumed)",
                "tier_rule": "top_n(first_tier_size as last published)",
            }
        ),
    )
    def full_index(
        self, draws: int = full_module.DRAWS, seed: int = full_module.SEED
    ) -> full_module.FullIndex:
        return full_module.full_index(
            county=self.county,
            values=self.values,
            best=self.best,
            found=self.identification,
            indicators=self.indicators,
            domains=self.domains,
            extensive=self.extensive,
            framework_dir=self.framework_dir,
            base_year=self.base_year,
            draws=draws,
            seed=seed,
        )

    @property
    @stage(
        "census",
        holds="the 2020 census ratios on its own units and the map's, and the county's standing",
        reads=("selection",),
        settings=lambda s: {"source": census_module.SOURCE, "census_year": census_module.YEAR},
    )
    def census(self) -> census_module.Census:
        fw = self.framework_dir
        map_codes = list(geography.units_in_year(geography.current_boundary_year(fw), fw)["code"])
        return census_module.census(
            self.selection.census, self.observations, self.county, map_codes, fw
        )

    @cached_property
    def contradicted(self) -> frozenset[str]:
        """The raw rows (keys as `quotes.row_keys` writes them) that a consistency identity
        contradicts and a fit leaves out (`flagged.excluded_from_fit` over the checks stage):
        never fitted, and said so wherever a stated figure rests on one."""
        obs = self.observations
        aside = flagged.excluded_from_fit(obs, self.checks.consistency)
        return frozenset(quotes.row_keys(obs[aside]))

    @property
    @stage(
        "trends",
        holds="every trend series, the models run on it or their refusals, and the backtests",
        reads=("selection", "checks"),
        settings=lambda s: {
            "scenarios": trends_module.SCENARIOS,
            "backtest_cutoff": trends_module.targets.PLAN_BASE_YEAR,
            "set_aside": "flagged.excluded_from_fit (checks.consistency)",
        },
    )
    def trends(self) -> trends_module.TrendRuns:
        return trends_module.trend_runs(
            selections=self.selection,
            variables=self.variables,
            all_targets=self.targets,
            county=self.county,
            city=self.city,
            province=self.province,
            set_aside=self.contradicted,
        )

    @stage(
        "robustness",
        holds="the audit of the partial index: Monte Carlo, Sobol' indices, one node removed",
        reads=("partial", "values"),
        settings=lambda s: {"spread": us.SPREAD, "alpha": us.ALPHA, "percentiles": (us.LO, us.HI)},
    )
    def robustness(
        self, draws: int = us.DRAWS, sobol_n: int = us.SOBOL_N, seed: int = us.SEED
    ) -> audit_module.Audit | None:
        alternatives = {"base_city": self._bases(self.city), "base_own": self._bases(None)}
        return audit_module.audit(
            self.partial,
            alternatives,
            self.county,
            self.base_year,
            draws=draws,
            sobol_n=sobol_n,
            seed=seed,
        )

    # --- the county's own records --------------------------------------------------------
    def observations_of(self, county: str | None = None) -> pd.DataFrame:
        """The chosen published figures of one place (default: the study county)."""
        code = self.county if county is None else county
        return self.best[self.best["county_code"] == code].reset_index(drop=True)

    def values_of(self, county: str | None = None) -> pd.DataFrame:
        code = self.county if county is None else county
        return self.values[self.values["county_code"] == code].reset_index(drop=True)

    def rows_behind(self, values: pd.DataFrame) -> pd.DataFrame:
        """The chosen raw rows behind indicator values (any frame with county_code, year,
        indicator): the figure published as the indicator where there is one (the registry's
        `published_as`), else every figure its formula reads; with source_id and status. A
        fact's evidence (`ChapterResult.fact(..., evidence=...)`)."""
        meta = self.indicators.set_index("code")
        reads = meta["formula"].map(formula.variables)
        as_published = meta.get("published_as", pd.Series("", index=meta.index)).fillna("")
        best = self.selection.best_full_year
        cols = ["county_code", "year", "indicator"]
        keys = values[cols].drop_duplicates()
        direct = keys.assign(variable=keys["indicator"].map(as_published))
        direct = best.merge(
            direct[direct["variable"] != ""], on=["county_code", "year", "variable"]
        )
        done = (
            pd.MultiIndex.from_frame(direct[cols])
            if len(direct)
            else pd.MultiIndex.from_tuples([], names=cols)
        )
        rest = keys[~pd.MultiIndex.from_frame(keys).isin(done)]
        rest = rest.assign(variable=rest["indicator"].map(reads)).explode("variable")
        rows = pd.concat([direct, best.merge(rest, on=["county_code", "year", "variable"])])
        return rows.drop(columns="indicator").drop_duplicates(["county_code", "year", "variable"])


def _shown(path: Path) -> str:
    """A folder as the stage table shows it: relative to the repository where it lies inside."""
    path = Path(path).resolve()
    root = paths.ROOT.resolve()
    return path.relative_to(root).as_posix() if root in (path, *path.parents) else str(path)


def _method(method) -> dict:
    """An index method's settings as a stage records them."""
    return {
        "method": method.label,
        "normaliser": method.normaliser,
        "base": f"{method.base_year} @ {method.base_region}",
        "missing": method.missing,
    }


@cache
def _load(county: str, data_dir: str) -> Study:
    return Study(county, Path(data_dir))

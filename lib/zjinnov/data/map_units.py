"""Putting figures onto the map's units.

A map draws today's county-level units (`geography.current_boundary_year`). Figures published
on earlier boundaries (the 2020 census) reach them only through the county registry's territory
links (`zjinnov.data.geography`, data/framework/boundary_changes.csv): counts of earlier units
that make up a map unit exactly are summed, ratios are recomputed from the summed counts, and
every map unit that an earlier unit only partly covers is left as no data. Nothing is
apportioned. The registry decides the geography; this module joins the figures to it; drawing
is `zjinnov.present.maps`.

Every figure is chosen by the one selection policy (`zjinnov.data.selection`): published
figures only, unless a caller asks for more by status and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from zjinnov.data import derived, formula, geography, selection
from zjinnov.data.paths import FRAMEWORK

# Census counts that may be summed across whole 2020 units; ratios are recomputed from them.
# Variable names as in data/raw/census2020_county.csv and census2020_education.csv.
CENSUS_COUNTS = (
    "pop_census7_resident",
    "pop_census7_urban",
    "pop_census7_rural",
    "pop_census7_junior_college_male",
    "pop_census7_junior_college_female",
    "pop_census7_bachelor_plus_male",
    "pop_census7_bachelor_plus_female",
    "pop_college_plus",
)
COLUMNS = ["county_code", "year", "variable", "value", "status", "from_units"]


def one_value_per_unit(
    obs: pd.DataFrame,
    extra_keys: Iterable[str] = (),
    statuses: Iterable[str] = (selection.PUBLISHED,),
) -> pd.DataFrame:
    """One row per (county, year, variable) by the one selection policy (`selection.best`).

    Published figures only unless `statuses` asks for more (a chapter that maps a derived
    figure says so). Boundaries are handled by the caller (`harmonise_to_map`), so rows re-cut
    to other boundaries stay candidates here.
    """
    keys = ["county_code", "year", "variable", *extra_keys]
    return selection.best(obs, key=keys, statuses=statuses, allow_recut=True)


def ratio_formulas(counts: Iterable[str], framework_dir: Path = FRAMEWORK) -> dict[str, str]:
    """The derived variables of the registry (variables.csv, indicators.csv) that are ratios of
    `counts`: name -> formula. A map recomputes them from summed counts."""
    counts = set(counts)
    return {
        name: text
        for name, text in derived.formulas(framework_dir).items()
        if name not in counts and set(formula.variables(text)) <= counts
    }


def harmonise_to_map(
    obs: pd.DataFrame,
    map_codes: Iterable[str],
    *,
    counts: Iterable[str] = CENSUS_COUNTS,
    ratios: Mapping[str, str] | None = None,
    framework_dir: Path = FRAMEWORK,
    statuses: Iterable[str] = (selection.PUBLISHED,),
) -> pd.DataFrame:
    """Put a long table (county_code, year, variable, value) onto the map's units.

    The map draws today's units (`geography.current_boundary_year`). Each row's boundaries are
    its `boundary_year`, else its year (`geography.boundary_years`); the registry says how
    they reach the map (`geography.links_between`). Units no change touched pass through; a
    map unit that is one whole earlier unit under another code (a rename) takes its values; a
    map unit that is an exact union of whole earlier units gets its counts summed (only if
    every part has a value) and its ratios recomputed from those sums; any other variable
    there (averages, indices) needs weights and is left empty; a map unit that an earlier unit
    only partly covers is left empty. Returns county_code, year, variable, value, status,
    from_units: empty rows stay, so a chapter can say why a unit has no data.
    `statuses`: which figures may be used (published only unless the chapter asks for more).
    `ratios`: name -> formula over `counts` (default: the registry's, `ratio_formulas`).
    """
    map_year = geography.current_boundary_year(framework_dir)
    map_codes = set(map_codes)
    counts = set(counts)
    ratios = ratio_formulas(counts, framework_dir) if ratios is None else dict(ratios)
    obs = obs.assign(year=obs.year.astype("Int64"), _boundary=geography.boundary_years(obs))
    obs = obs[obs._boundary.notna()]  # a row without a year has no boundaries to be placed by
    obs = one_value_per_unit(obs, extra_keys=["_boundary"], statuses=statuses)
    out = []
    for boundary, rows in obs.groupby("_boundary", sort=True):
        links = geography.links_between(boundary, map_year, framework_dir)
        rows = rows[["county_code", "year", "variable", "value"]]
        touched = rows.county_code.isin(links.from_code)
        kept = rows[~touched & rows.county_code.isin(map_codes)]
        out.append(kept.assign(status="same", from_units=""))
        if touched.any():
            out.append(_through_links(rows[touched], links, counts, ratios))
    result = pd.concat([o for o in out if len(o)] or [pd.DataFrame(columns=COLUMNS)])
    result = result[result.county_code.isin(map_codes)]
    # A figure published on the new boundary beats an empty cell left by the old one.
    keys = ["variable", "county_code", "year"]
    result = result.sort_values([*keys, "value"], na_position="last", ignore_index=True)
    return result.drop_duplicates(keys, ignore_index=True)


def _through_links(
    old: pd.DataFrame, links: pd.DataFrame, counts: set[str], ratios: Mapping[str, str]
) -> pd.DataFrame:
    """Cells of the map units that earlier units reach through the registry's links."""
    parts = geography.unit_composition(links)
    link = links[["from_code", "to_code", "relation"]]
    old = old.merge(link, left_on="county_code", right_on="from_code")
    cells = old[["to_code", "year", "variable"]].drop_duplicates().merge(parts, on="to_code")
    summed = (
        old[old.relation == "whole"]
        .groupby(["to_code", "year", "variable"])
        .value.agg(["sum", "count"])
        .join(parts.set_index("to_code").n_parts, on="to_code")
        .reset_index()
    )
    summed = summed[summed["count"] == summed["n_parts"]]
    cells = cells.merge(summed[["to_code", "year", "variable", "sum"]], how="left")
    is_count = cells.variable.isin(counts)
    # One whole earlier unit under another code: the same territory, so every value carries over.
    single = cells.exact & cells.n_parts.eq(1)
    has = cells["sum"].notna()
    cells["status"] = np.select(
        [~cells.exact, single & has, is_count & has, is_count | single],
        ["boundary_changed", "same", "summed", "part_missing"],
        default="needs_weights",
    )
    cells["value"] = cells["sum"].where(cells.status.isin(["summed", "same"]))
    cells = cells.rename(columns={"to_code": "county_code", "parts": "from_units"})
    cells = _recompute_ratios(cells, ratios)
    return cells[COLUMNS]


def _recompute_ratios(cells: pd.DataFrame, ratios: Mapping[str, str]) -> pd.DataFrame:
    """Ratios of exact unions come from the summed counts, never from averaging the ratios."""
    summed = cells[cells.status == "summed"]
    wide = summed.pivot_table(index=["county_code", "year"], columns="variable", values="value")
    cells = cells.copy()
    for name, text in ratios.items():
        rows = (cells.variable == name) & cells.exact & cells.n_parts.gt(1)
        if not rows.any():
            continue
        names = formula.variables(text)
        if set(names) <= set(wide.columns):
            found = formula.evaluate(text, {n: wide[n] for n in names})
            ratio = pd.Series(found, index=wide.index).rename("ratio")
            found = cells.loc[rows, ["county_code", "year"]].join(ratio, on=["county_code", "year"])
            cells.loc[rows, "value"] = found.ratio.to_numpy()
        cells.loc[rows, "status"] = np.where(
            cells.loc[rows, "value"].notna(), "recomputed", "part_missing"
        )
    return cells


def latest_per_unit(obs: pd.DataFrame, variable: str) -> pd.DataFrame:
    """The latest year's value of `variable` for each unit: county_code, year, value."""
    part = one_value_per_unit(obs[(obs.variable == variable) & obs.value.notna()])
    part = part.sort_values("year").drop_duplicates("county_code", keep="last")
    return part[["county_code", "year", "value"]].reset_index(drop=True)


def map_year(
    obs: pd.DataFrame, variable: str, study_code: str, units: Iterable[str] | None = None
) -> int | None:
    """The year to map a patchy variable: the best-covered year (counting only `units`, e.g.
    the map's county codes, so city totals do not count) in which the study county has a
    value, else the best-covered year overall; ties go to the later year."""
    part = obs[(obs.variable == variable) & obs.value.notna()]
    if units is not None:
        part = part[part.county_code.isin(set(units))]
    if part.empty:
        return None
    with_study = part[part.county_code == study_code].year.unique()
    pool = part[part.year.isin(with_study)] if len(with_study) else part
    n = pool.groupby("year").county_code.nunique()
    return int(n[n == n.max()].index.max())

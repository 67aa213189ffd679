"""The census standing stage: the 2020 census county table, the ratios this study computes from
its counts, those ratios on the map's units, and where the study county stands among the
units of 2020.

The census counts the units of its own year (2020 boundaries). The ratios (urbanisation rate,
college-educated per 10,000 residents: registry indicator I29) are computed here by the
registry's formulas (data/framework/variables.csv, indicators.csv; `zjinnov.data.derived`) from
the counts, on the 2020 units and, through the county registry's territory links
(`zjinnov.data.geography`), on the map's units (`zjinnov.data.map_units`): counts of whole 2020
units are summed, ratios recomputed from the sums. They are this study's computations (status
`computed_from_counts`). The college count itself is derived by formula from four published
education columns (data/raw/census2020_education.csv), each quoted by sheet and cell. The data
layer also derives both ratios per unit by the same formulas: comparing the two (`self_check`)
is an arithmetic check of the map path, not a check against a published ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from zjinnov.data import derived, formula, geography, map_units, selection
from zjinnov.engine import ranking

SOURCE = "census7-county"  # data/sources.csv: the 2020 census county table
YEAR = 2020  # the census's boundaries: the units of its county table
RESIDENT, URBAN, COLLEGE = "pop_census7_resident", "pop_census7_urban", "pop_college_plus"
SCHOOLING = "avg_years_schooling"
COUNTS = (RESIDENT, URBAN, COLLEGE)
# Ratios computed from the census counts by the registry's formulas (variables.csv; I29).
RATIOS = ("urbanisation_rate", "college_per_10k")
COMPUTED = "computed_from_counts"  # the status of a ratio computed here (a word in the labels)
# Ranked among all units: the two ratios and the published average years of schooling.
STANDING_VARIABLES = ("college_per_10k", "urbanisation_rate", SCHOOLING)


@dataclass(frozen=True)
class Census:
    counts: pd.DataFrame  # the counts on 2020 units, one row a unit and variable, with sources
    long: pd.DataFrame  # county_code, variable, value, status: ratios and schooling, 2020 units
    self_check: pd.DataFrame  # county_code, variable, ours, stored: recomputed vs stored ratio
    on_map: pd.DataFrame  # the ratios on the map's units, with how each unit got its value
    units_2020: frozenset  # the census table's own units
    standings: pd.DataFrame  # the study county among the 2020 units, one row a measure
    evidence: pd.DataFrame  # the raw rows of the study county's census figures
    inputs: pd.DataFrame  # every 2020 unit's raw rows behind each measure (column `measure`)


def census(
    chosen: pd.DataFrame,
    observations: pd.DataFrame,
    county: str,
    map_codes,
    framework_dir: Path,
) -> Census:
    """The stage from the Study's census selection (`chosen`: the census table's rows)."""
    on_2020 = chosen[~geography.recut(chosen)]
    counts = on_2020[on_2020["variable"].isin(COUNTS)]
    wide = counts.pivot(index="county_code", columns="variable", values="value")
    formulas = map_units.ratio_formulas(COUNTS, framework_dir)
    ratios = [
        pd.DataFrame(
            {
                "county_code": wide.index,
                "variable": name,
                "value": evaluate(formulas[name], wide).to_numpy(),
                "status": COMPUTED,
            }
        )
        for name in RATIOS
    ]
    schooling = on_2020[on_2020["variable"] == SCHOOLING]
    long = pd.concat(
        [*ratios, schooling[["county_code", "variable", "value", "status"]]], ignore_index=True
    ).dropna(subset=["value"])
    units = frozenset(geography.units_in_year(YEAR, framework_dir)["code"])
    complete = long[long["county_code"].isin(units)].reset_index(drop=True)
    table = ranking.standings(
        complete[["county_code", "variable", "value"]], county, complete_n=len(units)
    )
    table = table.set_index("variable").reindex(list(STANDING_VARIABLES)).reset_index()
    status = complete.groupby("variable")["status"].first()
    inputs = raw_inputs(observations, units, framework_dir)
    return Census(
        counts=counts.reset_index(drop=True),
        long=complete,
        self_check=_self_check(long, observations[observations["source_id"] == SOURCE]),
        on_map=_on_map(chosen, map_codes, framework_dir, formulas),
        units_2020=units,
        standings=table.assign(status=table["variable"].map(status)),
        evidence=inputs[inputs["county_code"].eq(county)].drop_duplicates(
            ["county_code", "variable"]
        ),
        inputs=inputs,
    )


def raw_variables(variable: str, formulas: dict[str, str]) -> list[str]:
    """The published variables a measure rests on: its formula's names, each derived one
    replaced by its own (the college count by its four education columns)."""
    if variable not in formulas:
        return [variable]
    return [
        r for name in formula.variables(formulas[variable]) for r in raw_variables(name, formulas)
    ]


def raw_inputs(observations: pd.DataFrame, units, framework_dir: Path) -> pd.DataFrame:
    """Every 2020 unit's raw rows (published, on 2020 boundaries, rows of data/raw) behind each
    standing measure, one block a measure (`measure`): what a rank rests on, so that a fact's
    evidence names them and a test can rank again from them."""
    formulas = derived.formulas(framework_dir)
    rows = observations[
        observations["source_id"].eq(SOURCE)
        & observations["year"].eq(YEAR)
        & observations["county_code"].isin(units)
        & observations["file"].ne(derived.VARIABLES_FILE)
    ]
    rows = rows[~geography.recut(rows)]
    rows = rows.assign(status=selection.status_of(rows["confidence"]))
    blocks = [
        rows[rows["variable"].isin(raw_variables(m, formulas))].assign(measure=m)
        for m in STANDING_VARIABLES
    ]
    return pd.concat(blocks, ignore_index=True)


def evaluate(text: str, wide: pd.DataFrame) -> pd.Series:
    """A registry formula over the columns of a wide table (NaN where a column is missing)."""
    names = formula.variables(text)
    columns = {n: wide[n] if n in wide else pd.Series(np.nan, index=wide.index) for n in names}
    return pd.Series(formula.evaluate(text, columns), index=wide.index, dtype=float)


def _self_check(long: pd.DataFrame, census_rows: pd.DataFrame) -> pd.DataFrame:
    """The stored ratios (derived by this study from the same counts) beside the recomputation."""
    stored = census_rows[census_rows["variable"].isin(RATIOS)]
    stored = stored.groupby(["county_code", "variable"])["value"].first()
    ours = long.set_index(["county_code", "variable"])["value"]
    both = pd.concat([ours.rename("ours"), stored.rename("stored")], axis=1, join="inner")
    return both.reset_index()


def _on_map(chosen: pd.DataFrame, map_codes, framework_dir: Path, formulas) -> pd.DataFrame:
    """Ratios per map unit from the (summed) counts, with how each unit got its value. The
    college count is a derived row (the sum of four published columns), so the map is asked
    for derived rows too."""
    counted = chosen[chosen["variable"].isin(COUNTS)]
    harmonised = map_units.harmonise_to_map(
        counted,
        map_codes,
        counts=list(COUNTS),
        ratios={},
        framework_dir=framework_dir,
        statuses=(selection.PUBLISHED, selection.DERIVED),
    )
    counts = harmonised.pivot(index="county_code", columns="variable", values="value")
    status = harmonised.groupby("county_code")["status"].agg(_worst)
    out = []
    for name in RATIOS:
        value = evaluate(formulas[name], counts)
        out.append(
            pd.DataFrame(
                {
                    "county_code": counts.index,
                    "variable": name,
                    "value": value,
                    "status": COMPUTED,
                    "map_status": status,
                }
            )
        )
    table = pd.concat(out, ignore_index=True)
    table["map_status"] = "map_" + table["map_status"].replace({"summed": "recomputed"})
    missing = table["value"].isna() & table["map_status"].eq("map_same")
    table.loc[missing, "map_status"] = "map_part_missing"
    return table.sort_values(["variable", "county_code"], ignore_index=True)


def _worst(statuses: pd.Series) -> str:
    # A map unit's ratio is only as good as its weakest count.
    for status in ("boundary_changed", "part_missing", "needs_weights", "summed"):
        if (statuses == status).any():
            return status
    return "same"

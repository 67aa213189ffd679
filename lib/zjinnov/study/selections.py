"""The Study's selection stage: the one policy (`zjinnov.data.selection`) applied once per Study,
for every view of the data a later stage or chapter needs, each named with its flags.

    candidates       every raw row with status, used and reason (published figures; a part
                     year only where no full year exists; rows re-cut to other boundaries aside)
    best             the chosen rows of `candidates`
    best_full_year   `best` without part-year figures (what the index formulas use)
    best_any         published, else implied, inferred or derived, each marked by `status`
                     (the index record, whose ranks are sometimes only inferred)
    best_by_period   one figure per period too (a Jan-Nov figure beside the full year)
    census           the census county table's own rows, a derived count where no published
                     one exists (the census chapter's units are the table's)
    series           the trend series (the county's territory, its city, the province), with
                     implied levels: published only, and with implied levels

A renamed unit's rows under its old and new code never cover the same year (the registry's
validity years, checked when the raw tables load), so a later stage may put both under the
current code after selection without two figures meeting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from zjinnov.data import selection
from zjinnov.study import series as series_module

PERIOD_KEY = [*selection.KEY, "period"]
CENSUS_STATUSES = (selection.PUBLISHED, selection.DERIVED)
# Each view's arguments to the policy (`selection.select`), as the stage records them.
FLAGS = {
    "candidates": "statuses=(published,), allow_partial=True, allow_recut=False",
    "best_full_year": "best[~partial]",
    "best_any": "statuses=(published, implied, inferred, derived)",
    "best_by_period": "key=(county_code, year, variable, period)",
    "census": "source_id=census7-county, statuses=(published, derived)",
    "series": "key=(series, year, variable), statuses=(published,) | (published, implied), "
    "allow_partial=False",
}


@dataclass(frozen=True)
class Selections:
    candidates: pd.DataFrame
    best: pd.DataFrame
    best_full_year: pd.DataFrame
    best_any: pd.DataFrame
    best_by_period: pd.DataFrame
    census: pd.DataFrame
    series_published: pd.DataFrame
    series_with_implied: pd.DataFrame


def _used(rows: pd.DataFrame, key) -> pd.DataFrame:
    return rows[rows["used"]].drop(columns="used").sort_values(key).reset_index(drop=True)


def select_all(
    obs: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    census_source: str,
    territories: Mapping[str, Sequence[str]],
) -> Selections:
    """Every view, each by one call of the policy."""
    candidates = selection.select(obs, sources)
    best = _used(candidates, selection.KEY)
    full_year = best[~selection.is_partial(best)].reset_index(drop=True)
    any_status = _used(selection.select(obs, sources, statuses=selection.STATUSES), selection.KEY)
    by_period = _used(selection.select(obs, sources, key=PERIOD_KEY), PERIOD_KEY)
    census_rows = obs[obs["source_id"] == census_source]
    census = _used(selection.select(census_rows, sources, statuses=CENSUS_STATUSES), selection.KEY)
    rows = series_module.candidates(obs, territories)
    return Selections(
        candidates=candidates,
        best=best,
        best_full_year=full_year,
        best_any=any_status,
        best_by_period=by_period,
        census=census,
        series_published=series_module.select(rows),
        series_with_implied=series_module.select(rows, use_implied=True),
    )

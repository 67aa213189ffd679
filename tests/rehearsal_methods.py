"""How the simulated reports make their "published" index: tests and benchmarks only.

Each method is written here in a few plain lines of pandas, county by county and domain by
domain, independently of the package's engine (`zjinnov.engine.candidates`), so a rehearsal
checks the engine against a second reading of the same definitions rather than against
itself. Every candidate method has one; two methods are deliberately outside the candidates:

- ``goalposts``: each indicator min-max scaled between the lowest and highest county value
  over all years (the European Innovation Scoreboard's goalposts), arithmetic means, the index
  100 × score / the counties' mean score in the base year;
- ``province_geometric_across``: ratios to the province's base, arithmetic means within domains
  and a weighted geometric mean across them (no candidate has that combination).

Inputs: ``values`` year -> DataFrame (region × indicator, the province among the regions),
``meta`` (code, domain, direction, extensive), ``within`` (indicator -> weight within its
domain), ``across`` (domain -> weight). Output: year -> Series (region -> index, unrounded).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CANDIDATE_METHODS = (
    "province_arithmetic",
    "province_geometric",
    "province_geometric_all",
    "own_arithmetic",
    "own_geometric",
    "own_geometric_all",
    "chained_arithmetic",
    "registry_arithmetic",
    "per_indicator_arithmetic",
)
OUTSIDE_METHODS = ("goalposts", "province_geometric_across")


def _own_base(values: dict, base_year: int) -> pd.DataFrame:
    """Each region's base: its base-year value, or its first positive value after (a unit
    created later), region × indicator."""
    base = None
    for year in sorted(y for y in values if y >= base_year):
        table = values[year].where(values[year] > 0)
        base = table if base is None else base.combine_first(table)
    return base


def _scores(table: pd.DataFrame, base, meta: pd.DataFrame) -> pd.DataFrame:
    """100 × value / base, or 100 × base / value for a reversed indicator."""
    ratio = table / base
    turned = meta.set_index("code")["direction"].reindex(table.columns) < 0
    ratio.loc[:, turned[turned].index] = 1.0 / ratio.loc[:, turned[turned].index]
    return 100.0 * ratio


def _mean(scores: pd.DataFrame, weights: pd.Series, how: str) -> pd.Series:
    """Weighted mean of the columns, row by row."""
    w = weights[scores.columns] / weights[scores.columns].sum()
    if how == "geometric":
        return np.exp((np.log(scores) * w).sum(axis=1, skipna=False))
    return (scores * w).sum(axis=1, skipna=False)


def _aggregate(scores: pd.DataFrame, meta, within, across, how_in, how_across) -> pd.Series:
    domains = pd.DataFrame(
        {
            domain: _mean(scores[part["code"]], within, how_in)
            for domain, part in meta.groupby("domain", sort=False)
        }
    )
    return _mean(domains, across, how_across)


def _fixed_base(values, meta, within, across, province, base_year, base_of, how_in, how_across):
    own = _own_base(values, base_year)
    out = {}
    for year, table in values.items():
        province_base = values[base_year].loc[province]
        base = pd.DataFrame(
            {c: own[c] if base_of(c) == "own" else province_base[c] for c in table.columns},
            index=own.index,
        ).reindex(table.index)
        out[year] = _aggregate(_scores(table, base, meta), meta, within, across, how_in, how_across)
    return out


def _chained(values, meta, within, across, base_year):
    level: dict[str, pd.Series] = {}
    out = {}
    for year in sorted(values):
        table = values[year]
        prev = values.get(year - 1)
        domains = {}
        for domain, part in meta.groupby("domain", sort=False):
            if year == base_year or prev is None:
                now = pd.Series(100.0, index=table.index)
            else:
                growth = _mean(
                    _scores(table[part["code"]], prev[part["code"]], meta), within, "arithmetic"
                )
                # The chain starts at 100 in the base year, or in a later unit's first year.
                now = (level[domain] * growth / 100.0).reindex(table.index).fillna(100.0)
            level[domain] = domains[domain] = now
        out[year] = _mean(pd.DataFrame(domains), across, "arithmetic")
    return out


def _goalposts(values, meta, within, across, province, base_year):
    counties = {y: t.drop(index=province) for y, t in values.items()}
    every = pd.concat(counties.values())
    low, high = every.min(), every.max()
    turned = meta.set_index("code")["direction"] < 0
    out = {}
    for year, table in counties.items():
        r = (table - low) / (high - low)
        r.loc[:, turned[turned].index] = 1.0 - r.loc[:, turned[turned].index]
        out[year] = _aggregate(r, meta, within, across, "arithmetic", "arithmetic")
    anchor = out[base_year].mean()
    for year in out:
        out[year] = 100.0 * out[year] / anchor
        out[year][province] = out[year].mean()  # the province printed as the county mean
    return out


def published_index(
    method: str,
    values: dict,
    meta: pd.DataFrame,
    within: pd.Series,
    across: pd.Series,
    *,
    province: str,
    base_year: int,
    bases: pd.Series | None = None,
) -> dict:
    """The index by `method` (a candidate's name or an outside method), unrounded."""
    extensive = set(meta.loc[meta["extensive"], "code"])
    base_of = {
        "province": lambda c: "province",
        "own": lambda c: "own",
        "registry": lambda c: "own" if c in extensive else "province",
        "per_indicator": lambda c: bases[c],
    }
    args = (values, meta, within, across)
    if method == "chained_arithmetic":
        return _chained(*args, base_year)
    if method == "goalposts":
        return _goalposts(*args, province, base_year)
    if method == "province_geometric_across":
        return _fixed_base(
            *args, province, base_year, base_of["province"], "arithmetic", "geometric"
        )
    base, *rest = method.split("_")
    if base == "per":
        base, rest = "per_indicator", rest[1:]
    how_in = "geometric" if rest[0] == "geometric" else "arithmetic"
    how_across = "geometric" if rest[1:] == ["all"] else "arithmetic"
    return _fixed_base(*args, province, base_year, base_of[base], how_in, how_across)

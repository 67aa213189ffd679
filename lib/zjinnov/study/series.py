"""Annual series from the observation table, for the trend models: one place's figures of one
variable over the years, chosen by the one selection policy, every candidate kept with the
reason it is or is not used.

A series is one territory over time: a renamed unit's earlier code is the same place
(`zjinnov.data.geography.series_codes`), so its rows join the series under the current code.
Values implied from a growth rate (`implied_prior_values`) are candidates too, set aside unless
a scenario asks for them, and then only in years with no published figure.

The Study's selection stage selects every series it needs at once (`select`), in both
scenarios; a chapter reads one series from it (`series_of`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from zjinnov.data import selection
from zjinnov.data.quotes import row_keys

KEY = ["series", "year", "variable"]
ROW_COLUMNS = [
    "county_code",
    "year",
    "value",
    "period",
    "partial",
    "implied",
    "status",
    "confidence",
    "source_id",
    "preliminary",
    "note",
    "file",
    "row",
    "used",
    "reason",
]
# Why a row a consistency check contradicts is not fitted (`set_aside`).
FLAGGED = "not used: a consistency check contradicts it"


def implied_prior_values(obs: pd.DataFrame) -> pd.DataFrame:
    """Prior-year levels implied by a full-year level and its growth rate: v / (1 + g/100).

    Rows are labelled confidence 'implied' and say how they were computed; they are not
    published figures (growth rates may be at comparable prices, so the implied nominal level
    is approximate). Only published full-year figures imply anything.
    """
    published = selection.status_of(obs["confidence"]).eq(selection.PUBLISHED)
    full = obs[~selection.is_partial(obs) & published]
    growth = full[full["variable"].str.endswith("_growth")].assign(
        variable=lambda d: d["variable"].str.removesuffix("_growth")
    )
    keys = ["county_code", "year", "variable"]
    both = full.merge(growth[[*keys, "value", "source_id"]], on=keys, suffixes=("", "_g"))
    out = both.assign(
        year=both["year"] - 1,
        value=both["value"] / (1 + both["value_g"] / 100),
        confidence="implied",
        partial=False,
        period="year",
        note=[
            f"implied: {v:g} / (1 + {g:g}%) from {y}"
            for v, g, y in zip(both["value"], both["value_g"], both["year"], strict=True)
        ],
    )
    return out.drop(columns=["value_g", "source_id_g"]).reset_index(drop=True)


@dataclass(frozen=True)
class Selection:
    """The values a model may use, and every candidate row with whether and why it was used."""

    values: pd.Series
    rows: pd.DataFrame


def candidates(obs: pd.DataFrame, territories: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Every row of each territory (series code -> its codes), and the prior-year levels its
    published growth rates imply, with the territory's code as `series`."""
    frames = []
    for series, codes in territories.items():
        ours = obs[obs["county_code"].astype(str).isin(list(codes))]
        frames += [ours.assign(series=series), implied_prior_values(ours).assign(series=series)]
    rows = pd.concat(frames, ignore_index=True) if frames else obs.iloc[:0].assign(series="")
    return rows.assign(partial=selection.is_partial(rows))


def select(
    rows: pd.DataFrame, *, use_implied: bool = False, allow_partial: bool = False
) -> pd.DataFrame:
    """One figure per series, year and variable by the one policy: published figures only, or
    (`use_implied`) an implied level where no published figure exists; partial years only if
    `allow_partial`."""
    statuses = (selection.PUBLISHED, selection.IMPLIED) if use_implied else (selection.PUBLISHED,)
    return selection.select(rows, key=KEY, statuses=statuses, allow_partial=allow_partial)


def set_aside(selected: pd.DataFrame, keys, *, use_implied: bool = False) -> pd.DataFrame:
    """A selection made by `select`, made again without the raw rows named by `keys` (the
    figures a consistency check contradicts, `zjinnov.data.flagged.excluded_from_fit`, keyed
    as `zjinnov.data.quotes.row_keys` writes them): each stays a candidate, not used, with the
    reason FLAGGED, and the year falls to the next candidate, if any. A prior-year level
    implied from a set-aside figure is set aside too."""
    keys = set(keys)
    if not keys or selected.empty:
        return selected
    own = row_keys(selected)
    implied = selected["status"].eq(selection.IMPLIED)
    # An implied row carries its level's source and stands a year before it.
    source = row_keys(selected.assign(year=selected["year"].astype(int) + 1))
    hit = (own.isin(keys) & ~implied) | (source.isin(keys) & implied)
    if not hit.any():
        return selected
    group = ["series", "variable"]
    touched = (
        selected[group]
        .apply(tuple, axis=1)
        .isin(set(selected.loc[hit, group].apply(tuple, axis=1)))
    )
    rows = selected[touched & ~hit].drop(columns=["status", "used", "reason"])
    again = select(rows, use_implied=use_implied)
    aside = selected[hit].assign(used=False, reason=FLAGGED)
    return pd.concat([selected[~touched], again, aside], ignore_index=True)


def series_of(selected: pd.DataFrame, series: str, variable: str) -> Selection:
    """One series of a selection made by `select`: its values and every candidate row."""
    rows = selected[(selected["series"] == series) & (selected["variable"] == variable)]
    rows = rows.assign(
        year=lambda d: d["year"].astype(int),
        value=lambda d: d["value"].astype(float),
        implied=lambda d: d["status"].eq(selection.IMPLIED),
    ).reindex(columns=ROW_COLUMNS)
    rows = rows.sort_values(["year", "used"], kind="stable").reset_index(drop=True)
    used = rows[rows["used"].astype(bool)]
    values = pd.Series(used["value"].to_numpy(), index=used["year"].to_numpy(), name=variable)
    return Selection(values.sort_index(), rows)


def select_series(
    obs: pd.DataFrame,
    county: str | Sequence[str],
    variable: str,
    *,
    allow_partial: bool = False,
    use_implied: bool = False,
) -> Selection:
    """One territory's series of one variable straight from an observation table (`county`: a
    code, or the codes of one territory)."""
    codes = [county] if isinstance(county, str) else list(county)
    rows = candidates(
        obs[obs["variable"].isin([variable, f"{variable}_growth"])], {codes[0]: codes}
    )
    chosen = select(rows, use_implied=use_implied, allow_partial=allow_partial)
    return series_of(chosen, codes[0], variable)

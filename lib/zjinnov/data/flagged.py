"""Figures a consistency identity contradicts, and which of them a fit should leave out.

`flagged_figures` reads the consistency table (`zjinnov.data.consistency`): the raw rows of
every identity check found inconsistent, by side. Where one side rests on preliminary (预计)
figures and the other on final ones, the preliminary rows are the doubt and are left out of
fits; where nothing tells which side is wrong, all are (unless a caller keeps them).
`excluded_from_fit` is the column the trends stage drops rows by.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import selection
from zjinnov.data.consistency import CHECKS, consistency_table
from zjinnov.data.quotes import ROW_REF, row_keys

FLAG_COLUMNS = [
    "key",
    "county_code",
    "year",
    "variable",
    "source_id",
    "check",
    "side",
    "preliminary",
    "exclude",
    "reason",
]
# Why a figure is flagged, and whether a fit leaves it out.
PRELIMINARY_AGAINST_FINAL = "preliminary_against_final"  # left out: the final figures stand
FINAL_AGAINST_PRELIMINARY = "final_against_preliminary"  # kept: the other side is the doubt
UNRESOLVED = "inconsistent_identity"  # left out: which side is wrong cannot be told


def _row_keys(text: str) -> list[str]:
    return [k for k in (text or "").split("; ") if k]


def flagged_figures(obs: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The raw rows of every identity check found inconsistent, and whether a fit (a trend, a
    projection) should leave each out (`exclude`, with `reason`):

    - one side rests on preliminary (预计) figures and the other on final ones: the preliminary
      rows are left out (e.g. Lin'an's 2022 high-tech value added of 212 亿元 against 2021's);
    - otherwise nothing says which side is wrong, and every row of the check is left out.

    Checks of an assumption (`identity=False`) flag nothing. `table`: a consistency table
    already computed from `obs` (default: computed here).
    """
    if table is None:
        # The checks compare like periods: one figure per county, year, variable and period.
        table = consistency_table(selection.best(obs, key=[*selection.KEY, "period"]))
    identities = {s["id"] for s in CHECKS if s.get("identity", True)}
    bad = table[table["verdict"].eq("inconsistent") & table["check"].isin(identities)]
    keys = row_keys(obs)
    prelim_of = selection.is_preliminary(obs).groupby(keys).any().to_dict()
    records = []
    for row in bad.itertuples(index=False):
        sides = {
            "published": _row_keys(row.rows_published),
            "recomputed": _row_keys(row.rows_recomputed),
        }
        prelim = {s: any(prelim_of.get(k, False) for k in ks) for s, ks in sides.items()}
        resolved = prelim["published"] != prelim["recomputed"]
        for side, ks in sides.items():
            if resolved:
                reason = PRELIMINARY_AGAINST_FINAL if prelim[side] else FINAL_AGAINST_PRELIMINARY
            else:
                reason = UNRESOLVED
            for k in ks:
                m = _parts(k)
                records.append(
                    dict(
                        key=k,
                        county_code=m["code"],
                        year=int(m["year"]),
                        variable=m["variable"],
                        source_id=m["source"],
                        check=row.check,
                        side=side,
                        preliminary=prelim_of.get(k, False),
                        exclude=reason != FINAL_AGAINST_PRELIMINARY,
                        reason=reason,
                    )
                )
    return pd.DataFrame(records, columns=FLAG_COLUMNS)


def _parts(key: str) -> dict:
    """county/year/variable@source split into its parts."""
    match = ROW_REF.fullmatch(key)
    if match is None:
        raise ValueError(f"not a row key (county/year/variable@source): {key!r}")
    return match.groupdict()


def excluded_from_fit(
    obs: pd.DataFrame, table: pd.DataFrame | None = None, unresolved: bool = True
) -> pd.Series:
    """True for each row of `obs` that a fit should leave out (`flagged_figures`), aligned on
    `obs`'s index: the trends stage drops these before fitting and says which and why.
    `unresolved=False` keeps the rows of checks that cannot tell which side is wrong."""
    flagged = flagged_figures(obs, table)
    leave = flagged["exclude"] & (unresolved | flagged["reason"].ne(UNRESOLVED))
    out_keys = set(flagged.loc[leave, "key"])
    keys = row_keys(obs)
    return keys.isin(out_keys)

"""The one rule for choosing between several figures for the same place, year and variable.

Order (best first), one documented policy for every chapter:

1. published full-year figure
2. published partial-year figure (e.g. Jan-Nov), only where no full-year figure exists
3. implied (a prior-year level computed from a level and its growth rate)
4. inferred (read from words such as "up three places")
5. derived (computed by this study from other figures)

Among published figures: the higher confidence (high > medium > low), then the later
publication date of the source (a revision beats a first release; a source with a date beats
one without, since only a dated source can be shown to be the later), then file and row.

Only published figures are observations. `select` returns every candidate with `status`,
`used` and a `reason`; `best` returns the chosen rows. A chapter that shows a computed value
asks for it by status (`statuses=`) and must show its status next to it.

The publication date comes from the observations' `date_published` column (joined from
data/sources.csv when the raw tables are loaded) or, failing that, from `sources`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

PUBLISHED = "published"
IMPLIED, INFERRED, DERIVED = "implied", "inferred", "derived"
STATUSES = (PUBLISHED, IMPLIED, INFERRED, DERIVED)
# Confidence levels, weakest first (the one order): a computed figure below any published one.
CONFIDENCE_ORDER = ("derived", "inferred", "implied", "low", "medium", "high")
PUBLISHED_CONFIDENCE = CONFIDENCE_ORDER[:2:-1]  # high, medium, low: best first
CONFIDENCE_RANK = {c: i for i, c in enumerate(PUBLISHED_CONFIDENCE)}
KEY = ["county_code", "year", "variable"]
# Tier of each status; a published partial-year figure sits between full-year and implied.
_TIER = {PUBLISHED: 0, IMPLIED: 2, INFERRED: 3, DERIVED: 4}


def status_of(confidence: pd.Series) -> pd.Series:
    """published / implied / inferred / derived, from the raw tables' confidence column."""
    conf = confidence.fillna("").astype(str)
    return conf.where(conf.isin([IMPLIED, INFERRED, DERIVED]), PUBLISHED)


def is_partial(obs: pd.DataFrame) -> pd.Series:
    """True for partial-year figures (a `partial` column, else a `period` other than 'year')."""
    if "partial" in obs:
        return obs["partial"].fillna(False).astype(bool)
    return obs.get("period", pd.Series("year", index=obs.index)).fillna("year").ne("year")


def _dates(rows: pd.DataFrame, sources: pd.DataFrame | None) -> pd.Series:
    """The source's publication date per row ('' where none is recorded)."""
    if "date_published" in rows:
        own = rows["date_published"].fillna("").astype(str)
    else:
        own = pd.Series("", index=rows.index)
    if sources is not None and len(sources) and "source_id" in rows:
        table = sources.set_index("source_id")["date_published"].fillna("").astype(str)
        own = own.where(own.ne(""), rows["source_id"].map(table).fillna(""))
    return own


def _tier_name(row) -> str:
    if row["status"] == PUBLISHED:
        return "published partial-year" if row["_partial"] else "published full-year"
    return row["status"]


def _why(winner, loser) -> str:
    if winner["_tier"] != loser["_tier"]:
        return f"{_tier_name(winner)} figure beats {_tier_name(loser)}"
    if winner["_conf"] != loser["_conf"]:
        return f"higher confidence ({winner['confidence']} > {loser['confidence']})"
    if winner["_date"] != loser["_date"]:
        earlier = loser["_date"] or "an undated source"
        return f"later publication ({winner['_date']} revises {earlier})"
    return "same standing: the earlier row in the tables is kept"


def select(
    obs: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    key: Iterable[str] = KEY,
    statuses: Iterable[str] = (PUBLISHED,),
    allow_partial: bool = True,
    allow_recut: bool = False,
) -> pd.DataFrame:
    """Every candidate row with `status`, `used` and `reason`; one used row per `key` at most.

    `statuses`: which kinds of figure may be chosen (default: published only, so a computed
    figure never stands in for a published one). `allow_partial=False` sets partial-year
    figures aside. Rows re-cut to another year's boundaries (`boundary_year` not the data
    year) are set aside unless `allow_recut` (a map on later boundaries wants them).
    """
    key = list(key)
    statuses = set(statuses)
    unknown = statuses - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown status {sorted(unknown)}; choose from {STATUSES}")
    rows = obs.reset_index(drop=True)
    if "confidence" not in rows:
        rows = rows.assign(confidence="")
    rows = rows.assign(status=status_of(rows["confidence"]), _partial=is_partial(rows))
    rows["_tier"] = rows["status"].map(_TIER) + rows["_partial"].astype(int)
    rows["_conf"] = rows["confidence"].map(CONFIDENCE_RANK).fillna(len(CONFIDENCE_RANK))
    rows["_date"] = _dates(rows, sources)
    order_cols, ascending = ["_tier", "_conf", "_date"], [True, True, False]
    for col in ("file", "row"):
        if col in rows:
            order_cols.append(col)
            ascending.append(True)
    order = rows.sort_values(order_cols, ascending=ascending, kind="stable")

    excluded = pd.Series("", index=rows.index, dtype=object)
    excluded[rows["value"].isna()] = "not used: no value"
    if "boundary_year" in rows and not allow_recut:
        vintage = pd.to_numeric(rows["boundary_year"], errors="coerce")
        year = pd.to_numeric(rows["year"], errors="coerce")
        excluded[(excluded == "") & vintage.notna() & vintage.ne(year)] = (
            "not used: re-cut to another year's boundaries"
        )
    not_asked = (excluded == "") & ~rows["status"].isin(statuses)
    excluded[not_asked] = "not used: " + rows["status"] + " figure, not a published observation"
    if not allow_partial:
        excluded[(excluded == "") & rows["_partial"]] = "not used: partial year"

    eligible = order[excluded.loc[order.index] == ""]
    first = eligible.drop_duplicates(key, keep="first")
    rows["used"] = rows.index.isin(first.index)
    reason = excluded.copy()
    reason[first.index] = "chosen: the only candidate"
    # Only keys with several eligible candidates need a comparison to say why.
    contested = eligible[eligible.duplicated(key, keep=False)]
    for _, group in contested.groupby(key, sort=False, dropna=False):
        winner = group.iloc[0]
        reason[group.index[0]] = "chosen: " + _why(winner, group.iloc[1])
        for idx, row in group.iloc[1:].iterrows():
            reason[idx] = "not used: " + _why(winner, row)
    rows["reason"] = reason
    return rows.drop(columns=["_partial", "_tier", "_conf", "_date"])


def best(
    obs: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    key: Iterable[str] = KEY,
    statuses: Iterable[str] = (PUBLISHED,),
    allow_partial: bool = True,
    allow_recut: bool = False,
) -> pd.DataFrame:
    """The chosen rows only (one per key), with `status` and `reason`."""
    key = list(key)
    rows = select(
        obs,
        sources,
        key=key,
        statuses=statuses,
        allow_partial=allow_partial,
        allow_recut=allow_recut,
    )
    return rows[rows["used"]].drop(columns="used").sort_values(key).reset_index(drop=True)

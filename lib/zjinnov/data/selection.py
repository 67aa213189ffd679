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

Only published figures are observations. `select` returns every candidate with `used` and
a `reason`; `best` returns the chosen published rows. A chapter that shows a computed value
asks for it by status and must mark it (column `status`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

PUBLISHED = "published"
STATUSES = ("published", "implied", "inferred", "derived")
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}
KEY = ["county_code", "year", "variable"]


def status_of(confidence: pd.Series) -> pd.Series:
    """published / implied / inferred / derived, from the raw tables' confidence column."""
    conf = confidence.fillna("").astype(str)
    return conf.where(conf.isin(["implied", "inferred", "derived"]), PUBLISHED)


def _partial(obs: pd.DataFrame) -> pd.Series:
    if "partial" in obs:
        return obs["partial"].fillna(False).astype(bool)
    return obs.get("period", pd.Series("year", index=obs.index)).fillna("year").ne("year")


def _why(winner, loser) -> str:
    if winner["_tier"] != loser["_tier"]:
        return f"{_tier_name(winner)} beats {_tier_name(loser)}"
    if winner["_conf"] != loser["_conf"]:
        return f"higher confidence ({winner['confidence']} > {loser['confidence']})"
    if winner["_date"] != loser["_date"]:
        later = winner["_date"] or "no date"
        earlier = loser["_date"] or "no date"
        return f"later publication ({later} revises {earlier})"
    return "same standing: the earlier row in the tables is kept"


def _tier_name(row) -> str:
    if row["status"] == PUBLISHED:
        return "published partial-year" if row["_partial"] else "published full-year"
    return row["status"]


def select(
    obs: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    *,
    key: Iterable[str] = KEY,
    statuses: Iterable[str] = (PUBLISHED,),
    allow_partial: bool = True,
) -> pd.DataFrame:
    """Every candidate row with `status`, `used` and `reason`; one used row per `key` at most.

    `statuses`: which kinds of figure may be chosen (default: published only, so a computed
    figure never stands in for a published one). `allow_partial=False` sets partial-year
    figures aside. Rows re-cut to another year's boundaries are never used for a series.
    """
    key = list(key)
    statuses = set(statuses)
    unknown = statuses - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown status {sorted(unknown)}; choose from {STATUSES}")
    dates = {}
    if sources is not None and len(sources):
        dates = dict(zip(sources["source_id"], sources["date_published"].fillna(""), strict=True))
    rows = obs.reset_index(drop=True).assign(
        status=lambda d: status_of(d["confidence"]),
        _partial=lambda d: _partial(d),
    )
    tier_of_status = {PUBLISHED: 0, "implied": 2, "inferred": 3, "derived": 4}
    rows["_tier"] = rows["status"].map(tier_of_status) + rows["_partial"].astype(int)
    rows["_conf"] = rows["confidence"].map(CONFIDENCE_RANK).fillna(3)
    rows["_date"] = rows["source_id"].map(dates).fillna("").astype(str)
    order = rows.sort_values(
        ["_tier", "_conf", "_date", "file", "row"]
        if "file" in rows
        else ["_tier", "_conf", "_date"],
        ascending=[True, True, False, True, True] if "file" in rows else [True, True, False],
        kind="stable",
    )
    excluded = pd.Series("", index=rows.index, dtype=object)
    excluded[rows["value"].isna()] = "not used: no value"
    if "boundary_year" in rows:
        vintage = pd.to_numeric(rows["boundary_year"], errors="coerce")
        excluded[(excluded == "") & vintage.notna() & vintage.ne(rows["year"])] = (
            "not used: re-cut to another year's boundaries"
        )
    excluded[(excluded == "") & ~rows["status"].isin(statuses)] = (
        "not used: " + rows["status"] + " figure, not a published observation"
    )
    if not allow_partial:
        excluded[(excluded == "") & rows["_partial"]] = "not used: partial year"
    eligible = order[excluded.loc[order.index] == ""]
    first = eligible.drop_duplicates(key, keep="first")
    rows["used"] = rows.index.isin(first.index)
    reason = excluded.copy()
    reason[first.index] = "chosen"
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
) -> pd.DataFrame:
    """The chosen rows only (one per key), with `status` and `reason`."""
    rows = select(obs, sources, key=key, statuses=statuses, allow_partial=allow_partial)
    return rows[rows["used"]].drop(columns="used").sort_values([*key]).reset_index(drop=True)

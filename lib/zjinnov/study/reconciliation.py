"""The published index beside the recomputed one: which published figures there are, which
of them can be compared one by one, and the differences.

A published index is comparable with the recomputation only where the same report also
printed every indicator of that county-year (`same_report`): elsewhere it may rest on another
basis, and is listed, not compared.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import geography, selection

INDEX, RANK = "innovation_index", "innovation_index_rank_zj"


def published(
    obs: pd.DataFrame, values: pd.DataFrame, n_indicators: int, framework_dir
) -> pd.DataFrame:
    """Published index values and province ranks (no inferred figure), one row a figure, with
    the raw rows' keys; `same_report`: the report also printed every indicator of that
    county-year."""
    rows = obs[obs["variable"].isin([INDEX, RANK])]
    rows = rows[
        selection.status_of(rows["confidence"]).eq(selection.PUBLISHED)
        & ~rows["partial"].fillna(False).astype(bool)
    ]
    rows = rows.assign(county_code=geography.harmonise_codes(rows["county_code"], framework_dir))
    wide = rows.pivot_table(
        index=["county_code", "year", "source_id"],
        columns="variable",
        values="value",
        aggfunc="first",
    )
    wide = wide.reindex(columns=[INDEX, RANK]).reset_index().rename_axis(columns=None)
    keys = ["county_code", "year", "source_id"]
    same = same_report(values, n_indicators, framework_dir).assign(same_report=True)
    wide = wide.merge(same, on=keys, how="left").fillna({"same_report": False})
    wide["same_report"] = wide["same_report"].astype(bool)
    return wide.rename(columns={INDEX: "published", RANK: "published_rank"})


def same_report(values: pd.DataFrame, n_indicators: int, framework_dir) -> pd.DataFrame:
    """County-years whose every registry indicator comes from one source: county_code, year,
    source_id. Only there is a published score comparable with the indicators beside it."""
    v = values.assign(county_code=geography.harmonise_codes(values["county_code"], framework_dir))
    g = v.groupby(["county_code", "year"])
    one = g["source_ids"].agg(lambda s: set("; ".join(s).split("; "))).rename("ids").to_frame()
    one["n"] = g["indicator"].nunique()
    one = one[(one["n"] == n_indicators) & (one["ids"].map(len) == 1)]
    return one.assign(source_id=one["ids"].map(min)).reset_index()[
        ["county_code", "year", "source_id"]
    ]


def reconcile(
    pub: pd.DataFrame,
    table: pd.DataFrame,
    eligible: pd.DataFrame,
    names: dict[str, str],
) -> pd.DataFrame:
    """Every published index beside the recomputed one (by the method the full index is made
    by); where nothing was recomputed, `why_not` lists the domains below the coverage rule
    (empty where every domain meets it but the method found cannot score the county-year)."""
    out = pub.merge(
        table[["county_code", "year", "index", "rank"]], on=["county_code", "year"], how="left"
    )
    out = out.rename(columns={"index": "recomputed", "rank": "recomputed_rank"})
    out["diff"] = out["recomputed"] - out["published"]
    out["rank_diff"] = out["recomputed_rank"] - out["published_rank"]
    short = eligible.set_index(["county_code", "year"])["short"]
    reason = out.set_index(["county_code", "year"]).index.map(short)
    scored = out["recomputed"].notna().to_numpy()
    out["why_not"] = [
        [] if done or not isinstance(r, list) else r for done, r in zip(scored, reason, strict=True)
    ]
    out.insert(1, "name", out["county_code"].map(names))
    return out.sort_values(["year", "county_code", "source_id"]).reset_index(drop=True)

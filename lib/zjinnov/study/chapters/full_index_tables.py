"""Chapter 07's tables, from the Study's `full_index` stage: coverage per domain, the ranking,
the study county's series, the reconciliation, the recovered weights, the rank intervals and
the drivers. Codes stay codes (yes/no, tiers: vocabulary keys the labels table words).
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import geography
from zjinnov.study import full_coverage
from zjinnov.study import full_index as fi
from zjinnov.study.facts import ChapterResult

SHOWN_RECONCILIATION = 40  # rows beyond this are summarised by year; the whole table downloads
YES_NO = {True: "yes", False: "no"}  # vocabulary keys


def add(out: ChapterResult, full: fi.FullIndex, study) -> None:
    """Every table of the chapter into `out`."""
    code = dict(zip(study.domains["domain"], study.domains["code"], strict=True))
    out.tables["coverage"] = coverage_table(full, study)
    out.tables["ranking"] = ranking_table(full, code)
    out.tables["county_series"] = county_series(full, code)
    out.tables["reconciliation"] = reconciliation_table(full.reconciliation)
    out.tables["reconciliation_shown"] = shown_reconciliation(
        out.tables["reconciliation"], study.county
    )
    out.tables["reconciliation_by_year"] = reconciliation_by_year(full.reconciliation)
    out.tables["weights"] = weights_table(full)
    out.tables["intervals"] = intervals_table(full)
    out.tables["drivers"] = drivers_table(full)


def _best_year(cov: pd.DataFrame, code: str):
    """The year a place has most indicator values (None when it has none)."""
    per_year = cov[cov["county_code"] == code].groupby("year")["present"].sum()
    return int(per_year.idxmax()) if len(per_year) and per_year.max() > 0 else None


def coverage_table(full: fi.FullIndex, study) -> pd.DataFrame:
    """Per domain: indicators, what the county has in its best year, the rule, what the
    province itself has in its best year, and how many county units meet the rule in the
    latest year."""
    cov = full.coverage
    mine = _one(cov, study.county, _best_year(cov, study.county))
    prov = _one(cov, geography.ZHEJIANG, _best_year(cov, geography.ZHEJIANG))
    latest = cov[(cov["year"] == cov["year"].max()) & (cov["county_code"] != geography.ZHEJIANG)]
    d = study.domains["domain"]
    table = pd.DataFrame(
        {
            "domain": d,
            "n_indicators": d.map(cov.drop_duplicates("domain").set_index("domain")["total"]),
            "county_present": d.map(mine["present"]).fillna(0),
            "min_coverage": d.map(full_coverage.min_coverage(study.domains)),
            "county_meets": d.map(mine["meets"]).map(YES_NO).fillna("no"),
            "province_present": d.map(prov["present"]).fillna(0),
            "units_meeting": d.map(latest.groupby("domain")["meets"].sum()).fillna(0),
        }
    )
    return table.reset_index(drop=True)


def _one(cov: pd.DataFrame, code: str, year) -> pd.DataFrame:
    return cov[(cov["county_code"] == code) & (cov["year"] == year)].set_index("domain")


def ranking_table(full: fi.FullIndex, code: dict) -> pd.DataFrame:
    """Every county unit in the latest year: rank, index, tier, domains, and what was published."""
    cols = [
        "rank",
        "county_code",
        "county_name",
        "full_index",
        "tier",
        *code.values(),
        "published_index",
        "published_rank",
        "rebuilt",
        "rebuilt_rank",
    ]
    if full.table.empty:
        return pd.DataFrame(columns=cols)
    t = full.table[full.table["year"] == full.table["year"].max()]
    t = t.rename(columns={"name": "county_name", "index": "full_index", **code})
    rec = _same_report(full.reconciliation)
    t = t.merge(rec, on=["county_code", "year"], how="left")
    for c in cols:
        if c not in t:
            t[c] = None
    return t[cols].reset_index(drop=True)


def _same_report(rec: pd.DataFrame) -> pd.DataFrame:
    keep = rec[rec["same_report"]].rename(columns={"published": "published_index"})
    cols = [
        c for c in ("published_index", "published_rank", "rebuilt", "rebuilt_rank") if c in keep
    ]
    return keep[["county_code", "year", *cols]].drop_duplicates(["county_code", "year"])


def county_series(full: fi.FullIndex, code: dict) -> pd.DataFrame:
    cols = ["year", "full_index", "rank", "tier", *code.values(), "published_index"]
    mine = full.table[full.table["county_code"] == full.county]
    if mine.empty:
        return pd.DataFrame(columns=cols)
    mine = mine.rename(columns={"index": "full_index", **code})
    mine = mine.merge(_same_report(full.reconciliation), on=["county_code", "year"], how="left")
    mine["published_index"] = mine.get("published_index")
    return mine[cols].sort_values("year").reset_index(drop=True)


def reconciliation_table(rec: pd.DataFrame) -> pd.DataFrame:
    cols = [
        "county_code",
        "county_name",
        "year",
        "source_id",
        "same_report",
        "published_index",
        "recomputed",
        "diff",
        "published_rank",
        "recomputed_rank",
        "rank_diff",
        "rebuilt",
        "rebuilt_diff",
        "why_not",
    ]
    t = rec.rename(columns={"name": "county_name", "published": "published_index"})
    t["same_report"] = t["same_report"].map(YES_NO)
    for c in cols:
        if c not in t:
            t[c] = None
    return t[cols].reset_index(drop=True)


def shown_reconciliation(table: pd.DataFrame, county: str) -> pd.DataFrame:
    """All rows when few; else the study county's and those from other reports (the rest is
    summarised by year, and the whole table downloads)."""
    if len(table) <= SHOWN_RECONCILIATION:
        return table
    keep = table["county_code"].eq(county) | table["same_report"].eq("no")
    return table[keep].reset_index(drop=True)


def reconciliation_by_year(rec: pd.DataFrame) -> pd.DataFrame:
    """Per year, the county-years where one report printed index and indicators."""
    cols = ["year", "n_reconciled", "max_abs_diff", "max_abs_rank_diff", "max_abs_rebuilt_diff"]
    both = rec[rec["same_report"]].dropna(subset=["published", "recomputed"])
    if both.empty:
        return pd.DataFrame(columns=cols)
    g = both.groupby("year")
    out = pd.DataFrame(
        {
            "n_reconciled": g.size(),
            "max_abs_diff": g["diff"].apply(lambda s: s.abs().max()),
            "max_abs_rank_diff": g["rank_diff"].apply(lambda s: s.abs().max()),
            "max_abs_rebuilt_diff": g["rebuilt_diff"].apply(lambda s: s.abs().max())
            if "rebuilt_diff" in both
            else None,
        }
    )
    return out.reset_index()[cols]


def weights_table(full: fi.FullIndex) -> pd.DataFrame:
    cols = [
        "indicator",
        "name_zh",
        "domain",
        "registry_weight_pct",
        "recovered_weight_pct",
        "recovered_lo_pct",
        "recovered_hi_pct",
        "identified",
    ]
    if full.weights is None:
        return pd.DataFrame(columns=cols)
    w = full.weights
    return pd.DataFrame(
        {
            "indicator": w["indicator"],
            "name_zh": w["name"],
            "domain": w["group"],
            "registry_weight_pct": 100 * w["registry"],
            "recovered_weight_pct": 100 * w["weight"],
            "recovered_lo_pct": 100 * w["lo"],
            "recovered_hi_pct": 100 * w["hi"],
            "identified": w["identified"].map(YES_NO),
        }
    )[cols]


def intervals_table(full: fi.FullIndex) -> pd.DataFrame:
    cols = ["rank", "county_code", "county_name", "rank_lo", "rank_median", "rank_hi"]
    if full.intervals is None:
        return pd.DataFrame(columns=cols)
    iv = full.intervals.rename(columns={"name": "county_name", "rank_nominal": "rank"})
    return iv[cols].reset_index(drop=True)


def drivers_table(full: fi.FullIndex) -> pd.DataFrame:
    cols = ["indicator", "name_zh", "domain", "score", "median", "registry_weight_pct", "effect"]
    if full.drivers is None:
        return pd.DataFrame(columns=cols)
    d = full.drivers.rename(columns={"name": "name_zh"})
    d["registry_weight_pct"] = 100 * d["weight"]
    return d[cols].reset_index(drop=True)

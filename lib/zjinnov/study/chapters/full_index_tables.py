"""Chapter 07's tables, from the Study's `identification` and `full_index` stages: coverage per
domain, the candidate methods ranked by fit, the best one's residuals, the weight ranges and
importance of a method found, the ranking, the study county's series, the reconciliation, the
rank intervals and the drivers. Codes stay codes (yes/no, tiers, method names: vocabulary keys
the labels table words).
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import geography
from zjinnov.engine import candidates as cd
from zjinnov.study import full_coverage
from zjinnov.study import full_index as fi
from zjinnov.study.facts import ChapterResult

SHOWN_RECONCILIATION = 40  # rows beyond this are summarised by year; the whole table downloads
YES_NO = {True: "yes", False: "no"}  # vocabulary keys
# What each indicator is scored against under a candidate (vocabulary keys, group `term`).
BASE_TERMS = {
    "province": "base_province",
    "own": "base_own",
    "chained": "base_chained",
    "either": "base_either",
    "none": "base_none",
}


def add(out: ChapterResult, full: fi.FullIndex, study) -> None:
    """Every table of the chapter into `out`."""
    code = dict(zip(study.domains["domain"], study.domains["code"], strict=True))
    names = fi.names(study.framework_dir)
    out.tables["coverage"] = coverage_table(full, study)
    out.tables["candidates"] = candidates_table(full)
    out.tables["residuals"] = residuals_table(full, names)
    out.tables["weights"] = weights_table(full, study)
    out.tables["domain_weights"] = domain_weights_table(full, study)
    out.tables["ranking"] = ranking_table(full, code)
    out.tables["county_series"] = county_series(full, code)
    out.tables["reconciliation"] = reconciliation_table(full.reconciliation)
    out.tables["reconciliation_shown"] = shown_reconciliation(
        out.tables["reconciliation"], study.county
    )
    out.tables["reconciliation_by_year"] = reconciliation_by_year(full.reconciliation)
    out.tables["intervals"] = intervals_table(full)
    out.tables["drivers"] = drivers_table(full)


# ------------------------------------------------------------------------------ coverage
def best_year(cov: pd.DataFrame, code: str):
    """The year a place has most indicators with a value and a base (the latest of equals;
    None when it has none): what chapter 03's partial index counts too."""
    per_year = cov[cov["county_code"] == code].groupby("year")["present"].sum()
    if not len(per_year) or per_year.max() <= 0:
        return None
    return int(per_year[per_year == per_year.max()].index.max())


def coverage_year(cov: pd.DataFrame) -> tuple[int | None, int]:
    """The year in which most county units meet the rule in at least one domain (the latest
    of equals), and how many do (0 and the latest year when none ever does)."""
    units = cov[cov["county_code"] != geography.ZHEJIANG]
    if units.empty:
        return None, 0
    any_domain = units.groupby(["year", "county_code"])["meets"].any().groupby("year").sum()
    year = int(any_domain[any_domain == any_domain.max()].index.max())
    return year, int(any_domain[year])


def coverage_table(full: fi.FullIndex, study) -> pd.DataFrame:
    """Per domain: indicators, what the county has in its best year, the rule, what the
    province itself has in its best year, and how many county units meet the rule in the
    year the chapter's sentence names (`coverage_year`)."""
    cov = full.coverage
    mine = _one(cov, study.county, best_year(cov, study.county))
    prov = _one(cov, geography.ZHEJIANG, best_year(cov, geography.ZHEJIANG))
    year, _ = coverage_year(cov)
    units = cov[(cov["year"] == year) & (cov["county_code"] != geography.ZHEJIANG)]
    d = study.domains["domain"]
    table = pd.DataFrame(
        {
            "domain": d,
            "n_indicators": d.map(cov.drop_duplicates("domain").set_index("domain")["total"]),
            "county_present": d.map(mine["present"]).fillna(0),
            "min_coverage": d.map(full_coverage.min_coverage(study.domains)),
            "county_meets": d.map(mine["meets"]).map(YES_NO).fillna("no"),
            "province_present": d.map(prov["present"]).fillna(0),
            "units_meeting": d.map(units.groupby("domain")["meets"].sum()).fillna(0),
        }
    )
    return table.reset_index(drop=True)


def _one(cov: pd.DataFrame, code: str, year) -> pd.DataFrame:
    return cov[(cov["county_code"] == code) & (cov["year"] == year)].set_index("domain")


# ------------------------------------------------------------------------------ the method
def candidates_table(full: fi.FullIndex) -> pd.DataFrame:
    """Every candidate method, best fit first: how close it comes to the published index."""
    cols = [
        "rank",
        "candidate",
        "n_weights",
        "fit_rmse",
        "fit_max_error",
        "rmse_to_rounding",
        "reproduces",
    ]
    ident = full.found.identification
    if ident is None or ident.verdict.best is None:
        return pd.DataFrame(columns=cols)
    r = ident.ranking[ident.ranking["status"] == "fitted"]
    return pd.DataFrame(
        {
            "rank": r["rank"],
            "candidate": r["candidate"],
            "n_weights": r["n_weights"].astype(int),
            "fit_rmse": r["rmse"],
            "fit_max_error": r["max_abs_error"],
            "rmse_to_rounding": r["rmse_to_rounding"],
            "reproduces": r["reproduces"].map(YES_NO),
        }
    )[cols].reset_index(drop=True)


def residuals_table(full: fi.FullIndex, names: dict) -> pd.DataFrame:
    """The best candidate's residuals on the published index, largest first."""
    cols = [
        "county_code",
        "county_name",
        "year",
        "published_index",
        "fitted_index",
        "residual",
    ]
    ident = full.found.identification
    if ident is None or ident.residuals.empty:
        return pd.DataFrame(columns=cols)
    r = ident.residuals
    r = r[r["node"] == "index"]
    return pd.DataFrame(
        {
            "county_code": r["region"].astype(str),
            "county_name": r["region"].astype(str).map(names),
            "year": r["year"].astype(int),
            "published_index": r["published"],
            "fitted_index": r["fitted"],
            "residual": r["residual"],
        }
    )[cols].reset_index(drop=True)


def _bases(full: fi.FullIndex, w: pd.DataFrame, study) -> pd.Series:
    """What each indicator is scored against under the method found."""
    c = cd.CANDIDATES[full.found.method]
    if c.base == "per_indicator":
        return w["base"].map(BASE_TERMS)
    if c.base == "registry":
        own = w["indicator"].isin(study.extensive)
        return own.map({True: "base_own", False: "base_province"})
    return pd.Series(BASE_TERMS[c.base], index=w.index)


def weights_table(full: fi.FullIndex, study) -> pd.DataFrame:
    """Each indicator under the method found: its weight, the range of weights that still
    reproduce every published score within rounding, its importance, the registry's weight."""
    cols = [
        "indicator",
        "name_zh",
        "domain",
        "base_used",
        "weight_pct",
        "weight_lo_pct",
        "weight_hi_pct",
        "importance",
        "registry_weight_pct",
        "identified",
    ]
    ident = full.found.identification
    if full.found.method is None or ident.weights is None:
        return pd.DataFrame(columns=cols)
    w = ident.weights
    meta = study.indicators.set_index("code")
    importance = ident.importance.set_index("indicator")["first_order"]
    registry = study.hierarchy.effective_weights()
    return pd.DataFrame(
        {
            "indicator": w["indicator"],
            "name_zh": w["indicator"].map(meta["name_zh"]),
            "domain": w["indicator"].map(meta["domain"]),
            "base_used": _bases(full, w, study),
            "weight_pct": 100 * w["weight"],
            "weight_lo_pct": 100 * w["lo"],
            "weight_hi_pct": 100 * w["hi"],
            "importance": w["indicator"].map(importance),
            "registry_weight_pct": 100 * w["indicator"].map(registry),
            "identified": w["identified"].map(YES_NO),
        }
    )[cols].reset_index(drop=True)


def domain_weights_table(full: fi.FullIndex, study) -> pd.DataFrame:
    cols = ["domain", "weight_pct", "weight_lo_pct", "weight_hi_pct", "registry_weight_pct"]
    ident = full.found.identification
    if full.found.method is None or ident.domain_weights is None:
        return pd.DataFrame(columns=cols)
    d = ident.domain_weights
    name = dict(zip(study.domains["code"], study.domains["domain"], strict=True))
    code_of = {v: k for k, v in name.items()}
    domain_of = study.indicators.set_index("code")["domain"].map(code_of)
    registry = study.hierarchy.effective_weights()
    top = registry.groupby(registry.index.map(domain_of)).sum()
    return pd.DataFrame(
        {
            "domain": d["domain"].map(name),
            "weight_pct": 100 * d["weight"],
            "weight_lo_pct": 100 * d["lo"],
            "weight_hi_pct": 100 * d["hi"],
            "registry_weight_pct": 100 * d["domain"].map(top),
        }
    )[cols].reset_index(drop=True)


# ------------------------------------------------------------------------------ the index
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
    ]
    if full.table.empty:
        return pd.DataFrame(columns=cols)
    t = full.table[full.table["year"] == full.table["year"].max()]
    t = t.rename(columns={"name": "county_name", "index": "full_index", **code})
    t = t.merge(_same_report(full.reconciliation), on=["county_code", "year"], how="left")
    for c in cols:
        if c not in t:
            t[c] = None
    return t[cols].reset_index(drop=True)


def _same_report(rec: pd.DataFrame) -> pd.DataFrame:
    keep = rec[rec["same_report"]].rename(columns={"published": "published_index"})
    return keep[["county_code", "year", "published_index", "published_rank"]].drop_duplicates(
        ["county_code", "year"]
    )


def county_series(full: fi.FullIndex, code: dict) -> pd.DataFrame:
    cols = ["year", "full_index", "rank", "tier", *code.values(), "published_index"]
    mine = full.table[full.table["county_code"] == full.county]
    if mine.empty:
        return pd.DataFrame(columns=cols)
    mine = mine.rename(columns={"index": "full_index", **code})
    mine = mine.merge(_same_report(full.reconciliation), on=["county_code", "year"], how="left")
    return mine[cols].sort_values("year").reset_index(drop=True)


# ------------------------------------------------------------------------------ reconciliation
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
        "why_not",
    ]
    t = rec.rename(columns={"name": "county_name", "published": "published_index"})
    t["same_report"] = t["same_report"].map(YES_NO)
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
    cols = ["year", "n_reconciled", "max_abs_diff", "max_abs_rank_diff"]
    both = rec[rec["same_report"]].dropna(subset=["published", "recomputed"])
    if both.empty:
        return pd.DataFrame(columns=cols)
    g = both.groupby("year")
    out = pd.DataFrame(
        {
            "n_reconciled": g.size(),
            "max_abs_diff": g["diff"].apply(lambda s: s.abs().max()),
            "max_abs_rank_diff": g["rank_diff"].apply(lambda s: s.abs().max()),
        }
    )
    return out.reset_index()[cols]


# ------------------------------------------------------------------------------ standing
def intervals_table(full: fi.FullIndex) -> pd.DataFrame:
    cols = ["rank", "county_code", "county_name", "rank_lo", "rank_median", "rank_hi"]
    if full.intervals is None:
        return pd.DataFrame(columns=cols)
    iv = full.intervals.rename(columns={"name": "county_name", "rank_nominal": "rank"})
    return iv[cols].reset_index(drop=True)


def drivers_table(full: fi.FullIndex) -> pd.DataFrame:
    cols = ["indicator", "name_zh", "domain", "score", "median", "method_weight_pct", "effect"]
    if full.drivers is None:
        return pd.DataFrame(columns=cols)
    d = full.drivers.rename(columns={"name": "name_zh"})
    d["method_weight_pct"] = 100 * d["weight"]
    return d[cols].reset_index(drop=True)

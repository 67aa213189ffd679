"""Chapter 07, the full index: facts to glue and tables to show, from `zjinnov.study.full_index`.

With the public data the facts say why the index cannot be computed (coverage per domain for
the county and the province); with the monitoring tables laid over them, they carry the index,
ranks and tiers of every county, the reconciliation with the published index, the recovered
weights and the rank intervals. Facts that a mode lacks are None, so every sentence takes its
wording for the missing case.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import overlay
from zjinnov.engine import weights as wt
from zjinnov.study import full_index as fi
from zjinnov.study.facts import ChapterResult

CHAPTER = "c07"
SHOWN_RECONCILIATION = 40  # rows beyond this are summarised by year; the whole table downloads
YES_NO = {True: "是", False: "否"}


def build(study, draws: int = fi.DRAWS, seed: int = fi.SEED) -> ChapterResult:
    """The chapter's facts and tables for `study` (a `zjinnov.study.study.Study`)."""
    full = fi.full_index(
        study.observations,
        study.indicators,
        study.domains,
        study.county,
        sources=study.sources,
        best=study.best,
        draws=draws,
        seed=seed,
    )
    out = ChapterResult(CHAPTER)
    _facts(out, full, study)
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
    return out


# ------------------------------------------------------------------------------ facts
def _facts(out: ChapterResult, full: fi.FullIndex, study) -> None:
    f = full.facts
    rule = fi.min_coverage(study.domains)
    laid = overlay.read(study.data_dir)
    cov = full.coverage
    mine = cov[(cov["county_code"] == study.county) & (cov["year"] == f["county_best_year"])]
    units = cov[cov["county_code"] != "330000"]
    per_year = units.groupby(["year", "county_code"])["meets"].any().groupby("year").sum()
    widest = per_year[per_year == per_year.max()].index.max()  # latest year with the most
    put = out.fact
    put("county", study.name, "text")
    put("n_indicators", f["n_indicators"], "count")
    put("n_domains", len(study.domains), "count")
    put("min_coverage", float(rule.min()), "share")
    put("n_county_years", f["n_county_years"], "count")
    put("n_eligible", f["n_eligible"] or None, "count")
    put("county_best_year", f["county_best_year"], "year")
    put("county_best_present", f["county_best_present"], "count")
    put("county_domains_met", int(mine["meets"].sum()) if len(mine) else 0, "count")
    put("units_any_domain", int(per_year[widest]), "count")
    put("coverage_year", int(widest), "year")
    put("extra_sources", None if laid is None else "、".join(laid.sources["title"]), "text")
    put("tier_size", f.get("tier_size"), "count")
    for name, kind in (
        ("first", "year"),
        ("latest", "year"),
        ("n_ranked_latest", "count"),
        ("county_index", "index"),
        ("county_rank", "rank"),
        ("county_tier", "text"),
        ("leader", "text"),
        ("leader_index", "index"),
    ):
        put(name, f.get(name), kind)
    put("n_published", f["n_published"], "count")
    put("n_reconciled", f["n_reconciled"] or None, "count")
    put("max_abs_diff", f.get("max_abs_diff"), "index")
    put("max_abs_rank_diff", f.get("max_abs_rank_diff"), "rank")
    put("n_other_reports", f.get("n_other_reports"), "count")
    put("max_abs_rebuilt_diff", f.get("max_abs_rebuilt_diff"), "ratio")
    put("rebuilt_tolerance", fi.REBUILT_TOLERANCE, "ratio")
    put("weight_tolerance", 100 * fi.REHEARSAL_WEIGHT_TOLERANCE, "pct")
    put("recovery_rows", f.get("recovery_rows"), "count")
    put("recovery_needed", f.get("recovery_needed"), "count")
    recovered = bool(f.get("recovered"))
    put("fit_rmse", f.get("fit_rmse") if recovered else None, "ratio")
    put("fit_max_error", f.get("fit_max_error") if recovered else None, "ratio")
    put("rounding_rmse", f.get("rounding_rmse") if recovered else None, "ratio")
    put("n_identified", f.get("n_identified") if recovered else None, "count")
    put("n_weights", f.get("n_weights") if recovered else None, "count")
    put("max_vs_registry", 100 * f["max_abs_vs_registry"] if recovered else None, "pct")
    put("max_width", 100 * wt.MAX_WIDTH, "pct")
    put("draws", f.get("draws") if full.intervals is not None else None, "count")
    put("spread", fi.SPREAD, "share")
    put("county_rank_lo", f.get("county_rank_lo"), "rank")
    put("county_rank_hi", f.get("county_rank_hi"), "rank")
    put("interval_median_width", f.get("interval_median_width"), "count")


# ------------------------------------------------------------------------------ tables
def coverage_table(full: fi.FullIndex, study) -> pd.DataFrame:
    """Per domain: indicators, what the county has in its best year, the rule, what the
    province itself has in its best year, and how many county units meet the rule in the
    latest year."""
    cov, f = full.coverage, full.facts
    mine = _one(cov, study.county, f["county_best_year"])
    prov = _one(cov, "330000", f["province_best_year"])
    latest = cov[(cov["year"] == cov["year"].max()) & (cov["county_code"] != "330000")]
    d = study.domains["domain"]
    table = pd.DataFrame(
        {
            "domain": d,
            "n_indicators": d.map(cov.drop_duplicates("domain").set_index("domain")["total"]),
            "county_present": d.map(mine["present"]).fillna(0),
            "min_coverage": d.map(fi.min_coverage(study.domains)),
            "county_meets": d.map(mine["meets"]).map(YES_NO).fillna("否"),
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
    keep = table["county_code"].eq(county) | table["same_report"].eq("否")
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

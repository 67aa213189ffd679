"""Chapter 07, the full index: facts to glue and tables to show, from the Study's `full_index`
stage (`zjinnov.study.full_index`).

With the public data the facts say why the index cannot be computed (coverage per domain for
the county and the province); with the monitoring tables laid over them, they carry the index,
ranks and tiers of every county, the reconciliation with the published index, the recovered
weights and the rank intervals. Facts that a mode lacks are None, so every sentence takes its
wording for the missing case. The tables are `full_index_tables`.
"""

from __future__ import annotations

from zjinnov.data import geography, overlay
from zjinnov.engine import weights as wt
from zjinnov.study import full_coverage, full_standing
from zjinnov.study import full_index as fi
from zjinnov.study.chapters import full_index_tables as tables
from zjinnov.study.facts import ChapterResult

CHAPTER = "c07"


def build(study, draws: int = fi.DRAWS, seed: int = fi.SEED) -> ChapterResult:
    """The chapter's facts and tables for `study` (a `zjinnov.study.study.Study`)."""
    full = study.full_index(draws=draws, seed=seed)
    out = ChapterResult(CHAPTER)
    _coverage(out, full, study)
    _index(out, full)
    _reconciliation(out, full)
    _weights(out, full)
    _intervals(out, full)
    tables.add(out, full, study)
    return out


# ------------------------------------------------------------------------------ coverage
def _coverage(out: ChapterResult, full: fi.FullIndex, study) -> None:
    cov, elig = full.coverage, full.eligible
    mine = cov[cov["county_code"] == study.county]
    per_year = mine.groupby("year")["present"].sum()
    best = int(per_year.idxmax()) if len(per_year) and per_year.max() > 0 else None
    mine_best = mine[mine["year"] == best]
    units = cov[cov["county_code"] != geography.ZHEJIANG]
    any_domain = units.groupby(["year", "county_code"])["meets"].any().groupby("year").sum()
    widest = any_domain[any_domain == any_domain.max()].index.max()  # latest year with the most
    laid = overlay.read(study.data_dir)
    out.fact("c07_county", study.name, "text")
    out.fact("c07_n_indicators", int(cov.drop_duplicates("domain")["total"].sum()), "count")
    out.fact("c07_n_domains", len(study.domains), "count")
    out.fact("c07_min_coverage", float(full_coverage.min_coverage(study.domains).min()), "share")
    out.fact("c07_n_county_years", len(elig), "count")
    out.fact("c07_n_eligible", int(elig["eligible"].sum()) or None, "count")
    out.fact("c07_county_best_year", best, "year")
    out.fact("c07_county_best_present", int(per_year.max()) if best else 0, "count")
    out.fact("c07_county_domains_met", int(mine_best["meets"].sum()), "count")
    out.fact("c07_units_any_domain", int(any_domain[widest]), "count")
    out.fact("c07_coverage_year", int(widest), "year")
    out.fact("c07_extra_sources", None if laid is None else list(laid.sources["title"]), "list")
    out.fact("c07_tier_size", full.tier_size, "count")


# ------------------------------------------------------------------------------ the index
def _index(out: ChapterResult, full: fi.FullIndex) -> None:
    table = full.table
    latest = int(table["year"].max()) if len(table) else None
    now = table[table["year"] == latest]
    mine = now[now["county_code"] == full.county]
    row = mine.iloc[0] if len(mine) else None
    lead = now.iloc[0] if len(now) else None
    out.fact("c07_first", int(table["year"].min()) if len(table) else None, "year")
    out.fact("c07_latest", latest, "year")
    out.fact("c07_n_ranked_latest", len(now) or None, "count")
    out.fact("c07_county_index", None if row is None else float(row["index"]), "index")
    out.fact("c07_county_rank", None if row is None else int(row["rank"]), "rank")
    out.fact("c07_county_tier", None if row is None else row["tier"], "term")
    out.fact("c07_leader", None if lead is None else lead["name"], "text")
    out.fact("c07_leader_index", None if lead is None else float(lead["index"]), "index")


# ------------------------------------------------------------------------------ reconciliation
def _reconciliation(out: ChapterResult, full: fi.FullIndex) -> None:
    rec = full.reconciliation
    both = rec[rec["same_report"]].dropna(subset=["published", "recomputed"])
    ranks = both["rank_diff"].dropna()
    rebuilt = (
        rec[rec["same_report"]].dropna(subset=["rebuilt_diff"]) if "rebuilt_diff" in rec else None
    )
    out.fact("c07_n_published", int(rec["published"].notna().sum()), "count")
    out.fact("c07_n_reconciled", len(both) or None, "count")
    out.fact("c07_max_abs_diff", float(both["diff"].abs().max()) if len(both) else None, "index")
    out.fact("c07_max_abs_rank_diff", float(ranks.abs().max()) if len(ranks) else None, "rank")
    out.fact(
        "c07_n_other_reports",
        int((~rec["same_report"] & rec["published"].notna()).sum()),
        "count",
    )
    out.fact(
        "c07_max_abs_rebuilt_diff",
        float(rebuilt["rebuilt_diff"].abs().max())
        if rebuilt is not None and len(rebuilt)
        else None,
        "ratio",
    )
    out.fact("c07_rebuilt_tolerance", fi.REBUILT_TOLERANCE, "ratio")
    out.fact("c07_weight_tolerance", 100 * fi.REHEARSAL_WEIGHT_TOLERANCE, "pct")


# ------------------------------------------------------------------------------ weights
def _weights(out: ChapterResult, full: fi.FullIndex) -> None:
    fit, weights = full.fit, full.weights
    out.fact("c07_recovery_rows", full.recovery_rows, "count")
    out.fact("c07_recovery_needed", full.recovery_needed, "count")
    out.fact("c07_fit_rmse", None if fit is None else fit.rmse, "ratio")
    out.fact("c07_fit_max_error", None if fit is None else fit.max_error, "ratio")
    out.fact("c07_rounding_rmse", None if fit is None else wt.rounding_rmse(1), "ratio")
    out.fact("c07_n_identified", None if fit is None else fit.n_identified, "count")
    out.fact("c07_n_weights", None if fit is None else len(fit.weights), "count")
    gap = None if fit is None else (weights["weight"] - weights["registry"]).abs().max()
    out.fact("c07_max_vs_registry", None if gap is None else 100 * float(gap), "pct")
    out.fact("c07_max_width", 100 * wt.MAX_WIDTH, "pct")


# ------------------------------------------------------------------------------ intervals
def _intervals(out: ChapterResult, full: fi.FullIndex) -> None:
    iv = full.intervals
    have = iv is not None and not iv.empty
    width = iv["rank_hi"] - iv["rank_lo"] if have else None
    mine = iv[iv["county_code"] == full.county] if have else None
    out.fact("c07_draws", full.draws if iv is not None else None, "count")
    out.fact("c07_spread", full_standing.SPREAD, "share")
    found = have and not mine.empty
    out.fact("c07_county_rank_lo", float(mine["rank_lo"].iloc[0]) if found else None, "rank")
    out.fact("c07_county_rank_hi", float(mine["rank_hi"].iloc[0]) if found else None, "rank")
    out.fact("c07_interval_median_width", float(width.median()) if have else None, "count")

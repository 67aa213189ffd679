"""Chapter 07, the full index: facts to glue and tables to show, from the Study's
`identification` and `full_index` stages.

With the public data the facts say why the index cannot be computed (coverage per domain for
the county and the province) and that the method cannot be identified (no report printed an
index beside every indicator). With the monitoring tables laid over them: which candidate
method reproduces the published index (or that none does, with the best one's residuals),
the weight ranges and importance of a method found, and the index, ranks, tiers, drivers,
reconciliation and rank intervals by the method the index is made by (`FullIndex.used`: the
method found, else the registry's, an assumption). Facts that a case lacks are None, so every
sentence takes its wording for the missing case. The tables are `full_index_tables`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import geography, overlay
from zjinnov.engine import fitting
from zjinnov.engine.weight_ranges import MAX_WIDTH
from zjinnov.study import full_coverage, full_standing
from zjinnov.study import full_index as fi
from zjinnov.study.chapters import full_index_tables as tables
from zjinnov.study.facts import ChapterResult
from zjinnov.study.identification import N_CANDIDATES

CHAPTER = "c07"
INDEX_VARIABLE = "innovation_index"
STATUS_TERMS = {  # identification status -> vocabulary key (labels table, group `term`)
    "found": "ident_found",
    "not_reproduced": "ident_not_reproduced",
    "ambiguous": "ident_ambiguous",
    "no_report": "ident_no_report",
    "no_base_year": "ident_no_base_year",
    "not_computable": "ident_not_computable",
}


def build(study, draws: int = fi.DRAWS, seed: int = fi.SEED) -> ChapterResult:
    """The chapter's facts and tables for `study` (a `zjinnov.study.study.Study`)."""
    full = study.full_index(draws=draws, seed=seed)
    out = ChapterResult(CHAPTER)
    _coverage(out, full, study)
    _index(out, full, study)
    _identification(out, full, study)
    _reconciliation(out, full, study)
    _intervals(out, full)
    tables.add(out, full, study)
    return out


# ------------------------------------------------------------------------------ coverage
def _coverage(out: ChapterResult, full: fi.FullIndex, study) -> None:
    cov, elig = full.coverage, full.eligible
    mine = cov[cov["county_code"] == study.county]
    best = tables.best_year(cov, study.county)
    mine_best = mine[mine["year"] == best]
    year, n_units = tables.coverage_year(cov)
    laid = overlay.read(study.data_dir)
    out.fact("c07_county", study.county, "place")
    out.fact("c07_n_indicators", int(cov.drop_duplicates("domain")["total"].sum()), "count")
    out.fact("c07_n_domains", len(study.domains), "count")
    out.fact("c07_min_coverage", float(full_coverage.min_coverage(study.domains).min()), "share")
    out.fact("c07_n_county_years", len(elig), "count")
    out.fact("c07_n_eligible", int(elig["eligible"].sum()) or None, "count")
    out.fact("c07_county_best_year", best, "year")
    out.fact(
        "c07_county_best_present",
        int(mine_best["present"].sum()) if best else None,
        "count",
        evidence=_values_evidence(study, full, study.county, best) if best else None,
    )
    out.fact("c07_county_domains_met", int(mine_best["meets"].sum()) if best else None, "count")
    out.fact("c07_units_any_domain", n_units or None, "count")
    out.fact("c07_coverage_year", year if n_units else None, "year")
    out.fact("c07_extra_sources", None if laid is None else list(laid.sources["title"]), "list")
    out.fact("c07_tier_size", full.tier_size, "count")


# ------------------------------------------------------------------------------ the index
def _index(out: ChapterResult, full: fi.FullIndex, study) -> None:
    table = full.table
    latest = int(table["year"].max()) if len(table) else None
    now = table[table["year"] == latest]
    mine = now[now["county_code"] == full.county]
    row = mine.iloc[0] if len(mine) else None
    lead = now.iloc[0] if len(now) else None
    evidence = None if row is None else _values_evidence(study, full, full.county, latest)
    out.fact("c07_used", full.used, "term")
    out.fact("c07_first", int(table["year"].min()) if len(table) else None, "year")
    out.fact("c07_latest", latest, "year")
    out.fact("c07_n_ranked_latest", len(now) or None, "count")
    out.fact(
        "c07_county_index", None if row is None else float(row["index"]), "index", evidence=evidence
    )
    out.fact("c07_county_rank", None if row is None else int(row["rank"]), "rank")
    out.fact("c07_county_tier", None if row is None else row["tier"], "term")
    out.fact("c07_leader", None if lead is None else lead["county_code"], "place")
    out.fact("c07_leader_index", None if lead is None else float(lead["index"]), "index")


# ------------------------------------------------------------------------------ the method
def _identification(out: ChapterResult, full: fi.FullIndex, study) -> None:
    found = full.found
    ident = found.identification
    v = None if ident is None or ident.verdict.best is None else ident.verdict
    titles = study.sources.set_index("source_id")["title"]
    out.fact("c07_method_status", STATUS_TERMS[found.status], "term")
    out.fact("c07_method", found.method, "term")
    out.fact("c07_n_candidates", _n_candidates(found), "count")
    out.fact("c07_ident_rows", None if v is None else v.n_rows, "count")
    out.fact(
        "c07_ident_sources",
        [titles.get(s, s) for s in found.sources] if v is not None else None,
        "list",
    )
    out.fact("c07_rmse_factor", fitting.RMSE_FACTOR, "value")
    out.fact("c07_unit", None if v is None else v.unit, "value")
    out.fact("c07_rmse_limit", None if v is None else v.rmse_limit, "ratio")
    out.fact("c07_max_limit", None if v is None else v.max_limit, "value")
    out.fact("c07_best", None if v is None else v.best, "term")
    out.fact("c07_best_rmse", None if v is None else v.best_rmse, "ratio")
    out.fact("c07_best_to_rounding", None if v is None else v.best_rmse / v.rounding_rmse, "ratio")
    out.fact("c07_best_max_error", None if v is None else v.best_max_error, "ratio")
    runner = v is not None and v.runner_up is not None
    out.fact("c07_runner_up", v.runner_up if runner else None, "term")
    gap = v.gap if runner and np.isfinite(v.gap) else None
    out.fact("c07_gap", gap, "ratio")
    worst = None if ident is None or ident.residuals.empty else ident.residuals.iloc[0]
    worst_rows = None
    if worst is not None:
        keys = pd.DataFrame([worst]).rename(columns={"region": "county_code"})
        worst_rows = _published_rows(study, keys)
    out.fact("c07_worst_place", None if worst is None else str(worst["region"]), "place")
    out.fact("c07_worst_year", None if worst is None else int(worst["year"]), "year")
    out.fact(
        "c07_worst_residual",
        None if worst is None else float(worst["residual"]),
        "ratio",
        evidence=worst_rows,
    )
    w = None if ident is None else ident.weights
    have = w is not None and found.method is not None
    out.fact("c07_n_weights", len(w) if have else None, "count")
    out.fact("c07_n_identified", int(w["identified"].sum()) if have else None, "count")
    out.fact("c07_widest_range", 100 * float(w["width"].max()) if have else None, "pct2")
    out.fact("c07_max_width", 100 * MAX_WIDTH, "value")
    registry = study.hierarchy.effective_weights()
    gap_reg = (w["weight"] - w["indicator"].map(registry)).abs().max() if have else None
    out.fact("c07_max_vs_registry", None if gap_reg is None else 100 * float(gap_reg), "pct")
    why = "weights_no_method" if found.method is None else "weights_no_range"
    out.fact("c07_weights_status", None if have else why, "term")


def _n_candidates(found) -> int:
    ident = found.identification
    if ident is None or ident.verdict.best is None:
        return N_CANDIDATES
    return int(ident.verdict.n_candidates)


# ------------------------------------------------------------------------------ reconciliation
def _reconciliation(out: ChapterResult, full: fi.FullIndex, study) -> None:
    rec = full.reconciliation
    both = rec[rec["same_report"]].dropna(subset=["published", "recomputed"])
    ranks = both["rank_diff"].dropna()
    worst = both.loc[[both["diff"].abs().idxmax()]] if len(both) else None
    out.fact("c07_n_published", int(rec["published"].notna().sum()), "count")
    out.fact("c07_n_reconciled", len(both) or None, "count")
    out.fact(
        "c07_max_abs_diff",
        float(both["diff"].abs().max()) if len(both) else None,
        "ratio",
        evidence=None if worst is None else _published_rows(study, worst),
    )
    out.fact("c07_max_abs_rank_diff", float(ranks.abs().max()) if len(ranks) else None, "rank")
    out.fact(
        "c07_n_other_reports",
        int((~rec["same_report"] & rec["published"].notna()).sum()),
        "count",
    )


# ------------------------------------------------------------------------------ intervals
def _intervals(out: ChapterResult, full: fi.FullIndex) -> None:
    iv = full.intervals
    have = iv is not None and not iv.empty
    width = iv["rank_hi"] - iv["rank_lo"] if have else None
    mine = iv[iv["county_code"] == full.county] if have else None
    out.fact("c07_draws", full.draws if have else None, "count")
    out.fact("c07_spread", full_standing.SPREAD, "share")
    found = have and not mine.empty
    out.fact("c07_county_rank_lo", float(mine["rank_lo"].iloc[0]) if found else None, "rank")
    out.fact("c07_county_rank_hi", float(mine["rank_hi"].iloc[0]) if found else None, "rank")
    out.fact("c07_interval_median_width", float(width.median()) if have else None, "count")


# ------------------------------------------------------------------------------ evidence
def _values_evidence(study, full: fi.FullIndex, county: str, year) -> pd.DataFrame:
    """The raw rows behind a county-year's indicator values: the report's own rows where the
    index is the identified method's, else the Study's chosen rows."""
    if year is None:
        return None
    if full.identified:
        rows = full.found.rows
        codes = geography.harmonise_codes(rows["county_code"], study.framework_dir)
        return rows[(codes == county).to_numpy() & (rows["year"] == year).to_numpy()].assign(
            status="published"
        )
    values = study.values_of(county)
    return study.rows_behind(values[values["year"] == year])


def _published_rows(study, keys: pd.DataFrame) -> pd.DataFrame:
    """The raw rows of the published index at `keys` (county_code, year[, source_id])."""
    obs = study.observations
    obs = obs[obs["variable"] == INDEX_VARIABLE]
    obs = obs.assign(county_code=geography.harmonise_codes(obs["county_code"], study.framework_dir))
    on = [c for c in ("county_code", "year", "source_id") if c in keys]
    rows = obs.merge(keys[on].astype({"year": int}).drop_duplicates(), on=on)
    return rows.assign(status="published")

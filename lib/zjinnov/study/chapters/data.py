"""Chapter 01 (数据与来源): what the raw tables hold, what kind of figure each row is, which
indicators the county's data can feed, and which published figures agree with their parts.

`build(study)` returns facts and tidy tables; nothing here prints, plots or reads the
environment. Counts of raw rows by kind come from the Study's selection stage: a row is
published, implied, inferred or derived, and only published rows are ever chosen as
observations.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import coverage, derived, geography, selection
from zjinnov.study.chapters import method
from zjinnov.study.facts import ChapterResult
from zjinnov.study.study import Study

CHAPTER = "c01"
SOURCE_CONFIDENCE = selection.SOURCE_GRADES
COMPUTED = ("implied", "inferred", "derived")
# Each verdict of a consistency check, and the column that counts it.
VERDICT_COLUMNS = {
    "consistent": "n_consistent",
    "inconsistent": "n_inconsistent",
    "not checkable": "n_not_checkable",
}
# The checks that read a figure against its own components under a stated assumption; the
# chapter reports each for the county being built (absent for most counties).
RD_NEXT_YEAR = "rd_intensity_next_gdp"
TAX_RATE = "tax_relief_rate"
# A full-year value implied from a growth rate set beside a published partial-year figure.
PERIOD_MISMATCH = "covers months"


def build(study: Study) -> ChapterResult:
    result = ChapterResult(CHAPTER)
    result.fact("c01_county_name", study.county, "place")
    result.fact("c01_county_code", study.county, "code")
    checks = study.checks
    _rows(study, result, checks.n_problems)
    _units(study, result, sorted(checks.coverage["year"].unique()))
    _coverage(study, result, checks.coverage)
    _checks(study, result, checks.consistency)
    _unpublished(study, result)
    return result


# --- raw rows and sources -----------------------------------------------------------------
def _rows(study: Study, result: ChapterResult, problems: int) -> None:
    # The rows of the raw tables; figures the registry's formulas derive from them are counted
    # apart (they are not rows of data/raw).
    formula_made = study.candidates["file"].eq(derived.VARIABLES_FILE)
    result.fact("c01_n_formula_derived", int(formula_made.sum()), "count")
    rows = study.candidates[~formula_made]
    src = study.sources
    status = rows["status"]
    no_quote = rows["quote"].fillna("").str.strip().eq("")
    seed_ids = set(src.loc[src["kind"].eq("seed"), "source_id"])
    result.fact("c01_n_sources", len(src), "count")
    result.fact("c01_n_raw_files", rows["file"].nunique(), "count")
    result.fact("c01_n_raw_rows", len(rows), "count")
    result.fact("c01_n_variables", rows["variable"].nunique(), "count")
    result.fact("c01_n_problems", problems, "count")
    result.fact("c01_n_seed_claims", int(rows["source_id"].isin(seed_ids).sum()), "count")
    result.fact("c01_n_published", int(status.eq(selection.PUBLISHED).sum()), "count")
    result.fact(
        "c01_n_partial", int((status.eq(selection.PUBLISHED) & rows["partial"]).sum()), "count"
    )
    result.fact("c01_n_implied", int(status.eq("implied").sum()), "count")
    result.fact("c01_n_inferred", int(status.eq("inferred").sum()), "count")
    result.fact("c01_n_derived", int(status.eq("derived").sum()), "count")
    result.fact("c01_n_no_quote", int(no_quote.sum()), "count")
    result.fact(
        "c01_n_no_quote_published", int((no_quote & status.eq(selection.PUBLISHED)).sum()), "count"
    )
    # Computed rows that the selection chose as observations: zero by the policy, shown so the
    # chapter's statement that they are never used is checked, not asserted.
    result.fact("c01_n_computed_used", int((rows["used"] & status.isin(COMPUTED)).sum()), "count")
    own = rows[rows["used"] & rows["county_code"].eq(study.county)]
    result.fact("c01_n_own_rows", _or_none(len(own)), "count")
    result.fact("c01_n_own_variables", _or_none(own["variable"].nunique()), "count")
    result.tables["sources_by_kind"] = _sources_by_kind(src)
    result.tables["rows_by_file"] = _rows_by_file(rows, no_quote)


def _sources_by_kind(src: pd.DataFrame) -> pd.DataFrame:
    table = pd.crosstab(src["kind"], src["confidence"]).reindex(
        columns=list(SOURCE_CONFIDENCE), fill_value=0
    )
    table.loc["total"] = table.sum()
    table["n_total"] = table.sum(axis=1)
    table.columns = [*(f"n_{c}" for c in SOURCE_CONFIDENCE), "n_total"]
    return table.rename_axis("source_kind").reset_index()


def _rows_by_file(rows: pd.DataFrame, no_quote: pd.Series) -> pd.DataFrame:
    # Published rows by their confidence; computed rows by how they were computed.
    kind = rows["confidence"].where(rows["status"].eq(selection.PUBLISHED), rows["status"])
    order = [*SOURCE_CONFIDENCE, *COMPUTED]
    table = pd.crosstab(rows["file"], kind).reindex(columns=order, fill_value=0)
    table.columns = [f"n_{c}" for c in order]
    table["n_no_quote"] = no_quote.groupby(rows["file"]).sum().astype(int)
    table["n_total"] = rows.groupby("file").size()
    return table.rename_axis("file").reset_index()


# --- county-level units -------------------------------------------------------------------
def _units(study: Study, result: ChapterResult, years: list[int]) -> None:
    # The years of the coverage cube: the study period.
    counts = pd.DataFrame(
        {
            "year": [int(y) for y in years],
            "n_units": [len(geography.units_in_year(y, study.framework_dir)) for y in years],
        }
    )
    counts = counts[counts["n_units"] > 0].reset_index(drop=True)
    latest = counts.iloc[-1]
    result.fact("c01_units_year", int(latest["year"]), "year")
    result.fact("c01_n_units", int(latest["n_units"]), "count")
    result.tables["units_by_year"] = counts
    registry = geography.load_counties(study.framework_dir)
    changed = (
        registry["valid_from"].notna()
        | registry["valid_to"].notna()
        | registry["type"].eq(geography.STATISTICAL_ZONE)
    )
    changes = registry.loc[changed, ["code", "name", "type", "valid_from", "valid_to"]]
    result.fact("c01_n_code_changes", len(changes), "count")
    result.tables["code_changes"] = changes.rename(
        columns={"code": "county_code", "name": "county_name", "type": "unit_type"}
    ).reset_index(drop=True)


# --- indicator coverage -------------------------------------------------------------------
def _coverage(study: Study, result: ChapterResult, cube: pd.DataFrame) -> None:
    result.fact("c01_n_indicators", len(study.indicators), "count")
    grades = method.evidence_counts(study)
    result.fact("c01_n_evidence_source", grades.n_source, "count")
    result.fact("c01_n_evidence_choice", grades.n_choice, "count")
    result.fact("c01_evidence_grades", grades.items, "items")
    mine = cube[cube["county_code"] == study.county]
    if mine.empty:
        # No figure of the county feeds any formula: every indicator has no data.
        summary = pd.Series(
            {"with_complete_year": 0, "with_any_input": 0, "without_data": len(study.indicators)}
        )
    else:
        summary = coverage.summary(cube, study.county)
    result.fact("c01_n_ind_complete", int(summary["with_complete_year"]), "count")
    result.fact("c01_n_ind_any", int(summary["with_any_input"]), "count")
    result.fact("c01_n_ind_none", int(summary["without_data"]), "count")
    result.fact(
        "c01_n_units_with_obs", cube.loc[cube["status"] != "none", "county_code"].nunique(), "count"
    )
    years = sorted(cube["year"].unique())
    result.fact("c01_coverage_first_year", int(years[0]), "year")
    result.fact("c01_coverage_last_year", int(years[-1]), "year")
    grid = (
        coverage.coverage_grid(cube, study.county)
        .reindex(index=study.indicators["code"], columns=years)
        .fillna(0)
        .astype(int)
    )
    names = study.indicators.set_index("code")["name_zh"]
    long = grid.rename_axis(index="indicator", columns="year").stack().rename("level")
    long = long.reset_index()
    result.tables["coverage"] = pd.DataFrame(
        {
            "indicator": long["indicator"],
            "name_zh": long["indicator"].map(names),
            "year": long["year"],
            "status": long["level"].map(dict(enumerate(coverage.STATUS_ORDER))),
        }
    )


# --- consistency --------------------------------------------------------------------------
def _checks(study: Study, result: ChapterResult, checks: pd.DataFrame) -> None:
    counts = checks["verdict"].value_counts()
    result.fact("c01_n_checks", len(checks), "count")
    result.fact("c01_n_consistent", int(counts.get("consistent", 0)), "count")
    result.fact("c01_n_inconsistent", int(counts.get("inconsistent", 0)), "count")
    result.fact("c01_n_not_checkable", int(counts.get("not checkable", 0)), "count")
    overview = (
        pd.crosstab(checks["check"], checks["verdict"])
        .reindex(columns=list(VERDICT_COLUMNS), fill_value=0)
        .set_axis(list(VERDICT_COLUMNS.values()), axis=1)
    )
    labels = checks.drop_duplicates("check").set_index("check")["label"]
    order = list(dict.fromkeys(checks["check"]))
    result.tables["checks_overview"] = (
        overview.reindex(order)
        .assign(check_label=labels.reindex(order))
        .reset_index(drop=True)[["check_label", *overview.columns]]
    )
    own = checks[checks["county_code"] == study.county].reset_index(drop=True)
    result.tables["own_checks"] = own.rename(
        columns={
            "label": "check_label",
            "published": "published_value",
            "recomputed": "recomputed_value",
            "difference": "gap",
            "verdict": "verdict",
        }
    )[
        [
            "check_label",
            "year",
            "period",
            "published_value",
            "recomputed_value",
            "gap",
            "tolerance",
            "verdict",
            "source_ids",
            "note",
        ]
    ]
    _own_checks(own, result, _unit_of(study, "total_tax_relief"))


def _unit_of(study: Study, variable: str) -> str | None:
    units = study.observations.loc[study.observations["variable"].eq(variable), "unit"]
    return units.iloc[0] if len(units) else None


def _own_checks(own: pd.DataFrame, result: ChapterResult, tax_unit: str | None) -> None:
    verdict = own["verdict"]
    result.fact("c01_n_own_checks", _or_none(len(own)), "count")
    result.fact("c01_own_consistent", int(verdict.eq("consistent").sum()), "count")
    result.fact("c01_n_own_inconsistent", int(verdict.eq("inconsistent").sum()), "count")
    result.fact("c01_own_not_checkable", int(verdict.eq("not checkable").sum()), "count")
    bad = own[verdict.eq("inconsistent")]
    result.fact(
        "c01_own_inconsistent_items",
        pd.DataFrame(
            {
                "check": bad["check"],
                "label": bad["label"],
                "year": bad["year"].astype(str),
            }
        ),
        "items",
    )
    mismatch = own["note"].str.contains(PERIOD_MISMATCH, regex=False)
    result.fact("c01_own_partial_year", _or_none(int(mismatch.sum())), "count")
    rd = own[own["check"].eq(RD_NEXT_YEAR)].head(1)
    found = not rd.empty
    result.fact("c01_rd_year", int(rd["year"].iloc[0]) if found else None, "year")
    result.fact("c01_rd_published", rd["published"].iloc[0] if found else None, "pct2")
    result.fact("c01_rd_next_recomputed", rd["recomputed"].iloc[0] if found else None, "pct2")
    result.fact("c01_rd_next_gap", abs(rd["difference"].iloc[0]) if found else None, "pct2")
    result.fact("c01_rd_next_tolerance", rd["tolerance"].iloc[0] if found else None, "pct2")
    tax = own[own["check"].eq(TAX_RATE) & verdict.eq("consistent")].head(1)
    found = not tax.empty
    result.fact("c01_tax_year", int(tax["year"].iloc[0]) if found else None, "year")
    result.fact(
        "c01_tax_relief_net", tax["published"].iloc[0] if found else None, "money", tax_unit
    )
    result.fact("c01_tax_at_rate", tax["recomputed"].iloc[0] if found else None, "money", tax_unit)


# --- what is not published ----------------------------------------------------------------
def _unpublished(study: Study, result: ChapterResult) -> None:
    targets = study.targets
    own = targets[targets["region_code"].eq(study.county) & targets["target_value"].notna()]
    result.fact("c01_n_own_targets", _or_none(len(own)), "count")


def _or_none(n: int) -> int | None:
    """A count of zero things found is stated by the sentence's missing wording."""
    return int(n) if n else None

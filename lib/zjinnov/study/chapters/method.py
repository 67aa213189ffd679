"""Chapter 02 (指标体系与方法): the indicator registry, what its evidence is, and the engine
checked against two outside references (COINr's ASEM example, the NBS China Innovation Index).

`build(study)` returns facts and tidy tables. The references live under tests/reference/
(copies of outside data, not this project's figures); the county enters only through how
many of the registry's indicators its public data can compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from zjinnov.data import framework, paths
from zjinnov.engine import cii, coinr
from zjinnov.engine.tiers import EIS_LABELS, TierRule, assign_tiers
from zjinnov.study import reference_cases
from zjinnov.study.facts import ChapterResult, Fact
from zjinnov.study.study import Study

CHAPTER = "c02"
REFERENCE = paths.ROOT / "tests" / "reference"
# COINr documentation, vignette "results": the index top six of the ASEM example
# (tests/reference/coinr-asem/README.md; the same figures tests/test_asem_reference.py checks).
TOP_SHOWN = 15  # countries in the ASEM figure


def build(study: Study, reference: Path = REFERENCE) -> ChapterResult:
    result = ChapterResult(CHAPTER)
    _registry(study, result)
    asem = asem_reference(reference)
    _asem(asem, result)
    _cii(reference, result)
    _chain(result)
    _county(study, result)
    return result


# --- the registry -------------------------------------------------------------------------
# An evidence grade requires either a citation (the evidence is a public source) or a reason
# (the indicator is this study's choice): data/framework/evidence_grades.csv, `requires`.
SOURCE, CHOICE = "citation", "reason"


def evidence_table(study: Study) -> pd.DataFrame:
    """Each evidence grade, strongest first: its words (zh, en), what it requires, and how many
    of the registry's indicators have it."""
    grades = framework.load_evidence_grades(study.framework_dir)
    counts = study.indicators["evidence"].value_counts()
    return pd.DataFrame(
        {
            "evidence": grades["grade"],
            "evidence_label": grades["label_zh"],
            "evidence_label_en": grades["label_en"],
            "evidence_meaning": grades["meaning_zh"],
            "requires": grades["requires"],
            "n_indicators": grades["grade"].map(counts).fillna(0).astype(int),
        }
    )


@dataclass(frozen=True)
class EvidenceCounts:
    n_source: int  # indicators whose grade rests on a public source
    n_choice: int  # indicators whose grade is this study's choice
    items: pd.DataFrame  # per grade with indicators: label_zh, label_en, n (a count Fact)


def evidence_counts(study: Study) -> EvidenceCounts:
    """How many indicators rest on a source and how many on this study's choice, and the count
    per grade (chapters 01 and 02 both state them)."""
    table = evidence_table(study)
    by_need = table.groupby("requires")["n_indicators"].sum()
    items = pd.DataFrame(
        {
            "label_zh": table["evidence_label"],
            "label_en": table["evidence_label_en"],
            "n": [Fact(int(n), "count") for n in table["n_indicators"]],
        }
    )[table["n_indicators"].gt(0).to_numpy()]
    return EvidenceCounts(
        int(by_need.get(SOURCE, 0)), int(by_need.get(CHOICE, 0)), items.reset_index(drop=True)
    )


def _registry(study: Study, result: ChapterResult) -> None:
    ind, dom = study.indicators, study.domains
    tree = study.hierarchy
    weights = tree.effective_weights()
    result.fact("c02_n_indicators", len(ind), "count")
    result.fact("c02_n_domains", len(dom), "count")
    result.fact(
        "c02_n_standard",
        int(pd.to_numeric(ind["standard"], errors="coerce").notna().sum()),
        "count",
    )
    grades = evidence_counts(study)
    result.fact("c02_n_evidence_source", grades.n_source, "count")
    result.fact("c02_n_evidence_choice", grades.n_choice, "count")
    result.fact("c02_evidence_grades", grades.items, "items")
    # One weight for every domain is stated as such; unequal weights are shown in the table.
    domain_weights = pd.to_numeric(dom["weight"]).round(6).unique()
    result.fact(
        "c02_domain_weight", domain_weights[0] if len(domain_weights) == 1 else None, "ratio"
    )
    result.fact("c02_weights_sum", float(weights.sum()), "ratio")
    within = pd.to_numeric(ind["weight"]).round(6).groupby(ind["domain"]).nunique()
    result.fact("c02_n_equal_within", int((within == 1).sum()), "count")
    result.fact("c02_n_levels", len(tree.levels), "count")
    evidence = evidence_table(study)
    result.tables["evidence"] = evidence[["evidence_label", "evidence_meaning", "n_indicators"]]
    result.tables["domains"] = _domain_table(ind, dom, evidence)


def _domain_table(ind: pd.DataFrame, dom: pd.DataFrame, evidence: pd.DataFrame) -> pd.DataFrame:
    needs = ind["evidence"].map(evidence.set_index("evidence")["requires"])
    counts = ind.groupby("domain", sort=False).agg(
        n_indicators=("code", "size"),
        first_indicator=("code", "min"),
        last_indicator=("code", "max"),
    )
    counts["n_evidence_source"] = needs.eq(SOURCE).groupby(ind["domain"]).sum()
    counts["n_evidence_choice"] = needs.eq(CHOICE).groupby(ind["domain"]).sum()
    counts["n_standard"] = (
        pd.to_numeric(ind["standard"], errors="coerce").notna().groupby(ind["domain"]).sum()
    )
    table = (
        dom.set_index("domain")[["code", "weight", "aggregation"]]
        .rename(columns={"code": "domain_code"})
        .join(counts)
    )
    return table.rename_axis("domain").reset_index()


# --- COINr's ASEM example -----------------------------------------------------------------
@cache
def asem_reference(reference: Path = REFERENCE) -> dict:
    """COINr's `build_example_coin()` recomputed by this engine, with its steps and tiers."""
    idata, imeta = coinr.load(reference / "coinr-asem")
    result, steps = coinr.example_recipe(idata, imeta)
    table = coinr.results_table(result, idata)
    return {"idata": idata, "result": result, "steps": steps, "table": table}


def _asem(asem: dict, result: ChapterResult) -> None:
    table, steps = asem["table"], asem["steps"]
    published = pd.Series(coinr.PUBLISHED_TOP6)
    che = table.loc["CHE"]
    treated = steps["treatment"]["treatment"]
    matched = table["score"].reindex(published.index).round(2).eq(published)
    result.fact("c02_asem_n_regions", len(table), "count")
    result.fact("c02_asem_n_indicators", len(asem["result"].hierarchy.indicators), "count")
    result.fact("c02_asem_first", str(table.index[0]), "code")
    result.fact("c02_asem_che_rank", int(che["rank"]), "rank")
    result.fact("c02_asem_che_score", float(che["score"]), "ratio")
    result.fact("c02_asem_n_published", len(published), "count")
    result.fact("c02_asem_n_matched", int(matched.sum()), "count")
    result.fact("c02_asem_n_winsorised", int((treated == "winsorised").sum()), "count")
    result.fact("c02_asem_n_log", int((treated == "log").sum()), "count")
    top = table.head(TOP_SHOWN)[["name", "score", "rank"]].rename(columns={"name": "name_en"})
    top = top.rename_axis("region").reset_index().rename_axis(columns=None)
    result.tables["asem_top"] = top.assign(published_score=top["region"].map(published))
    tiers = assign_tiers(table["score"], TierRule.eis(reference="mean"))
    counts = tiers.value_counts().reindex(list(EIS_LABELS[::-1]), fill_value=0)
    result.fact("c02_eis_leader", int(counts.get("leader", 0)), "count")
    result.fact("c02_eis_strong", int(counts.get("strong", 0)), "count")
    result.fact("c02_eis_moderate", int(counts.get("moderate", 0)), "count")
    result.fact("c02_eis_emerging", int(counts.get("emerging", 0)), "count")
    result.tables["eis_tiers"] = counts.rename("n_countries").rename_axis("eis_tier").reset_index()


# --- the NBS China Innovation Index -------------------------------------------------------
def _cii(reference: Path, result: ChapterResult) -> None:
    table = cii.total_vs_domains(cii.load(reference / "nbs-cii.csv"))
    result.fact("c02_cii_n_years", len(table), "count")
    result.fact("c02_cii_max_diff", float(table["diff"].abs().max()), "value")
    tolerance = cii.rounding_tolerance(1)
    result.fact("c02_cii_tolerance", tolerance, "value")
    result.fact("c02_cii_n_beyond", int((table["diff"].abs() > tolerance + 1e-9).sum()), "count")
    result.tables["cii"] = table.rename(
        columns={"base": "cii_base", "total": "cii_total", "diff": "cii_gap"}
    )


def _chain(result: ChapterResult) -> None:
    chain = reference_cases.chain_example()
    result.fact("c02_chain_year", chain["year"], "year")
    result.fact("c02_chain_d1", chain["chained_d1"], "ratio")
    result.fact("c02_chain_index", chain["chained_index"], "ratio")
    result.fact("c02_ratio_d1", chain["ratio_d1"], "ratio")
    result.fact("c02_chain_hand_d1", chain["hand_d1"], "ratio")
    result.fact("c02_chain_hand_index", chain["hand_index"], "ratio")


# --- the county ---------------------------------------------------------------------------
def _county(study: Study, result: ChapterResult) -> None:
    mine = study.values_of()
    result.fact("c02_county_name", study.county, "place")
    result.fact("c02_county_n_ind", int(mine["indicator"].nunique()) or None, "count")
    result.fact("c02_county_n_values", len(mine) or None, "count")

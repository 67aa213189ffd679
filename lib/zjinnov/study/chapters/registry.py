"""Appendix A1: the indicator registry as the reader sees it, from data/framework/indicators.csv.

The same registry drives the engine, validation and this page; the evidence grade of each
indicator (data/framework/evidence_grades.csv) says what the evidence for it is, strongest
first. The split of indicators between domains and every weight are this study's assumptions.
An indicator graded on a province rank (official_rank, article_rank) shows the quote that
names its province rank (`zjinnov.data.rank_evidence`): a city rank is not a province rank.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import framework, rank_evidence
from zjinnov.study.facts import ChapterResult, Fact
from zjinnov.study.study import Study

CHAPTER = "a1"
REGISTRY_COLUMNS = [
    "indicator",
    "name_zh",
    "name_en",
    "domain",
    "unit",
    "direction",
    "formula",
    "weight",
    "standard",
    "evidence",
    "citation",
    "reason",
]  # the order of the published table


def build(study: Study) -> ChapterResult:
    result = ChapterResult(CHAPTER)
    ind, dom = study.indicators, study.domains
    grades = framework.load_evidence_grades(study.framework_dir)
    label = dict(zip(grades["grade"], grades["label_zh"], strict=True))
    counts = ind["evidence"].value_counts().reindex(grades["grade"], fill_value=0)
    sizes = ind.groupby("domain").size().reindex(dom["domain"], fill_value=0)
    result.fact("a1_n", len(ind), "count")
    result.fact("a1_n_domains", len(dom), "count")
    result.fact("a1_n_with_standard", int(ind["standard"].notna().sum()), "count")
    english = dict(zip(dom["domain"], dom["domain_en"], strict=True))
    result.fact(
        "a1_domain_sizes",
        pd.DataFrame(
            {
                "domain": sizes.index,
                "domain_en": sizes.index.map(english),
                "n": [Fact(int(n), "count") for n in sizes],
            }
        ),
        "items",
    )
    label_en = dict(zip(grades["grade"], grades["label_en"], strict=True))
    result.fact(
        "a1_by_grade",
        pd.DataFrame(
            {
                "grade": [label[g] for g in counts.index],
                "grade_en": [label_en[g] for g in counts.index],
                "n": [Fact(int(n), "count") for n in counts],
            }
        ),
        "items",
    )
    _rank_quotes(study, result, label)
    result.tables["grades"] = pd.DataFrame(
        {
            "evidence_label": grades["label_zh"],
            "evidence_meaning": grades["meaning_zh"],
            "n_indicators": counts.to_numpy(),
        }
    )
    result.tables["by_domain"] = _by_domain(ind, dom, grades, label)
    table = ind.rename(columns={"code": "indicator"}).assign(evidence=ind["evidence"].map(label))
    result.tables["registry"] = table[REGISTRY_COLUMNS].reset_index(drop=True)
    return result


def _by_domain(ind, dom, grades, label) -> pd.DataFrame:
    """Per domain: how many indicators, and how many of each evidence grade (strongest first)."""
    rows = []
    for domain in dom["domain"]:
        mine = ind.loc[ind["domain"] == domain, "evidence"].value_counts()
        parts = [f"{label[g]} {int(mine[g])}" for g in grades["grade"] if mine.get(g, 0)]
        rows.append((domain, int(mine.sum()), parts))
    return pd.DataFrame(rows, columns=["domain", "n_indicators", "by_evidence"])


def _rank_quotes(study: Study, result: ChapterResult, label: dict) -> None:
    """Per indicator graded on a province rank, the raw rows whose quotes print that rank."""
    found = rank_evidence.rank_evidence(study.observations, study.indicators, study.sources)
    graded = study.indicators[study.indicators["evidence"].isin(list(rank_evidence.RANK_GRADES))]
    names = study.indicators.set_index("code")["name_zh"]
    result.fact("a1_n_rank_graded", len(graded) or None, "count", evidence=found)
    result.fact("a1_n_rank_quoted", found["indicator"].nunique() or None, "count", evidence=found)
    result.tables["rank_quotes"] = pd.DataFrame(
        {
            "indicator": found["indicator"],
            "name_zh": found["indicator"].map(names),
            "evidence": found["evidence"].map(label),
            "county_code": found["county_code"],
            "year": found["year"],
            "rank": found["value"],
            "source_id": found["source_id"],
            "quote": found["quote"],
            "file": found["file"],
            "row": found["row"],
        }
    )

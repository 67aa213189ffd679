"""Appendix A1: the indicator registry as the reader sees it, from data/framework/indicators.csv.

The same registry drives the engine, validation and this page; the evidence grade of each
indicator (data/framework/evidence_grades.csv) says what the evidence for it is, strongest
first. The split of indicators between domains and every weight are this study's assumptions.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import framework
from zjinnov.study.facts import ChapterResult
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
    result.fact(
        "a1_domain_sizes", pd.DataFrame({"domain": sizes.index, "n": sizes.to_numpy()}), "items"
    )
    result.fact(
        "a1_by_grade",
        pd.DataFrame({"grade": [label[g] for g in counts.index], "n": counts.to_numpy()}),
        "items",
    )
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

"""The rows behind a rank grade of the indicator registry: evidence by what each source says.

An indicator graded `official_rank` is named with its province rank in an official report
the indicator cites; one graded `article_rank`, in an article only. A city rank is not a
province rank. `rank_evidence` gives, per such indicator, the raw rows that print its
province rank (the quote a reader checks the grade against); `check_rank_evidence` fails a
grade its cited sources do not support.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import formula, selection
from zjinnov.data.errors import ValidationReport
from zjinnov.data.framework import load_indicators
from zjinnov.data.paths import DATA

# Grades that rest on a province rank printed in a source, and the source kinds each accepts.
RANK_GRADES = {"official_rank": ("official",), "article_rank": None}
RANK_SUFFIX = "_rank_zj"  # a province rank; a city rank (_rank_city) is not one
EVIDENCE_COLUMNS = [
    "indicator",
    "evidence",
    "county_code",
    "year",
    "variable",
    "value",
    "source_id",
    "source_kind",
    "status",
    "quote",
    "file",
    "row",
]


def rank_variable(indicator) -> str:
    """The variable under which a province rank of the indicator is recorded."""
    published = getattr(indicator, "published_as", "") or ""
    names = formula.variables(indicator.formula)
    base = published or (names[0] if len(names) == 1 else indicator.formula)
    return f"{base}{RANK_SUFFIX}"


def rank_evidence(
    obs: pd.DataFrame, indicators: pd.DataFrame, sources: pd.DataFrame
) -> pd.DataFrame:
    """For every indicator graded on a province rank (`RANK_GRADES`), the raw rows of its cited
    sources that print its province rank: the quote a reader can check the grade against."""
    kinds = dict(zip(sources["source_id"], sources["kind"], strict=True))
    out = []
    for ind in indicators[indicators["evidence"].isin(list(RANK_GRADES))].itertuples(index=False):
        cited = [c.strip() for c in ind.citation.split(";") if c.strip()]
        rows = obs[obs["variable"].eq(rank_variable(ind)) & obs["source_id"].isin(cited)]
        rows = rows[selection.status_of(rows["confidence"]).eq(selection.PUBLISHED)]
        out.append(
            rows.assign(
                status=selection.PUBLISHED,
                indicator=ind.code,
                evidence=ind.evidence,
                source_kind=rows["source_id"].map(kinds),
            )
        )
    if not out:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    table = pd.concat(out, ignore_index=True)[EVIDENCE_COLUMNS]
    return table.sort_values(["indicator", "year", "source_id"], ignore_index=True)


def check_rank_evidence(
    obs: pd.DataFrame, indicators: pd.DataFrame, sources: pd.DataFrame, report: ValidationReport
) -> None:
    """A rank grade must rest on what its sources print: every cited source gives the
    indicator's province rank (a city rank is not one), and an official_rank indicator has
    one from an official source. (Run on the shipped data by a test, not by `validate`: a
    scratch data folder beside the shipped registry holds few of the rows it cites.)"""
    found = rank_evidence(obs, indicators, sources)
    for i, ind in enumerate(indicators.itertuples(index=False)):
        accepted = RANK_GRADES.get(ind.evidence, "none")
        if accepted == "none":
            continue
        mine = found[found["indicator"].eq(ind.code)]
        cited = [c.strip() for c in ind.citation.split(";") if c.strip()]
        where = ("framework/indicators.csv", i + 2)
        silent = [c for c in cited if c not in set(mine["source_id"])]
        if silent:
            report.add(
                *where,
                "citation",
                f"graded {ind.evidence}, but these cited sources print no province rank "
                f"({rank_variable(ind)}) for it: {', '.join(silent)}",
                ind.citation,
            )
        if accepted and not mine["source_kind"].isin(accepted).any():
            report.add(
                *where,
                "evidence",
                f"graded {ind.evidence}: no province rank ({rank_variable(ind)}) from an "
                f"{' or '.join(accepted)} source it cites",
                ind.evidence,
            )


def load_rank_evidence(data_dir: Path = DATA) -> pd.DataFrame:
    """`rank_evidence` over the shipped (or given) data folder."""
    from zjinnov.data import sources

    data_dir = Path(data_dir)
    return rank_evidence(
        sources.load_observations(data_dir),
        load_indicators(data_dir / "framework"),
        sources.load_sources(data_dir),
    )

"""Appendix A2: the assumptions-and-caveats log (UK Aqua Book style), read from
data/framework/assumptions.csv: each assumption rated red/amber/green for the quality of its
evidence and for its impact. The page's statements (how many, which are red on both) are
computed here from the log, never typed. An assumption about the county being built names it
and its city by the placeholders {county} and {city} in the log, filled here from the county
registry (A12, the benchmark for the plan targets, names the county's own city), and the page
says how it applies to the county (its targets' scope, from the trends stage). Beside it, the
Study's stages and the settings each runs with (`Study.stages`): how every number of the book
was computed, step by step.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import assumptions
from zjinnov.study import targets
from zjinnov.study.facts import ChapterResult
from zjinnov.study.study import Study

CHAPTER = "a2"
RED = "red"
TEXT_COLUMNS = ("assumption", "where_used", "evidence", "what_would_change_it")


def build(study: Study) -> ChapterResult:
    log = _for_county(assumptions.load_assumptions(study.framework_dir / "assumptions.csv"), study)
    result = ChapterResult(CHAPTER)
    red_quality, red_impact = log["quality"].eq(RED), log["impact"].eq(RED)
    red_red = log[red_quality & red_impact]
    result.fact("a2_n", len(log), "count")
    result.fact("a2_n_red_any", int((red_quality | red_impact).sum()), "count")
    result.fact("a2_n_red_quality", int(red_quality.sum()), "count")
    result.fact("a2_n_red_impact", int(red_impact.sum()), "count")
    result.fact("a2_n_red_red", len(red_red), "count")
    result.fact("a2_red_red", red_red[["id"]].reset_index(drop=True), "items")
    result.tables["ratings"] = _ratings(log)
    result.tables["red_red"] = _shown(red_red)[["assumption_id", "assumption", "where_used"]]
    result.tables["log"] = _shown(log)
    _targets(result, study)
    stages = study.stages()
    result.fact("a2_n_stages", len(stages), "count")
    result.tables["stages"] = pd.DataFrame(
        {
            "stage_order": stages["order"],
            "stage": "stage_" + stages["stage"],
            "stage_reads": [["stage_" + r for r in reads] for reads in stages["reads"]],
            "stage_settings": stages["settings"],
        }
    )
    return result


def _ratings(log: pd.DataFrame) -> pd.DataFrame:
    """Assumptions by quality (rows) and impact (columns), red first."""
    counts = assumptions.rag_counts(log)
    counts.columns = [f"impact_{c}" for c in counts.columns]
    return counts.rename_axis("quality").reset_index()


def _shown(log: pd.DataFrame) -> pd.DataFrame:
    # `id` and `evidence` mean other things elsewhere in the book: the log's own names.
    return log.rename(columns={"id": "assumption_id", "evidence": "basis"}).reset_index(drop=True)


def _for_county(log: pd.DataFrame, study: Study) -> pd.DataFrame:
    """The log with {county} and {city} filled by the registry's names of the study county and
    its city."""
    filled = log.copy()
    for col in TEXT_COLUMNS:
        filled[col] = (
            filled[col]
            .str.replace("{county}", study.name, regex=False)
            .str.replace("{city}", study.city_name, regex=False)
        )
    return filled


def _targets(result: ChapterResult, study: Study) -> None:
    """How the plan-target assumption applies to the county: whose targets the trends stage
    measures it against (its own, its city's ratios, or none), and how many."""
    stage = study.trends
    scope = {targets.OWN: "scope_own", targets.CITY: "scope_city"}.get(stage.scope, "scope_none")
    result.fact("a2_county", study.county, "place")
    result.fact("a2_city", study.city, "place")
    result.fact("a2_targets_scope", scope, "term")
    result.fact("a2_n_targets", len(stage.targets), "count")

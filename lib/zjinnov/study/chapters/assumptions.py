"""Appendix A2: the assumptions-and-caveats log (UK Aqua Book style), read from
data/framework/assumptions.csv: each assumption rated red/amber/green for the quality of its
evidence and for its impact. The page's statements (how many, which are red on both) are
computed here from the log, never typed. Beside it, the Study's stages and the settings each
runs with (`Study.stages`): how every number of the book was computed, step by step.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import assumptions
from zjinnov.study.facts import ChapterResult
from zjinnov.study.study import Study

CHAPTER = "a2"
RED = "red"


def build(study: Study) -> ChapterResult:
    log = assumptions.load_assumptions(study.framework_dir / "assumptions.csv")
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

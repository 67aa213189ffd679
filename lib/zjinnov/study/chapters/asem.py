"""Appendix A4: the rank-interval method shown on a complete reference index (COINr's ASEM
example), since the county data support no rank interval.

The same code as the robustness chapter (`zjinnov.engine.robustness`, `.sensitivity`) with the
same settings (`zjinnov.study.uncertainty_settings`); the county plays no part, so `build`
takes only the reference folder and, for quick tests, smaller designs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.engine import coinr
from zjinnov.engine import robustness as rb
from zjinnov.engine import sensitivity as sa
from zjinnov.engine.hierarchy import from_imeta
from zjinnov.study import uncertainty_settings as settings
from zjinnov.study.chapters.method import REFERENCE
from zjinnov.study.facts import ChapterResult

CHAPTER = "a4"
FOCUS = "CHE"  # COINr's published leader: the region whose interval the text follows
# The two normalisations compared: min-max onto [1, 100], or z-scores with mean 10 and
# standard deviation 2; both stay positive, so the geometric mean is defined.
MINMAX_RANGE = (1.0, 100.0)
ZSCORE_MOMENTS = (10.0, 2.0)
# The discrete assumptions varied with the weights, as in COINr's sensitivity example.
CHOICES = (
    rb.Choice(
        "normaliser",
        (
            (
                "minmax",
                {
                    "normaliser": "minmax",
                    "params": (("lo", MINMAX_RANGE[0]), ("hi", MINMAX_RANGE[1])),
                },
            ),
            (
                "zscore",
                {
                    "normaliser": "zscore",
                    "params": (("m", ZSCORE_MOMENTS[0]), ("s", ZSCORE_MOMENTS[1])),
                },
            ),
        ),
    ),
    rb.Choice(
        "aggregation",
        (
            ("arithmetic", {"aggregation": "arithmetic"}),
            ("geometric", {"aggregation": "geometric"}),
        ),
    ),
    rb.Choice("missing", (("group_mean", {"impute": "group_mean"}), ("none", {"impute": "none"}))),
    rb.Choice("treat", (("coinr", {"treat": "coinr"}), ("none", {"treat": "none"}))),
)
TOP_REMOVALS = 10
# Removal levels as vocabulary keys (1 an indicator, 2 a pillar).
LEVEL_WORDS = {1: "indicator_level", 2: "pillar_level"}


def build(
    reference: Path = REFERENCE,
    *,
    draws: int = settings.DRAWS,
    sobol_n: int = settings.SOBOL_N,
    seed: int = settings.SEED,
) -> ChapterResult:
    result = ChapterResult(CHAPTER)
    data = _data(reference)
    _design(data, result, draws)
    uniform = rb.UncertaintySpec(rb.WeightNoise("uniform", spread=settings.SPREAD), CHOICES)
    dirichlet = rb.UncertaintySpec(rb.WeightNoise("dirichlet", alpha=settings.ALPHA), CHOICES)
    _intervals(data, result, uniform, dirichlet, draws, seed)
    _sobol(data, result, uniform, sobol_n, seed)
    _removal(data, result)
    return result


def _data(reference: Path) -> dict:
    idata, imeta = coinr.load(reference / "coinr-asem")
    cols = coinr.indicator_codes(imeta)
    denominated = coinr.denominate(idata, imeta)
    tree = from_imeta(imeta)
    nominal = coinr.ASEM_METHOD.with_(impute="group_mean", treat="coinr")
    return {
        "values": coinr.to_long(denominated, cols),
        "groups": denominated.set_index("uCode")["EurAsia_group"],
        "names": idata.set_index("uCode")["uName"],
        "tree": tree,
        "nominal": nominal,
        "n_indicators": len(cols),
    }


def _design(data: dict, result: ChapterResult, draws: int) -> None:
    base = rb.build_index(data["values"], data["tree"], data["nominal"], groups=data["groups"])
    scores = base.wide()[data["tree"].root]
    result.fact("a4_n_regions", len(data["names"]), "count")
    result.fact("a4_n_indicators", data["n_indicators"], "count")
    result.fact("a4_n_levels", len(data["tree"].levels), "count")
    result.fact("a4_n_weight_levels", len(data["tree"].levels) - 1, "count")
    result.fact("a4_base_first", str(scores.idxmax()), "code")
    result.fact("a4_base_focus_score", float(scores[FOCUS]), "ratio")
    result.fact("a4_draws", draws, "count")
    result.fact("a4_spread", settings.SPREAD, "share")
    result.fact("a4_alpha", settings.ALPHA, "value")
    result.fact("a4_lo", settings.LO, "share")
    result.fact("a4_hi", settings.HI, "share")
    result.fact("a4_minmax_lo", MINMAX_RANGE[0], "value")
    result.fact("a4_minmax_hi", MINMAX_RANGE[1], "value")
    result.fact("a4_zscore_mean", ZSCORE_MOMENTS[0], "value")
    result.fact("a4_zscore_sd", ZSCORE_MOMENTS[1], "value")


def _run(data: dict, spec: rb.UncertaintySpec, draws: int, seed: int) -> pd.DataFrame:
    tree = data["tree"]
    mc = rb.run(
        data["values"],
        tree,
        data["nominal"],
        spec,
        rb.sample(spec, tree, draws, seed),
        groups=data["groups"],
    )
    ranks = rb.summary(mc, settings.LO, settings.HI)
    return ranks.assign(width=ranks["rank_hi"] - ranks["rank_lo"])


def _intervals(data, result, uniform, dirichlet, draws: int, seed: int) -> None:
    ranks = _run(data, uniform, draws, seed)
    ranks = ranks.assign(name_en=ranks["region"].map(data["names"]))
    ranks = ranks.sort_values("rank_nominal").reset_index(drop=True)
    focus = ranks.set_index("region").loc[FOCUS]
    widest = ranks.loc[ranks["width"].idxmax()]
    result.fact("a4_focus", FOCUS, "code")
    result.fact("a4_focus_name", data["names"][FOCUS], "text")
    result.fact("a4_focus_rank", focus["rank_nominal"], "rank")
    result.fact("a4_focus_lo", focus["rank_lo"], "rank")
    result.fact("a4_focus_hi", focus["rank_hi"], "rank")
    result.fact("a4_widest", widest["region"], "code")
    result.fact("a4_widest_name", widest["name_en"], "text")
    result.fact("a4_widest_lo", widest["rank_lo"], "rank")
    result.fact("a4_widest_hi", widest["rank_hi"], "rank")
    result.fact("a4_median_width", float(ranks["width"].median()), "count")
    result.fact(
        "a4_median_width_d", float(_run(data, dirichlet, draws, seed)["width"].median()), "count"
    )
    result.tables["ranks"] = ranks[
        ["region", "name_en", "rank_nominal", "rank_median", "rank_lo", "rank_hi", "width"]
    ]


def _sobol(data, result, uniform, n: int, seed: int) -> None:
    table, _ = sa.analyse(
        data["values"],
        data["tree"],
        data["nominal"],
        uniform,
        n=n,
        seed=seed,
        groups=data["groups"],
    )
    table = table.sort_values("ST", ascending=False).reset_index(drop=True)
    # Factor names as vocabulary keys of this appendix (its levels are pillars and
    # sub-indices, not the county index's domains).
    table = table.assign(varied_assumption="asem_" + table["factor"].astype(str))
    sum_s1 = float(table["S1"].clip(lower=0).sum())
    result.fact("a4_n_runs", settings.sobol_runs(len(table), n), "count")
    result.fact("a4_top", table.loc[0, "varied_assumption"], "term")
    result.fact("a4_top_st", float(table.loc[0, "ST"]), "ratio")
    result.fact("a4_second", table.loc[1, "varied_assumption"], "term")
    result.fact("a4_second_st", float(table.loc[1, "ST"]), "ratio")
    result.fact("a4_sum_s1", sum_s1, "ratio")
    result.fact("a4_interaction", max(1 - sum_s1, 0.0), "ratio")
    result.tables["sobol"] = table[["varied_assumption", "S1", "S1_conf", "ST", "ST_conf"]].rename(
        columns={"S1": "s1", "S1_conf": "s1_conf", "ST": "st", "ST_conf": "st_conf"}
    )


def _removal(data: dict, result: ChapterResult) -> None:
    table = rb.removal_table(data["values"], data["tree"], data["nominal"], groups=data["groups"])
    summary = rb.removal_summary(table, region=FOCUS)
    summary = summary.sort_values("mean_abs_rank_change", ascending=False).reset_index(drop=True)
    pillar = summary[summary["level"] == 2].iloc[0]
    single = summary[summary["level"] == 1].iloc[0]
    result.fact("a4_top_pillar", pillar["removed_name"], "text")
    result.fact("a4_top_pillar_shift", float(pillar["mean_abs_rank_change"]), "index")
    result.fact("a4_top_ind", single["removed_name"], "text")
    result.fact("a4_top_ind_shift", float(single["mean_abs_rank_change"]), "index")
    result.fact("a4_n_removals", TOP_REMOVALS, "count")
    top = summary.head(TOP_REMOVALS)
    result.tables["removal"] = pd.DataFrame(
        {
            "removed": top["removed"],
            "removed_name": top["removed_name"],
            "tree_level": top["level"].map(LEVEL_WORDS),
            "rank_shift_mean": top["mean_abs_rank_change"],
            "rank_shift_max": top["max_abs_rank_change"],
            "focus_rank_change": top["region_rank_change"],
        }
    )


def check(result: ChapterResult) -> list[str]:
    """What must hold whatever the draws: returns the failures (empty when all hold)."""
    ranks, sobol = result.tables["ranks"], result.tables["sobol"]
    problems = []
    if not (
        (ranks["rank_lo"] <= ranks["rank_median"]) & (ranks["rank_median"] <= ranks["rank_hi"])
    ).all():
        problems.append("a rank median lies outside its interval")
    if not (sobol["st"] + sobol["st_conf"] >= sobol["s1"] - sobol["s1_conf"]).all():
        problems.append("a total effect is below its first-order effect beyond their intervals")
    if sobol["st"].min() <= -0.05:
        problems.append("a total effect is clearly negative")
    return problems

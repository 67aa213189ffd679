"""Chapter 04, robustness: how much the Study's partial index depends on its assumptions.

The chapter reads the Study's `robustness` stage (`zjinnov.study.audit`): the audit of the one
partial index shown in chapter 03, varying its weights, the reference region of its bases, the
aggregation and the missing-value rule.

`build(study, draws=..., sobol_n=...)` returns facts (prefix c04) and tables; a county without
a partial index gets every finding missing, and its sentences say so. Assumptions and options
are vocabulary keys (kind `term`), worded by the labels table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import geography, paths
from zjinnov.engine import coinr
from zjinnov.engine import robustness as rb
from zjinnov.study import uncertainty_settings as us
from zjinnov.study.audit import Audit
from zjinnov.study.facts import ChapterResult

CHAPTER = "c04"
# The assumptions as vocabulary keys (worded by the labels table), by the engine's factor group.
FACTORS = {
    "weights_level1": "indicator_weights",
    "weights_level2": "domain_weights",
    "reference": "reference_region",
    "aggregation": "aggregation",
    "missing": "missing_rule",
}
SCHEMES = {"uniform": "weights_uniform", "dirichlet": "weights_dirichlet"}
REMOVED_LEVELS = {1: "indicator_level", 2: "domain_level"}
ASEM = paths.ROOT / "tests" / "reference" / "coinr-asem"


def build(
    study, draws: int = us.DRAWS, sobol_n: int = us.SOBOL_N, seed: int = us.SEED
) -> ChapterResult:
    """Facts and tables of chapter 04 for the Study's county (`draws` per weight scheme)."""
    result = ChapterResult(CHAPTER)
    result.fact("c04_name", study.county, "place")
    result.fact("c04_n_draws", draws, "count")
    result.fact("c04_spread_pct", round(100 * us.SPREAD), "count")
    result.fact("c04_alpha", us.ALPHA, "count")
    result.fact("c04_lo_pct", round(100 * us.LO), "count")
    result.fact("c04_hi_pct", round(100 * us.HI), "count")
    result.fact("c04_n_registry", len(study.indicators), "count")
    result.fact("c04_base_year", study.base_year, "year")
    latest = _support(study, result)
    audit = study.robustness(draws=draws, sobol_n=sobol_n, seed=seed)
    result.tables["assumptions"] = _assumptions(audit)
    _interval(audit, latest, result)
    _sensitivity(audit, sobol_n, result)
    _removal(audit, result)
    _ranks(study, result)
    result.fact("c04_asem_regions", len(coinr.load(ASEM)[0]), "count")
    return result


# --- what the data support -----------------------------------------------------------------
def _support(study, result: ChapterResult) -> int | None:
    """Facts and tables of the partial index as it stands; returns its latest year."""
    partial = study.partial
    cov, bases = partial.coverage, partial.bases
    available = partial.available
    latest = int(cov["year"].max()) if available else None
    result.fact("c04_latest", latest, "year")
    result.fact("c04_n_used", len(bases) if available else None, "count")
    result.fact("c04_n_years", len(cov) if available else None, "count")
    scores = _county_scores(study)
    domains = scores[scores["level"] == 2]
    result.fact("c04_n_domains", domains["node"].nunique() if available else None, "count")
    leaves = scores[(scores["level"] == 1) & (scores["year"] == latest)]
    per_domain = leaves["node"].astype(str).map(_parents(study)).value_counts()
    result.fact("c04_max_per_domain", per_domain.max() if len(per_domain) else None, "count")
    names = dict(zip(study.domains["code"], study.domains["domain"], strict=True))
    result.tables["domain_scores"] = pd.DataFrame(
        {
            "year": domains["year"].astype(int),
            "domain": domains["node"].astype(str).map(names),
            "score": domains["score"],
        }
    ).reset_index(drop=True)
    result.tables["data"] = _data_table(study)
    return latest


def _county_scores(study) -> pd.DataFrame:
    partial = study.partial
    if not partial.available:
        return pd.DataFrame(columns=["region", "year", "node", "level", "score"])
    s = partial.result.scores
    return s[(s["region"] == study.county) & s["score"].notna()]


def _parents(study) -> dict[str, str]:
    nodes = study.partial.result.hierarchy.nodes if study.partial.available else None
    return {} if nodes is None else dict(zip(nodes["code"], nodes["parent"], strict=True))


def _data_table(study) -> pd.DataFrame:
    """The county's values that enter the partial index, and the bases they are put against."""
    bases = study.partial.bases
    own = study.partial.values
    others = bases[bases["base_region"] != study.county]
    meta = study.indicators.set_index("code")
    rows = pd.DataFrame(
        {
            "indicator": pd.concat([own["indicator"], others["indicator"]]),
            "region": pd.concat([own["county_code"], others["base_region"]]),
            "year": pd.concat([own["year"], others["base_year"]]).astype(int),
            "value": pd.concat([own["value"], others["base_value"]]),
            "source_ids": pd.concat([own["source_ids"], others["source_ids"]]),
        }
    ).sort_values(["indicator", "region", "year"])
    names = {
        c: geography.name_of(c, framework_dir=study.framework_dir) for c in set(rows["region"])
    }
    return pd.DataFrame(
        {
            "indicator": rows["indicator"],
            "name_zh": rows["indicator"].map(meta["name_zh"]),
            "region": rows["region"].map(names),
            "year": rows["year"],
            "value": rows["value"],
            "unit": rows["indicator"].map(meta["unit"]),
            "source_ids": rows["source_ids"],
        }
    ).reset_index(drop=True)


# --- the assumptions varied ----------------------------------------------------------------
def _assumptions(audit: Audit | None) -> pd.DataFrame:
    """One row per assumption and option (vocabulary keys)."""
    weights = [FACTORS["weights_level1"], FACTORS["weights_level2"]]
    rows = [(w, scheme) for w in weights for scheme in SCHEMES.values()]
    if audit is not None:
        rows += [(FACTORS[c.name], option) for c in audit.choices for option in c.labels]
    return pd.DataFrame(rows, columns=["varied_assumption", "option"])


# --- the interval ----------------------------------------------------------------------------
def _interval(audit: Audit | None, latest, result: ChapterResult) -> None:
    runs = {} if audit is None else audit.runs
    frames = []
    for scheme, mc in runs.items():
        s = rb.summary(mc, us.LO, us.HI)
        s = s[(s["region"] == audit.county) & s["score_median"].notna()]
        frames.append(
            pd.DataFrame(
                {
                    "scheme": SCHEMES[scheme],
                    "year": s["year"].astype(int),
                    "nominal": s["score_nominal"],
                    "median": s["score_median"],
                    "lo": s["score_lo"],
                    "hi": s["score_hi"],
                }
            )
        )
    columns = ["scheme", "year", "nominal", "median", "lo", "hi"]
    intervals = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    result.tables["intervals"] = intervals
    row = intervals[(intervals["scheme"] == SCHEMES["uniform"]) & (intervals["year"] == latest)]
    row = row.iloc[0] if len(row) else None
    result.fact("c04_nominal", None if row is None else row["nominal"], "index")
    result.fact("c04_median", None if row is None else row["median"], "index")
    result.fact("c04_lo", None if row is None else row["lo"], "index")
    result.fact("c04_hi", None if row is None else row["hi"], "index")
    share = None
    if row is not None:
        mc = runs["uniform"]
        s = mc.scores[:, _at(mc.years, latest), _at(mc.regions, audit.county)]
        share = float(np.mean(s > 100))
    result.fact("c04_share_above_100", share, "share")
    columns = ["varied_assumption", "option", "draws", "median", "lo", "hi"]
    by_choice = pd.DataFrame(columns=columns)
    if row is not None:
        table = rb.by_choice(runs["uniform"], audit.county, latest)
        table = table.assign(varied_assumption=table["choice"].map(FACTORS), option=table["level"])
        by_choice = table[columns]
    result.tables["by_choice"] = by_choice


def _at(axis: np.ndarray, value) -> int:
    return int(np.flatnonzero(axis == value)[0])


# --- which assumption matters most -----------------------------------------------------------
def _sensitivity(audit: Audit | None, sobol_n: int, result: ChapterResult) -> None:
    columns = ["varied_assumption", "s1", "s1_conf", "st", "st_conf"]
    sobol = pd.DataFrame(columns=columns)
    if audit is not None and audit.sobol is not None:
        table = audit.sobol.assign(varied_assumption=audit.sobol["factor"].map(FACTORS))
        sobol = table.rename(columns=str.lower)[columns]
    result.tables["sobol"] = sobol.reset_index(drop=True)
    ranked = sobol.sort_values("st", ascending=False).reset_index(drop=True)
    done = len(ranked) >= 2

    def at(column: str, k: int):
        return ranked[column].iloc[k] if done else None

    result.fact("c04_n_runs", us.sobol_runs(len(sobol), sobol_n) if done else None, "count")
    result.fact("c04_top_factor", at("varied_assumption", 0), "term")
    result.fact("c04_top_st", at("st", 0), "ratio")
    result.fact("c04_second_factor", at("varied_assumption", 1), "term")
    result.fact("c04_second_st", at("st", 1), "ratio")
    result.fact("c04_top_s1", at("s1", 0), "ratio")
    weights = [FACTORS["weights_level1"], FACTORS["weights_level2"]]
    st_weights = sobol.loc[sobol["varied_assumption"].isin(weights), "st"].sum()
    result.fact("c04_st_weights", st_weights if done else None, "ratio")


# --- one node at a time ----------------------------------------------------------------------
def _removal(audit: Audit | None, result: ChapterResult) -> None:
    columns = ["removed", "removed_name", "tree_level", "score_nominal", "score_removed"]
    effect = pd.DataFrame(columns=[*columns, "score_change"])
    n_no_effect = None
    if audit is not None:
        rs = audit.removal
        # A removal that leaves the county without a score changes it too.
        lost = rs["region_score_removed"].isna() & rs["region_score_nominal"].notna()
        moved = (rs["region_score_change"].abs() > 1e-9) | lost
        n_no_effect = int((~moved).sum())
        rs = rs[moved]
        effect = pd.DataFrame(
            {
                "removed": rs["removed"],
                "removed_name": rs["removed_name"],
                "tree_level": rs["level"].map(REMOVED_LEVELS),
                "score_nominal": rs["region_score_nominal"],
                "score_removed": rs["region_score_removed"],
                "score_change": rs["region_score_change"],
            }
        )
    result.fact("c04_n_no_effect", n_no_effect, "count")
    result.tables["removal"] = effect.reset_index(drop=True)


# --- why there are no rank intervals ---------------------------------------------------------
def _ranks(study, result: ChapterResult) -> None:
    """The year in which most county-level units have any indicator value, how many do, and
    on how many indicators all of them have one: ranks need the same indicators everywhere."""
    v = study.values[study.values["value"].notna()]
    counts = {}
    for year, grp in v.groupby("year"):
        units = set(geography.units_in_year(int(year), study.framework_dir)["code"])
        counts[int(year)] = grp[grp["county_code"].isin(units)]
    year = max(counts, key=lambda y: (counts[y]["county_code"].nunique(), y), default=None)
    n_scored = n_common = None
    if year is not None:
        rows = counts[year]
        n_scored = rows["county_code"].nunique()
        per_indicator = rows.groupby("indicator")["county_code"].nunique()
        n_common = int((per_indicator == n_scored).sum())
    result.fact("c04_rank_year", year, "year")
    result.fact("c04_n_scored", n_scored, "count")
    result.fact("c04_n_common", n_common, "count")

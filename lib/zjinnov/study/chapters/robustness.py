"""Chapter 04, robustness: how much the Study's partial index depends on its assumptions.

The chapter audits the one partial index of the Study (`study.partial`, shown in chapter 03):
its method, hierarchy and bases go into the Monte Carlo and the Sobol' analysis unchanged, so
the audit's nominal run is that index. What varies: weights at both levels (uniform noise or
Dirichlet draws), the reference region of the bases (the province, as the partial index does;
the county's city under the same rule; the county's own first values), the aggregation and the
missing-value rule. The design (draws, seed, spread, percentiles) is shared with appendix A4
(`zjinnov.study.uncertainty_settings`).

`build(study, draws=..., sobol_n=...)` returns facts (prefix c04) and tables; a county without
a partial index gets every finding missing, and its sentences say so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import geography, paths
from zjinnov.engine import coinr
from zjinnov.engine import robustness as rb
from zjinnov.engine import sensitivity as sa
from zjinnov.study import partial_index
from zjinnov.study import uncertainty_settings as us
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
# Pseudo-regions of the three sets of bases (the first is the partial index's own), each
# with the vocabulary key of its option.
REFERENCES = {
    partial_index.BASE_REGION: "reference_province",
    "base_city": "reference_city",
    "base_own": "reference_own",
}
AGGREGATIONS = {"aggregation_arithmetic": "arithmetic", "aggregation_geometric": "geometric"}
IMPUTATIONS = {
    "impute_none": "none",
    "impute_interpolate": "interpolate",
    "impute_carry_forward": "carry_forward",
}
REMOVED_LEVELS = {1: "indicator_level", 2: "domain_level"}
# Facts holding a vocabulary key, and the label group that words them (for the glue).
WORDS = {"top_factor": "term", "second_factor": "term"}
ASEM = paths.ROOT / "tests" / "reference" / "coinr-asem"


def build(
    study, draws: int = us.DRAWS, sobol_n: int = us.SOBOL_N, seed: int = us.SEED
) -> ChapterResult:
    """Facts and tables of chapter 04 for the Study's county (`draws` per weight scheme)."""
    result = ChapterResult(CHAPTER)
    result.fact("name", study.name, "text")
    result.fact("n_draws", draws, "count")
    result.fact("spread_pct", round(100 * us.SPREAD), "count")
    result.fact("alpha", us.ALPHA, "count")
    result.fact("lo_pct", round(100 * us.LO), "count")
    result.fact("hi_pct", round(100 * us.HI), "count")
    result.fact("n_registry", len(study.indicators), "count")
    latest = _support(study, result)
    audit = _Audit(study) if latest is not None else None
    result.tables["assumptions"] = _assumptions(audit)
    _interval(audit, latest, draws, seed, result)
    _sensitivity(audit, latest, sobol_n, seed, result)
    _removal(audit, latest, result)
    _ranks(study, result)
    result.fact("asem_regions", len(coinr.load(ASEM)[0]), "count")
    return result


# --- what the data support -----------------------------------------------------------------
def _support(study, result: ChapterResult) -> int | None:
    """Facts and tables of the partial index as it stands; returns its latest year."""
    partial = study.partial
    cov, bases = partial.coverage, partial.bases
    available = partial.available
    latest = int(cov["year"].max()) if available else None
    result.fact("latest", latest, "year")
    result.fact("n_used", len(bases) if available else None, "count")
    result.fact("n_years", len(cov) if available else None, "count")
    scores = _county_scores(study)
    domains = scores[scores["level"] == 2]
    result.fact("n_domains", domains["node"].nunique() if available else None, "count")
    leaves = scores[(scores["level"] == 1) & (scores["year"] == latest)]
    per_domain = leaves["node"].astype(str).map(_parents(study)).value_counts()
    result.fact("max_per_domain", per_domain.max() if len(per_domain) else None, "count")
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
    own = study.values_of()
    own = own[own["indicator"].isin(bases["indicator"])]
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


# --- the audit's input ---------------------------------------------------------------------
class _Audit:
    """The partial index's engine input with the alternative bases, and the assumptions."""

    def __init__(self, study):
        partial = study.partial
        self.county = study.county
        self.tree = partial.result.hierarchy
        self.nominal = partial.result.method
        _, city, own = REFERENCES
        alternatives = {
            partial_index.BASE_REGION: partial.bases,
            city: partial_index.base_table(
                study.values, study.county, reference=study.city, extensive=study.extensive
            ),
            own: partial_index.base_table(
                study.values, study.county, reference=None, extensive=study.extensive
            ),
        }
        # A set of bases identical to an earlier one is the same assumption: kept once.
        kept: dict[str, pd.DataFrame] = {}
        for region, bases in alternatives.items():
            if not any(_same(bases, other) for other in kept.values()):
                kept[region] = bases
        self.references = tuple(kept)
        self.values = partial_index.engine_values(study.values, study.county, kept)
        choices = [
            rb.Choice("reference", tuple((REFERENCES[r], {"base_region": r}) for r in kept)),
            rb.Choice(
                "aggregation", tuple((k, {"aggregation": v}) for k, v in AGGREGATIONS.items())
            ),
            rb.Choice("missing", tuple((k, {"impute": v}) for k, v in IMPUTATIONS.items())),
        ]
        self.choices = tuple(c for c in choices if len(c.levels) > 1)
        self.specs = {
            "uniform": rb.UncertaintySpec(
                rb.WeightNoise("uniform", spread=us.SPREAD), self.choices
            ),
            "dirichlet": rb.UncertaintySpec(
                rb.WeightNoise("dirichlet", alpha=us.ALPHA), self.choices
            ),
        }

    def run(self, scheme: str, draws: int, seed: int) -> rb.MonteCarlo:
        spec = self.specs[scheme]
        U = rb.sample(spec, self.tree, draws, seed)
        return rb.run(self.values, self.tree, self.nominal, spec, U, reference=self.references)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    cols = ["indicator", "base_value"]
    return a[cols].reset_index(drop=True).equals(b[cols].reset_index(drop=True))


def _assumptions(audit: _Audit | None) -> pd.DataFrame:
    """One row per assumption and option (vocabulary keys)."""
    weights = [FACTORS["weights_level1"], FACTORS["weights_level2"]]
    rows = [(w, scheme) for w in weights for scheme in SCHEMES.values()]
    if audit is not None:
        rows += [(FACTORS[c.name], option) for c in audit.choices for option in c.labels]
    return pd.DataFrame(rows, columns=["varied_assumption", "option"])


# --- the interval ----------------------------------------------------------------------------
def _interval(audit, latest, draws: int, seed: int, result: ChapterResult) -> None:
    runs = {}
    if audit is not None:
        try:
            runs = {scheme: audit.run(scheme, draws, seed) for scheme in audit.specs}
        except ValueError:
            runs = {}  # an assumption that cannot be applied to these data: no interval
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
    for name in ("nominal", "median", "lo", "hi"):
        result.fact(name, None if row is None else row[name], "index")
    share = None
    if row is not None:
        mc = runs["uniform"]
        s = mc.scores[:, _at(mc.years, latest), _at(mc.regions, audit.county)]
        share = float(np.mean(s > 100))
    result.fact("share_above_100", share, "share")
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
def _sensitivity(audit, latest, sobol_n: int, seed: int, result: ChapterResult) -> None:
    columns = ["varied_assumption", "s1", "s1_conf", "st", "st_conf"]
    sobol = pd.DataFrame(columns=columns)
    if audit is not None:
        try:
            table, _ = sa.analyse(
                audit.values,
                audit.tree,
                audit.nominal,
                audit.specs["uniform"],
                n=sobol_n,
                seed=seed,
                region=audit.county,
                year=latest,
            )
            table = table[table["target"] == f"score:{audit.county}"]
            table = table.assign(varied_assumption=table["factor"].map(FACTORS))
            sobol = table.rename(columns=str.lower)[columns]
        except ValueError:
            pass  # under some assumption the county has no score: variance shares undefined
    result.tables["sobol"] = sobol.reset_index(drop=True)
    ranked = sobol.sort_values("st", ascending=False).reset_index(drop=True)
    done = len(ranked) >= 2
    result.fact("n_runs", us.sobol_runs(len(sobol), sobol_n) if done else None, "count")
    for tag, k in (("top", 0), ("second", 1)):
        result.fact(f"{tag}_factor", ranked["varied_assumption"].iloc[k] if done else None, "text")
        result.fact(f"{tag}_st", ranked["st"].iloc[k] if done else None, "ratio")
    result.fact("top_s1", ranked["s1"].iloc[0] if done else None, "ratio")
    weights = [FACTORS["weights_level1"], FACTORS["weights_level2"]]
    st_weights = sobol.loc[sobol["varied_assumption"].isin(weights), "st"].sum()
    result.fact("st_weights", st_weights if done else None, "ratio")


# --- one node at a time ----------------------------------------------------------------------
def _removal(audit, latest, result: ChapterResult) -> None:
    columns = ["removed", "removed_name", "tree_level", "score_nominal", "score_removed"]
    effect = pd.DataFrame(columns=[*columns, "score_change"])
    n_no_effect = None
    if audit is not None:
        table = rb.removal_table(
            audit.values, audit.tree, audit.nominal, reference=audit.references
        )
        rs = rb.removal_summary(table, region=audit.county, year=latest)
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
    result.fact("n_no_effect", n_no_effect, "count")
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
    result.fact("rank_year", year, "year")
    result.fact("n_scored", n_scored, "count")
    result.fact("n_common", n_common, "count")

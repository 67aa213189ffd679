"""Chapter 03, the county's innovation index: its published record and a partial recomputation.

`build(study)` returns the facts the chapter's sentences are made of (prefix c03) and the
tables it shows: the published index record, ranked sub-indicators, growth rates, the
comparison with the county's city and the province, and the Study's partial index (bases and
coverage). Every fact is computed for the county of the Study; a fact the data do not give is
left missing, and its sentence says so (`zjinnov.present.sentences`).
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import geography
from zjinnov.study import county_profile, partial_index
from zjinnov.study.facts import ChapterResult, Fact

CHAPTER = "c03"
# Weakest first: a year's record is as reliable as its least reliable figure.
CONFIDENCE_ORDER = ["derived", "inferred", "implied", "low", "medium", "high"]


def build(study) -> ChapterResult:
    """Facts and tables of chapter 03 for the Study's county."""
    result = ChapterResult(CHAPTER)
    result.fact("name", study.name, "text")
    result.fact("code", study.county, "code")
    result.fact("city_name", study.city_name, "text")
    result.fact("province_name", study.province_name, "text")
    result.fact("n_registry", len(study.indicators), "count")
    _published(study, result)
    _ranked(study, result)
    _growth(study, result)
    _comparison(study, result)
    _partial(study, result)
    return result


# --- the published index, ranks and tier ------------------------------------------------
def _published(study, result: ChapterResult) -> None:
    pub = county_profile.published_index(study.observations, study.county)
    result.fact("n_years", len(pub), "count")
    _headline(study, pub, result)
    tier = pub.loc[pub["first_tier"] == 1, "year"].astype(int)
    result.fact("tier_years", pd.DataFrame({"year": [Fact(y, "year") for y in tier]}), "items")
    sizes = pub.dropna(subset=["first_tier_size"])
    last_size = sizes.iloc[-1] if len(sizes) else None
    result.fact("tier_size_year", None if last_size is None else last_size["year"], "year")
    result.fact("tier_size", None if last_size is None else last_size["first_tier_size"], "count")
    breaks = county_profile.level_break(pub)
    b = breaks.iloc[-1] if len(breaks) else None
    result.fact("break_from", None if b is None else b["from_year"], "year")
    result.fact("break_to", None if b is None else b["to_year"], "year")
    result.fact("break_rank_change", None if b is None else b["rank_change"], "count")
    result.fact("break_index_drop", None if b is None else -b["index_change"], "index")
    result.tables["published"] = _published_table(study, pub)
    result.tables["index_series"] = _index_series(pub)


def _headline(study, pub: pd.DataFrame, result: ChapterResult) -> None:
    """First and latest year in which both the index and a published rank are on record."""
    both = pub.dropna(subset=["innovation_index", "innovation_index_rank_zj"])
    both = both[~both["inferred_cols"].str.contains("innovation_index", regex=False)]
    result.fact("n_both", len(both) or None, "count")
    first = both.iloc[0] if len(both) else None
    last = both.iloc[-1] if len(both) else None
    for tag, row in (("first", first), ("last", last)):
        result.fact(f"{tag}_year", None if row is None else row["year"], "year")
        result.fact(f"{tag}_index", None if row is None else row["innovation_index"], "index")
        result.fact(f"{tag}_rank", None if row is None else row["innovation_index_rank_zj"], "rank")
    units = None
    if last is not None:
        units = len(geography.units_in_year(int(last["year"]), study.framework_dir))
    result.fact("n_units", units, "count")


def _published_table(study, pub: pd.DataFrame) -> pd.DataFrame:
    names = study.variables.set_index("variable")["label_zh"]
    inferred = pub["inferred_cols"].map(
        lambda s: "、".join(names.get(v, v) for v in s.split(", ")) if s else ""
    )
    weakest = pub["confidence"].map(
        lambda s: min(s.split("/"), key=CONFIDENCE_ORDER.index, default=None)
    )
    return pd.DataFrame(
        {
            "year": pub["year"].astype(int),
            "innovation_index": pub["innovation_index"],
            "innovation_index_rank_zj": pub["innovation_index_rank_zj"],
            "innovation_index_rank_city": pub["innovation_index_rank_city"],
            "first_tier": pub["first_tier"].map({1.0: "yes"}),
            "first_tier_size": pub["first_tier_size"],
            "source_ids": pub["sources"],
            "inferred_fields": inferred,
            "confidence": weakest,
        }
    )


def _index_series(pub: pd.DataFrame) -> pd.DataFrame:
    """What the index-and-rank chart draws: values, ranks, and which ranks were inferred."""
    return pd.DataFrame(
        {
            "year": pub["year"].astype(int),
            "innovation_index": pub["innovation_index"],
            "innovation_index_rank_zj": pub["innovation_index_rank_zj"],
            "rank_inferred": pub["inferred_cols"].str.contains(
                "innovation_index_rank_zj", regex=False
            ),
        }
    )


# --- ranked sub-indicators and growth ---------------------------------------------------
def _variable_names(study) -> tuple[pd.Series, pd.Series]:
    v = study.variables.set_index("variable")
    return v["label_zh"], v["label_en"]


def _ranked(study, result: ChapterResult) -> None:
    ranked = county_profile.ranked_indicators(study.observations, study.county)
    zh, en = _variable_names(study)
    # A rank of something that is not itself a county variable (a zone) is named by its rank.
    name_zh = ranked["base_variable"].map(zh).fillna(ranked["rank_variable"].map(zh))
    name_zh = name_zh.fillna(ranked["base_variable"])
    name_en = ranked["base_variable"].map(en).fillna(ranked["base_variable"])
    ranked = ranked.assign(name_zh=name_zh, name_en=name_en)
    # The largest group of sub-indicators sharing one rank in one year, as the reports put it.
    valued = ranked.dropna(subset=["indicator_value"]).sort_values(["year", "rank_zj"])
    group = valued.iloc[:0]
    if len(valued):
        year, rank = valued.groupby(["year", "rank_zj"]).size().idxmax()
        group = valued[(valued["year"] == year) & (valued["rank_zj"] == rank)]
    result.fact("ranked_year", group["year"].iloc[0] if len(group) else None, "year")
    result.fact("ranked_rank", group["rank_zj"].iloc[0] if len(group) else None, "rank")
    result.fact("ranked_n", len(group) if len(group) else None, "count")
    values = zip(group["indicator_value"], group["indicator_unit"], strict=True)
    items = pd.DataFrame(
        {
            "name_zh": group["name_zh"].tolist(),
            "name_en": group["name_en"].tolist(),
            "value": [Fact(v, "value", u) for v, u in values],
        }
    )
    result.fact("ranked", items, "items")
    result.tables["ranked"] = pd.DataFrame(
        {
            "year": ranked["year"].astype(int),
            "name_zh": ranked["name_zh"],
            "value": ranked["indicator_value"],
            "unit": ranked["indicator_unit"],
            "rank_zj": ranked["rank_zj"],
            "source_id": ranked["source_id"],
            "confidence": ranked["confidence"],
        }
    )


def _period_words(period: str) -> tuple[str, str]:
    """A partial-year period ("1-11") in words; a full year says nothing."""
    if period == "year":
        return "", ""
    first, last = period.split("-")
    return f"（{first}—{last} 月）", f" (months {first}–{last})"


def _growth(study, result: ChapterResult) -> None:
    growth = county_profile.growth_table(study.observations, study.county)
    zh, en = _variable_names(study)
    # The sentence lists the year with most published rates that come with their level.
    levelled = growth.dropna(subset=["level"])
    year = int(levelled["year"].value_counts().idxmax()) if len(levelled) else None
    rows = levelled[levelled["year"] == year]
    periods = [_period_words(p) for p in rows["period"]]
    items = pd.DataFrame(
        {
            "name_zh": rows["base_variable"].map(zh).fillna(rows["base_variable"]).tolist(),
            "name_en": rows["base_variable"].map(en).fillna(rows["base_variable"]).tolist(),
            "period_zh": [p[0] for p in periods],
            "period_en": [p[1] for p in periods],
            "level": [
                Fact(v, "value", u) for v, u in zip(rows["level"], rows["level_unit"], strict=True)
            ],
            "growth": [Fact(g, "value") for g in rows["growth_pct"]],
        }
    )
    result.fact("growth_year", year, "year")
    result.fact("growth", items, "items")
    result.tables["growth"] = pd.DataFrame(
        {
            "year": growth["year"].astype(int),
            "name_zh": growth["base_variable"].map(zh).fillna(growth["base_variable"]),
            "growth_level": growth["level"],
            "unit": growth["level_unit"],
            "growth_pct": growth["growth_pct"],
            "period": growth["period"],
            "source_id": growth["source_id"],
            "confidence": growth["confidence"],
        }
    )


# --- comparison with the city and the province --------------------------------------------
def _comparison(study, result: ChapterResult) -> None:
    comparators = {study.city: study.city_name, study.province: study.province_name}
    comp = county_profile.comparison(study.values, study.indicators, study.county, comparators)
    latest = county_profile.latest_comparison(comp)
    result.fact("n_with_data", study.values_of()["indicator"].nunique(), "count")
    result.fact("n_compared", latest["indicator"].nunique(), "count")
    names_en = study.indicators.set_index("code")["name_en"]
    for name, side in (("strengths", latest["ratio"] >= 1), ("weaknesses", latest["ratio"] < 1)):
        rows = latest[side]
        items = pd.DataFrame(
            {
                "name_zh": rows["name_zh"].tolist(),
                "name_en": rows["indicator"].map(names_en).tolist(),
                "year": [Fact(y, "year") for y in rows["year"]],
                "comparator": rows["comparator_name"].tolist(),
                "pct": [Fact(r, "share") for r in rows["ratio"]],
            }
        )
        result.fact(name, items, "items")
    result.tables["comparison"] = comp.drop(columns="comparator").rename(
        columns={"value": "county_value"}
    )
    result.tables["latest_comparison"] = latest


# --- the partial index -------------------------------------------------------------------
def _partial(study, result: ChapterResult) -> None:
    partial = study.partial
    bases, cov = partial.bases, partial.coverage
    # Counts of bases by rule; none at all when the county has no public indicator value.
    rules = bases["rule"].value_counts() if len(bases) else None
    result.fact("base_year", partial_index.BASE_YEAR, "year")
    for name, keys in (
        ("n_base_reference", ["reference"]),
        ("n_base_reference_later", ["reference_earliest"]),
        ("n_base_own", ["own", "own_earliest"]),
    ):
        result.fact(name, None if rules is None else sum(rules.get(k, 0) for k in keys), "count")
    # The year resting on most indicators (the latest of equals) stands for the partial index.
    best = cov.sort_values(["n_indicators", "year"]).iloc[-1] if len(cov) else None
    result.fact("pi_year", None if best is None else best["year"], "year")
    result.fact("pi_index", None if best is None else best["index"], "index")
    result.fact("pi_n", None if best is None else best["n_indicators"], "count")
    result.fact("pi_n_domains", None if best is None else best["n_domains"], "count")
    domains = study.domains.set_index("domain")
    used = [] if best is None else best["domains"].split("、")
    result.fact(
        "pi_domains",
        pd.DataFrame({"name_zh": used, "name_en": [domains.at[d, "domain_en"] for d in used]}),
        "items",
    )
    meta = study.indicators.set_index("code")
    region_names = {
        c: geography.name_of(c, framework_dir=study.framework_dir)
        for c in set(bases["base_region"])
    }
    result.tables["bases"] = pd.DataFrame(
        {
            "indicator": bases["indicator"],
            "name_zh": bases["indicator"].map(meta["name_zh"]),
            "base_value": bases["base_value"],
            "unit": bases["indicator"].map(meta["unit"]),
            "base_region": bases["base_region"].map(region_names),
            "base_year": bases["base_year"],
            "source_ids": bases["source_ids"],
            "rule": bases["rule"],
        }
    )
    result.tables["coverage"] = cov

"""Chapter 03, the county's innovation index: its published record and a partial recomputation.

`build(study)` returns the facts the chapter's sentences are made of (prefix c03) and the
tables it shows: the published index record, ranked sub-indicators, growth rates, the
comparisons with the county's city and the province (`county_comparisons`, every pair judged
by the one comparison rule), and the Study's partial index (bases and coverage). Every fact is
computed for the county of the Study; a fact the data do not give is left missing, and its
sentence says so, hands over to another sentence or says nothing (`zjinnov.present.sentences`):
a county without a published index gets no caution about one, a county with nothing to
compare one sentence saying so. The chapter's findings in short (index and rank, strongest
and weakest comparison, partial index) open the chapter and the front page.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import geography, selection
from zjinnov.study import county_profile
from zjinnov.study.chapters import county_comparisons
from zjinnov.study.facts import ChapterResult, Fact

CHAPTER = "c03"


def build(study) -> ChapterResult:
    """Facts and tables of chapter 03 for the Study's county."""
    result = ChapterResult(CHAPTER)
    result.fact("c03_name", study.county, "place")
    result.fact("c03_code", study.county, "code")
    result.fact("c03_city_name", study.city, "place")
    result.fact("c03_province_name", study.province, "place")
    result.fact("c03_n_registry", len(study.indicators), "count")
    _published(study, result)
    _ranked(study, result)
    _growth(study, result)
    county_comparisons.add(study, result)
    _partial(study, result)
    return result


# --- the published index, ranks and tier ------------------------------------------------
def _published(study, result: ChapterResult) -> None:
    pub = county_profile.published_index(study.selection.best_any, study.county)
    rows = county_profile.index_rows(study.selection.best_any, study.county)
    result.fact("c03_n_years", len(pub) or None, "count")
    _headline(study, pub, rows, result)
    _tier(study, rows, result)
    breaks = county_profile.level_break(pub)
    b = breaks.iloc[-1] if len(breaks) else None
    result.fact("c03_break_from", None if b is None else b["from_year"], "year")
    result.fact("c03_break_to", None if b is None else b["to_year"], "year")
    result.fact("c03_break_rank_change", None if b is None else b["rank_change"], "count")
    result.fact("c03_break_index_drop", None if b is None else -b["index_change"], "index")
    result.tables["published"] = _published_table(study, pub)
    result.tables["index_series"] = _index_series(pub)


def _tier(study, rows: pd.DataFrame, result: ChapterResult) -> None:
    """First-tier years: those a source prints apart from those inferred from its words (a
    report's 连续五年 names no year; the years it implies are inferred rows, listed as such with
    the words they rest on). The tier's size is a provincial figure, whoever's book it is."""
    tier = rows[(rows["variable"] == "first_tier") & (rows["value"] == 1)].sort_values("year")
    printed = tier[tier["status"].eq(selection.PUBLISHED)]
    inferred = tier[tier["status"].ne(selection.PUBLISHED)]
    result.fact("c03_tier_years", _years(printed), "items", evidence=printed)
    result.fact("c03_tier_inferred_years", _years(inferred), "items", evidence=inferred)
    quotes = list(dict.fromkeys(inferred["quote"].dropna()))
    result.fact("c03_tier_quote", quotes or None, "list", evidence=inferred)
    sizes = study.best[study.best["variable"] == "first_tier_size"]
    # The province's own row first, then any county's report of the same year's size.
    sizes = sizes.assign(_other=sizes["county_code"].ne(study.province))
    sizes = sizes.sort_values(["year", "_other"]).drop_duplicates("year")
    last = sizes.iloc[-1:] if len(sizes) else sizes
    result.fact("c03_tier_size_year", last["year"].iloc[0] if len(last) else None, "year")
    result.fact(
        "c03_first_tier_size",
        last["value"].iloc[0] if len(last) else None,
        "count",
        evidence=last,
    )


def _years(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"year": [Fact(int(y), "year") for y in rows["year"]]})


def _headline(study, pub: pd.DataFrame, rows: pd.DataFrame, result: ChapterResult) -> None:
    """First and latest year in which both the index and a published rank are on record."""
    both = pub.dropna(subset=["innovation_index", "innovation_index_rank_zj"])
    pair = {"innovation_index", "innovation_index_rank_zj"}
    both = both[~both["inferred_cols"].map(lambda cols: bool(pair & set(cols)))]
    result.fact("c03_n_both", len(both) or None, "count")
    # Two published years or more: a first and a latest to name, and a caution about the index
    # and the rank moving apart to weigh (one year is named once, and has no pair to weigh).
    result.fact("c03_n_index_years", len(both) if len(both) > 1 else None, "count")
    first = both.iloc[0] if len(both) else None
    last = both.iloc[-1] if len(both) else None

    def of(row, variable):
        if row is None:
            return None
        return rows[(rows["year"] == row["year"]) & (rows["variable"] == variable)]

    index, rank = "innovation_index", "innovation_index_rank_zj"
    result.fact("c03_first_year", None if first is None else first["year"], "year")
    result.fact(
        "c03_first_index",
        None if first is None else first[index],
        "index",
        evidence=of(first, index),
    )
    result.fact(
        "c03_first_rank", None if first is None else first[rank], "rank", evidence=of(first, rank)
    )
    result.fact("c03_last_year", None if last is None else last["year"], "year")
    result.fact(
        "c03_last_index", None if last is None else last[index], "index", evidence=of(last, index)
    )
    result.fact(
        "c03_last_rank", None if last is None else last[rank], "rank", evidence=of(last, rank)
    )
    units = None
    if last is not None:
        units = len(geography.units_in_year(int(last["year"]), study.framework_dir))
    result.fact("c03_n_units", units, "count")


def _published_table(study, pub: pd.DataFrame) -> pd.DataFrame:
    names = study.variables.set_index("variable")["label_zh"]
    # A year's record is as reliable as its least reliable figure (listed weakest first).
    return pd.DataFrame(
        {
            "year": pub["year"].astype(int),
            "innovation_index": pub["innovation_index"],
            "innovation_index_rank_zj": pub["innovation_index_rank_zj"],
            "innovation_index_rank_city": pub["innovation_index_rank_city"],
            "first_tier": pub["first_tier"].map({1.0: "yes"}),
            "first_tier_size": pub["first_tier_size"],
            "source_ids": pub["sources"].map(_joined_ids),
            "inferred_fields": pub["inferred_cols"].map(lambda v: [names.get(c, c) for c in v]),
            "confidence": pub["confidence"].map(lambda c: c[0] if c else None),
        }
    )


def _joined_ids(ids: list) -> str:
    # Source ids are codes, written as the data folder writes a list of them ("a; b").
    return "; ".join(ids)


def _index_series(pub: pd.DataFrame) -> pd.DataFrame:
    """What the index-and-rank chart draws: values, ranks, and which ranks were inferred."""
    return pd.DataFrame(
        {
            "year": pub["year"].astype(int),
            "innovation_index": pub["innovation_index"],
            "innovation_index_rank_zj": pub["innovation_index_rank_zj"],
            "rank_inferred": pub["inferred_cols"].map(lambda c: "innovation_index_rank_zj" in c),
        }
    )


# --- ranked sub-indicators and growth ---------------------------------------------------
def _variable_names(study) -> tuple[pd.Series, pd.Series]:
    v = study.variables.set_index("variable")
    return v["label_zh"], v["label_en"]


def _ranked(study, result: ChapterResult) -> None:
    chosen = study.selection
    ranked = county_profile.ranked_indicators(chosen.best_by_period, chosen.best, study.county)
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
    result.fact("c03_ranked_year", group["year"].iloc[0] if len(group) else None, "year")
    result.fact("c03_ranked_rank", group["rank_zj"].iloc[0] if len(group) else None, "rank")
    result.fact("c03_ranked_n", len(group) if len(group) else None, "count")
    values = zip(group["indicator_value"], group["indicator_unit"], strict=True)
    items = pd.DataFrame(
        {
            "name_zh": group["name_zh"].tolist(),
            "name_en": group["name_en"].tolist(),
            "value": [Fact(v, "value", u) for v, u in values],
        }
    )
    result.fact("c03_ranked_rows", items, "items")
    result.fact("c03_n_ranked", len(ranked) or None, "count")
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


def _growth(study, result: ChapterResult) -> None:
    chosen = study.selection
    growth = county_profile.growth_table(chosen.best_by_period, chosen.best, study.county)
    zh, en = _variable_names(study)
    # The sentence lists the year with most published rates that come with their level.
    levelled = growth.dropna(subset=["level"])
    year = int(levelled["year"].value_counts().idxmax()) if len(levelled) else None
    rows = levelled[levelled["year"] == year]
    items = pd.DataFrame(
        {
            "name_zh": rows["base_variable"].map(zh).fillna(rows["base_variable"]).tolist(),
            "name_en": rows["base_variable"].map(en).fillna(rows["base_variable"]).tolist(),
            "period": [Fact(p, "period") for p in rows["period"]],
            "level": [
                Fact(v, "value", u) for v, u in zip(rows["level"], rows["level_unit"], strict=True)
            ],
            "growth": [Fact(g, "value") for g in rows["growth_pct"]],
        }
    )
    result.fact("c03_growth_year", year, "year")
    result.fact("c03_n_growth", len(growth) or None, "count")
    result.fact(
        "c03_growth_rows",
        items,
        "items",
        evidence=rows.assign(
            variable=rows["base_variable"] + "_growth", county_code=study.county, status="published"
        ),
    )
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


# --- the partial index -------------------------------------------------------------------
def _partial(study, result: ChapterResult) -> None:
    partial = study.partial
    bases, cov = partial.bases, partial.coverage
    # Counts of bases by rule; none at all when the county has no public indicator value.
    rules = bases["rule"].value_counts() if len(bases) else None

    def n_rule(*names):
        return None if rules is None else sum(rules.get(k, 0) for k in names)

    result.fact("c03_base_year", study.base_year, "year")
    result.fact("c03_n_bases", len(bases) or None, "count")
    result.fact("c03_n_base_reference", n_rule("reference"), "count")
    result.fact("c03_n_base_reference_later", n_rule("reference_earliest"), "count")
    result.fact("c03_n_base_own", n_rule("own", "own_earliest"), "count")
    # The year resting on most indicators (the latest of equals) stands for the partial index.
    best = cov.sort_values(["n_indicators", "year"]).iloc[-1] if len(cov) else None
    evidence = None if best is None else _partial_evidence(study, partial, best)
    result.fact("c03_pi_year", None if best is None else best["year"], "year")
    result.fact("c03_pi_index", None if best is None else best["index"], "index", evidence=evidence)
    result.fact("c03_pi_n", None if best is None else best["n_indicators"], "count")
    result.fact("c03_pi_n_domains", None if best is None else best["n_domains"], "count")
    domains = study.domains.set_index("domain")
    used = [] if best is None else list(best["domains"])
    result.fact(
        "c03_pi_domains",
        pd.DataFrame({"name_zh": used, "name_en": [domains.at[d, "domain_en"] for d in used]}),
        "items",
        evidence=evidence,
    )
    names = study.indicators.set_index("code")
    left, left_domains = ([], []) if best is None else _left_out(study, partial, int(best["year"]))
    result.fact(
        "c03_pi_left_out_indicators",
        pd.DataFrame(
            {
                "name_zh": names.loc[left, "name_zh"].tolist(),
                "name_en": names.loc[left, "name_en"].tolist(),
            }
        ),
        "items",
    )
    result.fact(
        "c03_pi_left_out_domains",
        pd.DataFrame(
            {
                "name_zh": left_domains,
                "name_en": [domains.at[d, "domain_en"] for d in left_domains],
            }
        ),
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


def _partial_evidence(study, partial, best) -> pd.DataFrame:
    """The raw rows behind the partial index of one year: the county's figures scored that
    year and those of the bases they are put against."""
    year, codes = int(best["year"]), list(best["indicators"])
    own = partial.values[(partial.values["year"] == year) & partial.values["indicator"].isin(codes)]
    bases = partial.bases[partial.bases["indicator"].isin(codes)]
    anchors = pd.DataFrame(
        {
            "county_code": bases["base_region"],
            "year": bases["base_year"],
            "indicator": bases["indicator"],
        }
    )
    return study.rows_behind(pd.concat([own, anchors], ignore_index=True))


def _left_out(study, partial, year: int) -> tuple[list[str], list[str]]:
    """The indicators the county has values for in that year that are left out (each scored
    against the county's own value of that year: no information), and the domains left with
    no indicator because of it."""
    domain_of = study.indicators.set_index("code")["domain"]
    had = study.values_of()
    had = had.loc[
        (had["year"] == year) & had["indicator"].isin(partial.bases["indicator"]), "indicator"
    ]
    kept = partial.values.loc[partial.values["year"] == year, "indicator"]
    left = sorted(set(had) - set(kept))
    domains = set(had.map(domain_of)) - set(kept.map(domain_of))
    return left, [d for d in study.domains["domain"] if d in domains]

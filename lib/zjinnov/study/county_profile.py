"""What the published record says about one county: index values, ranks, tiers, growth,
and its standing against its city and the province on every indicator with data.

Every function reads rows the Study's selection stage chose (`zjinnov.study.selections`);
none chooses between figures itself. Lists (sources, inferred fields) stay lists. Whether two
figures may be set side by side is the one comparison rule's answer
(`zjinnov.data.comparability`), never this module's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import comparability, formula, geography, selection
from zjinnov.data.framework import extensive_codes

INDEX_VARS = (
    "innovation_index",
    "innovation_index_rank_zj",
    "innovation_index_rank_city",
    "first_tier",
    "first_tier_size",
)
RECORD_COLUMNS = ["year", *INDEX_VARS, "sources", "inferred_cols", "confidence"]


def index_rows(best_any: pd.DataFrame, county: str) -> pd.DataFrame:
    """The county's chosen index, rank and tier figures (published, else inferred), one per
    year and variable: the raw rows the published record rests on."""
    return best_any[(best_any["county_code"] == county) & best_any["variable"].isin(INDEX_VARS)]


def published_index(best_any: pd.DataFrame, county: str) -> pd.DataFrame:
    """One row per monitoring year: index, ranks and tier as published, with sources.

    `best_any`: the selection's figures of any status: a published figure wherever one exists;
    an inferred one (e.g. a rank computed from "up 8 places") only where none does, and then
    named in `inferred_cols` so it is never read as published. `sources`, `inferred_cols` and
    `confidence` hold lists (the confidences weakest first, `selection.CONFIDENCE_ORDER`).
    """
    chosen = index_rows(best_any, county)
    if chosen.empty:
        return pd.DataFrame(columns=RECORD_COLUMNS)
    wide = chosen.pivot(index="year", columns="variable", values="value")
    wide = wide.reindex(columns=list(INDEX_VARS))
    grouped = chosen.groupby("year")
    wide["sources"] = grouped["source_id"].agg(lambda s: list(dict.fromkeys(s)))
    computed = chosen[chosen["status"].ne(selection.PUBLISHED)]
    inferred = computed.groupby("year")["variable"].agg(lambda s: sorted(set(s)))
    wide["inferred_cols"] = [inferred.get(y, []) for y in wide.index]
    order = selection.CONFIDENCE_ORDER
    wide["confidence"] = grouped["confidence"].agg(lambda s: sorted(set(s), key=order.index))
    return wide.reset_index().rename_axis(columns=None)


def level_break(pub: pd.DataFrame) -> pd.DataFrame:
    """Pairs of published years where the rank improved while the index fell: a sign that the
    series was rebased or its method changed between the two reports. (An index that rises
    while the rank slips is ordinary: others grew faster.) Inferred values take no part."""
    pair = ["innovation_index", "innovation_index_rank_zj"]
    published = ~pub["inferred_cols"].map(lambda cols: bool(set(cols) & set(pair))).astype(bool)
    p = pub[published].dropna(subset=pair).sort_values("year")
    if len(p) < 2:
        return pd.DataFrame(columns=["from_year", "to_year", "index_change", "rank_change"])
    a, b = p.iloc[:-1].reset_index(drop=True), p.iloc[1:].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "from_year": a["year"],
            "to_year": b["year"],
            "index_change": b["innovation_index"] - a["innovation_index"],
            # Positive = moved up the table.
            "rank_change": a["innovation_index_rank_zj"] - b["innovation_index_rank_zj"],
        }
    )
    return out[(out["index_change"] < 0) & (out["rank_change"] > 0)].reset_index(drop=True)


# Column names of the joins below: a rank's or growth rate's own variable and its level.
BASE_NAMES = {
    "variable": "base_variable",
    "value": "base_value",
    "unit": "base_unit",
    "period": "base_period",
}
RANKED_NAMES = {
    "year": "year",
    "variable": "rank_variable",
    "base_variable": "base_variable",
    "base_value": "indicator_value",
    "base_unit": "indicator_unit",
    "value": "rank_zj",
    "source_id": "source_id",
    "confidence": "confidence",
    "quote": "quote",
}
GROWTH_NAMES = {
    "year": "year",
    "base_variable": "base_variable",
    "base_value": "level",
    "base_unit": "level_unit",
    "value": "growth_pct",
    "period": "period",
    "source_id": "source_id",
    "confidence": "confidence",
}
COMPARISON_COLUMNS = [
    "indicator",
    "name_zh",
    "domain",
    "year",
    "value",
    "unit",
    "comparator",
    "comparator_name",
    "year_cmp",
    "value_cmp",
    "ratio",
    "source_ids",
    "source_ids_cmp",
]


def _with_base_value(
    by_period: pd.DataFrame,
    best: pd.DataFrame,
    county: str,
    suffix: str,
    year: int | None,
    exclude=(),
) -> pd.DataFrame:
    """Published rows of `<variable><suffix>` (a rank, a growth rate; `by_period`: one figure per
    period) joined to the same year's published value of `<variable>` itself (`best`: a full
    year before a part year): `base_variable`, `base_value`, `base_unit`, `base_period`."""
    derived = by_period[
        (by_period["county_code"] == county)
        & by_period["variable"].str.endswith(suffix)
        & ~by_period["variable"].isin(exclude)
    ]
    if year is not None:
        derived = derived[derived["year"] == year]
    derived = derived.assign(base_variable=derived["variable"].str.removesuffix(suffix))
    base = best[
        (best["county_code"] == county) & best["variable"].isin(set(derived["base_variable"]))
    ]
    base = base[["year", "variable", "value", "unit", "period"]].rename(columns=BASE_NAMES)
    return derived.merge(base, on=["year", "base_variable"], how="left")


def ranked_indicators(
    by_period: pd.DataFrame, best: pd.DataFrame, county: str, year: int | None = None
) -> pd.DataFrame:
    """Sub-indicators with a published province rank: value, rank, source."""
    out = _with_base_value(by_period, best, county, "_rank_zj", year, INDEX_VARS)
    return out[list(RANKED_NAMES)].rename(columns=RANKED_NAMES)


def growth_table(
    by_period: pd.DataFrame, best: pd.DataFrame, county: str, year: int | None = None
) -> pd.DataFrame:
    """Published year-on-year growth rates with the level they refer to and the period covered."""
    out = _with_base_value(by_period, best, county, "_growth", year)
    out = out[list(GROWTH_NAMES)].rename(columns=GROWTH_NAMES)
    return out.sort_values(["year", "base_variable"])


def comparison(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    county: str,
    comparators: dict[str, str] | None = None,
    max_year_gap: int = 1,
) -> pd.DataFrame:
    """The county against comparison units on every intensive indicator with data.

    `values` is the long indicator table (county_code, year, indicator, value, source_ids).
    `comparators` maps a region code to its name (default: the county's city and the province).
    For each indicator and each of the county's years, the comparator value of the same year is
    used, or the nearest year within `max_year_gap` (the gap is reported). `ratio` is
    county / comparator, turned round for reversed indicators so > 1 always means better.
    """
    if comparators is None:
        comparators = {
            code: geography.name_of(code)
            for code in (geography.city_code(county), geography.ZHEJIANG)
        }
    meta = indicators.set_index("code")
    intensive = sorted(set(meta.index) - extensive_codes(indicators))
    own = values[(values["county_code"] == county) & values["indicator"].isin(intensive)]
    out = []
    for comp, name in comparators.items():
        other = values[(values["county_code"] == comp) & values["indicator"].isin(intensive)]
        if own.empty or other.empty:
            continue
        pairs = own.merge(other, on="indicator", suffixes=("", "_cmp"))
        pairs = pairs.assign(year_gap=(pairs["year"] - pairs["year_cmp"]).abs())
        pairs = pairs[pairs["year_gap"] <= max_year_gap]
        # Nearest comparator year first; on a tie prefer the earlier one (known at the time).
        pairs = pairs.sort_values(["indicator", "year", "year_gap", "year_cmp"]).drop_duplicates(
            ["indicator", "year"]
        )
        pairs = pairs.assign(comparator=comp, comparator_name=name)
        out.append(pairs)
    if not out:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    df = pd.concat(out, ignore_index=True)
    direction = df["indicator"].map(meta["direction"]).astype(float)
    ratio = df["value"] / df["value_cmp"]
    df["ratio"] = np.where(direction < 0, 1 / ratio, ratio)
    df["name_zh"] = df["indicator"].map(meta["name_zh"])
    df["domain"] = df["indicator"].map(meta["domain"])
    df["unit"] = df["indicator"].map(meta["unit"])
    order = ["domain", "indicator", "year", "comparator"]
    return df[COMPARISON_COLUMNS].sort_values(order).reset_index(drop=True)


def latest_comparison(comp: pd.DataFrame) -> pd.DataFrame:
    """The latest county year per indicator and comparator: one bar each in the profile chart."""
    if comp.empty:
        return comp
    return comp.sort_values("year").groupby(["indicator", "comparator"], as_index=False).tail(1)


# --- the comparisons the chapter makes, judged by the one rule ---------------------------------
# One row a comparison: the county's indicator value, then the comparator's in the same names
# with `_cmp`, the raw rows behind each side ("file:line; ..."), and the rule's answer.
COMPARISONS_COLUMNS = [
    "comparison",
    "county_code",
    "indicator",
    "name_zh",
    "domain",
    "year",
    "period",
    "status",
    "kind",
    "value",
    "unit",
    "preliminary",
    "source_ids",
    "rows",
    "comparator",
    "comparator_name",
    "year_cmp",
    "period_cmp",
    "status_cmp",
    "value_cmp",
    "preliminary_cmp",
    "source_ids_cmp",
    "rows_cmp",
    "ratio",
    "names_both_years",
    "max_gap",
    "verdict",
    "reason",
    "caveat",
]


def raw_rows(rows: pd.DataFrame) -> str:
    """The raw rows of one side as "file:line; ...", in a stable order."""
    found = rows.dropna(subset=["file", "row"])
    marks = sorted({f"{f}:{int(r)}" for f, r in zip(found["file"], found["row"], strict=True)})
    return "; ".join(marks)


def comparisons(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    variables: pd.DataFrame,
    county: str,
    comparators: dict[str, str],
    rows_behind,
    comparison_of: dict[str, str] | None = None,
    max_gap: int = comparability.MAX_GAP,
) -> pd.DataFrame:
    """Every pair `comparison` proposes, judged by the comparison rule (COMPARISONS_COLUMNS).

    The sentences that state a comparison name both years whenever they differ, so the rule is
    asked with `names_both_years=True`: a level may meet a level of a nearby year, a growth rate
    only its own year. `rows_behind` (the Study's) names the raw rows of each side;
    `comparison_of` maps a comparator code to what kind of comparison it is (city, province).
    A refused pair keeps its values (the table shows what was not compared and why) but no
    ratio: the comparison is not made."""
    pairs = comparison(values, indicators, county, comparators, max_year_gap=max_gap)
    if pairs.empty:
        return pd.DataFrame(columns=COMPARISONS_COLUMNS)
    kinds = comparability.indicator_kinds(indicators, variables)
    sided = comparability.with_sides(pairs, values, kinds, county)
    # Indicator values are full-year figures (`framework.indicator_values`); a part-year
    # value says so in its status, which the rule reads.
    sided = sided.assign(period=comparability.FULL_YEAR, period_cmp=comparability.FULL_YEAR)
    judged = comparability.judge(sided, names_both_years=True, max_gap=max_gap)
    own = pd.DataFrame(
        {"county_code": county, "year": judged["year"], "indicator": judged["indicator"]}
    )
    other = pd.DataFrame(
        {
            "county_code": judged["comparator"],
            "year": judged["year_cmp"],
            "indicator": judged["indicator"],
        }
    )
    judged = judged.assign(
        county_code=county,
        comparison=judged["comparator"].map(comparison_of or {}).fillna(""),
        rows=_rows_of(own, rows_behind, indicators),
        rows_cmp=_rows_of(other, rows_behind, indicators),
        names_both_years=True,
        max_gap=max_gap,
    )
    judged["ratio"] = judged["ratio"].where(judged["verdict"].ne(comparability.REFUSED))
    judged["preliminary"] = judged["preliminary"].fillna(False).astype(bool)
    judged["preliminary_cmp"] = judged["preliminary_cmp"].fillna(False).astype(bool)
    return judged[COMPARISONS_COLUMNS].reset_index(drop=True)


def _rows_of(keys: pd.DataFrame, rows_behind, indicators: pd.DataFrame) -> list[str]:
    """Per row of `keys` (county_code, year, indicator): its raw rows as `raw_rows` writes them."""
    behind = rows_behind(keys.drop_duplicates())
    reads = indicators.set_index("code")["formula"].map(formula.variables)
    published_as = indicators.set_index("code").get("published_as")
    out = []
    for key in keys.itertuples(index=False):
        names = set(reads.get(key.indicator, ()))
        if published_as is not None and isinstance(published_as.get(key.indicator), str):
            names.add(published_as[key.indicator])
        hit = behind[
            behind["county_code"].eq(key.county_code)
            & behind["year"].eq(key.year)
            & behind["variable"].isin(names)
        ]
        out.append(raw_rows(hit))
    return out


def stated(judged: pd.DataFrame) -> pd.DataFrame:
    """The comparisons the chapter states: allowed by the rule, the county's latest year per
    indicator and comparator (one bar each in the profile chart, one item in the sentences)."""
    allowed = judged[judged["verdict"].ne(comparability.REFUSED)]
    return (
        latest_comparison(allowed).sort_values(["indicator", "comparator"]).reset_index(drop=True)
    )

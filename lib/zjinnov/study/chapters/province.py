"""Chapter 05 (全省比较与地图): the study county among the province's county-level units.

What public data cover for all units: the published county innovation index (a few units'
values, ranks and tiers), the 2020 census county table (every unit, on 2020 boundaries) and
GDP (some units, some years). Every figure is chosen by the one selection policy
(`zjinnov.data.selection`): published figures only, save the census college count, which is
itself a sum of four published census columns (stored as derived) and is marked so.

The census ratios shown (urbanisation rate, college-educated per 10,000 residents) are computed
here from the census counts, on the 2020 units and, through the county registry's territory
links (`zjinnov.data.geography`), on the map's units (`zjinnov.data.map_units`). They are this
study's computations, and every table, figure and sentence that ranks or maps them says so
(status `computed_from_counts`). The raw table also stores both ratios, but as rows this study
derived from the same counts, so comparing the two is an arithmetic self-check, not a check
against a published ratio: the census county table publishes none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import formula, geography, map_units, selection
from zjinnov.engine import ranking
from zjinnov.study.facts import ChapterResult, Fact

CHAPTER = "c05"
INDEX_VARIABLES = ("innovation_index", "innovation_index_rank_zj", "first_tier")
RANK = "innovation_index_rank_zj"
TIER_SIZE = "first_tier_size"
GDP = "gdp"
CENSUS_SOURCE = "census7-county"  # data/sources.csv: the 2020 census county table
CENSUS_YEAR = 2020  # the census's boundaries: the units of its county table
RESIDENT, URBAN, COLLEGE = "pop_census7_resident", "pop_census7_urban", "pop_college_plus"
SCHOOLING = "avg_years_schooling"
# Ratios computed from the census counts by the registry's formulas (variables.csv; I29).
CENSUS_RATIOS = ("urbanisation_rate", "college_per_10k")
# The status of a ratio this chapter computes from the census counts (a word in the labels).
COMPUTED = "computed_from_counts"
# Ranked among all units: the two ratios and the published average years of schooling.
STANDING_VARIABLES = ("college_per_10k", "urbanisation_rate", SCHOOLING)
# The stored derived ratios carry one or two decimals; a recomputation within this of them
# agrees up to that rounding (units of each ratio: 人/万人, %).
SELF_CHECK_TOLERANCE = 0.05


def build(study) -> ChapterResult:
    """Facts and tables of chapter 05 for `study` (a `Study`)."""
    result = ChapterResult(CHAPTER)
    fw = study.framework_dir
    names = _names(study)
    # The map draws today's units; the census counts the units of its own year.
    map_year = geography.current_boundary_year(fw)
    units = geography.units_in_year(map_year, fw)
    map_codes = list(units["code"])
    links = geography.links_between(CENSUS_YEAR, map_year, fw)
    result.fact("study_name", study.name, "text")
    result.fact("city_name", study.city_name, "text")
    result.fact("n_units", len(units), "count")
    result.fact("n_cities", units["city_code"].nunique(), "count")

    result.tables["vintages"] = _vintage_table(links)
    _index_records(result, study, names, map_codes, map_year)
    census = _census(result, study, names, map_codes, links)
    _gdp(result, study, names, map_codes)
    _standings(result, study, census)
    result.tables["no_data"] = _no_data(result, map_codes, names)
    return result


# --- units and names ------------------------------------------------------------------------


def _names(study) -> pd.Series:
    """Name of every code the tables use (current and abolished units, zones)."""
    counties = geography.load_counties(study.framework_dir)
    names = counties.drop_duplicates("code", keep="last").set_index("code")["name"]
    regions = pd.Series(geography.region_names(study.framework_dir))
    return pd.concat([names, regions[~regions.index.isin(names.index)]])


def _vintage_table(links: pd.DataFrame) -> pd.DataFrame:
    """The links from the census's units to the map's, and what each means on the map: counts
    summed and ratios recomputed (the map unit is made of whole census units), or no data."""
    composition = geography.unit_composition(links)
    table = links.merge(composition[["to_code", "exact"]], on="to_code")
    treatment = np.where(table["exact"], "map_summed", "map_not_split")
    return pd.DataFrame(
        {
            "from_code": table["from_code"],
            "from_name": table["from_name"],
            "relation": table["relation"],
            "to_code": table["to_code"],
            "to_name": table["to_name"],
            "map_treatment": treatment,
            "evidence": table["evidence"],
        }
    )


# --- the published innovation index ---------------------------------------------------------


def _index_records(result, study, names, map_codes, map_year: int) -> None:
    """Every unit's index record (one figure per unit, year and variable, by the policy), the
    latest published rank per map unit, and the sizes of the first tier."""
    rows = study.observations[study.observations["variable"].isin(INDEX_VARIABLES)]
    chosen = selection.best(rows, study.sources, statuses=selection.STATUSES)
    # Every source giving the chosen value is listed: agreement between sources is evidence.
    agreeing = study.candidates.merge(
        chosen[["county_code", "year", "variable", "value"]],
        on=["county_code", "year", "variable", "value"],
    )
    ids = agreeing.groupby(["county_code", "year", "variable"])["source_id"].agg(
        lambda s: "; ".join(sorted(set(s)))
    )
    chosen = chosen.join(ids.rename("source_ids"), on=["county_code", "year", "variable"])
    variables = study.variables.set_index("variable")
    records = pd.DataFrame(
        {
            "county_code": chosen["county_code"],
            "county_name": chosen["county_code"].map(names),
            "year": chosen["year"],
            "name_zh": chosen["variable"].map(variables["label_zh"]),
            "value": chosen["value"],
            "status": chosen["status"],
            "confidence": chosen["confidence"],
            "source_ids": chosen["source_ids"],
        }
    ).sort_values(["county_code", "year", "name_zh"], ignore_index=True)
    result.tables["index_records"] = records

    on_map = records[records["county_code"].isin(map_codes)]
    result.fact("n_index_units", on_map["county_code"].nunique(), "count")
    result.fact("n_index_missing", len(map_codes) - on_map["county_code"].nunique(), "count")

    # The map shows published ranks only (an inferred rank stays in the table).
    ranks = study.best[(study.best["variable"] == RANK) & study.best["county_code"].isin(map_codes)]
    latest = ranks.sort_values("year").drop_duplicates("county_code", keep="last")
    # A rank published on earlier boundaries stays off a polygon whose territory changed since.
    same = geography.same_territory(
        latest["county_code"], geography.boundary_years(latest), map_year, study.framework_dir
    )
    latest = latest[same]
    result.tables["rank_map"] = latest[["county_code", "year", "value"]].reset_index(drop=True)
    study_rank = latest[latest["county_code"] == study.county]
    result.fact("study_rank", _first(study_rank["value"]), "rank")
    result.fact("study_rank_year", _first(study_rank["year"]), "year")

    sizes = study.best[study.best["variable"] == TIER_SIZE]
    sizes = sizes.assign(_province=sizes["county_code"].ne(geography.ZHEJIANG))
    sizes = sizes.sort_values(["year", "_province"]).drop_duplicates("year")
    result.fact(
        "first_tier_sizes",
        pd.DataFrame(
            {
                "year": [Fact(y, "year") for y in sizes["year"]],
                "size": [Fact(v, "count") for v in sizes["value"]],
            }
        ),
        "items",
    )


def _first(values: pd.Series):
    return values.iloc[0] if len(values) else None


# --- the 2020 census --------------------------------------------------------------------------


def _census(result, study, names, map_codes, links) -> pd.DataFrame:
    """The census counts by the policy, ratios computed from them on the 2020 units and on the
    map; returns the long table on 2020 units (county_code, variable, value, status)."""
    obs = study.observations
    rows = obs[(obs["source_id"] == CENSUS_SOURCE) & obs["variable"].isin(_census_variables())]
    # The college count is the sum of four published census columns, stored as derived: the
    # only census count that is not itself published; it is chosen, and marked, as such.
    chosen = selection.best(rows, study.sources, statuses=(selection.PUBLISHED, "derived"))
    # A census figure re-cut to later boundaries is not on the census's own units.
    on_2020 = chosen[~geography.recut(chosen)]
    counts = on_2020[on_2020["variable"].isin([RESIDENT, URBAN, COLLEGE])]
    wide = counts.pivot(index="county_code", columns="variable", values="value")
    formulas = map_units.ratio_formulas([RESIDENT, URBAN, COLLEGE], study.framework_dir)
    ratios = [
        pd.DataFrame(
            {
                "county_code": wide.index,
                "variable": name,
                "value": _evaluate(formulas[name], wide).to_numpy(),
                "status": COMPUTED,
            }
        )
        for name in CENSUS_RATIOS
    ]
    schooling = on_2020[on_2020["variable"] == SCHOOLING]
    census = pd.concat(
        [*ratios, schooling[["county_code", "variable", "value", "status"]]], ignore_index=True
    ).dropna(subset=["value"])

    _self_check(result, census, obs[obs["source_id"] == CENSUS_SOURCE])
    result.tables["census_counts"] = _count_table(counts, names)

    # On the map: counts of whole 2020 units are summed, ratios recomputed from the sums. The
    # college count is a derived row (see above), so the map asks for derived rows too.
    counted = chosen[chosen["variable"].isin([RESIDENT, URBAN, COLLEGE])]
    harmonised = map_units.harmonise_to_map(
        counted,
        map_codes,
        counts=[RESIDENT, URBAN, COLLEGE],
        ratios={},
        framework_dir=study.framework_dir,
        statuses=(selection.PUBLISHED, selection.DERIVED),
    )
    on_map = _map_ratios(harmonised, formulas)
    result.tables["census_map"] = on_map
    shown = on_map[on_map["variable"] == "college_per_10k"]
    changed = shown[shown["map_status"] == "map_boundary_changed"]["county_code"]
    result.fact("n_census_mapped", int(shown["value"].notna().sum()), "count")
    result.fact("n_census_changed", len(changed), "count")
    result.fact("census_changed_names", _name_items(changed, names), "items")
    mine = shown[(shown["county_code"] == study.county) & shown["value"].notna()]
    result.fact("study_census_from", _name_items(_parts(mine, links), names), "items")
    return census


def _evaluate(text: str, wide: pd.DataFrame) -> pd.Series:
    """A registry formula over the columns of a wide table (NaN where a column is missing)."""
    names = formula.variables(text)
    columns = {n: wide[n] if n in wide else pd.Series(np.nan, index=wide.index) for n in names}
    return pd.Series(formula.evaluate(text, columns), index=wide.index, dtype=float)


def _census_variables() -> list[str]:
    return [RESIDENT, URBAN, COLLEGE, SCHOOLING]


def _self_check(result, census: pd.DataFrame, census_rows: pd.DataFrame) -> None:
    """The stored ratios (derived by this study from the same counts) against the recomputation."""
    stored = census_rows[census_rows["variable"].isin(CENSUS_RATIOS)]
    stored = stored.groupby(["county_code", "variable"])["value"].first()
    ours = census.set_index(["county_code", "variable"])["value"]
    both = pd.concat([ours.rename("ours"), stored.rename("stored")], axis=1, join="inner")
    gap = (both["ours"] - both["stored"]).abs()
    result.fact("self_check_units", both.index.get_level_values(0).nunique(), "count")
    result.fact("self_check_tolerance", SELF_CHECK_TOLERANCE, "value")
    result.fact("self_check_mismatches", int((gap > SELF_CHECK_TOLERANCE).sum()), "count")


def _count_table(counts: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "county_code": counts["county_code"],
            "county_name": counts["county_code"].map(names),
            "variable": counts["variable"],
            "value": counts["value"],
            "unit": counts["unit"],
            "status": counts["status"],
            "source_id": counts["source_id"],
        }
    ).reset_index(drop=True)


def _map_ratios(harmonised: pd.DataFrame, formulas: dict[str, str]) -> pd.DataFrame:
    """Ratios per map unit from the (summed) counts, with how each unit got its value."""
    counts = harmonised.pivot(index="county_code", columns="variable", values="value")
    status = harmonised.groupby("county_code")["status"].agg(_worst)
    out = []
    for name in CENSUS_RATIOS:
        value = _evaluate(formulas[name], counts)
        out.append(
            pd.DataFrame(
                {
                    "county_code": counts.index,
                    "variable": name,
                    "value": value,
                    "status": COMPUTED,
                    "map_status": status,
                }
            )
        )
    table = pd.concat(out, ignore_index=True)
    table["map_status"] = "map_" + table["map_status"].replace({"summed": "recomputed"})
    missing = table["value"].isna() & table["map_status"].eq("map_same")
    table.loc[missing, "map_status"] = "map_part_missing"
    return table.sort_values(["variable", "county_code"], ignore_index=True)


def _worst(statuses: pd.Series) -> str:
    # A map unit's ratio is only as good as its weakest count.
    for status in ("boundary_changed", "part_missing", "needs_weights", "summed"):
        if (statuses == status).any():
            return status
    return "same"


def _parts(row: pd.DataFrame, links: pd.DataFrame) -> pd.Series:
    """The 2020 units a map unit's census value comes from (itself when untouched)."""
    if row.empty:
        return pd.Series([], dtype=str)
    code = row["county_code"].iloc[0]
    parts = links.loc[links["to_code"] == code, "from_code"]
    return parts if len(parts) else pd.Series([code])


def _name_items(codes, names: pd.Series) -> pd.DataFrame:
    codes = list(codes)
    return pd.DataFrame({"name": [names.get(c, c) for c in codes]})


# --- GDP --------------------------------------------------------------------------------------


def _gdp(result, study, names, map_codes) -> None:
    """GDP of the best-covered year (among the years the study county has one, if any)."""
    gdp = study.best[study.best["variable"] == GDP]
    year = map_units.map_year(gdp, GDP, study.county, units=map_codes)
    rows = gdp[gdp["year"] == year] if year is not None else gdp.iloc[:0]
    on_map = map_units.harmonise_to_map(
        rows, map_codes, counts=[], ratios={}, framework_dir=study.framework_dir
    )
    on_map = on_map[on_map["variable"] == GDP].dropna(subset=["value"])
    result.tables["gdp_map"] = on_map[["county_code", "year", "value"]].reset_index(drop=True)
    shown = rows[rows["county_code"].isin(map_codes)].sort_values("value", ascending=False)
    result.tables["gdp"] = pd.DataFrame(
        {
            "county_code": shown["county_code"],
            "county_name": shown["county_code"].map(names),
            "year": shown["year"],
            "value": shown["value"],
            "unit": shown["unit"],
            "confidence": shown["confidence"],
            "source_id": shown["source_id"],
        }
    ).reset_index(drop=True)
    mine = gdp[gdp["county_code"] == study.county].sort_values("year")
    result.fact("gdp_year", year, "year")
    result.fact("gdp_n", int(on_map["value"].notna().sum()), "count")
    result.fact(
        "study_gdp_years",
        pd.DataFrame({"year": [Fact(y, "year") for y in mine["year"]]}),
        "items",
    )


# --- standing among all units -----------------------------------------------------------------


def _standings(result, study, census: pd.DataFrame) -> None:
    """Rank, percentile and median of the study county on each census measure, among the units
    of 2020 (the census table's own units)."""
    units = set(geography.units_in_year(CENSUS_YEAR, study.framework_dir)["code"])
    complete = census[census["county_code"].isin(units)]
    table = ranking.standings(
        complete[["county_code", "variable", "value"]], study.county, complete_n=len(units)
    )
    table = table.set_index("variable").reindex(list(STANDING_VARIABLES)).reset_index()
    variables = study.variables.set_index("variable")
    status = complete.groupby("variable")["status"].first()
    standings = pd.DataFrame(
        {
            "name_zh": table["variable"].map(variables["label_zh"]),
            "county_value": table["value"],
            "unit": table["variable"].map(variables["unit"]),
            "rank": table["rank"],
            "n_regions": table["n"],
            "percentile": table["percentile"],
            "median": table["median"],
            "status": table["variable"].map(status),
        }
    )
    ranked = table["complete"] & table["rank"].notna()
    result.tables["census_long"] = complete.reset_index(drop=True)
    result.tables["standings"] = standings
    names = table["variable"].map(variables["label_en"])[ranked]
    ranked = standings[ranked]
    result.fact("n_units_2020", len(units), "count")
    result.fact(
        "standing",
        pd.DataFrame(
            {
                "name_zh": ranked["name_zh"],
                "name_en": names,
                "value": [
                    Fact(v, "value", u)
                    for v, u in zip(ranked["county_value"], ranked["unit"], strict=True)
                ],
                "rank": [Fact(r, "rank") for r in ranked["rank"]],
                "n": [Fact(n, "count") for n in ranked["n_regions"]],
                "percentile": [Fact(p, "pct") for p in ranked["percentile"]],
                "median": [
                    Fact(m, "value", u)
                    for m, u in zip(ranked["median"], ranked["unit"], strict=True)
                ],
            }
        ),
        "items",
    )
    # The ranked measures this study computed: the sentences that rank them say so.
    computed = ranked["status"].eq(COMPUTED)
    result.fact(
        "standing_computed",
        pd.DataFrame({"name_zh": ranked["name_zh"][computed], "name_en": names[computed]}),
        "items",
    )


# --- units without data, per map --------------------------------------------------------------


def _no_data(result, map_codes, names) -> pd.DataFrame:
    census = result.tables["census_map"]
    maps = {
        "map_rank": result.tables["rank_map"],
        "map_college": census[census["variable"] == "college_per_10k"],
        "map_urbanisation": census[census["variable"] == "urbanisation_rate"],
        "map_gdp": result.tables["gdp_map"],
    }
    rows = []
    for key, table in maps.items():
        has = set(table.dropna(subset=["value"])["county_code"])
        missing = [c for c in map_codes if c not in has]
        rows.append(
            {
                "map": key,
                "n_no_data": len(missing),
                "no_data_units": "、".join(names.get(c, c) for c in missing) or None,
            }
        )
    return pd.DataFrame(rows)

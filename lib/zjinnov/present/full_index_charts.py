"""Figures of the full-index chapter. Each takes the chapter's tables and returns a figure;
where the data give nothing to draw (the public data), it returns style.no_data, which the book
shows as one line saying so, without a figure box or caption (book/_ext/zjbook.py).

Figures are the book's width (style.WIDTH) with text no smaller than style.SMALL: the ranking
of every county names only the study county and every tenth place (the ranking table names
them all)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt

from zjinnov.present import maps, style

LABEL_EVERY = 10  # the ranking of every county labels every tenth place
# How each chapter table is shown: the columns on the page (the download keeps them all), and
# for a long table, sorting and the rows a page. A phone shows four or five columns.
SHOWN = {
    "coverage": (
        ["domain", "n_indicators", "county_present", "province_present", "units_meeting"],
        False,
        None,
    ),
    "candidates": (["rank", "candidate", "fit_rmse", "fit_max_error", "reproduces"], False, None),
    "residuals": (["county_name", "year", "published_index", "residual"], True, 10),
    "weights": (
        ["name_zh", "weight_pct", "weight_lo_pct", "weight_hi_pct", "importance"],
        True,
        12,
    ),
    "ranking": (["rank", "county_name", "full_index", "tier"], True, 20),
    "county_series": (["year", "full_index", "rank", "tier", "published_index"], False, None),
    "reconciliation_shown": (
        [
            "county_name",
            "year",
            "source_id",
            "published_index",
            "published_rank",
            "recomputed",
            "recomputed_rank",
        ],
        False,
        None,
    ),
}


def coverage_chart(coverage: pd.DataFrame, county_name: str):
    """Per domain: the share of its indicators the county and the province have, and the rule."""
    fig, ax = plt.subplots(figsize=style.size(0.55 * len(coverage) + 2.6))
    y = np.arange(len(coverage))
    total = coverage["n_indicators"].astype(float).to_numpy()
    ax.barh(
        y + 0.18,
        100 * coverage["county_present"] / total,
        0.36,
        color=style.COUNTY_COLOUR,
        label=f"{county_name}（有数值最多的一年）",
    )
    ax.barh(
        y - 0.18,
        100 * coverage["province_present"] / total,
        0.36,
        color=style.PROVINCE_COLOUR,
        label="全省（有数值最多的一年）",
    )
    for k, rule in enumerate(100 * coverage["min_coverage"].astype(float)):
        ax.plot([rule, rule], [k - 0.45, k + 0.45], color="black", lw=1.5)
    ax.plot([], [], color="black", lw=1.5, label="覆盖规则")
    ax.set_yticks(y, coverage["domain"])
    ax.set_xlim(0, 100)
    ax.set_xlabel(style.wrap("有数值（并有基准值）的指标占本领域指标的比例（%）", 20))
    ax.invert_yaxis()
    style.legend_below(fig, [ax], ncol=1)
    return fig


def index_map(ranking: pd.DataFrame, study_code: str, year=None):
    """The full index of every county unit on the map (hatched where there is none)."""
    if ranking.empty or ranking["full_index"].notna().sum() == 0:
        return style.no_data("没有完整指数：地图上没有可着色的县（市、区）。")
    fig, ax = plt.subplots(figsize=style.size(style.WIDTH + 1.2))
    values = ranking.set_index("county_code")["full_index"]
    title = "完整创新指数" + ("" if year is None else f"（{year} 年）")
    maps.choropleth(
        values.astype(float),
        study_code,
        ax=ax,
        title=title,
        legend_title="完整指数（2015年=100）",
        cmap="YlGnBu",
    )
    return fig


def rank_intervals(intervals: pd.DataFrame, study_code: str):
    """Every county's rank: nominal (dot) and 5–95 % interval (bar), best at the top. Ninety
    names cannot be read at the book's width: the study county is named, the axis marks
    every tenth place."""
    if intervals.empty:
        return style.no_data("没有完整指数，也就没有排名区间。")
    iv = intervals.sort_values("rank").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=style.size(0.055 * len(iv) + 2.2))
    y = np.arange(len(iv))
    mine = (iv["county_code"] == study_code).to_numpy()
    colour = np.where(mine, style.COUNTY_COLOUR, "#7f8c8d")
    ax.hlines(y, iv["rank_lo"], iv["rank_hi"], color=colour, lw=np.where(mine, 3, 1.2))
    ax.scatter(iv["rank"], y, s=np.where(mine, 30, 6), color=colour, zorder=3)
    marks = [k for k in range(len(iv)) if k % LABEL_EVERY == 0 or k == len(iv) - 1]
    ax.set_yticks(marks, [f"第{int(iv['rank'].iloc[k])}位" for k in marks])
    for k in np.flatnonzero(mine):
        ax.annotate(
            iv["county_name"].iloc[k],
            (iv["rank_hi"].iloc[k], k),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            color=style.COUNTY_COLOUR,
            fontsize=style.SMALL,
        )
    ax.set_ylim(len(iv) - 0.5, -0.5)
    ax.set_xlabel(style.wrap("名次（1 = 最高）：点为所用方法下的名次，横线为 5%—95% 区间", 20))
    fig.tight_layout()
    return fig


def county_chart(series: pd.DataFrame, domains: pd.DataFrame, county_name: str):
    """The county's full index and domain scores over the years (and the published index)."""
    if series.empty:
        return style.no_data(f"{county_name}没有达到覆盖规则的年份，没有完整指数。")
    fig, ax = plt.subplots(figsize=style.size(5.2))
    years = series["year"].astype(int)
    for k, (code, name) in enumerate(zip(domains["code"], domains["domain"], strict=True)):
        ax.plot(
            years,
            series[code].astype(float),
            lw=1,
            color=style.PALETTE[(k + 1) % len(style.PALETTE)],
            label=name,
        )
    ax.plot(
        years,
        series["full_index"].astype(float),
        lw=2.5,
        color=style.COUNTY_COLOUR,
        label="完整指数",
    )
    published = pd.to_numeric(series["published_index"], errors="coerce")
    if published.notna().any():
        ax.scatter(years, published, marker="x", color="black", zorder=4, label="公布的指数")
    ax.set_xlabel("年份")
    ax.set_ylabel("指数（2015年=100）")
    style.legend_below(fig, [ax])
    return fig


def drivers_chart(drivers: pd.DataFrame, county_name: str, n: int = 6):
    """The indicators that lift the county's index most above the median county, and those
    that hold it back most."""
    if drivers.empty:
        return style.no_data(f"{county_name}没有完整指数，无法分解。")
    d = drivers.sort_values("effect", ascending=False)
    shown = pd.concat([d.head(n), d.tail(n)]).drop_duplicates("indicator")
    shown = shown.iloc[::-1]
    fig, ax = plt.subplots(figsize=style.size(0.5 * len(shown) + 1.8))
    colour = np.where(shown["effect"] >= 0, style.CITY_COLOUR, style.COUNTY_COLOUR)
    names = [style.wrap(name, 10) for name in shown["name_zh"]]
    ax.barh(np.arange(len(shown)), shown["effect"].astype(float), color=colour)
    ax.set_yticks(np.arange(len(shown)), names)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(style.wrap("对指数的拉动（权重 × 与中位县得分之差，指数点）", 20))
    fig.tight_layout()
    return fig


def table(result, name: str, empty: str | None = None):
    """A chapter table as the reader sees it: labelled, with the columns, sorting and paging
    `SHOWN` gives it (the download keeps every column). A table without rows shows `empty`,
    one line saying why, or nothing when `empty` is None (the sentence above it says so);
    either way no download: a CSV of headers alone tells a reader nothing."""
    from zjinnov.present import display, labels

    if result.tables[name].empty and empty is None:
        return None
    columns, sortable, page_size = SHOWN.get(name, (None, False, None))
    frame = labels.table(result.tables[name])
    shown = None if columns is None else [labels.label(c) for c in columns]
    return display.table(frame, shown, sortable=sortable, page_size=page_size, empty=empty)


def download_only(table: pd.DataFrame, chapter: str, name: str):
    """A table too long for the page, as a download link only (labelled like a shown table);
    nothing at all for a table without rows."""
    from IPython.display import HTML

    from zjinnov.present import downloads, labels

    if table.empty:
        return None
    return HTML(downloads.table_link(labels.table(table), chapter, name))

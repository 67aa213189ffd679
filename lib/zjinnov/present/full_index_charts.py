"""Figures of the full-index chapter. Each takes the chapter's tables and always returns a
figure: where the data give nothing to draw (the public data), the figure says so in words
instead of being left out, so the chapter's figure references hold in every build."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt

from zjinnov.present import maps, style

NOTE = dict(ha="center", va="center", fontsize=10, color="#555555", wrap=True)


def _empty(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, **NOTE)
    ax.set_axis_off()


def coverage_chart(coverage: pd.DataFrame, county_name: str):
    """Per domain: the share of its indicators the county and the province have, and the rule."""
    fig, ax = plt.subplots(figsize=(7, 3.4))
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
    ax.set_xlabel("有数值（并有基准值）的指标占本领域指标的比例（%）")
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8)
    fig.tight_layout()
    return fig


def index_map(ranking: pd.DataFrame, study_code: str, year=None):
    """The full index of every county unit on the map (hatched where there is none)."""
    fig, ax = plt.subplots(figsize=(6.4, 6.4))
    values = (
        pd.Series(dtype=float) if ranking.empty else ranking.set_index("county_code")["full_index"]
    )
    title = "完整创新指数" + ("" if year is None else f"（{year} 年）")
    maps.choropleth(
        values.astype(float),
        study_code,
        ax=ax,
        title=title,
        legend_title="完整指数（2015 年全省 = 100）",
        cmap="YlGnBu",
    )
    return fig


def rank_intervals(intervals: pd.DataFrame, study_code: str):
    """Every county's rank: nominal (dot) and 5–95 % interval (bar), best at the top."""
    n = max(len(intervals), 1)
    fig, ax = plt.subplots(figsize=(7, max(3.0, 0.13 * n + 1)))
    if intervals.empty:
        _empty(ax, "没有完整指数，也就没有排名区间。")
        return fig
    iv = intervals.sort_values("rank").reset_index(drop=True)
    y = np.arange(len(iv))
    mine = (iv["county_code"] == study_code).to_numpy()
    colour = np.where(mine, style.COUNTY_COLOUR, "#7f8c8d")
    ax.hlines(y, iv["rank_lo"], iv["rank_hi"], color=colour, lw=2)
    ax.scatter(iv["rank"], y, s=10, color=colour, zorder=3)
    ax.set_yticks(y, iv["county_name"], fontsize=5.5)
    ax.invert_yaxis()
    ax.set_xlabel("名次（1 = 最高）：点为登记表权重下的名次，横线为 5%—95% 区间")
    for k in np.flatnonzero(mine):
        ax.get_yticklabels()[k].set_color(style.COUNTY_COLOUR)
    fig.tight_layout()
    return fig


def county_chart(series: pd.DataFrame, domains: pd.DataFrame, county_name: str):
    """The county's full index and domain scores over the years (and the published index)."""
    fig, ax = plt.subplots(figsize=(7.5, 4))
    if series.empty:
        _empty(ax, f"{county_name}没有达到覆盖规则的年份，没有完整指数。")
        return fig
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
    ax.set_ylabel("指数（2015 年全省 = 100）")
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def drivers_chart(drivers: pd.DataFrame, county_name: str, n: int = 6):
    """The indicators that lift the county's index most above the median county, and those
    that hold it back most."""
    fig, ax = plt.subplots(figsize=(7.5, 4))
    if drivers.empty:
        _empty(ax, f"{county_name}没有完整指数，无法分解。")
        return fig
    d = drivers.sort_values("effect", ascending=False)
    shown = pd.concat([d.head(n), d.tail(n)]).drop_duplicates("indicator")
    shown = shown.iloc[::-1]
    colour = np.where(shown["effect"] >= 0, style.CITY_COLOUR, style.COUNTY_COLOUR)
    ax.barh(shown["name_zh"], shown["effect"].astype(float), color=colour)
    ax.axvline(0, color="black", lw=0.8)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel("对指数的拉动（权重 × 与中位县得分之差，指数点）")
    fig.tight_layout()
    return fig


def table(result, name: str, empty: str):
    """A chapter table as the reader sees it, or one line saying why it is empty."""
    from IPython.display import HTML

    from zjinnov.present import publish

    if len(result.tables[name]):
        return publish.show(result, name)
    return HTML(f'<p class="table-empty">{html.escape(empty)}</p>')


def download_only(table: pd.DataFrame, chapter: str, name: str):
    """A table too long for the page, as a download link only (labelled like a shown table)."""
    from IPython.display import HTML

    from zjinnov.present import downloads, labels

    return HTML(downloads.table_link(labels.table(table), chapter, name))

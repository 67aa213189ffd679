"""Charts of the robustness chapter: the partial index's interval and its variance shares."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from zjinnov.present import labels, style


def _empty(text: str):
    return style.no_data(text)


def interval(intervals: pd.DataFrame, county_name: str, lo_pct: int, hi_pct: int):
    """Per year and weight scheme: the lo–hi percentile range (bar), the median (tick) and the
    nominal partial index (dot). `intervals`: scheme (a vocabulary key), year, nominal, median,
    lo, hi."""
    if intervals.empty:
        return _empty(f"{county_name}没有可计算的部分指数")
    fig, ax = plt.subplots(figsize=style.size(4.6))
    schemes = list(dict.fromkeys(intervals["scheme"]))
    for k, scheme in enumerate(schemes):
        s = intervals[intervals["scheme"] == scheme]
        x = s["year"].to_numpy() + (k - (len(schemes) - 1) / 2) * 0.18
        colour = style.PALETTE[k + 1]
        ax.vlines(
            x,
            s["lo"],
            s["hi"],
            color=colour,
            lw=5,
            alpha=0.55,
            label=f"{labels.label(scheme, 'term')}：{lo_pct}%—{hi_pct}%",
        )
        ax.scatter(x, s["median"], color=colour, marker="_", s=160, zorder=3)
    nominal = intervals.drop_duplicates("year")
    ax.scatter(
        nominal["year"],
        nominal["nominal"],
        color=style.COUNTY_COLOUR,
        zorder=4,
        label=labels.label("nominal"),
    )
    ax.axhline(100, color=style.PROVINCE_COLOUR, lw=1, ls="--", label="基准值水平（= 100）")
    years = sorted(set(intervals["year"].astype(int)))
    ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 5 else 0)
    ax.set_xlabel(labels.label("year"))
    ax.set_ylabel(labels.label("index"))
    ax.set_title(style.wrap(f"{county_name}：部分指数的不确定性区间", 22))
    style.legend_below(fig, [ax], ncol=1)
    return fig


def sobol(table: pd.DataFrame):
    """First-order and total-effect Sobol' indices per assumption, with bootstrap half-widths.
    `table`: varied_assumption (a vocabulary key), s1, s1_conf, st, st_conf."""
    if table.empty:
        return _empty("没有做方差分解")
    fig, ax = plt.subplots(figsize=style.size(0.75 * len(table) + 1.9))
    y = np.arange(len(table))
    ax.barh(
        y + 0.2,
        table["st"],
        0.4,
        xerr=table["st_conf"],
        color=style.COUNTY_COLOUR,
        label=labels.label("st"),
    )
    ax.barh(
        y - 0.2,
        table["s1"],
        0.4,
        xerr=table["s1_conf"],
        color=style.CITY_COLOUR,
        label=labels.label("s1"),
    )
    ax.set_yticks(y, [style.wrap(labels.label(k, "term"), 8) for k in table["varied_assumption"]])
    ax.invert_yaxis()
    ax.set_xlim(-0.05, 1.1)
    ax.set_xlabel("方差份额")
    style.legend_below(fig, [ax])
    return fig

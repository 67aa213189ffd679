"""Charts of the robustness chapter: the partial index's interval and its variance shares."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from zjinnov.present import labels, style


def _empty(text: str):
    fig, ax = plt.subplots(figsize=(7.5, 1.6))
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.axis("off")
    return fig


def interval(intervals: pd.DataFrame, county_name: str, lo_pct: int, hi_pct: int):
    """Per year and weight scheme: the lo–hi percentile range (bar), the median (tick) and the
    nominal partial index (dot). `intervals`: scheme (a vocabulary key), year, nominal, median,
    lo, hi."""
    if intervals.empty:
        return _empty(f"{county_name}没有可计算的部分指数")
    fig, ax = plt.subplots(figsize=(7.5, 4.4))
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
            label=f"{labels.label(scheme, 'term')}：{lo_pct}%—{hi_pct}% 区间",
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
    ax.set_xticks(sorted(set(intervals["year"].astype(int))))
    ax.set_xlabel(labels.label("year"))
    ax.set_ylabel(labels.label("index"))
    ax.set_title(f"{county_name}：部分指数的不确定性区间")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    fig.tight_layout()
    return fig


def sobol(table: pd.DataFrame):
    """First-order and total-effect Sobol' indices per assumption, with bootstrap half-widths.
    `table`: varied_assumption (a vocabulary key), s1, s1_conf, st, st_conf."""
    if table.empty:
        return _empty("没有做方差分解")
    fig, ax = plt.subplots(figsize=(7.5, 0.7 * len(table) + 1.4))
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
    ax.set_yticks(y, [labels.label(k, "term") for k in table["varied_assumption"]])
    ax.invert_yaxis()
    ax.set_xlim(-0.05, 1.1)
    ax.set_xlabel("方差份额")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig

"""Charts of one county's published record; Chinese labels, the county in its own colour.

Figures are the book's width (style.WIDTH) with text no smaller than style.SMALL, so they read
on a phone; two panels stand one under the other. A chart with nothing to draw returns
style.no_data with an empty note: the book draws no figure box and no caption, and the
section's sentence (chapter 03's wording for missing facts) says what is missing and what
would fill it, once.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from zjinnov.present import style
from zjinnov.present.style import CITY_COLOUR, COUNTY_COLOUR, PROVINCE_COLOUR, SMALL

# The section's sentence says why there is no figure; the figure slot shows nothing.
SAID_IN_TEXT = ""


def index_and_rank(pub: pd.DataFrame, county_name: str, n_units: int | None = None):
    """Published index values (top) and province ranks (bottom, 1 at the top; inferred =
    hollow), each panel only where there is something to draw.

    `pub`: year, innovation_index, innovation_index_rank_zj, rank_inferred (chapter 03's
    `index_series`); `n_units`: how many county-level units the latest ranked year had.
    """
    values = pub.dropna(subset=["innovation_index"])
    ranks = pub.dropna(subset=["innovation_index_rank_zj"])
    panels = [p for p, rows in (("index", values), ("rank", ranks)) if len(rows)]
    if not panels:
        return style.no_data(SAID_IN_TEXT)
    fig, axes = plt.subplots(len(panels), 1, figsize=style.size(3.3 * len(panels) + 0.2))
    axes = dict(zip(panels, np.atleast_1d(axes), strict=True))
    if "index" in axes:
        _index_panel(axes["index"], values, county_name)
    if "rank" in axes:
        _rank_panel(axes["rank"], ranks, n_units)
    fig.tight_layout()
    return fig


def _index_panel(ax, values: pd.DataFrame, county_name: str) -> None:
    years = values["year"].astype(int).astype(str)
    ax.bar(years, values["innovation_index"], color=COUNTY_COLOUR, width=0.5)
    for y, v in zip(years, values["innovation_index"], strict=True):
        ax.annotate(f"{v:.1f}", (y, v), ha="center", va="bottom", fontsize=SMALL)
    ax.set_ylim(0, max(values["innovation_index"].max() * 1.15, 110))
    ax.axhline(100, color=PROVINCE_COLOUR, lw=0.8, ls="--")
    ax.set_title(f"{county_name}创新指数（2015=100）")
    ax.set_xlabel("监测年度")


def _rank_panel(ax, r: pd.DataFrame, n_units: int | None) -> None:
    inferred = r["rank_inferred"].astype(bool)
    ax.plot(r["year"], r["innovation_index_rank_zj"], color=COUNTY_COLOUR, lw=1, alpha=0.6)
    ax.scatter(
        r.loc[~inferred, "year"],
        r.loc[~inferred, "innovation_index_rank_zj"],
        color=COUNTY_COLOUR,
        zorder=3,
        label="公开发布",
    )
    if inferred.any():
        ax.scatter(
            r.loc[inferred, "year"],
            r.loc[inferred, "innovation_index_rank_zj"],
            facecolor="white",
            edgecolor=COUNTY_COLOUR,
            zorder=3,
            label="推算",
        )
    for y, v in zip(r["year"], r["innovation_index_rank_zj"], strict=True):
        ax.annotate(
            f"第{int(v)}位",
            (y, v),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=SMALL,
        )
    ax.set_ylim(max(40, r["innovation_index_rank_zj"].max() + 5), 0)
    ticks = sorted(set(r["year"].astype(int)))
    ax.set_xticks(ticks, [str(t) for t in ticks], rotation=45 if len(ticks) > 5 else 0)
    if len(ticks) == 1:
        ax.set_xlim(ticks[0] - 1, ticks[0] + 1)
    ax.set_title("全省排位" if n_units is None else f"全省排位（共 {n_units} 个县级单位）")
    ax.set_xlabel("监测年度")
    ax.legend(loc="lower right")


def profile(latest: pd.DataFrame, county_name: str):
    """Strengths and weaknesses: county ÷ comparator, 100 = parity; bars right of 100 are
    strengths. One row per indicator and comparator, the indicator's name on a line of its
    own above its bar, so the bars keep the figure's whole width."""
    if latest.empty:
        return style.no_data(SAID_IN_TEXT)
    df = latest.assign(pct=100 * latest["ratio"])
    df["label"] = df["name_zh"] + "（" + df["year"].astype(int).astype(str) + "）"
    comps = list(dict.fromkeys(df["comparator_name"]))
    colours = {
        c: col for c, col in zip(comps, [CITY_COLOUR, PROVINCE_COLOUR, "#8e44ad"], strict=False)
    }
    rows = df.dropna(subset=["pct"]).sort_values(["domain", "indicator", "year"], kind="stable")
    fig, ax = plt.subplots(figsize=style.size(0.62 * len(rows) + 1.7))
    lo, hi = rows["pct"].min(), rows["pct"].max()
    left = min(lo, 100) - 8
    y = np.arange(len(rows))
    ax.barh(
        y + 0.12,
        rows["pct"] - 100,
        left=100,
        height=0.42,
        color=[colours[c] for c in rows["comparator_name"]],
    )
    for yi, rec in zip(y, rows.itertuples(), strict=True):
        ax.text(left, yi - 0.32, rec.label, fontsize=SMALL, va="center", ha="left")
        ax.annotate(
            f"{rec.pct:.0f}（对比{int(rec.year_cmp)}年）",
            (max(rec.pct, 100), yi + 0.12),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=SMALL,
        )
    ax.axvline(100, color="black", lw=0.8)
    ax.set_yticks([])
    ax.set_ylim(len(rows) - 0.4, -0.75)
    ax.set_xlim(left, max(hi, 100) + 0.9 * (max(hi, 100) - left))
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(style.wrap(f"{county_name}值 ÷ 对比值 × 100（100 = 持平，右侧为优势）", 22))
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[c]) for c in comps]
    style.legend_below(fig, handles=handles, labels=[f"相对{c}" for c in comps])
    return fig


def partial_index_bars(cov: pd.DataFrame, county_name: str):
    """The partial index by year, each bar labelled with how many indicators it rests on."""
    if cov.empty:
        return style.no_data(SAID_IN_TEXT)
    fig, ax = plt.subplots(figsize=style.size(3.8))
    x = cov["year"].astype(int).astype(str)
    ax.bar(x, cov["index"], color=COUNTY_COLOUR, alpha=0.75, width=0.55)
    for xi, v, n, total in zip(
        x, cov["index"], cov["n_indicators"], cov["n_registry"], strict=True
    ):
        ax.annotate(f"{v:.1f}\n{n}/{total}", (xi, v), ha="center", va="bottom", fontsize=SMALL)
    ax.axhline(100, color=PROVINCE_COLOUR, lw=0.8, ls="--")
    ax.set_ylim(0, cov["index"].max() * 1.35)
    ax.set_title(style.wrap(f"{county_name}部分指数（仅公开指标，非官方指数）", 22))
    ax.set_xlabel(style.wrap("数据年份（柱上：指数，所用指标数/登记表指标数）", 20))
    if len(x) > 5:
        ax.tick_params(axis="x", rotation=45)
    fig.tight_layout()
    return fig

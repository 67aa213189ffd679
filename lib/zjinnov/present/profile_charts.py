"""Charts of one county's published record; Chinese labels, the county in its own colour."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from zjinnov.present.style import CITY_COLOUR, COUNTY_COLOUR, PROVINCE_COLOUR


def index_and_rank(pub: pd.DataFrame, county_name: str, n_units: int | None = None):
    """Left: published index values; right: province rank (1 at the top). Inferred = hollow.

    `pub`: year, innovation_index, innovation_index_rank_zj, rank_inferred (chapter 03's
    `index_series`); `n_units`: how many county-level units the latest ranked year had.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
    years = pub["year"].astype(int)
    has = pub["innovation_index"].notna()
    ax1.bar(
        years[has].astype(str), pub.loc[has, "innovation_index"], color=COUNTY_COLOUR, width=0.5
    )
    for y, v in zip(years[has].astype(str), pub.loc[has, "innovation_index"], strict=True):
        ax1.annotate(f"{v:.1f}", (y, v), ha="center", va="bottom", fontsize=9)
    ax1.set_ylim(0, max(pub["innovation_index"].max() * 1.15, 110) if has.any() else 110)
    ax1.axhline(100, color=PROVINCE_COLOUR, lw=0.8, ls="--")
    if not has.any():
        ax1.text(0.5, 0.5, "未找到公开的指数数值", ha="center", transform=ax1.transAxes)
    ax1.set_title(f"{county_name}创新指数（监测年度，2015=100）")
    ax1.set_xlabel("监测年度")
    r = pub.dropna(subset=["innovation_index_rank_zj"])
    inferred = r["rank_inferred"].astype(bool)
    ax2.plot(r["year"], r["innovation_index_rank_zj"], color=COUNTY_COLOUR, lw=1, alpha=0.6)
    ax2.scatter(
        r.loc[~inferred, "year"],
        r.loc[~inferred, "innovation_index_rank_zj"],
        color=COUNTY_COLOUR,
        zorder=3,
        label="公开发布",
    )
    if inferred.any():
        ax2.scatter(
            r.loc[inferred, "year"],
            r.loc[inferred, "innovation_index_rank_zj"],
            facecolor="white",
            edgecolor=COUNTY_COLOUR,
            zorder=3,
            label="推算",
        )
    for y, v in zip(r["year"], r["innovation_index_rank_zj"], strict=True):
        ax2.annotate(
            f"第{int(v)}位",
            (y, v),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=9,
        )
    ax2.invert_yaxis()
    ax2.set_ylim(max(40, r["innovation_index_rank_zj"].max() + 5) if len(r) else 40, 0)
    ax2.set_xticks(sorted(set(r["year"].astype(int))) or [])
    ax2.set_title(
        "全省排位" if n_units is None else f"全省排位（最近一个年度共 {n_units} 个县级单位）"
    )
    ax2.set_xlabel("监测年度")
    ax2.legend(loc="lower right")
    fig.tight_layout()
    return fig


def profile(latest: pd.DataFrame, county_name: str):
    """Strengths and weaknesses: county ÷ comparator, 100 = parity; bars right of 100 are strengths."""
    if latest.empty:
        fig, ax = plt.subplots(figsize=(7, 1.5))
        ax.text(0.5, 0.5, "无可比数据", ha="center", va="center", transform=ax.transAxes)
        ax.axis("off")
        return fig
    df = latest.assign(pct=100 * latest["ratio"])
    df["label"] = df["name_zh"] + "（" + df["year"].astype(int).astype(str) + "）"
    labels = list(dict.fromkeys(df.sort_values(["domain", "indicator"])["label"]))
    comps = list(dict.fromkeys(df["comparator_name"]))
    colours = {
        c: col for c, col in zip(comps, [CITY_COLOUR, PROVINCE_COLOUR, "#8e44ad"], strict=False)
    }
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(labels) * max(1, len(comps)) + 1.2))
    h = 0.8 / max(1, len(comps))
    for k, comp in enumerate(comps):
        part = df[df["comparator_name"] == comp].set_index("label").reindex(labels)
        pos = np.arange(len(labels)) + (k - (len(comps) - 1) / 2) * h
        ax.barh(
            pos, part["pct"] - 100, left=100, height=h, color=colours[comp], label=f"相对{comp}"
        )
        for p, v, yr in zip(pos, part["pct"], part["year_cmp"], strict=True):
            if pd.notna(v):
                ax.annotate(
                    f"{v:.0f}（对比{int(yr)}年）",
                    (v, p),
                    xytext=(4 if v >= 100 else -4, 0),
                    textcoords="offset points",
                    va="center",
                    ha="left" if v >= 100 else "right",
                    fontsize=8,
                )
    ax.axvline(100, color="black", lw=0.8)
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.invert_yaxis()
    lo, hi = df["pct"].min(), df["pct"].max()
    ax.set_xlim(min(lo, 100) - 25, max(hi, 100) + 45)
    ax.set_xlabel(f"{county_name}值 ÷ 对比值 × 100（100 = 持平，右侧为优势）")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def partial_index_bars(cov: pd.DataFrame, county_name: str):
    """The partial index by year, each bar labelled with how many indicators it rests on."""
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    if cov.empty:
        ax.text(0.5, 0.5, "无可计算的年份", ha="center", va="center", transform=ax.transAxes)
        ax.axis("off")
        return fig
    x = cov["year"].astype(int).astype(str)
    ax.bar(x, cov["index"], color=COUNTY_COLOUR, alpha=0.75, width=0.55)
    for xi, v, n, total in zip(
        x, cov["index"], cov["n_indicators"], cov["n_registry"], strict=True
    ):
        ax.annotate(f"{v:.1f}\n{n}/{total} 项", (xi, v), ha="center", va="bottom", fontsize=8)
    ax.axhline(100, color=PROVINCE_COLOUR, lw=0.8, ls="--")
    ax.set_ylim(0, cov["index"].max() * 1.3)
    ax.set_title(f"{county_name}部分指数（仅公开指标，非官方指数）")
    ax.set_xlabel("数据年份")
    fig.tight_layout()
    return fig

"""Charts of the method chapter: the engine against its two outside references."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from zjinnov.present import labels, style


def asem_top(top, lang: str = "zh"):
    """The ASEM example's leading countries as recomputed (bars) and as COINr published (dots).

    `top`: the method chapter's `asem_top` table (region, score, published_score)."""
    shown = top.iloc[::-1]
    fig, ax = plt.subplots(figsize=style.size(0.34 * len(shown) + 1.6))
    ax.barh(
        shown["region"],
        shown["score"],
        color=style.CITY_COLOUR,
        label=labels.label("score", lang=lang),
    )
    pub = shown.dropna(subset=["published_score"])
    ax.scatter(
        pub["published_score"],
        pub["region"],
        color=style.COUNTY_COLOUR,
        zorder=3,
        label=labels.label("published_score", lang=lang),
    )
    ax.set_xlabel(labels.label("score", lang=lang))
    ax.set_ylabel(labels.label("country_code", lang=lang))
    low = shown["score"].min()
    ax.set_xlim(max(0.0, low - 0.1 * (shown["score"].max() - low) - 5), shown["score"].max() + 4)
    style.legend_below(fig, [ax])
    return fig


def cii_check(table, lang: str = "zh"):
    """The NBS China Innovation Index: the published total (lines, one per base) and the
    equal-weight mean of its four domains (crosses).

    `table`: the method chapter's `cii` table (year, cii_base, cii_total, mean_domains)."""
    fig, ax = plt.subplots(figsize=style.size(3.6))
    total = labels.label("cii_total", lang=lang)
    for base, part in table.groupby("cii_base"):
        ax.plot(part["year"], part["cii_total"], marker="o", label=f"{total}（{base}）")
    ax.scatter(
        table["year"],
        table["mean_domains"],
        marker="x",
        color="black",
        zorder=3,
        label=labels.label("mean_domains", lang=lang),
    )
    ax.set_xlabel(labels.label("year", lang=lang))
    ax.set_ylabel(total)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    style.legend_below(fig, [ax], ncol=1)
    return fig

"""Charts of the ASEM demonstration (appendix A4): rank intervals and sensitivity indices."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from zjinnov.present import formats, labels, style


def rank_intervals(ranks, lo: float, hi: float, lang: str = "zh"):
    """Each country's nominal rank (dot), median rank (dash) and [lo, hi] interval (bar), one
    row per country (the list grows down the page: names across would be too small to read).

    `ranks`: the appendix's `ranks` table, in nominal order; `lo`, `hi`: the percentiles."""
    fig, ax = plt.subplots(figsize=style.size(0.2 * len(ranks) + 1.6))
    y = np.arange(len(ranks))
    interval = (
        f"{formats.fmt(lo, 'share')}%—{formats.fmt(hi, 'share')}% "
        f"{labels.label('interval', 'term', lang)}"
    )
    ax.hlines(
        y,
        ranks["rank_lo"],
        ranks["rank_hi"],
        color=style.CITY_COLOUR,
        lw=4,
        alpha=0.5,
        label=interval,
    )
    ax.scatter(
        ranks["rank_median"],
        y,
        marker="|",
        s=80,
        color=style.CITY_COLOUR,
        label=labels.label("rank_median", lang=lang),
    )
    ax.scatter(
        ranks["rank_nominal"],
        y,
        s=14,
        color=style.COUNTY_COLOUR,
        zorder=3,
        label=labels.label("rank_nominal", lang=lang),
    )
    ax.set_yticks(y, ranks["region"])
    ax.set_ylim(len(ranks) - 0.5, -0.5)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(labels.label("rank", lang=lang))
    ax.set_ylabel(labels.label("country_code", lang=lang))
    style.legend_below(fig, [ax], ncol=1)
    return fig


def sobol(table, lang: str = "zh"):
    """First-order and total-effect indices per assumption, with their confidence half-widths.

    `table`: the appendix's `sobol` table (vocabulary keys in `varied_assumption`)."""
    shown = table.iloc[::-1]
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=style.size(0.75 * len(shown) + 1.9))
    ax.barh(
        y + 0.2,
        shown["st"],
        0.4,
        xerr=shown["st_conf"],
        color=style.COUNTY_COLOUR,
        label=labels.label("st", lang=lang),
    )
    ax.barh(
        y - 0.2,
        shown["s1"],
        0.4,
        xerr=shown["s1_conf"],
        color=style.CITY_COLOUR,
        label=labels.label("s1", lang=lang),
    )
    ax.set_yticks(
        y, [style.wrap(labels.label(f, "term", lang), 8) for f in shown["varied_assumption"]]
    )
    ax.set_xlabel(labels.label("variance_share", "term", lang))
    style.legend_below(fig, [ax])
    return fig

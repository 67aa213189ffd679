"""Charts of the ASEM demonstration (appendix A4): rank intervals and sensitivity indices."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from zjinnov.present import formats, labels, style


def rank_intervals(ranks, lo: float, hi: float, lang: str = "zh"):
    """Each country's nominal rank (dot), median rank (dash) and [lo, hi] interval (bar).

    `ranks`: the appendix's `ranks` table, in nominal order; `lo`, `hi`: the percentiles."""
    fig, ax = plt.subplots(figsize=(9, 4.8))
    x = np.arange(len(ranks))
    interval = (
        f"{formats.fmt(lo, 'share')}%—{formats.fmt(hi, 'share')}% "
        f"{labels.label('interval', 'term', lang)}"
    )
    ax.vlines(
        x,
        ranks["rank_lo"],
        ranks["rank_hi"],
        color=style.CITY_COLOUR,
        lw=4,
        alpha=0.5,
        label=interval,
    )
    ax.scatter(
        x,
        ranks["rank_median"],
        marker="_",
        s=80,
        color=style.CITY_COLOUR,
        label=labels.label("rank_median", lang=lang),
    )
    ax.scatter(
        x,
        ranks["rank_nominal"],
        s=14,
        color=style.COUNTY_COLOUR,
        zorder=3,
        label=labels.label("rank_nominal", lang=lang),
    )
    ax.set_xticks(x, ranks["region"], rotation=90, fontsize=8)
    ax.invert_yaxis()
    ax.set_ylabel(labels.label("rank", lang=lang))
    ax.set_xlabel(labels.label("country_code", lang=lang))
    ax.legend(loc="lower left", fontsize=10)
    fig.tight_layout()
    return fig


def sobol(table, lang: str = "zh"):
    """First-order and total-effect indices per assumption, with their confidence half-widths.

    `table`: the appendix's `sobol` table (vocabulary keys in `varied_assumption`)."""
    shown = table.iloc[::-1]
    y = np.arange(len(shown))
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
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
    ax.set_yticks(y, [labels.label(f, "term", lang) for f in shown["varied_assumption"]])
    ax.set_xlabel(labels.label("variance_share", "term", lang))
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig

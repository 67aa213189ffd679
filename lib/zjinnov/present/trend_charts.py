"""Fan charts of the trends chapter, drawn from its tidy tables (`zjinnov.study.chapters.trends`).

Figures are made for the book's width (style.WIDTH) with text no smaller than style.SMALL, so
they read on a phone: a small multiple has one panel a row and grows taller. Words come from
the labels table.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import MaxNLocator

from zjinnov.present import labels, style
from zjinnov.present.style import CITY_COLOUR, COUNTY_COLOUR, PALETTE
from zjinnov.study.facts import ChapterResult

WIDTH = style.WIDTH  # inches: the book's figure width
PANEL_HEIGHT = 3.0
TEXT = style.SMALL  # points: the smallest text, readable on a phone
TARGET_COLOUR = "#2e86c1"
# The label group of each coded column in the chapter's tables (for `publish.show`).
WORDS = {
    "scenario": "term",
    "model": "model",
    "prob_model": "model",
    "status": "status",
    "confidence": "confidence",
    "period": "term",
    "fit_reason": "reason",
    "refusal": "reason",
    "comparator": "term",
    "sdg_category": "term",
    "dns_symbol": "term",
    "dns_relaxed_symbol": "term",
    "schedule_status": "term",
    "inside_interval": "term",
    "timing": "term",
    "plan_kind": "term",
    "compared": "term",
    "models": "model",
}
TITLE_WIDTH = 20  # characters of a panel title before it wraps


def _word(key: str, group: str = "term") -> str:
    return labels.label(key, group)


def fan(
    ax,
    points: pd.DataFrame,
    projection: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    levels=(0.8, 0.95),
    share: bool = False,
    colour: str = COUNTY_COLOUR,
):
    """One series: its candidates by status, the projection's median and intervals, targets.

    `points`: year, value, status, used (the chapter's fit points of one series and scenario);
    `projection`: year, projected (median), lower80, upper80, lower95, upper95 of the model drawn;
    `targets`: target_year, target_value, label. The outer band of a short series may be
    many times wider than the data; the axes frame the data and the inner band only.
    """
    used = points["used"].astype(bool)
    status = points["status"]
    computed = status.isin(["derived", "inferred"])
    kinds = [
        (used & status.eq("published"), {"marker": "o", "color": colour}, "chart_published"),
        (used & status.eq("implied"), {"marker": "x", "color": colour}, "chart_implied"),
        (used & computed, {"marker": "D", "color": colour}, "chart_computed_fitted"),
        (
            ~used & computed,
            {"marker": "D", "facecolor": "none", "edgecolor": colour},
            "chart_computed",
        ),
        (
            status.eq("partial"),
            {"marker": "o", "facecolor": "none", "edgecolor": colour},
            "chart_partial",
        ),
        (
            points.get("fit_reason", pd.Series("", index=points.index)).eq("fit_flagged"),
            {"marker": "s", "facecolor": "none", "edgecolor": colour},
            "chart_flagged",
        ),
    ]
    for mask, marks, key in kinds:
        if mask.any():
            ax.scatter(
                points.loc[mask, "year"],
                points.loc[mask, "value"],
                zorder=3,
                s=30,
                label=_word(key),
                **marks,
            )
    span = list(points["value"].dropna())
    if len(projection):
        fitted = points[used].sort_values("year")
        x0, y0 = int(fitted["year"].iloc[-1]), float(fitted["value"].iloc[-1])
        proj = projection.sort_values("year")
        xs = [x0, *proj["year"]]
        for lvl, alpha in zip(sorted(levels, reverse=True), (0.15, 0.3), strict=False):
            pct = round(100 * lvl)
            ax.fill_between(
                xs,
                [y0, *proj[f"lower{pct}"]],
                [y0, *proj[f"upper{pct}"]],
                color=colour,
                alpha=alpha,
                lw=0,
                label=f"{pct}% {_word('chart_interval')}",
            )
        ax.plot(xs, [y0, *proj["projected"]], color=colour, ls="--", label=_word("chart_median"))
        inner = round(100 * min(levels))
        span += list(proj[f"lower{inner}"]) + list(proj[f"upper{inner}"])
    if targets is not None and len(targets):
        ax.scatter(
            targets["target_year"],
            targets["target_value"],
            marker="*",
            s=120,
            color=TARGET_COLOUR,
            zorder=4,
            label=_word("chart_target"),
        )
        # Neighbouring targets' labels alternate above and below their stars.
        for k, rec in enumerate(targets.sort_values("target_year").itertuples()):
            ax.annotate(
                rec.label,
                (rec.target_year, rec.target_value),
                fontsize=TEXT,
                xytext=(-4, 7) if k % 2 == 0 else (-4, -9),
                textcoords="offset points",
                ha="right",
                va="bottom" if k % 2 == 0 else "top",
            )
        span += list(targets["target_value"])
    if not span:
        ax.text(
            0.5,
            0.5,
            _word("chart_no_observation"),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=TEXT,
        )
        ax.set_xticks([])
        ax.set_yticks([])
        return ax
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, not 2012.5
    lo, hi = min(span), max(span)
    pad = 0.08 * (hi - lo or abs(hi) or 1.0)
    ax.set_ylim(max(lo - pad, 0.0), min(hi + pad, 100.0) if share else hi + pad)
    ax.tick_params(labelsize=TEXT)
    return ax


def _panels(result: ChapterResult, scenario: str) -> list[str]:
    """Variables drawn for a scenario: every projection on published figures; with implied
    values, those the implied values change (more observations, or a projection at all)."""
    proj = result.tables["projections"]
    drawn = proj[proj["best"]].drop_duplicates(["scenario", "variable"])
    n_obs = drawn.pivot(index="variable", columns="scenario", values="n_obs")
    here = list(dict.fromkeys(drawn.loc[drawn["scenario"].eq(scenario), "variable"]))
    if scenario == "published_only" or "published_only" not in n_obs:
        return here
    before = n_obs["published_only"].fillna(0)
    return [v for v in here if n_obs.at[v, scenario] > before[v]]


def _target_marks(result: ChapterResult, variable: str) -> pd.DataFrame:
    used = result.tables["targets_used"]
    proj = result.tables["projections"]
    names = proj.drop_duplicates("variable").set_index("variable")["name_zh"]
    rows = used[used["name_zh"].eq(names.get(variable))]
    return rows.assign(label=rows["region"] + rows["target_year"].astype(str))


def fans(result: ChapterResult, scenario: str = "published_only", levels=(0.8, 0.95)):
    """A small multiple, two panels a row: each indicator projected under `scenario`."""
    variables = _panels(result, scenario)
    if not variables:
        empty = "chart_no_projection" if scenario == "published_only" else "chart_no_implied_gain"
        return style.no_data(_word(empty))
    nrows = len(variables)
    fig, axes = plt.subplots(nrows, 1, figsize=(WIDTH, PANEL_HEIGHT * nrows + 1.2), squeeze=False)
    proj = result.tables["projections"]
    about = proj.drop_duplicates("variable").set_index("variable")
    points = result.tables["fit_points"]
    horizon = int(proj["year"].max())
    for ax, v in zip(axes.flat, variables, strict=False):
        mine = points[points["variable"].eq(v) & points["scenario"].eq(scenario)]
        drawn = proj[proj["variable"].eq(v) & proj["scenario"].eq(scenario) & proj["best"]]
        fan(
            ax,
            mine,
            drawn,
            targets=_target_marks(result, v),
            levels=levels,
            share=about.at[v, "unit"] == "%",
        )
        n_obs = int(drawn["n_obs"].iloc[0])
        n_pub = int(drawn["n_published"].iloc[0])
        title = style.wrap(about.at[v, "name_zh"], TITLE_WIDTH)
        ax.set_title(
            f"{title}\n（n = {n_obs}，{_word('chart_of_which_published')} {n_pub}）",
            fontsize=style.FONT,
        )
        ax.set_ylabel(about.at[v, "unit"], fontsize=TEXT)
        first = int(mine["year"].min())
        ax.set_xlim(min(first - 1, horizon - 9), horizon + 1)
    for ax in list(axes.flat)[len(variables) :]:
        ax.axis("off")
    _legend(fig, axes)
    return fig


def _legend(fig, axes) -> None:
    style.legend_below(fig, list(axes.flat), ncol=1)


def context(result: ChapterResult, levels=(0.8, 0.95)):
    """Province and city R&D intensity, one panel each: the model drawn as a fan, and every
    model's median as its own line; stars are the city's targets."""
    points = result.tables["context_points"]
    proj = result.tables["context_projections"]
    city_targets = result.tables["context_targets"]
    city_targets = city_targets.assign(label=city_targets["target_year"].astype(str))
    regions = result.tables["context_regions"]
    fig, axes = plt.subplots(
        len(regions), 1, figsize=(WIDTH, PANEL_HEIGHT * len(regions) + 0.8), squeeze=False
    )
    for ax, (i, code) in zip(axes.flat, enumerate(regions["county_code"]), strict=True):
        mine = points[points["county_code"].eq(code)]
        models = proj[proj["county_code"].eq(code)]
        marks = city_targets if i == len(regions) - 1 else None
        fan(
            ax,
            mine,
            models[models["best"]],
            targets=marks,
            levels=levels,
            share=True,
            colour=CITY_COLOUR,
        )
        for j, (model, part) in enumerate(models[~models["best"]].groupby("model", sort=False)):
            ax.plot(
                part["year"],
                part["projected"],
                lw=1.2,
                color=PALETTE[(2 + j) % len(PALETTE)],
                label=labels.label(model, "model"),
            )
        row = regions.iloc[i]
        ax.set_title(f"{row['region']}（n = {row['n_obs']}）", fontsize=style.FONT)
        ax.set_ylabel("%", fontsize=TEXT)
    _legend(fig, axes)
    return fig

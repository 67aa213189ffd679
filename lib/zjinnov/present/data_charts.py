"""Charts of the data chapter: which indicator can be computed in which year."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from zjinnov.data.coverage import STATUS_ORDER
from zjinnov.present import labels, style

# From no data (light grey) to complete (the county's colour), in STATUS_ORDER.
NAME_WIDTH = 10  # characters of an indicator's name a line
COVERAGE_COLOURS = [style.NO_DATA_COLOUR, "#f5cba7", "#d68910", style.COUNTY_COLOUR]


def coverage(table, county_name: str, lang: str = "zh"):
    """Indicator (rows, code and name) × year heat map of coverage status; one row per indicator.

    `table`: the data chapter's tidy `coverage` table (indicator, name_zh, year, status).
    """
    level = table["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    if table.empty or not (level > 0).any():
        return style.no_data(f"{county_name}在研究期内没有任何指标的已发表数字")
    grid = table.assign(level=level).pivot(index="indicator", columns="year", values="level")
    grid = grid.reindex(list(dict.fromkeys(table["indicator"])))
    names = table.drop_duplicates("indicator").set_index("indicator")["name_zh"]
    # The indicator's name in lines of nine characters beside its code: the grid keeps the
    # figure's width and the figure grows taller instead.
    rows = [
        f"{code} " + style.wrap(names[code], NAME_WIDTH).replace("\n", "\n    ")
        for code in grid.index
    ]
    lines = sum(r.count("\n") + 1 for r in rows)
    fig, ax = plt.subplots(figsize=style.size(0.2 * lines + 0.08 * len(rows) + 2.2))
    ax.imshow(
        grid.to_numpy(dtype=float),
        cmap=ListedColormap(COVERAGE_COLOURS),
        vmin=-0.5,
        vmax=len(STATUS_ORDER) - 0.5,
        aspect="auto",
    )
    ax.set_xticks(range(grid.shape[1]), [str(y) for y in grid.columns], rotation=90)
    ax.set_yticks(range(len(rows)), rows)
    ax.tick_params(axis="x", top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(f"{county_name}：{labels.label('year', lang=lang)}")
    ax.grid(False)
    handles = [
        Patch(color=c, label=labels.label(s, "status", lang))
        for c, s in zip(COVERAGE_COLOURS, STATUS_ORDER, strict=True)
    ]
    style.legend_below(fig, handles=handles, labels=[h.get_label() for h in handles])
    return fig

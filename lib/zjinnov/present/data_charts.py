"""Charts of the data chapter: which indicator can be computed in which year."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from zjinnov.data.coverage import STATUS_ORDER
from zjinnov.present import labels, style

# From no data (light grey) to complete (the county's colour), in STATUS_ORDER.
COVERAGE_COLOURS = [style.NO_DATA_COLOUR, "#f5cba7", "#d68910", style.COUNTY_COLOUR]


def coverage(table, county_name: str, lang: str = "zh"):
    """Indicator (rows, code and name) × year heat map of coverage status; one row per indicator.

    `table`: the data chapter's tidy `coverage` table (indicator, name_zh, year, status).
    """
    level = table["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    grid = table.assign(level=level).pivot(index="indicator", columns="year", values="level")
    grid = grid.reindex(list(dict.fromkeys(table["indicator"])))
    names = table.drop_duplicates("indicator").set_index("indicator")["name_zh"]
    rows = [f"{code} {names[code]}" for code in grid.index]
    fig, ax = plt.subplots(figsize=(8.5, 0.3 * len(rows) + 1.6))
    ax.imshow(
        grid.to_numpy(dtype=float),
        cmap=ListedColormap(COVERAGE_COLOURS),
        vmin=-0.5,
        vmax=len(STATUS_ORDER) - 0.5,
        aspect="auto",
    )
    ax.set_xticks(range(grid.shape[1]), [str(y) for y in grid.columns], fontsize=10)
    ax.set_yticks(range(len(rows)), rows, fontsize=10)
    ax.set_xlabel(labels.label("year", lang=lang))
    ax.set_title(county_name)
    ax.grid(False)
    handles = [
        Patch(color=c, label=labels.label(s, "status", lang))
        for c, s in zip(COVERAGE_COLOURS, STATUS_ORDER, strict=True)
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=10)
    fig.tight_layout()
    return fig

"""Which documents of data/sources.csv the study's data rest on, and which are listed for context.

A source is cited when a row names it: a raw table's row (source_id), a plan target
(targets.csv), an indicator of the registry (its citation) or a unit of the county registry
(counties.csv). A source that no row names is marked `context` in the `use` column of
sources.csv (background a reader may want, e.g. the national monitoring standards); a count
of "sources" in the book says which of the two it counts.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import derived, sources
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import DATA
from zjinnov.data.reading import read_table

CONTEXT = "context"
USES = ("", CONTEXT)
COLUMNS = [
    "source_id",
    "kind",
    "use",
    "n_raw_rows",
    "n_targets",
    "n_indicators",
    "n_registry",
    "cited",
]


def _ids(path: Path, column: str, split: bool = False) -> pd.Series:
    table = read_table(path, ValidationReport()) if path.exists() else None
    if table is None or column not in table:
        return pd.Series([], dtype=str)
    ids = table[column].str.split(";").explode() if split else table[column]
    ids = ids.str.strip()
    return ids[ids.ne("")]


def source_use(data_dir: Path = DATA, observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per source of sources.csv: how many rows of each kind cite it, and `cited`.

    `observations` (the loaded raw rows, if at hand) saves reading the raw tables again; rows
    this study derived by formula cite their inputs, not a source of their own, and are left out.
    """
    data_dir = Path(data_dir)
    table = sources.load_sources(data_dir)
    if observations is None:
        observations = sources.load_observations(data_dir)
    raw = observations.loc[observations["file"].ne(derived.VARIABLES_FILE), "source_id"]
    counts = {
        "n_raw_rows": raw.value_counts(),
        "n_targets": _ids(data_dir / "targets.csv", "source_id").value_counts(),
        "n_indicators": _ids(
            data_dir / "framework" / "indicators.csv", "citation", split=True
        ).value_counts(),
        "n_registry": _ids(data_dir / "framework" / "counties.csv", "source_id").value_counts(),
    }
    out = table[["source_id", "kind"]].assign(use=table["use"] if "use" in table else "")
    for name, found in counts.items():
        out[name] = out["source_id"].map(found).fillna(0).astype(int)
    out["cited"] = out[list(counts)].sum(axis=1).gt(0)
    return out[COLUMNS].reset_index(drop=True)


def summary(use: pd.DataFrame) -> dict[str, int]:
    """Counts a chapter can glue: listed, cited by any row, cited by raw rows, context only."""
    return {
        "n_sources_listed": len(use),
        "n_sources_cited": int(use["cited"].sum()),
        "n_sources_cited_by_raw": int(use["n_raw_rows"].gt(0).sum()),
        "n_sources_context": int(use["use"].eq(CONTEXT).sum()),
    }


def problems(use: pd.DataFrame) -> list[str]:
    """Sources whose `use` disagrees with the rows: cited by none and not context, or context
    but cited. (Checked on the shipped data by a test, not by `validate`: a scratch data folder
    that copies sources.csv beside a small table cites few of them on purpose.)"""
    out = []
    for row in use.itertuples(index=False):
        if not row.cited and row.use != CONTEXT:
            out.append(f"{row.source_id}: cited by no row; cite it or set use to context")
        if row.cited and row.use == CONTEXT:
            out.append(f"{row.source_id}: marked context but cited by a row")
    return out

"""The observations: every raw table (data/raw/*.csv) validated against data/sources.csv and
the registries, in one tidy table (one row a figure, in canonical units); and sources.csv.

The rules live beside: the tables' columns and schemas in `zjinnov.data.raw_schema`, reading one
table through them in `zjinnov.data.raw_tables`, the kept result per table in
`zjinnov.data.validated_cache`, the quote rules in `zjinnov.data.quotes`. Every problem is
reported at once (`zjinnov.data.errors`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import derived, quotes, validated_cache
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import DATA
from zjinnov.data.raw_schema import OUTPUT_COLUMNS, RAW_COLUMNS, sources_schema
from zjinnov.data.reading import read_table
from zjinnov.data.validation import check_schema
from zjinnov.data.variables import load_variables, variables_table

# Names other modules import from here (the importer, the edition stamp): kept public.
__all__ = [
    "OUTPUT_COLUMNS",
    "RAW_COLUMNS",
    "collect_observations",
    "load_observations",
    "load_sources",
    "load_variables",
    "read_table",
    "validate_sources",
]
# The kept validations (a benchmark clears it between runs).
_MEMO = validated_cache.MEMO


def validate_sources(data_dir: Path, report: ValidationReport) -> pd.DataFrame | None:
    path = Path(data_dir) / "sources.csv"
    if not path.exists():
        report.add("sources.csv", None, None, "file missing")
        return None
    frame = read_table(path, report, "sources.csv")
    if frame is None:
        return None
    problems = check_schema(sources_schema(), frame, "sources.csv", ["source_id"])
    report.problems.extend(problems)
    return None if any(p.rule == "missing column" for p in problems) else frame


def load_sources(data_dir: Path = DATA) -> pd.DataFrame:
    """data/sources.csv, validated (raises DataValidationError listing every problem)."""
    report = ValidationReport()
    frame = validate_sources(Path(data_dir), report)
    report.raise_if_any()
    return frame


def collect_observations(data_dir: Path, report: ValidationReport) -> pd.DataFrame:
    """Validate every raw table against sources.csv and the registries; return the valid rows."""
    data_dir = Path(data_dir)
    sources = validate_sources(data_dir, report)
    source_ids = set(sources["source_id"]) if sources is not None else None
    paths = sorted((data_dir / "raw").glob("*.csv"))
    if not paths:
        report.add("raw/", None, None, "no raw tables found")
    framework_dir = data_dir / "framework"
    context = validated_cache.context(framework_dir, source_ids)
    frames = [
        validated_cache.validated(p, report, source_ids, framework_dir, context) for p in paths
    ]
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    obs = pd.concat(frames, ignore_index=True)
    # The source's publication date travels with each figure: the selection policy lets a
    # later release (a revision) win over an earlier one.
    dates = {}
    if sources is not None:
        dates = dict(zip(sources["source_id"], sources["date_published"], strict=True))
    obs["date_published"] = obs["source_id"].map(dates).fillna("")
    _check_global_key(obs, report)
    # Each quote must show its figure (or, for a derived row, its formula and source rows).
    forms = {} if sources is None else dict(zip(sources["source_id"], sources["form"], strict=True))
    variables = variables_table(framework_dir)
    flags = set(variables.index[variables["kind"].eq("flag")])
    report.problems.extend(quotes.check(obs, forms, flags))
    # Figures derived by the formulas of variables.csv from the published rows just read.
    extra = derived.derive(obs, framework_dir)
    return pd.concat([obs, extra], ignore_index=True) if len(extra) else obs


def _check_global_key(obs: pd.DataFrame, report: ValidationReport) -> None:
    # The same figure from the same source must live in one file only.
    key = ["county_code", "year", "variable", "period", "source_id", "boundary_year"]
    dup = obs[obs.duplicated(key, keep=False)]
    for _, group in dup.groupby(key, dropna=False):
        if group["file"].nunique() < 2:
            continue  # within one file the pandera key rule has reported it already
        files = ", ".join(f"{f}:{r}" for f, r in zip(group["file"], group["row"], strict=True))
        first = group.iloc[0]
        report.add(
            first["file"],
            int(first["row"]),
            ", ".join(key),
            f"duplicate key across files ({files})",
            first["variable"],
            first["county_code"],
            first["year"],
        )


def load_observations(data_dir: Path = DATA) -> pd.DataFrame:
    """Every figure in data/raw/, validated, in canonical units (one row a figure), and the
    figures derived from them by the formulas of variables.csv (`zjinnov.data.derived`).

    Raises DataValidationError listing all problems if any table is invalid.
    """
    report = ValidationReport()
    obs = collect_observations(Path(data_dir), report)
    report.raise_if_any()
    return obs

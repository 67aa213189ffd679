"""Every file under data/: what it holds, its loader, and its check (OWID-etl style).

`validate` walks this list in order, so a file's check can rely on the files before it (the
codes of every table are checked against the county registry, so the registry comes first).
A file under data/ that is not catalogued is itself a problem: nothing is read by accident or
left unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

import pandas as pd

from zjinnov.data import (
    assumptions,
    county_registry,
    derived,
    framework,
    geography,
    place_names,
    reading,
    settings,
    sources,
    targets,
    units,
    variables,
)
from zjinnov.data.errors import ValidationReport


@dataclass
class Context:
    """What earlier checks learnt and later ones need."""

    data_dir: Path
    source_ids: set[str] | None = None
    normalisers: list[str] | None = None
    registry_ok: bool = True


@dataclass(frozen=True)
class Entry:
    pattern: str  # path under data/, a glob for a family of tables
    holds: str  # one line: what the file is
    load: Callable[[Path], pd.DataFrame]  # data folder -> the file's table, typed and validated
    check: Callable[[ValidationReport, Context], None]


def _check_sources(report: ValidationReport, ctx: Context) -> None:
    frame = sources.validate_sources(ctx.data_dir, report)
    ctx.source_ids = set(frame["source_id"]) if frame is not None else None


def _check_registry(report: ValidationReport, ctx: Context) -> None:
    before = len(report.problems)
    county_registry.validate_registry(ctx.data_dir / "framework", report, ctx.source_ids)
    ctx.registry_ok = len(report.problems) == before


def _check_place_names(report: ValidationReport, ctx: Context) -> None:
    path = ctx.data_dir / "framework" / place_names.EXCEPTIONS_FILE
    if not path.exists():
        return
    table = reading.read_table(path, report, f"framework/{place_names.EXCEPTIONS_FILE}")
    if table is None:
        return
    label = f"framework/{place_names.EXCEPTIONS_FILE}"
    for column in ("name_zh", "name_en", "note"):
        if column not in table:
            report.add(label, None, column, "missing column")
            return
    for i, row in table.iterrows():
        if not row["name_en"].strip() or not row["note"].strip():
            report.add(label, i + 2, "name_en", "an exception needs its English name and a note")
    for i in table.index[table["name_zh"].duplicated()]:
        report.add(label, i + 2, "name_zh", "name listed twice", table.at[i, "name_zh"])


def _check_units(report: ValidationReport, ctx: Context) -> None:
    path = ctx.data_dir / "framework" / "units.csv"
    table = reading.read_table(path, report, "framework/units.csv")
    if table is None:
        return
    factor = pd.to_numeric(table.get("factor"), errors="coerce")
    for i in table.index[factor.isna() | (factor <= 0)]:
        report.add(
            "framework/units.csv",
            i + 2,
            "factor",
            "factor must be a positive number",
            table.at[i, "factor"],
        )
    for i in table.index[table["unit"].duplicated()]:
        report.add("framework/units.csv", i + 2, "unit", "unit listed twice", table.at[i, "unit"])


def _check_variables(report: ValidationReport, ctx: Context) -> None:
    path = ctx.data_dir / "framework" / "variables.csv"
    table = reading.read_table(path, report, "framework/variables.csv")
    if table is None:
        return
    known = set(units.unit_table(ctx.data_dir / "framework").index)
    for i, row in table.iterrows():
        for unit in [row["unit"], *str(row["allowed_units"]).split(";")]:
            if units.normalise_text(unit) not in known:
                report.add(
                    "framework/variables.csv", i + 2, "allowed_units", "unit not in units.csv", unit
                )
    derived.check_formulas(ctx.data_dir / "framework", report)
    for i in table.index[table["variable"].duplicated()]:
        report.add(
            "framework/variables.csv",
            i + 2,
            "variable",
            "variable listed twice",
            table.at[i, "variable"],
        )


def _check_raw(report: ValidationReport, ctx: Context) -> None:
    if not ctx.registry_ok:
        report.add(
            "raw/", None, None, "raw tables not checked: their codes need a valid county registry"
        )
        return
    sources.collect_observations(ctx.data_dir, report)


def _check_targets(report: ValidationReport, ctx: Context) -> None:
    if ctx.registry_ok:
        targets.check_targets(ctx.data_dir, report, ctx.source_ids)


def _check_framework(report: ValidationReport, ctx: Context) -> None:
    framework.validate_framework(ctx.data_dir, report, ctx.source_ids, ctx.normalisers)


def _check_assumptions(report: ValidationReport, ctx: Context) -> None:
    assumptions.check_assumptions(ctx.data_dir / "framework" / "assumptions.csv", report)


def _framework(loader):
    return lambda data_dir: loader(Path(data_dir) / "framework")


CATALOGUE: tuple[Entry, ...] = (
    Entry(
        "sources.csv",
        "one row a source document: URL, publisher, dates, kind, form",
        sources.load_sources,
        _check_sources,
    ),
    Entry(
        "framework/counties.csv",
        "county-level units and the years each code is valid",
        _framework(geography.load_counties),
        _check_registry,
    ),
    Entry(
        "framework/boundary_changes.csv",
        "renames, merges and splits between units",
        _framework(geography.load_changes),
        lambda r, c: None,
    ),
    Entry(
        "framework/place_names_en.csv",
        "place names whose English differs from their pinyin, with the reason",
        lambda d: place_names.english_names(Path(d) / "framework"),
        _check_place_names,
    ),
    Entry(
        "framework/units.csv",
        "units of measurement and their factors",
        lambda d: units.unit_table(Path(d) / "framework").reset_index(),
        _check_units,
    ),
    Entry(
        "framework/variables.csv",
        "the variable dictionary: labels, kind, canonical and allowed units",
        variables.load_variables,
        _check_variables,
    ),
    Entry(
        "raw/*.csv",
        "source tables as published, one row a figure with its quote",
        sources.load_observations,
        _check_raw,
    ),
    Entry("targets.csv", "plan targets with their sources", targets.load_targets, _check_targets),
    Entry(
        "framework/indicators.csv",
        "the indicator registry (34 rows): formula, domain, weight, evidence",
        _framework(framework.load_indicators),
        _check_framework,
    ),
    Entry(
        "framework/domains.csv",
        "the five domains and their weights",
        _framework(framework.load_domains),
        lambda r, c: None,
    ),
    Entry(
        "framework/settings.csv",
        "the index's settings that are data: its base year",
        _framework(settings.as_table),
        lambda r, c: settings.check_settings(c.data_dir / "framework", r),
    ),
    Entry(
        "framework/evidence_grades.csv",
        "what the evidence for an indicator is",
        _framework(framework.load_evidence_grades),
        lambda r, c: None,
    ),
    Entry(
        "framework/assumptions.csv",
        "the assumptions-and-caveats log, rated red/amber/green",
        lambda d: assumptions.load_assumptions(Path(d) / "framework" / "assumptions.csv"),
        _check_assumptions,
    ),
)


def entry_for(relative: str) -> Entry | None:
    """The catalogue entry a file under data/ belongs to (None: not catalogued)."""
    return next((e for e in CATALOGUE if fnmatch(relative, e.pattern)), None)


def load(relative: str, data_dir: Path) -> pd.DataFrame:
    """The table of one catalogued file, by its path under data/ (e.g. "targets.csv")."""
    entry = entry_for(relative)
    if entry is None:
        raise KeyError(f"{relative} is not in the data catalogue")
    return entry.load(Path(data_dir))


def uncatalogued(data_dir: Path) -> list[str]:
    files = (p.relative_to(data_dir).as_posix() for p in Path(data_dir).rglob("*") if p.is_file())
    return sorted(f for f in files if entry_for(f) is None and not Path(f).name.startswith("."))


def validate(data_dir: Path, normalisers: list[str] | None = None) -> ValidationReport:
    """Walk the catalogue: every file checked, every problem listed at once."""
    data_dir = Path(data_dir)
    report = ValidationReport()
    ctx = Context(data_dir, normalisers=normalisers)
    for entry in CATALOGUE:
        entry.check(report, ctx)
    for name in uncatalogued(data_dir):
        report.add(name, None, None, "file not in the data catalogue (zjinnov/data/catalogue.py)")
    # sources.csv is read by its own check and again by the raw tables' (which need its ids
    # when run alone): a problem is listed once.
    seen: set[str] = set()
    report.problems = [p for p in report.problems if not (str(p) in seen or seen.add(str(p)))]
    return report

"""The workbook's row of sources.csv, written or completed from the import's flags.

The analyst names the document on the command line (--title, --publisher, --date, ...) and
need not know sources.csv: the import writes the row into their folder's sources.csv, or fills
the blank fields of a row already there, and prints the row. A flag that contradicts a field
already filled is a problem, not an overwrite. The row is checked against the schema of
sources.csv (`zjinnov.data.sources.sources_schema`) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zjinnov.data import sources
from zjinnov.data.errors import ValidationReport
from zjinnov.data.raw_schema import SOURCE_COLUMNS

DEFAULTS = {"kind": "official", "form": "table", "confidence": "high"}
FLAGS = {  # sources.csv column -> the flag that sets it
    "title": "--title",
    "publisher": "--publisher",
    "date_published": "--date",
    "url": "--url",
    "date_accessed": "--accessed",
    "kind": "--kind",
    "confidence": "--confidence",
    "note": "--note",
}


@dataclass
class SourcePlan:
    source_id: str
    row: dict | None  # the row as it will stand in sources.csv
    action: str  # 'public' (in data/sources.csv), 'kept', 'completed', 'written', 'missing'
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, rule)


def _frame(folder: Path | None, report: ValidationReport) -> pd.DataFrame | None:
    if folder is None or not (Path(folder) / "sources.csv").exists():
        return None
    return sources.validate_sources(Path(folder), report)


def plan(
    source_id: str, data_dir: Path, folder: Path | None, flags: dict, workbook: str
) -> SourcePlan:
    """What the import will do with the source row; `flags`: column -> value given."""
    flags = {k: v for k, v in flags.items() if v not in (None, "")}
    public = _frame(data_dir, ValidationReport())
    if public is not None and source_id in set(public["source_id"]):
        row = public.set_index("source_id").loc[source_id].to_dict()
        return SourcePlan(source_id, {"source_id": source_id, **row}, "public")
    mine = _frame(folder, ValidationReport())
    if mine is not None and source_id in set(mine["source_id"]):
        row = mine.set_index("source_id").loc[source_id].astype(str).to_dict()
        problems, filled = [], False
        for column, value in flags.items():
            if not row.get(column):
                row[column], filled = value, True
            elif row[column] != value:
                problems.append(
                    (
                        FLAGS[column],
                        f"sources.csv already gives {column} {row[column]!r} for "
                        f"{source_id}; {FLAGS[column]} says {value!r} (edit sources.csv to change it)",
                    )
                )
        row = {"source_id": source_id, **row}
        return SourcePlan(source_id, row, "completed" if filled else "kept", problems + _check(row))
    if "title" not in flags:
        return SourcePlan(
            source_id,
            None,
            "missing",
            [
                (
                    "source_id",
                    "source id not in sources.csv: give the document's --title (and --publisher, "
                    "--date) and the import writes its row, or add the row yourself",
                )
            ],
        )
    row = {c: "" for c in SOURCE_COLUMNS} | {"source_id": source_id} | DEFAULTS
    row |= {
        "url": f"file:{workbook}",
        "date_accessed": dt.date.today().isoformat(),
        "note": f"imported from {workbook} by zjinnov import",
    }
    row |= flags
    return SourcePlan(source_id, row, "written", _check(row))


def _check(row: dict) -> list[tuple[str, str]]:
    """The row against the schema of sources.csv, as `zjinnov validate` checks it."""
    with tempfile.TemporaryDirectory() as tmp:
        pd.DataFrame([row])[SOURCE_COLUMNS].to_csv(Path(tmp) / "sources.csv", index=False)
        report = ValidationReport()
        sources.validate_sources(Path(tmp), report)
    return [(p.column or "", p.rule) for p in report.problems]


def write(p: SourcePlan, folder: Path) -> Path | None:
    """Write or complete the row in `folder`/sources.csv (nothing for a public or kept row)."""
    if p.action not in ("written", "completed"):
        return None
    path = Path(folder) / "sources.csv"
    table = _frame(folder, ValidationReport())
    if table is None:
        table = pd.DataFrame(columns=SOURCE_COLUMNS)
    table = table[table["source_id"] != p.source_id]
    table = pd.concat([table, pd.DataFrame([p.row])[SOURCE_COLUMNS]], ignore_index=True)
    Path(folder).mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, encoding="utf-8")
    return path


def as_text(p: SourcePlan) -> str:
    """The row as the CSV line it is (header line first)."""
    frame = pd.DataFrame([p.row])[SOURCE_COLUMNS]
    return frame.to_csv(index=False).strip()

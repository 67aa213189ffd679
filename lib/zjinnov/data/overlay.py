"""Data that stay outside the repository: an analyst's folder of extra tables laid over data/.

Official monitoring tables may be confidential. The analyst keeps them in a folder of their own
(`raw/*.csv` as `python -m zjinnov import` writes them, a `sources.csv` for the documents they
come from, and optionally `framework/*.csv` that replace the registry's files, e.g. official
weights). `lay_out(extra, dest)` builds under _build/ a data folder that links to every file
of data/ and of the extra folder, with a merged sources.csv and a marker file that says which
tables and sources came from outside (titles and publishers only, never the folder's path).
Nothing is written into data/ or into the extra folder, and nothing is copied from it but
the rows of its sources.csv.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zjinnov.data import paths
from zjinnov.data.errors import ValidationReport

MARKER = ".overlay.json"  # a dot file: not a data table, so the data catalogue passes over it
SIMULATED = "simulated"


@dataclass(frozen=True)
class Overlay:
    """What an overlay laid over the public data (read back from its marker)."""

    tables: tuple[str, ...]  # names of the extra raw tables
    rows: int  # rows in them
    sources: pd.DataFrame  # the sources the extra tables cite: source_id, title, publisher, kind
    framework: tuple[str, ...]  # registry files replaced by the analyst's

    @property
    def simulated(self) -> bool:
        return bool(self.sources["kind"].eq(SIMULATED).any())


def _inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return folder == path or folder in path.parents


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def check(extra: Path, dest: Path, data: Path = paths.DATA) -> ValidationReport:
    """Every reason the extra folder cannot be laid over data/, at once."""
    report = ValidationReport()
    extra = Path(extra)
    if not extra.is_dir():
        report.add(str(extra.name or extra), None, None, "extra data folder not found")
        return report
    for folder, what in ((data, "data/"), (extra, "the extra folder")):
        if _inside(dest, folder):
            report.add("overlay", None, None, f"the overlay may not be laid out inside {what}")
    tables = sorted((extra / "raw").glob("*.csv"))
    if not tables:
        report.add("raw/", None, None, "the extra folder has no raw/*.csv tables")
    public = {p.name for p in (data / "raw").glob("*.csv")}
    for p in tables:
        if p.name in public:
            report.add(
                f"raw/{p.name}",
                None,
                None,
                "a public table has the same name: rename the extra table",
            )
    if not (extra / "sources.csv").exists():
        report.add("sources.csv", None, None, "the extra folder needs a sources.csv for its tables")
        return report
    mine, theirs = _read_csv(extra / "sources.csv"), _read_csv(data / "sources.csv")
    if "source_id" not in mine.columns:
        report.add("sources.csv", None, "source_id", "missing column")
        return report
    both = theirs.set_index("source_id").reindex(mine["source_id"]).dropna(how="all")
    for sid in both.index:
        ours = mine.set_index("source_id").loc[[sid]].iloc[0]
        if not ours.reindex(both.columns).fillna("").eq(both.loc[sid].fillna("")).all():
            report.add(
                "sources.csv",
                None,
                "source_id",
                "source id also in data/sources.csv with other details: use another id",
                sid,
            )
    return report


def lay_out(extra: Path, dest: Path, data: Path = paths.DATA) -> Overlay:
    """Build the merged data folder at `dest` (recreated); raise listing every problem."""
    extra, dest, data = Path(extra), Path(dest), Path(data)
    check(extra, dest, data).raise_if_any()
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "raw").mkdir(parents=True)
    (dest / "framework").mkdir()
    for p in sorted((data / "raw").glob("*.csv")) + sorted((extra / "raw").glob("*.csv")):
        (dest / "raw" / p.name).symlink_to(p.resolve())
    replaced = []
    for p in sorted((data / "framework").glob("*.csv")):
        own = extra / "framework" / p.name
        (dest / "framework" / p.name).symlink_to((own if own.exists() else p).resolve())
        if own.exists():
            replaced.append(p.name)
    targets = extra / "targets.csv" if (extra / "targets.csv").exists() else data / "targets.csv"
    (dest / "targets.csv").symlink_to(targets.resolve())
    public, mine = _read_csv(data / "sources.csv"), _read_csv(extra / "sources.csv")
    merged = pd.concat([public, mine[~mine["source_id"].isin(public["source_id"])]])
    merged.to_csv(dest / "sources.csv", index=False, encoding="utf-8")
    tables = sorted((extra / "raw").glob("*.csv"))
    cited, rows = [], 0
    for p in tables:
        table = _read_csv(p)
        rows += len(table)
        cited += list(dict.fromkeys(table.get("source_id", pd.Series(dtype=str))))
    shown = merged.set_index("source_id").reindex(list(dict.fromkeys(cited)))
    shown = shown.dropna(how="all")[["title", "publisher", "kind"]].reset_index()
    marker = {
        "tables": [p.stem for p in tables],
        "rows": rows,
        "sources": shown.to_dict("records"),
        "framework": replaced,
    }
    (dest / MARKER).write_text(json.dumps(marker, ensure_ascii=False, indent=1), encoding="utf-8")
    return read(dest)


def read(data_dir: Path) -> Overlay | None:
    """The overlay a data folder carries, or None for the public data alone."""
    path = Path(data_dir) / MARKER
    if not path.exists():
        return None
    m = json.loads(path.read_text(encoding="utf-8"))
    sources = pd.DataFrame(m["sources"], columns=["source_id", "title", "publisher", "kind"])
    return Overlay(tuple(m["tables"]), int(m["rows"]), sources, tuple(m["framework"]))

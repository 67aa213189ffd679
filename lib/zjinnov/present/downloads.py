"""Every table in the book as a download: one CSV per table, one Excel workbook per study.

Each table a chapter shows is written under `_build/downloads/<chapter>/` by `table_link`
(called from `zjinnov.present.display`), with a relative link printed under the table. When the
build has finished, the book's extension copies the folder next to the pages and gathers
every CSV into one workbook, one sheet per chapter. The workbook's dates are then set to the
data vintage (`stamp_workbook`), so two builds of the same inputs give the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from zjinnov.data import paths

SAFE_NAME = re.compile(r"^[a-z0-9_]+$")
WORKBOOK_NAME = "study_tables.xlsx"


def downloads_dir() -> Path:
    return paths.output_dir("downloads")


def table_link(df: pd.DataFrame, chapter: str, name: str) -> str:
    """Write a shown table as CSV and return the HTML link printed under it.

    Chapter pages sit in notebooks/, and the book's extension copies _build/downloads/ to
    downloads/ beside them when the build finishes, so the link is relative and works offline.
    """
    for label, value in (("name", name), ("chapter", chapter)):
        if not SAFE_NAME.match(value):
            raise ValueError(f"download {label} {value!r}: use lower-case letters, digits and _")
    path = paths.output_dir("downloads", chapter) / f"{name}.csv"
    df.to_csv(path, index=not isinstance(df.index, pd.RangeIndex), encoding="utf-8-sig")
    href = f"../downloads/{chapter}/{name}.csv"
    return f'<p class="table-download"><a href="{href}" download>下载本表（CSV）</a></p>'


def published_tables(root: Path | None = None) -> dict[str, dict[str, pd.DataFrame]]:
    """All published CSVs, by chapter then table name."""
    root = root or downloads_dir()
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for csv in sorted(root.glob("*/*.csv")):
        out.setdefault(csv.parent.name, {})[csv.stem] = pd.read_csv(csv, encoding="utf-8-sig")
    return out


def write_workbook(
    path: Path,
    tables: dict[str, dict[str, pd.DataFrame]],
    when: datetime | None = None,
    creator: str | None = None,
) -> Path:
    """One sheet per chapter; the chapter's tables stacked with a title row above each.

    Given `when` (the data vintage) and `creator`, the file is stamped with them instead of the
    clock (see `stamp_workbook`).
    """
    if not tables:
        raise ValueError("no published tables to put in the workbook")
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for chapter, named in tables.items():
            row = 0
            sheet = chapter[:31]  # Excel's limit on sheet names
            for name, df in named.items():
                pd.DataFrame({name: []}).to_excel(xl, sheet_name=sheet, startrow=row, index=False)
                df.to_excel(xl, sheet_name=sheet, startrow=row + 1, index=False)
                row += len(df) + 3
    if when is not None:
        stamp_workbook(path, when, creator or "")
    return path


def _core_properties(when: datetime, creator: str) -> bytes:
    from openpyxl.packaging.core import DocumentProperties
    from openpyxl.xml.functions import tostring

    props = DocumentProperties(creator=creator, lastModifiedBy=creator, created=when, modified=when)
    return tostring(props.to_tree())


def stamp_workbook(path: Path, when: datetime, creator: str) -> Path:
    """Rewrite a workbook so that its bytes depend on its content only.

    openpyxl writes the clock twice: into docProps/core.xml (created, and modified on every
    save) and into each zip entry's date. Both take `when` here, and the creator is `creator`.
    """
    path = Path(path)
    with zipfile.ZipFile(path) as zf:
        entries = [(info.filename, zf.read(info)) for info in zf.infolist()]
    core = _core_properties(when, creator)
    moment = when.timetuple()[:6]
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, core if name == "docProps/core.xml" else data)
    tmp.replace(path)
    return path

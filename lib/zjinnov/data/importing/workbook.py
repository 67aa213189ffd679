"""Reading cells: a workbook, a CSV file or a folder of them -> sheets of cell values.

A file that cannot be read is named with what is wrong with it, never a traceback: a text
file or an old .xls renamed .xlsx, a damaged archive, an empty file. Cells formatted as
percentages are remembered (Excel stores 3.42% as 0.0342). A formula saved without its
computed value reads as an empty cell; `formula_cells` tells those apart on demand, so the
importer can say "open and save it in a spreadsheet program" instead of "missing".

A sheet laid out with indicators down and counties across is turned round (`Sheet.turned`),
keeping every cell's reference in the original sheet for quotes and problems.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

SUFFIXES = (".xlsx", ".xlsm", ".csv")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, or an encrypted workbook


class WorkbookError(ValueError):
    """A file that cannot be read as a workbook; `reason` says why in the analyst's terms."""

    def __init__(self, file: str, reason: str):
        self.file, self.reason = file, reason
        super().__init__(f"{file}: {reason}")


def cell_ref(row: int, col: int) -> str:
    """0-based (row, column) -> A1."""
    letters = ""
    n = col + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row + 1}"


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]  # values; row k is sheet row k + 1 (or column k + 1 if turned)
    percent: set[tuple[int, int]] = field(default_factory=set)  # cells in a percent format
    file: str = ""
    path: Path | None = None
    turned: bool = False

    @property
    def label(self) -> str:
        return f"{self.file}[{self.name}]"

    def ref(self, r: int, c: int) -> str:
        """The cell's reference in the sheet as the analyst sees it."""
        return cell_ref(c, r) if self.turned else cell_ref(r, c)

    def row_of(self, r: int, c: int = 0) -> int:
        """The 1-based row of the sheet that holds cell (r, c)."""
        return (c if self.turned else r) + 1

    def value(self, r: int, c: int) -> object:
        row = self.rows[r] if r < len(self.rows) else []
        return row[c] if c < len(row) else None

    def turn(self) -> Sheet:
        """Columns become rows: indicators down and counties across -> the usual layout."""
        width = max((len(r) for r in self.rows), default=0)
        rows = [[self.value(r, c) for r in range(len(self.rows))] for c in range(width)]
        percent = {(c, r) for r, c in self.percent}
        return Sheet(self.name, rows, percent, self.file, self.path, not self.turned)

    @cached_property
    def formulas(self) -> set[tuple[int, int]]:
        """Cells holding a formula, in this sheet's orientation (read again, only if asked)."""
        if self.path is None or self.path.suffix.lower() not in (".xlsx", ".xlsm"):
            return set()
        from openpyxl import load_workbook

        book = load_workbook(self.path, read_only=True, data_only=False)
        try:
            ws = book[self.name]
            found = {
                (r, c)
                for r, cells in enumerate(ws.iter_rows(values_only=True))
                for c, v in enumerate(cells)
                if isinstance(v, str) and v.startswith("=")
            }
        finally:
            book.close()
        return {(c, r) for r, c in found} if self.turned else found


def _what_is(path: Path) -> str:
    """Why a file named .xlsx is not one, from its first bytes."""
    head = path.read_bytes()[:512]
    if not head:
        return "the file is empty (0 bytes)"
    if head.startswith(OLE_MAGIC):
        return (
            "an old Excel .xls (or password-protected) workbook, not .xlsx: open it in a "
            "spreadsheet program and save it as .xlsx without a password"
        )
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        return "a web page (HTML/XML) saved under an .xlsx name: open it and save it as .xlsx"
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        first = text.splitlines()[0][:40] if text.strip() else ""
        return (
            f"a text file named .xlsx (it begins {first!r}): if it is a CSV table, rename it "
            ".csv; otherwise save it as .xlsx from a spreadsheet program"
        )
    return "not an .xlsx workbook (not a zip archive): save it as .xlsx from a spreadsheet program"


def _read_xlsx(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    with path.open("rb") as f:
        magic = f.read(4)
    if magic != ZIP_MAGIC:
        raise WorkbookError(path.name, _what_is(path))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise WorkbookError(
            path.name,
            f"a damaged .xlsx workbook ({type(err).__name__}: {err}); open it in a spreadsheet "
            "program, repair or save it again, and import the saved copy",
        ) from err
    out = []
    try:
        for ws in book.worksheets:
            rows, percent = [], set()
            for r, cells in enumerate(ws.iter_rows()):
                values = []
                for c, cell in enumerate(cells):
                    value = getattr(cell, "value", None)
                    values.append(value)
                    fmt = getattr(cell, "number_format", "") or ""
                    if "%" in fmt and isinstance(value, (int, float)):
                        percent.add((r, c))
                rows.append(values)
            out.append(Sheet(ws.title, rows, percent, path.name, path))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise WorkbookError(
            path.name, f"a damaged .xlsx workbook: a sheet cannot be read ({err})"
        ) from err
    finally:
        book.close()
    return out


def _read_csv(path: Path) -> list[Sheet]:
    data = path.read_bytes()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        raise WorkbookError(path.name, "a workbook named .csv: rename it .xlsx (or save as CSV)")
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese saves CSV as GBK by default
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WorkbookError(path.name, "not UTF-8 or GB18030 text: save it again as CSV (UTF-8)")
    rows = [list(r) for r in csv.reader(io.StringIO(text))]
    return [Sheet(path.stem, [[v if v != "" else None for v in r] for r in rows], file=path.name)]


def read_workbook(path: Path) -> list[Sheet]:
    """The sheets of an xlsx file, a csv file (one sheet), or every xlsx/csv in a folder;
    WorkbookError naming the file and what is wrong when one cannot be read."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(path.name or str(path), "file or folder not found")
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        if not files:
            raise WorkbookError(path.name, "no .xlsx or .csv file in the folder")
        return [s for p in files for s in read_workbook(p)]
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xls":
        raise WorkbookError(
            path.name, "an old Excel .xls workbook: open it and save it as .xlsx, then import that"
        )
    raise WorkbookError(path.name, "expected an .xlsx or .csv file, or a folder of them")


def read_all(paths: list[Path]) -> tuple[list[Sheet], list[WorkbookError]]:
    """Every readable sheet, and every file that could not be read (so all are named at once)."""
    sheets, errors = [], []
    for path in paths:
        path = Path(path)
        files = (
            sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
            if path.is_dir()
            else [path]
        )
        if path.is_dir() and not files:
            errors.append(WorkbookError(path.name, "no .xlsx or .csv file in the folder"))
        for f in files:
            try:
                sheets += read_workbook(f)
            except WorkbookError as err:
                errors.append(err)
    return sheets, errors

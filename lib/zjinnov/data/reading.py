"""Read a CSV of the data folder as text, every problem reported: encoding, field counts, header.

Rows keep their place: a frame's index + 2 is the row's line in the file (header = line 1), so
every later problem can name the line a person sees in an editor.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from zjinnov.data import units
from zjinnov.data.errors import ValidationReport


def read_table(
    path: Path, report: ValidationReport, label: str | None = None
) -> pd.DataFrame | None:
    """Read a CSV as text columns. BOM accepted; anything not UTF-8 is refused with its file name."""
    label = label or path.name
    data = path.read_bytes()
    if not data.strip():
        report.add(label, None, None, "empty file: no header and no rows")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        guess = ""
        try:
            data.decode("gb18030")
            guess = " (it decodes as GBK/GB18030)"
        except UnicodeDecodeError:
            pass
        report.add(label, None, None,
                   f"encoding: file is not UTF-8{guess}; byte {err.start} cannot be read; save it as UTF-8",
                   data[err.start : err.start + 2].hex())  # fmt: skip
        return None
    frame = _records(text, label, report)
    if frame is None:
        return None
    if frame.empty:
        report.add(label, None, None, "empty file: header but no rows")
        return None
    return frame


def _records(text: str, label: str, report: ValidationReport) -> pd.DataFrame | None:
    """Rows as text, indexed so that index + 2 is the row's line in the file (header = line 1).

    A row with more or fewer fields than the header is reported and left out, never guessed at.
    """
    reader = csv.reader(io.StringIO(text))
    header, rows, index, start = None, [], [], 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record:
                continue  # a blank line
            if header is None:
                header = [units.normalise_text(c) for c in record]
                continue
            if len(record) != len(header):
                report.add(
                    label,
                    line,
                    None,
                    f"row has {len(record)} fields, the header has {len(header)} "
                    "(a comma inside a value needs double quotes around the value)",
                    ",".join(record),
                )
                continue
            rows.append(record)
            index.append(line - 2)
    except csv.Error as err:
        report.add(label, reader.line_num, None, f"not readable as CSV: {err}")
        return None
    if header is None:
        report.add(label, None, None, "empty file: no header and no rows")
        return None
    doubled = sorted({c for c in header if header.count(c) > 1})
    if doubled:
        report.add(label, 1, ", ".join(doubled), "column named twice in the header")
        return None
    return pd.DataFrame(rows, columns=header, index=index, dtype=str)

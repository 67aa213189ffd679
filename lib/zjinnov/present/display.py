"""How tables look in the book, on a phone as on paper.

Every table a notebook shows (a DataFrame, a Styler, or a `Table` from `table()`) is written
here as HTML that the book's style sheet and script (book/_static/zjbook/) know:

- no row numbers, no NaN, numbers as a reader writes them, right-aligned and never broken
  across lines (a column is numeric when every cell in it reads as a number);
- the table sits in its own box that scrolls sideways when the table is wider than the page,
  its first column kept in view, with a hint the script shows only when the box overflows;
  no column narrower than four characters (the style sheet), so nothing stacks a character
  a line;
- `table(df, columns=[...])` shows a few columns and downloads all of them;
- `table(df, sortable=True, page_size=20)`: the reader sorts by any column and pages through
  a long table (the script; on paper every row prints);
- an empty table shows one line saying so and writes no download.

With a chapter id (`register`), each table shown is also written as CSV and linked under it
(`downloads.table_link`), numbered in the order the chapter shows them.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd

NA = "—"
# A number as the book writes it, with at most a short unit: 2,961.25 / -3.4 / 83.2% / 208 亿元.
NUMERIC = re.compile(r"^[-−+]?\d[\d,]*(?:\.\d+)?(?:\s?%|\s\S{1,4})?$")
# A long token without spaces (a source id, a file name): allowed to wrap anywhere.
TOKEN = re.compile(r"^[!-~]{14,}$")
WRAP_AT = 10_000  # cells; a bigger frame is written by pandas as it is (no styling)
WIDE = 10  # columns from which a table prints in smaller type (class zj-wide)
LONG = 15  # rows from which a printed table may start at the foot of a page (class zj-long)
# A text column is at least as wide as its longest cell spread over LINES lines, between 4
# and MAX_EM characters: a long text wraps into a few lines, not into a column of characters.
LINES = 3
MAX_EM = 14


def number(v) -> str:
    """22.0 -> 22; 2961.25 -> 2,961.25; 0.142857 -> 0.143; NaN -> —."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return NA
    if isinstance(v, (int, np.integer)):
        return f"{v:,d}" if abs(v) >= 10000 else str(v)
    v = float(v)
    if v.is_integer() and abs(v) < 1e15:
        return f"{int(v):,d}" if abs(v) >= 10000 else str(int(v))
    if abs(v) < 1:
        return f"{v:.3g}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def _cell(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(v)
    if isinstance(v, (int, float, np.integer, np.floating)) or v is None or v is pd.NA:
        return number(v)
    if v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return NA
    return str(v)


def _kind(cells: list[str]) -> str:
    """'num' when every cell that is not missing reads as a number, 'token' for long ids."""
    seen = [c for c in cells if c and c != NA]
    if seen and all(NUMERIC.match(c) for c in seen):
        return "num"
    if seen and sum(bool(TOKEN.match(c)) for c in seen) * 2 >= len(seen):
        return "token"
    return ""


def _width(text: str) -> float:
    """The width of a text in Chinese characters (a Latin letter or digit is about half)."""
    return sum(0.55 if ch.isascii() else 1.0 for ch in text)


def _min_em(cells: list[str], kind: str) -> float:
    if kind == "num" or not cells:
        return 0.0
    return min(MAX_EM, max(_width(c) for c in cells) / LINES)


def _header(col) -> str:
    if isinstance(col, tuple):
        return " · ".join(str(c) for c in col if str(c))
    return str(col)


def frame_html(df: pd.DataFrame) -> str:
    """The <table> alone: a header row, labelled rows if the index carries labels."""
    if df.size > WRAP_AT:
        return df.to_html(na_rep=NA, classes="dataframe zj-data", border=0)
    frame = df if isinstance(df.index, pd.RangeIndex) else df.reset_index()
    columns = [[_cell(v) for v in frame.iloc[:, k]] for k in range(frame.shape[1])]
    kinds = [_kind(cells) for cells in columns]
    widths = [_min_em(cells, kind) for cells, kind in zip(columns, kinds, strict=True)]

    def cls(k: int) -> str:
        return f' class="zj-{kinds[k]}"' if kinds[k] else ""

    def width(k: int) -> str:
        return f' style="min-width:{widths[k]:.1f}em"' if widths[k] > 4 else ""

    head = "".join(
        f'<th scope="col"{cls(k)}{width(k)}>{html.escape(_header(c))}</th>'
        for k, c in enumerate(frame.columns)
    )
    rows = []
    for i in range(len(frame)):
        cells = "".join(
            f"<td{cls(k)}>{html.escape(columns[k][i])}</td>" for k in range(len(columns))
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="dataframe zj-data"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# ------------------------------------------------------------------------------ shown tables
_state = {"chapter": None, "count": 0}


def _download(df: pd.DataFrame) -> str:
    chapter = _state["chapter"]
    if not chapter:
        return ""
    from zjinnov.present import downloads

    _state["count"] += 1
    return downloads.table_link(df, chapter, f"table_{_state['count']:02d}")


def download_link(frame: pd.DataFrame, text: str | None = None) -> str:
    """A table's CSV, written as a shown table's is, and the line linking it (`text` in place
    of the usual words: a table offered as a download only); nothing for a frame without rows."""
    if frame.empty:
        return ""
    link = _download(frame)
    return link.replace("下载本表（CSV）", html.escape(text)) if link and text else link


def drop_section(missing: bool):
    """In a section's first cell: when its subject is `missing` for this county (an index it
    does not have), a marker the book's extension drops the whole section by; else nothing.
    The chapter says in one line, before, what is missing."""
    if not missing:
        return None
    from IPython.display import HTML

    return HTML('<div class="zj-drop-section"></div>')


def empty_note(text: str | None = None) -> str:
    """The one line shown in place of a table without rows."""
    from zjinnov.present import labels

    words = text if text is not None else labels.label("table_empty", "term")
    return f'<p class="zj-empty">{html.escape(words)}</p>'


def wrapped(
    table_html: str,
    download: str = "",
    *,
    sortable=False,
    page_size=None,
    columns: int = 0,
    rows: int = 0,
) -> str:
    """A table in its scrolling box, with the hint and the download link."""
    classes = ["zj-table"] + (["zj-sortable"] if sortable else [])
    classes += ["zj-wide"] if columns >= WIDE else []
    classes += ["zj-long"] if rows >= LONG else []
    data = f' data-zj-page-size="{int(page_size)}"' if page_size else ""
    return (
        f'<div class="{" ".join(classes)}"{data}>'
        f'<div class="zj-scroll" tabindex="0">{table_html}</div>'
        f"{download}</div>"
    )


class Table:
    """A table as a chapter shows it (`table()`); the notebook displays it as HTML."""

    def __init__(self, frame, columns=None, *, sortable=False, page_size=None, empty=None):
        self.frame = frame
        self.columns = list(columns) if columns is not None else None
        self.sortable, self.page_size, self.empty = sortable, page_size, empty

    @property
    def shown(self) -> pd.DataFrame:
        return self.frame if self.columns is None else self.frame[self.columns]

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return empty_note(self.empty)
        return wrapped(
            frame_html(self.shown),
            _download(self.frame),
            sortable=self.sortable,
            page_size=self.page_size if len(self.frame) > (self.page_size or 0) else None,
            columns=self.shown.shape[1] + (0 if isinstance(self.frame.index, pd.RangeIndex) else 1),
            rows=len(self.frame),
        )


def table(frame: pd.DataFrame, columns=None, *, sortable=False, page_size=None, empty=None):
    """Show `frame` for reading: only `columns` if given (the download keeps every column);
    `sortable` lets the reader sort by a column; `page_size` shows that many rows at a time
    (every row prints); an empty frame shows `empty` (or the book's line for it) instead."""
    missing = [c for c in columns or [] if c not in frame.columns]
    if missing:
        raise KeyError(f"table: no column(s) {missing} to show; the frame has {list(frame)}")
    return Table(frame, columns, sortable=sortable, page_size=page_size, empty=empty)


def register(chapter: str | None = None) -> None:
    """Make every DataFrame (or Styler) a notebook shows render as a book table; with a
    chapter id, each shown table is also written as CSV and linked under the table."""
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python, nothing to register
        return
    shell = get_ipython()
    if shell is None:
        return
    from pandas.io.formats.style import Styler

    _state.update(chapter=chapter, count=0)

    def _frame(df: pd.DataFrame) -> str:
        return Table(df)._repr_html_()

    def _styler(sty) -> str:
        if sty.data.empty:
            return empty_note()
        data = sty.data
        return wrapped(sty.to_html(), _download(data), columns=data.shape[1], rows=len(data))

    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, _frame)
    formatter.for_type(Styler, _styler)

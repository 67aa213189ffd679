"""How tables look in the book: no row numbers, no NaN, numbers as a reader writes them,
and every table shown downloadable as CSV (`downloads.table_link`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

NA = "—"


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


def styled(df: pd.DataFrame):
    """A Styler that hides the index (unless it carries labels) and formats numbers."""
    numeric = [
        c
        for c in df.columns
        if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    ]
    sty = df.style.format(number, subset=numeric).format(
        na_rep=NA, subset=[c for c in df.columns if c not in numeric]
    )
    if isinstance(df.index, pd.RangeIndex):
        sty = sty.hide(axis="index")
    return sty


def frame_html(df: pd.DataFrame) -> str:
    if not df.columns.is_unique or df.size > 20000:
        return df.to_html(na_rep=NA)
    return styled(df).to_html()


def register(chapter: str | None = None) -> None:
    """Make every DataFrame (or Styler) a notebook shows render through `frame_html`; with a
    chapter id, each shown table is also written as CSV and linked under the table."""
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python, nothing to register
        return
    shell = get_ipython()
    if shell is None:
        return
    from pandas.io.formats.style import Styler

    from zjinnov.present import downloads

    counter = iter(range(1, 10_000))

    def _link(df: pd.DataFrame) -> str:
        return downloads.table_link(df, chapter, f"table_{next(counter):02d}") if chapter else ""

    html = shell.display_formatter.formatters["text/html"]
    html.for_type(pd.DataFrame, lambda df: frame_html(df) + _link(df))
    html.for_type(Styler, lambda sty: sty.to_html() + _link(sty.data))

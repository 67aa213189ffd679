"""The assumptions log as the reader sees it: labelled columns, ratings in words, and each
rating cell coloured red, amber or green (UK Aqua Book style); on the page a few columns a
page at a time, every column in its download."""

from __future__ import annotations

import pandas as pd

from zjinnov.present import display, labels

RATED = ("quality", "impact")
COLOUR = {"green": "#d5f5e3", "amber": "#fdebd0", "red": "#fadbd8"}


def shown(log: pd.DataFrame, columns, page_size: int = 10, lang: str = "zh"):
    """The log coloured as `styled`, only `columns` on the page, `page_size` rows at a time;
    the download keeps every column."""
    from IPython.display import HTML

    styler = styled(log[list(columns)], lang)
    link = display.download_link(labels.table(log, lang, words={c: "grade" for c in RATED}))
    paged = page_size if len(log) > page_size else None
    return HTML(
        display.wrapped(
            styler.to_html(), link, page_size=paged, columns=len(columns), rows=len(log)
        )
    )


def styled(log: pd.DataFrame, lang: str = "zh"):
    """A Styler of the log (`zjinnov.study.chapters.assumptions` table `log`)."""
    words = {col: "grade" for col in RATED if col in log}
    shown = labels.table(log, lang, words=words)
    css = pd.DataFrame("", index=shown.index, columns=shown.columns)
    for col in words:
        css[labels.label(col, "column", lang)] = [
            f"background-color: {COLOUR[v]}" if v in COLOUR else "" for v in log[col]
        ]
    return shown.style.apply(lambda _: css, axis=None).hide(axis="index")

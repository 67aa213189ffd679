"""The assumptions log as the reader sees it: labelled columns, ratings in words, and each
rating cell coloured red, amber or green (UK Aqua Book style)."""

from __future__ import annotations

import pandas as pd

from zjinnov.present import labels

RATED = ("quality", "impact")
COLOUR = {"green": "#d5f5e3", "amber": "#fdebd0", "red": "#fadbd8"}


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

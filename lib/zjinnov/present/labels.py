"""One vocabulary for what a reader sees: column names, model names, confidence levels,
statuses and units in Chinese and English, kept as data (`vocabulary/labels.csv`).

Every table the book shows goes through `table()`: its columns are renamed from the labels
table (an unknown column is an error, so a new column cannot slip into the book in English)
and its numbers are written by kind (`formats.fmt`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from zjinnov.present import formats

LABELS = Path(__file__).with_name("vocabulary") / "labels.csv"
GROUPS = ("column", "model", "confidence", "status", "unit", "grade", "rule", "reason", "term")


class LabelError(KeyError):
    pass


@cache
def load(path: Path = LABELS) -> pd.DataFrame:
    """group, key, zh, en, kind (kind: how a column's numbers are written; blank for words)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    # The table merges as a union (.gitattributes): a label two branches both added, word for
    # word, is one label; the same key with different words is an error.
    table = table.drop_duplicates(ignore_index=True)
    bad = sorted(set(table["group"]) - set(GROUPS))
    if bad:
        raise LabelError(f"{path.name}: unknown group(s) {bad}; allowed: {', '.join(GROUPS)}")
    dup = table[table.duplicated(["group", "key"], keep=False)]
    if len(dup):
        raise LabelError(
            f"{path.name}: duplicate labels {sorted(set(dup['group'] + ':' + dup['key']))}"
        )
    return table


def label(key: str, group: str = "column", lang: str = "zh") -> str:
    """The reader's word for `key` in `group`; an unknown key is an error naming it."""
    words = _index(LABELS).get((group, key))
    if words is None:
        raise LabelError(f"no {group} label for {key!r} in {LABELS.name}")
    return words[lang]


@cache
def _index(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    """(group, key) -> the row, for lookups a table of thousands of cells makes."""
    table = load(path)
    return {(r["group"], r["key"]): r for r in table.to_dict("records")}


def labels(group: str, lang: str = "zh") -> dict[str, str]:
    table = load(LABELS)
    rows = table[table["group"] == group]
    return dict(zip(rows["key"], rows[lang], strict=True))


def kind_of(column: str) -> str:
    row = _index(LABELS).get(("column", column))
    return row["kind"] if row and row["kind"] else "text"


def table(
    frame: pd.DataFrame,
    lang: str = "zh",
    *,
    words: dict[str, str] | None = None,
    units: dict[str, str] | None = None,
) -> pd.DataFrame:
    """`frame` as the reader sees it: labelled columns, numbers written by kind, words translated.

    `words` maps a column to the label group its cells are words of (e.g. {"confidence":
    "confidence", "model": "model"}); a column whose kind in the labels table is `term` holds
    vocabulary keys of the group `term` without being named here; `units` maps a money/value column to the column holding
    each row's unit. A cell holding a list (names, codes) is written item by item and joined as
    the language joins a list. Every cell of the result is a string.
    """
    words = words or {}
    units = units or {}
    unknown = [c for c in frame.columns if not _has(c)]
    if unknown:
        raise LabelError(f"columns without a label in {LABELS.name}: {unknown}")
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        kind = kind_of(col)
        cells = frame[col]
        if col in words or kind == "term":
            out[col] = [_word(v, words.get(col, "term"), lang) for v in cells]
        elif cells.map(_is_list).any():
            out[col] = [_joined(v, kind, lang) for v in cells]
        elif col in units:
            out[col] = [
                formats.fmt(v, kind, u, lang) for v, u in zip(cells, frame[units[col]], strict=True)
            ]
        else:
            out[col] = [formats.fmt(v, kind, lang=lang) for v in cells]
    out.columns = [label(c, "column", lang) for c in frame.columns]
    return out.reset_index(drop=True)


def _has(column: str) -> bool:
    return ("column", column) in _index(LABELS)


def _word(value, group: str, lang: str) -> str:
    if _is_list(value):
        words = [label(str(v), group, lang) for v in value]
        return formats.fmt(words, "list", lang=lang) if words else formats.NA
    if formats.is_missing(value):
        return formats.NA
    return label(str(value), group, lang)


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple))


def _joined(value, kind: str, lang: str) -> str:
    if not _is_list(value):
        return formats.fmt(value, kind, lang=lang)
    if not value:
        return formats.NA
    return formats.fmt([formats.fmt(v, kind, lang=lang) for v in value], "list", lang=lang)

"""What changed between two builds: the book's numbers and the data folder's rows.

Compares two facts documents (`zjinnov.present.facts`) and writes a short report in Chinese:
which glued values changed, from what to what, in which chapter; which were added or dropped;
which rows of the data tables were added or removed. `between_tables` does the same for one
table shown in two states of the data (the rerun appendix's worked example).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zjinnov.present import facts, labels

VALUE_COLUMNS = ["chapter", "chapter_title", "key", "kind", "old", "new"]
# Columns of a raw table that say what a row is, in the order a reader wants them.
ROW_SUMMARY = [
    "county_name",
    "county_code",
    "year",
    "variable",
    "value",
    "unit",
    "period",
    "source_id",
]


@dataclass
class Changes:
    changed: pd.DataFrame  # a value present in both builds, different
    added: pd.DataFrame  # a key only the new build glues (old is None)
    removed: pd.DataFrame  # a key only the old build glues (new is None)
    rows_added: pd.DataFrame  # file, then the table's own columns as text
    rows_removed: pd.DataFrame
    old_edition: dict
    new_edition: dict

    @property
    def none(self) -> bool:
        return all(
            t.empty
            for t in (self.changed, self.added, self.removed, self.rows_added, self.rows_removed)
        )


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def _by_key(doc: Mapping) -> dict[tuple[str, str], dict]:
    return {(f["chapter"], f["key"]): f for f in doc.get("facts", [])}


def compare_values(old: Mapping, new: Mapping) -> tuple[pd.DataFrame, ...]:
    before, after = _by_key(old), _by_key(new)
    changed, added, removed = [], [], []
    for key in [*before, *(k for k in after if k not in before)]:
        o, n = before.get(key), after.get(key)
        ref = n or o
        row = {
            "chapter": ref["chapter"],
            "chapter_title": ref.get("chapter_title", ""),
            "key": ref["key"],
            "kind": ref.get("kind", ""),
            "old": None if o is None else o["value"],
            "new": None if n is None else n["value"],
        }
        if o is None:
            added.append(row)
        elif n is None:
            removed.append(row)
        elif not _same(o["value"], n["value"]):
            changed.append(row)
    return tuple(pd.DataFrame(rows, columns=VALUE_COLUMNS) for rows in (changed, added, removed))


def _rows(table: Mapping) -> dict[tuple, dict]:
    columns = table["columns"]
    return {tuple(r): dict(zip(columns, r, strict=False)) for r in table["rows"]}


def compare_rows(old: Mapping, new: Mapping) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows in one data folder and not the other, file by file (a row edited counts as one
    removed and one added: the report shows both versions)."""
    added, removed = [], []
    for file in sorted(set(old) | set(new)):
        a = _rows(old.get(file, {"columns": [], "rows": []}))
        b = _rows(new.get(file, {"columns": [], "rows": []}))
        added += [{"file": file, **row} for key, row in b.items() if key not in a]
        removed += [{"file": file, **row} for key, row in a.items() if key not in b]
    return pd.DataFrame(added), pd.DataFrame(removed)


def compare(old: Mapping, new: Mapping) -> Changes:
    changed, added, removed = compare_values(old, new)
    rows_added, rows_removed = compare_rows(old.get("data", {}), new.get("data", {}))
    return Changes(
        changed,
        added,
        removed,
        rows_added,
        rows_removed,
        dict(old.get("edition", {})),
        dict(new.get("edition", {})),
    )


def between_tables(
    before: pd.DataFrame,
    after: pd.DataFrame,
    before_dir: Path,
    after_dir: Path,
    *,
    index: str = "year",
    chapter: str = "",
    title: str = "",
    lang: str = "zh",
) -> Changes:
    """One table in two states of the data, and the rows of the two data folders: a value per
    cell, keyed "<index> · <column's label>" (the reader's word for the column, from the labels
    table). Both folders must still exist."""
    docs = [
        facts.from_table(_labelled(table, index, lang), index, chapter, title, folder)
        for table, folder in ((before, before_dir), (after, after_dir))
    ]
    return compare(*docs)


def _labelled(table: pd.DataFrame, index: str, lang: str) -> pd.DataFrame:
    # object dtype: a row of an all-numeric frame would turn the year 2023 into 2023.0
    names = {c: labels.label(c, lang=lang) for c in table.columns if c != index}
    return table.astype(object).rename(columns=names)


def record(result, ch: Changes, n_values: str, n_rows_added: str, n_rows_removed: str) -> None:
    """The comparison's counts as facts of a chapter (`zjinnov.study.facts.ChapterResult`), for
    its sentence, under the keys given (written out in full by the caller): values changed or
    added (None when there are none), data rows added, removed."""
    result.fact(n_values, (len(ch.changed) + len(ch.added)) or None, "count")
    result.fact(n_rows_added, len(ch.rows_added), "count")
    result.fact(n_rows_removed, len(ch.rows_removed), "count")


# ------------------------------------------------------------------------------------ report
def _show(value: object) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("|", "\\|").replace("\n", " ")


def _editions(ch: Changes, old_label: str, new_label: str) -> list[str]:
    """Which two states are compared: the editions' stamps when recorded, else the labels."""
    if not (ch.old_edition.get("text") or ch.new_edition.get("text")):
        return [f"旧值：{old_label}；新值：{new_label}。"]
    pairs = ((old_label, ch.old_edition), (new_label, ch.new_edition))
    return [f"- {label}：{ed.get('text', '未记录版本信息')}" for label, ed in pairs]


def _value_table(frame: pd.DataFrame) -> list[str]:
    heads = [labels.label(c) for c in ("chapter", "value_name", "old_value", "new_value")]
    lines = ["| " + " | ".join(heads) + " |", "|---|---|---|---|"]
    for r in frame.itertuples(index=False):
        chapter = r.chapter_title or r.chapter
        old, new = _show(r.old), _show(r.new)
        if r.kind in ("figure", "table"):
            old, new = ("（图）" if r.kind == "figure" else "（表）"), "内容有变化"
        lines.append(f"| {chapter} | `{r.key}` | {old} | {new} |")
    return lines


def _row_text(row: Mapping) -> str:
    parts = [str(row[c]) for c in ROW_SUMMARY if c in row and str(row[c]) != ""]
    if not parts:  # not a raw table (sources.csv, the registry): its first columns
        parts = [str(v) for k, v in row.items() if k != "file" and str(v) != ""][:4]
    return "，".join(parts)


def _row_lines(frame: pd.DataFrame) -> list[str]:
    lines = []
    for file, group in frame.groupby("file", sort=True):
        lines.append(f"- `{file}`（{len(group)} 行）")
        for _, row in group.iterrows():
            values = {k: v for k, v in row.items() if isinstance(v, str)}
            lines.append(f"  - {_row_text(values)}")
    return lines


def render(
    ch: Changes,
    old_label: str = "旧版",
    new_label: str = "新版",
    level: int = 1,
    title: str = "两次构建之间的变化",
) -> str:
    """A short Markdown report in Chinese. `level` is its top heading's level; 0 gives bold
    lines instead of headings, for a report shown inside a book page (a cell's output)."""

    def heading(text: str, depth: int) -> str:
        return f"{'#' * depth} {text}" if level else f"**{text}**"

    out = [heading(title, level), ""]
    out += _editions(ch, old_label, new_label)
    out += ["", heading("数值的变化", level + 1), ""]
    if ch.changed.empty and ch.added.empty and ch.removed.empty:
        out.append("数值没有变化。")
    if not ch.changed.empty:
        out += [f"有 {len(ch.changed)} 项数值改变：", "", *_value_table(ch.changed), ""]
    if not ch.added.empty:
        out += [f"新增 {len(ch.added)} 项数值：", "", *_value_table(ch.added), ""]
    if not ch.removed.empty:
        out += [f"不再出现的数值 {len(ch.removed)} 项：", "", *_value_table(ch.removed), ""]
    out += ["", heading("数据文件的变化", level + 1), ""]
    if ch.rows_added.empty and ch.rows_removed.empty:
        out.append("数据文件的行没有增删。")
    if not ch.rows_added.empty:
        out += [f"新增 {len(ch.rows_added)} 行：", "", *_row_lines(ch.rows_added), ""]
    if not ch.rows_removed.empty:
        out += [f"删去 {len(ch.rows_removed)} 行：", "", *_row_lines(ch.rows_removed), ""]
    return "\n".join(out).rstrip() + "\n"


def between(old: Mapping, new: Mapping, **labels: str) -> str:
    """compare then render: the report for two facts documents."""
    return render(compare(old, new), **labels)

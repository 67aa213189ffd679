"""The facts file: every value a build glues into the book, with its chapter, and the data behind it.

The book's extension writes `_build/facts.json` when a build finishes. It holds the edition
stamp, the book's pages in reading order with their titles, each glued value (key, value,
chapter, and `evidence`: the keys of the raw rows it rests on, county_code, year, variable,
source_id, status, where its chapter recorded them), and a copy of every row of the data
folder's tables, so that two builds can be compared later even when one data folder is gone
(`zjinnov.present.changes`, `python -m zjinnov changes OLD NEW`).
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

FACTS_NAME = "facts.json"
FORMAT = 1
# A chapter glues its facts' evidence as one record under "<chapter>__evidence" (not a fact).
EVIDENCE = "__evidence"
# numpy 2 writes scalars as np.float64(3.2): the number inside is what the page shows.
_NUMPY_SCALAR = re.compile(r"^np\.\w+\((.*)\)$", re.S)
_IMAGE = ("image/png", "image/svg+xml", "image/jpeg")


def _literal(text: str) -> object:
    """A glued value as myst-nb reads it for {glue:text}: a Python literal, else the text."""
    inner = _NUMPY_SCALAR.match(text.strip())
    try:
        return ast.literal_eval(inner.group(1) if inner else text)
    except (SyntaxError, ValueError):
        return text


def _digest(content: object) -> str:
    raw = content if isinstance(content, str) else json.dumps(content, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def value_of(output: Mapping) -> tuple[str, object]:
    """(kind, value) of one glued output: a number, a text, or a digest for a figure or table."""
    data = output.get("data", {})
    for mime in _IMAGE:
        if mime in data:
            return "figure", _digest(data[mime])
    if "text/html" in data:
        return "table", _digest(data["text/html"])
    if "text/markdown" in data:
        return "text", str(data["text/markdown"])
    value = _literal(str(data.get("text/plain", "")))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "text", str(value)
    return "number", value


def glued_values(execute_dir: Path, chapters: Iterable[tuple[str, str]]) -> list[dict]:
    """Every glue of the executed notebooks, chapter by chapter in the given (book) order.

    myst-nb writes each executed notebook's glue outputs to <docname>.glue.json under the
    build's jupyter_execute folder; other pages read them from there, and so do we.
    """
    out = []
    for docname, title in chapters:
        path = Path(execute_dir) / f"{docname}.glue.json"
        if not path.exists():
            continue
        glued = json.loads(path.read_text(encoding="utf-8"))
        evidence: dict = {}
        for key in [k for k in glued if k.endswith(EVIDENCE)]:
            record = _literal(str(glued.pop(key).get("data", {}).get("text/plain", "")))
            evidence |= record if isinstance(record, dict) else {}
        out += [
            _fact(docname, title, key, *value_of(glued[key]), evidence.get(key, []))
            for key in sorted(glued)
        ]
    return out


def is_evidence(key: str) -> bool:
    """A glue key that carries a chapter's evidence record, not a fact."""
    return key.endswith(EVIDENCE)


def _fact(
    chapter: str, title: str, key: str, kind: str, value: object, evidence: list | None = None
) -> dict:
    return {
        "chapter": chapter,
        "chapter_title": title,
        "key": key,
        "kind": kind,
        "value": value,
        "evidence": list(evidence or []),
    }


def snapshot_data(data_dir: Path) -> dict[str, dict]:
    """Every row of every table under the data folder, as text, by file (posix path)."""
    root = Path(data_dir)
    out: dict[str, dict] = {}
    for path in sorted(root.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            rows = list(csv.reader(fh))
        if rows:
            out[path.relative_to(root).as_posix()] = {"columns": rows[0], "rows": rows[1:]}
    return out


def document(
    edition: Mapping | None,
    facts: list[dict],
    data: Mapping | None,
    chapters: Iterable[tuple[str, str]] = (),
) -> dict:
    """The file's content: edition stamp, the book's pages in order, glued values, data rows."""
    return {
        "format": FORMAT,
        "edition": dict(edition or {}),
        "chapters": [{"docname": d, "title": t} for d, t in chapters],
        "facts": facts,
        "data": dict(data or {}),
    }


def from_values(
    values: Mapping[str, object], chapter: str, data_dir: Path | None = None, title: str = ""
) -> dict:
    """A facts document for values computed in code (the rerun appendix compares two of them)."""
    facts = [
        _fact(chapter, title, str(key), *value_of({"data": {"text/plain": repr(raw)}}))
        for key, raw in values.items()
    ]
    return document(None, facts, snapshot_data(data_dir) if data_dir else None)


def from_table(
    table, index: str, chapter: str, title: str = "", data_dir: Path | None = None
) -> dict:
    """A facts document with one value per cell of a shown table, keyed "<row> · <column>"
    (a blank cell is no fact): two states of a chapter's table can then be compared."""
    values = {
        f"{row[index]} · {column}": row[column]
        for _, row in table.iterrows()
        for column in table.columns
        if column != index and not _blank(row[column])
    }
    return from_values(values, chapter, data_dir, title)


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def write(path: Path, doc: Mapping) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def locate(path: Path) -> Path:
    """A facts file, or the facts.json inside a build folder (`_build/` or its parent)."""
    path = Path(path)
    for candidate in (path, path / FACTS_NAME, path / "_build" / FACTS_NAME):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"{path}: no facts file here (looked for {FACTS_NAME} in it and in its _build/); "
        "build the book first (`make book`)"
    )


def read(path: Path) -> dict:
    found = locate(path)
    doc = json.loads(found.read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT or "facts" not in doc:
        raise ValueError(f"{found}: not a facts file of format {FORMAT}")
    return doc

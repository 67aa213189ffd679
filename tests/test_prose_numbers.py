"""Numbers in prose come from code: find figures typed by hand into the book's text.

Any number in `book/*.md` or in a notebook's Markdown fails unless it is glued (inside a glue
role), in code or math, a year, a section or list number, or listed in ALLOW with its reason.
A sentence typed for one county is false for the next; only glued numbers follow the data.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from zjinnov.data.paths import ROOT

NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[0-9０-９]+(?:[.,．][0-9０-９]+)*(?![A-Za-z0-9_])")
# Stripped before the search: roles (glue, numref, cite, doc, ...), inline code, math, link
# targets, code cells shown as fences, directive option lines, HTML comments, anchors.
MASKS = [
    re.compile(r"^```(?!\{).*?^```", re.S | re.M),
    re.compile(r"^```\{[^}]*\}.*$", re.M),
    re.compile(r"^```\s*$", re.M),
    re.compile(r"\{[a-z:-]+\}`[^`]*`"),
    re.compile(r"``[^`]*``|`[^`]*`"),
    re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.S),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"^:[a-z-]+:.*$", re.M),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"^\([^)]*\)=\s*$", re.M),
    # The name of a statistical period (1—11 月, Jan–Nov), not a figure.
    re.compile(r"1\s*[—–~-]\s*(?:9|11)\s*月"),
]
# A year (1949-2035), alone or in a range; a section or list number at the start of a line or
# heading; a chapter or appendix reference (第 3 章, 附录 A5, chapter 3).
YEAR = re.compile(r"^(19[5-9]\d|20[0-3]\d)$")
SECTION = re.compile(
    r"(^\s*(?:#+\s*)?$)|(第\s*$)|((?:附录|appendix|chapter|Chapter|章|节)\s*[A-Z]?$)"
)
# Exact numbers allowed in a file, each with the reason it is not data of the county.
ALLOW: dict[tuple[str, str], str] = {
    (
        "*",
        "100",
    ): "the index base (2015 = 100) is the definition of the index, the same for any county",
    ("*", "14"): "the 14th Five-Year Plan (十四五) is a name",
    ("*", "95"): "a 95 % prediction interval is the study's chosen level, not a finding",
    ("*", "5"): "the 5 %–95 % interval bounds are the study's chosen levels, not findings",
}


def _prose_sources() -> list[tuple[str, str]]:
    items = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "book").glob("*.md"))]
    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        items.append((nb_path.name, text))
    return items


def typed_numbers(text: str) -> list[str]:
    """Numbers not glued, with a little context: 'found «22» in 居全省第 22 位'."""
    for mask in MASKS:
        text = mask.sub(lambda m: " " * len(m.group(0)), text)
    found = []
    for m in NUMBER.finditer(text):
        number = m.group(0)
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()]
        after = text[m.end() : m.end() + 2]
        if YEAR.match(number) or SECTION.search(before):
            continue
        if re.match(r"^[.)]\s", after) and not before.strip():
            continue  # list item number
        found.append(number)
    return found


def _allowed(name: str, number: str) -> bool:
    return (name, number) in ALLOW or ("*", number) in ALLOW


@pytest.mark.parametrize(
    "name,text", _prose_sources(), ids=lambda v: v if isinstance(v, str) and len(v) < 60 else ""
)
def test_no_typed_numbers(name, text):
    found = [t for t in typed_numbers(text) if not _allowed(name, t)]
    assert not found, f"{name}: numbers typed into prose (glue them from code): {found}"


def test_detector_catches_and_spares():
    assert typed_numbers("创新指数为 151.5，居全省第 22 位，增长 12.6%") == ["151.5", "12.6"]
    assert typed_numbers("高企 350家，投入 20.05亿元，３.４２％，of 90 county units") == [
        "350",
        "20.05",
        "３.４２",
        "90",
    ]
    assert typed_numbers("以 2015 年为基期，2021–2025 年，见第 3 章和附录 A5") == []
    assert typed_numbers("1. 第一条\n## 2 方法\n") == []
    assert typed_numbers("指数 {glue:text}`nb.ipynb::x:.1f`%，代码 `12%`，公式 $x=5\\%$") == []
    assert typed_numbers("```{figure} a.png\n:width: 80%\n图中 34 项指标\n```") == ["34"]

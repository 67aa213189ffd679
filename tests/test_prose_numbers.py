"""Numbers in prose come from code: find figures typed by hand into the book's text.

A digit run next to %, 亿, 万, 位, 家 (or their full-width forms) in `book/*.md` or in a
notebook's markdown is a typed number unless it sits inside a glue role, inline code or math.
Years and chapter numbers never take those units, so they pass; anything else that must stay
is listed in ALLOW with the reason.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from zjinnov.data.paths import ROOT

UNITS = "%％亿万位家"
TYPED = re.compile(rf"[0-9０-９][0-9０-９.,，．]*\s*[{UNITS}]")
# Stripped before the search: glue roles, inline code, math, link targets.
MASKS = [
    re.compile(r"\{glue(?::[a-z]+)?\}`[^`]*`"),
    re.compile(r"``[^`]*``|`[^`]*`"),
    re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.S),
    re.compile(r"\]\([^)]*\)"),
    re.compile(r"^```.*?^```", re.S | re.M),
    re.compile(r"^:::.*?^:::", re.S | re.M),
]
# (file name, exact text) pairs allowed to stay, each with its reason.
ALLOW: dict[tuple[str, str], str] = {}


def _prose_sources() -> list[tuple[str, str]]:
    items = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "book").glob("*.md"))]
    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        items.append((nb_path.name, text))
    return items


def typed_numbers(text: str) -> list[str]:
    for mask in MASKS:
        text = mask.sub(" ", text)
    return [m.group(0) for m in TYPED.finditer(text)]


@pytest.mark.parametrize(
    "name,text", _prose_sources(), ids=lambda v: v if isinstance(v, str) and len(v) < 60 else ""
)
def test_no_typed_numbers(name, text):
    found = [t for t in typed_numbers(text) if (name, t) not in ALLOW]
    assert not found, f"{name}: numbers typed into prose (glue them from code): {found}"


def test_detector_catches_and_spares():
    assert typed_numbers("创新指数为 151.5，居全省第 22 位，增长 12.6%") == ["22 位", "12.6%"]
    assert typed_numbers("高企 350家，投入 20.05亿元，３.４２％") == [
        "350家",
        "20.05亿",
        "３.４２％",
    ]
    assert typed_numbers("以 2015 年为基期，见第 3 章") == []
    assert typed_numbers("指数 {glue:text}`nb.ipynb::x:.1f`%，代码 `12%`，公式 $x=5\\%$") == []

"""Every table in the built book speaks the labels table's words and writes numbers by kind.

A header must be a label of lib/zjinnov/present/vocabulary/labels.csv (Chinese on the Chinese
pages); a number cell may carry at most two decimals (index 1, percent 1-2, ratio 2): a raw
float such as 4.217872 in a page is a table that bypassed the presentation layer.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from zjinnov.present import labels

NUMBER = re.compile(r"^[-−+]?[\d,]+(?:\.(\d+))?\s*%?$")
MAX_DECIMALS = 2


def _pages(html_dir):
    return sorted(
        p for p in html_dir.rglob("*.html") if "_static" not in p.parts and "genindex" not in p.name
    )


def _tables(html_dir):
    for page in _pages(html_dir):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for i, table in enumerate(soup.find_all("table")):
            yield page.relative_to(html_dir), i, table


def _known_headers(lang: str) -> set[str]:
    table = labels.load(labels.LABELS)
    return set(table[lang]) | set(table["zh"])


def test_every_header_is_a_label(html_dir):
    zh, en = _known_headers("zh"), _known_headers("en")
    unknown = []
    for page, i, table in _tables(html_dir):
        known = en if page.stem.endswith("_en") else zh
        for th in table.find_all("th"):
            text = th.get_text(" ", strip=True)
            if text and not text.isdigit() and text not in known:
                unknown.append(f"{page} table {i + 1}: {text!r}")
    assert not unknown, "table headers not in the labels table:\n" + "\n".join(unknown[:40])


def test_number_cells_have_at_most_two_decimals(html_dir):
    long = []
    for page, i, table in _tables(html_dir):
        for td in table.find_all("td"):
            m = NUMBER.match(td.get_text(strip=True))
            if m and m.group(1) and len(m.group(1)) > MAX_DECIMALS:
                long.append(f"{page} table {i + 1}: {td.get_text(strip=True)}")
    assert not long, "number cells with more than two decimals:\n" + "\n".join(long[:40])


@pytest.mark.parametrize(
    "cell,bad",
    [("4.217872", True), ("151.5", False), ("1,234.56", False), ("0.143", True), ("2021", False)],
)
def test_the_decimal_rule_reads_cells(cell, bad):
    m = NUMBER.match(cell)
    assert bool(m and m.group(1) and len(m.group(1)) > MAX_DECIMALS) is bad

"""The book's table script and style (book/_static/zjbook/) in a real browser: a long table
pages, sorts by a column as numbers or as words, hints when it scrolls sideways, keeps its
first column in view, and prints every row. Skipped where Chromium is not installed."""

from __future__ import annotations

import shutil
import sys

import pandas as pd
import pytest

from zjinnov.data.paths import ROOT
from zjinnov.present import display

sys.path.insert(0, str(ROOT / "tools"))

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="no Chromium here (apt-get install chromium)",
)
STATIC = ROOT / "book" / "_static" / "zjbook"


@pytest.fixture(scope="module")
def tab(tmp_path_factory):
    from cdp import Browser

    folder = tmp_path_factory.mktemp("page")
    frame = pd.DataFrame(
        {
            "地区": [f"县{k:02d}" for k in range(12)],
            "指数": [
                f"{v:.1f}" for v in (95, 120.5, 87, 101, 99.5, 150, 110, 93, 1000, 9, 100, 88)
            ],
            **{f"列{k}": ["较长的说明文字，使表格比手机屏幕更宽"] * 12 for k in range(6)},
        }
    )
    table = display.table(frame, sortable=True, page_size=5)._repr_html_()
    page = (
        '<html><head><meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{(STATIC / "zjbook.css").as_uri()}">'
        f'<script defer src="{(STATIC / "zjbook.js").as_uri()}"></script></head>'
        f'<body><article class="bd-article">{table}</article></body></html>'
    )
    (folder / "t.html").write_text(page, encoding="utf-8")
    with Browser() as browser:
        tab = browser.page(390, 844, 3, True)
        tab.open((folder / "t.html").as_uri())
        yield tab


def _shown(tab) -> list[str]:
    return tab.evaluate(
        "[...document.querySelectorAll('tbody tr')].filter(r => r.offsetParent)"
        ".map(r => r.cells[0].textContent)"
    )


def test_a_long_table_pages(tab):
    assert _shown(tab) == ["县00", "县01", "县02", "县03", "县04"]
    assert tab.evaluate("document.querySelector('.zj-pager span').textContent") == (
        "第 1–5 行，共 12 行"
    )
    tab.evaluate("document.querySelectorAll('.zj-pager button')[1].click()")
    assert _shown(tab)[0] == "县05"
    tab.evaluate("document.querySelectorAll('.zj-pager button')[0].click()")


def test_a_number_column_sorts_as_numbers(tab):
    tab.evaluate("document.querySelectorAll('thead .zj-sort')[1].click()")
    assert _shown(tab) == ["县09", "县02", "县11", "县07", "县00"]  # 9, 87, 88, 93, 95
    assert tab.evaluate("document.querySelectorAll('thead th')[1].getAttribute('aria-sort')") == (
        "ascending"
    )
    tab.evaluate("document.querySelectorAll('thead .zj-sort')[1].click()")
    assert _shown(tab)[0] == "县08"  # 1000 first when descending


def test_a_wide_table_scrolls_with_a_hint_and_its_first_column_in_view(tab):
    hint = "getComputedStyle(document.querySelector('.zj-scroll-hint')).display"
    assert tab.evaluate(hint) == "block"
    box = "document.querySelector('.zj-scroll')"
    assert tab.evaluate(f"{box}.scrollWidth > {box}.clientWidth")
    tab.evaluate(f"{box}.scrollLeft = 300")
    left = "document.querySelector('tbody tr:not(.zj-off) td').getBoundingClientRect().left"
    assert abs(tab.evaluate(left) - tab.evaluate(f"{box}.getBoundingClientRect().left")) < 1


def test_paper_shows_every_row(tab):
    tab._send("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert len(_shown(tab)) == 12
        assert tab.evaluate("getComputedStyle(document.querySelector('.zj-pager')).display") == (
            "none"
        )
    finally:
        tab._send("Emulation.setEmulatedMedia", {"media": ""})

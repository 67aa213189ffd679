"""A built book says on every page what it rests on: nothing extra for the public book; a
notice for data laid over it (`make book DATA_EXTRA=...`); a banner when they are simulated.

`make html-checks` passes BOOK_DATA (the overlay folder) for a DATA_EXTRA build; without it
the book must be the public one, and no page may carry the notice or the banner.
"""

from __future__ import annotations

import os
from pathlib import Path

from zjinnov.data import overlay

BANNER = "本书数据为模拟数据，仅用于演练，不得引用"
NOTICE = "zj-overlay-notice"


def _pages(html_dir: Path) -> list[Path]:
    """Every page a reader sees (the root's one-line redirect to the front page is not one)."""
    pages = sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)
    return [
        p
        for p in pages
        if not p.read_text(encoding="utf-8").startswith('<meta http-equiv="Refresh"')
    ]


def _laid():
    folder = os.environ.get("BOOK_DATA", "").strip()
    return overlay.read(Path(folder)) if folder else None


def test_every_page_carries_what_the_data_require(html_dir):
    laid = _laid()
    wrong = []
    for page in _pages(html_dir):
        text = page.read_text(encoding="utf-8")
        has_notice, has_banner = NOTICE in text, BANNER in text
        if laid is None and (has_notice or has_banner):
            wrong.append(f"{page.name}: public book with an overlay notice or banner")
        if laid is not None and not has_notice:
            wrong.append(f"{page.name}: no notice of the extra data")
        if laid is not None and laid.simulated and not has_banner:
            wrong.append(f"{page.name}: simulated data without the banner")
    assert not wrong, "\n".join(wrong[:20])


def test_no_page_shows_where_the_extra_data_are(html_dir):
    folders = [os.environ.get(k, "").strip() for k in ("BOOK_DATA", "BOOK_EXTRA")]
    folders = [f for f in folders if f]
    for page in _pages(html_dir):
        text = page.read_text(encoding="utf-8")
        assert not [f for f in folders if f in text], page.name

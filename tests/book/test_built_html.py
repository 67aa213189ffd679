"""The built book as a reader gets it: offline, with its figures, without error output."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from zjinnov.data.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


class _Refs(HTMLParser):
    """Collects the URLs a page loads by itself (scripts, styles, images, fonts, frames)."""

    def __init__(self):
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.imgs = 0
        self._in_script = False
        self.inline_urls: list[str] = []

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        # An inline script can fetch by itself: any absolute URL in one counts as a load.
        if self._in_script:
            self.inline_urls += re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s'\"]*", data)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self._in_script = True
        if tag == "img":
            self.imgs += 1
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and a.get("src"):
            self.loads.append((tag, a["src"]))
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if any(
                k in rel for k in ("stylesheet", "preload", "icon", "modulepreload", "prefetch")
            ):
                self.loads.append((tag, a["href"]))


def _parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _leaves_machine(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip(), re.I))


def _pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.parts)


def test_no_page_loads_anything_from_the_network(html_dir):
    offenders = []
    for page in _pages(html_dir):
        refs = _parse(page)
        offenders += [
            f"{page.relative_to(html_dir)}: <{t}> {u}" for t, u in refs.loads if _leaves_machine(u)
        ]
        offenders += [f"{page.relative_to(html_dir)}: inline script {u}" for u in refs.inline_urls]
    assert not offenders, "pages load from outside the machine:\n" + "\n".join(offenders)


def test_no_css_imports_from_the_network(html_dir):
    offenders = []
    for css in html_dir.rglob("*.css"):
        for m in re.finditer(
            r"@import\s+(?:url\()?['\"]?((?:https?:)?//[^'\")\s]+)", css.read_text(errors="replace")
        ):
            offenders.append(f"{css.relative_to(html_dir)}: {m.group(1)}")
    assert not offenders, "\n".join(offenders)


def test_local_assets_exist(html_dir):
    missing = []
    for page in _pages(html_dir):
        for _tag, url in _parse(page).loads:
            if _leaves_machine(url) or url.startswith("data:"):
                continue
            target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
            if not target.exists():
                missing.append(f"{page.relative_to(html_dir)}: {url}")
    assert not missing, "assets referenced but not built:\n" + "\n".join(missing)


def test_math_is_served_locally(html_dir):
    assert (html_dir / "_static" / "vendor" / "mathjax" / "tex-svg-full.js").exists()


def _expected_figures(nb_path: Path) -> int:
    nb = nbformat.read(nb_path, as_version=4)
    return sum(
        1 for c in nb.cells if c.cell_type == "code" and "figure" in c.metadata.get("mystnb", {})
    )


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_has_its_figures_and_no_errors(html_dir, nb_path):
    page = html_dir / "notebooks" / f"{nb_path.stem}.html"
    assert page.exists(), f"chapter {nb_path.name} was not built"
    text = page.read_text(encoding="utf-8")
    expected = _expected_figures(nb_path)
    # A figure without data is a one-line note in its place (zjinnov.present.style.no_data);
    # a section about what the county does not have goes with its figures (book/_ext).
    dropped = sum(int(n) for n in re.findall(r"zj-dropped-section figures=(\d+)", text))
    found = _parse(page).imgs + text.count('class="zj-figure-note"') + dropped
    assert found >= expected, f"{page.name}: {found} <img> or notes for {expected} figures"
    for marker in (
        "Traceback (most recent call last)",
        'class="output traceback',
        "output stderr",
        "Error in callback",
    ):
        assert marker not in text, f"{page.name} shows error output ({marker})"


def test_build_log_has_no_missing_glyphs(build_log):
    bad = [
        ln
        for ln in build_log.splitlines()
        if re.search(r"missing from (current )?font|Glyph \d+", ln)
    ]
    assert not bad, "\n".join(bad[:20])


def test_build_log_has_no_warnings(build_log):
    # Sphinx's own warnings, not the kernel's log lines ("[IPKernelApp] WARNING | ...").
    bad = [
        ln for ln in build_log.splitlines() if re.search(r"(^|: )(WARNING|ERROR|CRITICAL): ", ln)
    ]
    assert not bad, "\n".join(bad[:20])


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_download_links_resolve(html_dir):
    broken, n = [], 0
    for page in _pages(html_dir):
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        for href in links.hrefs:
            if href.split("?")[0].endswith((".csv", ".xlsx")) and not _leaves_machine(href):
                n += 1
                if not (page.parent / href).resolve().exists():
                    broken.append(f"{page.relative_to(html_dir)}: {href}")
    assert n > 0, "no table downloads found in the book"
    assert not broken, "\n".join(broken)


def test_every_chapter_table_is_downloadable(html_dir):
    for nb_path in NOTEBOOKS:
        page = html_dir / "notebooks" / f"{nb_path.stem}.html"
        text = page.read_text(encoding="utf-8")
        # Tables a cell shows (pandas Styler / DataFrame HTML), not tables written in the prose.
        tables = len(re.findall(r'<table id="T_|<table[^>]*class="dataframe', text))
        links = text.count('class="table-download"')
        assert links >= tables, f"{page.name}: {tables} tables but {links} CSV links"


def test_workbook_has_one_sheet_per_chapter(html_dir):
    import pandas as pd

    book = html_dir / "downloads" / "study_tables.xlsx"
    sheets = pd.read_excel(book, sheet_name=None)
    chapters = {p.name for p in (html_dir / "downloads").iterdir() if p.is_dir()}
    assert set(sheets) == chapters and len(chapters) >= len(NOTEBOOKS) - 1
    assert all(len(df) > 0 for df in sheets.values())


def test_no_figure_box_is_empty(html_dir):
    """Every <figure> holds an image; a note in place of a figure has no caption around it."""
    from bs4 import BeautifulSoup

    empty = []
    for page in _pages(html_dir):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("article figure"):
            if figure.find("figcaption") and not figure.find(["img", "svg", "table"]):
                empty.append(f"{page.relative_to(html_dir)}: {figure.get('id')}")
        for note in soup.select(".zj-figure-note"):
            if note.find_parent("figure"):
                empty.append(f"{page.relative_to(html_dir)}: a note inside a figure box")
    assert not empty, "\n".join(empty)


# English the theme or Sphinx would write on a Chinese page (the browser check in
# tools/check_layout.py reads every word shown; this one needs no browser).
ENGLISH_UI = (
    "Show code cell",
    "Hide code cell",
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    "Link to this heading",
    "Toggle hidden content",
    "Color mode",
    "© Copyright",
    "Skip to main content",
    "Back to top",
)


def test_the_interface_speaks_chinese(html_dir):
    found = []
    for page in _pages(html_dir):
        text = page.read_text(encoding="utf-8")
        found += [f"{page.relative_to(html_dir)}: {s}" for s in ENGLISH_UI if s in text]
    assert not found, "English interface text:\n" + "\n".join(found[:20])


def test_downloads_offer_the_book_not_its_notebooks(html_dir):
    links = _Links()
    links.feed((html_dir / "notebooks" / "03_county.html").read_text(encoding="utf-8"))
    assert not [h for h in links.hrefs if h.endswith((".ipynb", ".md"))]
    assert any(h.endswith("study_tables.xlsx") for h in links.hrefs)  # the download menu
    assert any(h.endswith("book/downloads.html") for h in links.hrefs)
    downloads = (html_dir / "book" / "downloads.html").read_text(encoding="utf-8")
    assert "PDF" in downloads and 'class="zj-pdf-link"' not in downloads
    if (html_dir / "downloads" / "book.pdf").exists():
        assert 'href="../downloads/book.pdf"' in downloads

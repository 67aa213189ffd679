"""Print the single-page HTML book to an A4 PDF: cover, contents with page numbers, page numbers.

    python tools/print_pdf.py SINGLEHTML_INDEX OUT.pdf --facts _build/facts.json

The cover carries the book's title for the county and the edition stamp, both read from the
build's facts file (written by book/_ext/edition.py). Each chapter starts on a new page.
Chromium cannot compute target-counter(), so the contents' page numbers come from a first
printing: poppler's pdftotext tells on which page each chapter's title stands at the top. The
contents keep their length between printings (the first carries placeholders of the same
width), and the last printing is read again to confirm that every chapter is where the contents
say.

Before printing, the single page is made fit for paper: the front page's own sections (如何重算)
come before chapter 1 instead of after the last appendix; the contents give each numbered
chapter its number; a link to a file of the book (a download) points at the published book's
web address (`html.baseurl` in _config.yml) or, without one, is printed as plain text, never as
a link to this machine; a web link prints its address after it.

The first printing also carries invisible marks, placed out of the flow so that they move
nothing: one at each table row and one at each figure and at its caption. Read back from that
printing (whose pages are the final one's), they give `OUT.layout.json`: on which page each
row, figure and caption fell, for tools/check_pdf.py (rows a page, captions with figures).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import yaml
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).parent))
from chromium import file_url, run  # noqa: E402
from print_font import truetype_subset  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "000"
MAX_PASSES = 3

# The printing font, written beside the page (see print_font.py); its name in the CSS.
PRINT_FONT = "_static/zjbook/print-sans-sc.ttf"
PRINT_CSS = """
@font-face { font-family: "Print Noto Sans SC"; src: url("PRINT_FONT_URL") format("truetype"); }
:root {
  --pst-font-family-base: "Print Noto Sans SC", sans-serif;
  --pst-font-family-heading: "Print Noto Sans SC", sans-serif;
  --pst-font-family-monospace: "DejaVu Sans Mono", "Print Noto Sans SC", monospace;
}
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages);
    font-family: "Print Noto Sans SC", sans-serif; font-size: 9pt; color: #555; } }
@page :first { @bottom-center { content: none; } }
@media print {
  html, body { background: #fff !important; }
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer,
  .bd-footer-article, .bd-footer-content, .prev-next-area, .footer-article-items, .headerlink,
  .skip-link, .search-button-field, #pst-back-to-top, .bd-search, .toggle-details,
  .header-article-items, #jb-print-docs-body { display: none !important; }
  /* The theme prints each page's title in a block of its own and hides the article's first
     heading; in one book that hides every chapter's title. Show the chapters' own headings. */
  .bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
  .bd-main, .bd-content, .bd-article-container, .bd-article, .bd-page-width, .bd-container,
  .bd-container__inner { max-width: none !important; width: auto !important;
    padding: 0 !important; margin: 0 !important; display: block !important; }
  body { font-size: 10.5pt; }
  /* Each document of the book starts a page; the front page follows the contents. */
  span[id^="document-"] + section { break-before: page; }
  /* ... except the summary, which follows the front page's last section (如何重算) on its
     page: that section alone would leave a page almost blank. */
  span[id="document-book/summary"] + section { break-before: auto; }
  /* The front page's list of chapters is where the chapters themselves are printed: its
     heading would stand alone, the printed contents take its place. */
  section:has(> .toctree-wrapper > span[id^="document-"]) > :is(h1, h2, h3) { display: none; }
  /* Figures whole on one page; table rows whole; long tables repeat their header. */
  figure, img, svg, .math, .admonition, .cell_output .output.text_html > div:has(> img) {
    break-inside: avoid; }
  img { max-width: 100% !important; height: auto; }
  /* A tall figure (a list of every county) shrinks to fit a page with its caption. */
  figure img { max-height: 160mm; width: auto !important; object-fit: contain; }
  figcaption { break-before: avoid; }
  /* On paper a web link shows where it goes. */
  .bd-article a.reference.external::after { content: " <" attr(href) ">"; font-size: 8pt;
    overflow-wrap: anywhere; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  h1, h2, h3 { break-after: avoid; }
}
.zj-cover { height: 245mm; display: flex; flex-direction: column; justify-content: center;
  text-align: center; break-after: page; }
.zj-cover .zj-title { font-size: 28pt; font-weight: bold; margin-bottom: 8mm; }
.zj-cover .zj-county { font-size: 16pt; margin-bottom: 40mm; }
.zj-cover .zj-stamp { font-size: 10pt; color: #333; line-height: 1.7; margin: 0 15mm; }
.zj-cover .zj-author { font-size: 12pt; margin-top: 12mm; }
.zj-contents { break-after: page; }
.zj-contents .zj-contents-title { font-size: 20pt; font-weight: bold; margin: 0 0 8mm; }
.zj-contents .zj-part { font-weight: bold; margin: 5mm 0 2mm; }
.zj-contents .zj-entry { display: flex; align-items: baseline; margin: 0 0 2.2mm 6mm; }
.zj-contents .zj-entry .zj-dots { flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm; }
.zj-contents .zj-entry .zj-number { min-width: 8mm; }
.zj-mark { position: absolute; font-size: 3px; line-height: 1; color: #fff; white-space: nowrap; }
.zj-contents .zj-entry .zj-page { min-width: 10mm; text-align: right;
  font-variant-numeric: tabular-nums; }
"""


# ------------------------------------------------------------------------------ the book's parts
def _docname(file: str) -> str:
    return re.sub(r"\.(md|ipynb)$", "", file)


def toc_parts(toc_path: Path) -> list[tuple[str, list[str]]]:
    """(caption, docnames) for each part of _toc.yml, the root first on its own."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    parts = [("", [_docname(toc["root"])])]
    for part in toc.get("parts", []):
        parts.append((part.get("caption", ""), [_docname(c["file"]) for c in part["chapters"]]))
    return parts


# ------------------------------------------------------------------------------ the page
def cover_html(edition: dict) -> str:
    return (
        '<section class="zj-cover">'
        f'<div class="zj-title">{html.escape(edition["title"])}</div>'
        f'<div class="zj-county">{html.escape(edition["county_name"])}'
        f"（{html.escape(edition['county'])}）</div>"
        f'<div class="zj-stamp">{html.escape(edition["text"])}</div>'
        f'<div class="zj-author">{html.escape(edition["author"])}</div>'
        "</section>"
    )


def contents_html(
    parts, titles: dict[str, str], pages: dict[str, int] | None, numbers: dict[str, str]
) -> str:
    rows = ['<nav class="zj-contents"><div class="zj-contents-title">目录</div>']
    for caption, docs in parts:
        if caption:
            rows.append(f'<div class="zj-part">{html.escape(caption)}</div>')
        for doc in docs:
            page = str(pages[doc]) if pages else PLACEHOLDER
            number = numbers.get(doc, "")
            mark = f'<span class="zj-number">{html.escape(number)}</span>' if number else ""
            rows.append(
                f'<div class="zj-entry">{mark}<span>{html.escape(titles[doc])}</span>'
                f'<span class="zj-dots"></span><span class="zj-page">{page}</span></div>'
            )
    rows.append("</nav>")
    return "".join(rows)


def compose(page: str, front: str) -> str:
    """The single page with the print style in its head and the cover and contents first."""
    css = PRINT_CSS.replace("PRINT_FONT_URL", PRINT_FONT)
    page = page.replace("</head>", f"<style>{css}</style></head>", 1)
    body = re.search(r"<body[^>]*>", page)
    if body is None:
        raise SystemExit("print_pdf: the single-page HTML has no <body>")
    return page[: body.end()] + front + page[body.end() :]


# ------------------------------------------------------------------------------ fit for paper
def base_url(config: Path = ROOT / "_config.yml") -> str:
    """The published book's address, ending in "/", or "" if not set: $BOOK_BASEURL (the Pages
    workflow sets it to where it publishes), else `html.baseurl` in _config.yml."""
    conf = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    url = os.environ.get("BOOK_BASEURL", "").strip()
    url = url or str((conf.get("html") or {}).get("baseurl") or "").strip()
    return url if not url or url.endswith("/") else url + "/"


def chapter_numbers(soup) -> dict[str, str]:
    """docname -> the number its title carries ("3"), for numbered chapters."""
    out = {}
    for span in soup.select('span[id^="document-"]'):
        section = span.find_next_sibling("section")
        heading = section.find(["h1", "h2", "h3"]) if section else None
        number = heading.find("span", class_="section-number") if heading else None
        if number:
            out[span["id"].removeprefix("document-")] = number.get_text(strip=True).rstrip(".")
    return out


def front_matter_first(soup) -> None:
    """The front page's sections after its table of contents (如何重算) move before it: in
    one printed book the contents expand into every chapter, and these would follow the last
    appendix."""
    wrapper = soup.select_one(".toctree-wrapper")
    if wrapper is None:
        return
    holder = wrapper.find_parent("section")
    if holder is None or holder.parent is None:
        return
    for later in holder.find_next_siblings("section"):
        holder.insert_before(later.extract())


def paper_links(soup, base: str) -> None:
    """A link to a file of the book points at the published book, or is printed as text."""
    for a in soup.select(".bd-article a[href]"):
        href = a["href"].strip()
        if href.startswith(("#", "http:", "https:", "mailto:")) or not href:
            continue
        if base:
            a["href"] = urljoin(base + "book/index.html", href)
            a["class"] = [*a.get("class", []), "reference", "external"]
        else:
            a.name = "span"
            del a["href"]
            a.attrs.pop("download", None)


def mark(soup) -> None:
    """Invisible marks, out of the flow: ZJT<t>R<r>Z in the first cell of each table row,
    ZJF<f>Z at the top of each figure and ZJC<f>Z in its caption."""
    for t, table in enumerate(soup.select(".bd-article table"), start=1):
        for r, row in enumerate(table.select("tbody > tr, :scope > tr"), start=1):
            cells = row.find_all(["td", "th"], recursive=False)
            if cells:
                tag = soup.new_tag("span", attrs={"class": "zj-mark"})
                tag.string = f"ZJT{t}R{r}Z"
                cells[0].insert(0, tag)
    for f, figure in enumerate(soup.select(".bd-article figure"), start=1):
        caption = figure.find("figcaption")
        if caption is None or figure.find("img") is None:
            continue
        for where, code in ((figure, "F"), (caption, "C")):
            tag = soup.new_tag("span", attrs={"class": "zj-mark"})
            tag.string = f"ZJ{code}{f}Z"
            where.insert(0, tag)


def for_paper(page: str, base: str) -> tuple[str, str, dict[str, str]]:
    """(the page for printing, the same with marks, the chapters' numbers)."""
    soup = BeautifulSoup(page, "html.parser")
    numbers = chapter_numbers(soup)
    front_matter_first(soup)
    paper_links(soup, base)
    clean = str(soup)
    mark(soup)
    return clean, str(soup), numbers


MARK = re.compile(r"ZJ([TFC])(\d+)(?:R(\d+))?Z")

# The printed text area's width in CSS px (A4 less the margins of PRINT_CSS: 210 - 2 × 16 mm).
TEXT_WIDTH_PX = (210 - 32) / 25.4 * 96
WIDE_PROBE = """
[...document.querySelectorAll('.bd-article table')].map((t, i) => [i + 1,
  Math.round(t.getBoundingClientRect().width),
  (t.querySelector('th, td') || t).textContent.trim().slice(0, 30)])
  .filter(([, w]) => w > WIDTH + 1)
"""


def too_wide(page: Path) -> list[list]:
    """Tables wider than the printed text area, laid out as on paper ([index, px, first
    cell]): Chromium would cut them at the page's edge or shrink every page to fit them."""
    from cdp import Browser

    with Browser() as browser:
        tab = browser.page(round(TEXT_WIDTH_PX), 1100)
        tab._send("Emulation.setEmulatedMedia", {"media": "print"})
        tab.open(file_url(page))
        return tab.evaluate(WIDE_PROBE.replace("WIDTH", f"{TEXT_WIDTH_PX:.1f}"))


def read_marks(pdf: Path) -> dict:
    """Where the marks fell: {"rows": {table: [[page, y/height, row], ...]}, "figures":
    {figure: page}, "captions": {figure: page}} (pages from 1, y from the top)."""
    cmd = ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    found: dict = {"rows": {}, "figures": {}, "captions": {}}
    for number, page in enumerate(re.findall(r"<page [^>]*>.*?</page>", out, re.S), start=1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        for y, word in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*>([^<]*)</word>', page):
            for kind, k, r in MARK.findall(word):
                if kind == "T":
                    found["rows"].setdefault(k, []).append([number, float(y) / height, int(r)])
                else:
                    found["figures" if kind == "F" else "captions"].setdefault(k, number)
    return found


# ------------------------------------------------------------------------------ reading a PDF
def page_texts(pdf: Path, layout: bool = False) -> list[str]:
    """The text layer, one string per page (pdftotext separates pages with form feeds);
    `layout` keeps each printed line together (a contents entry with its page number)."""
    cmd = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return done.stdout.split("\f")[:-1] if done.stdout.endswith("\f") else done.stdout.split("\f")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# Documents that do not start a page of their own (see the print style).
FLOWING = ("book/summary",)


def chapter_pages(texts: list[str], order: list[str], titles: dict[str, str], first: int) -> dict:
    """The page (1-based) on which each chapter's title heads the page, searched in book order
    from page `first` on. A chapter starts a page, so its title is among the page's first lines
    (after a section number such as "1.")."""
    pages: dict[str, int] = {}
    start = first
    for doc in order:
        want = _squash(titles[doc])
        for number in range(start, len(texts) + 1):
            every = [ln for ln in texts[number - 1].splitlines() if ln.strip()]
            lines = every[:3]
            head = re.sub(r"^(\d+(\.\d+)*\.?|附录[A-Z]?\d*)", "", _squash("".join(lines)))
            # The summary follows the front page on its last page (FLOWING): its title is a
            # line of its own anywhere on the page.
            flowing = doc in FLOWING and any(_squash(ln) == want for ln in every)
            if head.startswith(want) or _squash("".join(lines)).startswith(want) or flowing:
                pages[doc] = number
                start = number
                break
        else:
            raise SystemExit(
                f"print_pdf: chapter {doc} ({titles[doc]}) not found at the top of any page "
                f"from page {first} on"
            )
    return pages


# ------------------------------------------------------------------------------ printing
def single_page(src: Path) -> Path:
    """The single page sits at book/index.html, yet its asset links are written as if it sat
    at the top of the output folder (_static/...): it is read from there and printed from a
    copy at the top (book_print.html), so that fonts and figures load."""
    page = src.parent / "book" / "index.html"
    return page if page.exists() else src


def visible_text(page: str) -> str:
    """The characters a page can show (tags dropped, entities read), for cutting the font."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def print_font_for(html_text: str, where: Path) -> None:
    """The page and its font, written where Chromium reads them."""
    truetype_subset(visible_text(html_text), where.parent / PRINT_FONT)
    where.write_text(html_text, encoding="utf-8")


def print_once(html_text: str, where: Path, out: Path) -> list[str]:
    print_font_for(html_text, where)
    run(
        file_url(where),
        f"--print-to-pdf={out.resolve()}",
        "--no-pdf-header-footer",
        "--virtual-time-budget=20000",
        timeout=600,
    )
    return page_texts(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="the singlehtml build's index.html")
    parser.add_argument("dest", type=Path, help="the PDF to write")
    parser.add_argument("--facts", type=Path, required=True, help="the build's facts.json")
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    parser.add_argument("--config", type=Path, default=ROOT / "_config.yml")
    args = parser.parse_args(argv)

    doc = json.loads(args.facts.read_text(encoding="utf-8"))
    edition = doc["edition"]
    titles = {c["docname"]: c["title"] for c in doc["chapters"]}
    parts = toc_parts(args.toc)
    order = [d for _, docs in parts for d in docs]
    missing = [d for d in order if d not in titles]
    if missing:
        raise SystemExit(f"print_pdf: {args.facts} lists no title for {', '.join(missing)}")

    page = single_page(args.src).read_text(encoding="utf-8")
    clean, marked, numbers = for_paper(page, base_url(args.config))
    where = args.src.parent / "book_print.html"
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    pages: dict[str, int] | None = None
    printings = 0
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.pdf"
        while True:
            front = cover_html(edition) + contents_html(parts, titles, pages, numbers)
            texts = print_once(compose(clean, front), where, args.dest if pages else draft)
            printings += 1
            # From page 2: the cover has the title too; the contents pages start with 目录.
            found = chapter_pages(texts, order, titles, first=2)
            if found == pages:
                break
            if printings == MAX_PASSES:
                raise SystemExit(
                    f"print_pdf: page numbers still moving after {printings} printings"
                )
            pages = found
        # The same book with its marks, to read where rows and figures fell. Marks are out of
        # the flow; only a table wider than the page, which Chromium shrinks every page to
        # fit, can make them move anything.
        measured = Path(tmp) / "marked.pdf"
        marked_texts = print_once(compose(marked, front), where, measured)
        same = chapter_pages(marked_texts, order, titles, first=2) == pages
        marks = read_marks(measured) if same else {}
        print_font_for(compose(clean, front), where)
        wide = too_wide(where)
    layout = {"chapters": pages, "numbers": numbers, "too_wide": wide, "marks": same, **marks}
    layout_path(args.dest).write_text(json.dumps(layout, ensure_ascii=False), encoding="utf-8")
    size = args.dest.stat().st_size / 1e6
    print(f"PDF: {args.dest} ({len(texts)} pages, {size:.1f} MB, {printings} printings)")
    return 0


def layout_path(pdf: Path) -> Path:
    return pdf.with_suffix(".layout.json")


if __name__ == "__main__":
    raise SystemExit(main())

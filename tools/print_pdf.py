"""Print the single-page HTML book to an A4 PDF: cover, contents with page numbers, page numbers.

    python tools/print_pdf.py SINGLEHTML_INDEX OUT.pdf --facts _build/facts.json

The cover carries the book's title for the county and the edition stamp, both read from the
build's facts file (written by book/_ext/edition.py). Each chapter starts on a new page.
Chromium cannot compute target-counter(), so the contents' page numbers come from a first
printing: poppler's pdftotext tells on which page each chapter's title stands at the top. The
contents keep their length between printings (the first carries placeholders of the same
width), and the last printing is read again to confirm that every chapter is where the contents
say.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

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
  /* The front page's list of chapters is where the chapters themselves are printed: its
     heading would stand alone, the printed contents take its place. */
  section:has(> .toctree-wrapper > span[id^="document-"]) > :is(h1, h2, h3) { display: none; }
  /* Figures whole on one page; table rows whole; long tables repeat their header. */
  figure, img, svg, .math, .admonition, .cell_output .output.text_html > div:has(> img) {
    break-inside: avoid; }
  img { max-width: 100% !important; height: auto; }
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


def contents_html(parts, titles: dict[str, str], pages: dict[str, int] | None) -> str:
    rows = ['<nav class="zj-contents"><div class="zj-contents-title">目录</div>']
    for caption, docs in parts:
        if caption:
            rows.append(f'<div class="zj-part">{html.escape(caption)}</div>')
        for doc in docs:
            page = str(pages[doc]) if pages else PLACEHOLDER
            rows.append(
                f'<div class="zj-entry"><span>{html.escape(titles[doc])}</span>'
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


# ------------------------------------------------------------------------------ reading a PDF
def page_texts(pdf: Path, layout: bool = False) -> list[str]:
    """The text layer, one string per page (pdftotext separates pages with form feeds);
    `layout` keeps each printed line together (a contents entry with its page number)."""
    cmd = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(pdf), "-"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return done.stdout.split("\f")[:-1] if done.stdout.endswith("\f") else done.stdout.split("\f")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def chapter_pages(texts: list[str], order: list[str], titles: dict[str, str], first: int) -> dict:
    """The page (1-based) on which each chapter's title heads the page, searched in book order
    from page `first` on. A chapter starts a page, so its title is among the page's first lines
    (after a section number such as "1.")."""
    pages: dict[str, int] = {}
    start = first
    for doc in order:
        want = _squash(titles[doc])
        for number in range(start, len(texts) + 1):
            lines = [ln for ln in texts[number - 1].splitlines() if ln.strip()][:3]
            head = re.sub(r"^(\d+(\.\d+)*\.?|附录[A-Z]?\d*)", "", _squash("".join(lines)))
            if head.startswith(want) or _squash("".join(lines)).startswith(want):
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


def print_once(html_text: str, where: Path, out: Path) -> list[str]:
    truetype_subset(visible_text(html_text), where.parent / PRINT_FONT)
    where.write_text(html_text, encoding="utf-8")
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
    where = args.src.parent / "book_print.html"
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    pages: dict[str, int] | None = None
    printings = 0
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / "draft.pdf"
        while True:
            front = cover_html(edition) + contents_html(parts, titles, pages)
            texts = print_once(compose(page, front), where, args.dest if pages else draft)
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
    size = args.dest.stat().st_size / 1e6
    print(f"PDF: {args.dest} ({len(texts)} pages, {size:.1f} MB, {printings} printings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

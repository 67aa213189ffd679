"""Check the printed book with poppler's tools; `make pdf` fails when a check does.

    python tools/check_pdf.py _build/pdf/book.pdf --facts _build/facts.json

Checks: every page A4; at least a page per chapter besides cover and contents; every font
embedded, Noto Sans SC among them, and Chinese text in the text layer; the cover carries the
title and the edition stamp; every chapter's title heads a page, on the page the contents
give, and a numbered chapter carries its number in the contents and on its first page; every
page after the cover shows its number "n / N". For a meeting: no table prints fewer than
MIN_ROWS rows on a page it fills (unless it has fewer), every figure stands on the page of its
caption (both read from OUT.layout.json, which tools/print_pdf.py writes from marks in its first
printing), no page is near blank unless a chapter ends on it, no text runs off the page, and
no link points at a file (file://) or a path that only this machine has. Prints one line per
failure, and the pages each chapter takes.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from print_pdf import ROOT, chapter_pages, layout_path, page_texts, toc_parts  # noqa: E402

A4_PT = (595.28, 841.89)
TOLERANCE_PT = 1.5
TEXT_PX = 673  # the printed text area's width in CSS px (print_pdf.TEXT_WIDTH_PX)
MIN_ROWS = 10  # rows a table prints on a page it fills
LOW_START = 0.6  # a table may print fewer on its first page if it starts below this (of height)
MIN_FILL = 0.3  # of the text area: less on a page that is not a chapter's last is near blank
TEXT_AREA_MM = (18, 277)  # the printed area between the top and bottom margins (print_pdf)


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def page_sizes(pdf: Path, pages: int) -> list[tuple[float, float]]:
    out = _run("pdfinfo", "-f", "1", "-l", str(pages), str(pdf))
    found = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return [(float(w), float(h)) for w, h in found]


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(name, embedded) for every font, read by the column positions of pdffonts' header."""
    lines = _run("pdffonts", str(pdf)).splitlines()
    header = lines[0]
    emb = header.index("emb")
    return [(ln.split()[0], ln[emb : emb + 3].strip() == "yes") for ln in lines[2:] if ln.strip()]


def contents_numbers(contents: list[str], titles: dict[str, str]) -> dict[str, tuple[str, int]]:
    """(the chapter number printed before the title, the page number after it) per title."""
    lines = [re.sub(r"\s+", "", ln) for page in contents for ln in page.splitlines()]
    found = {}
    for doc, title in titles.items():
        want = re.escape(re.sub(r"\s+", "", title))
        for line in lines:
            m = re.fullmatch(r"(\d*)" + want + r"[.·…]*(\d+)", line)
            if m:
                found[doc] = (m.group(1), int(m.group(2)))
                break
    return found


def _run_bytes(*cmd: str) -> bytes:
    return subprocess.run(cmd, capture_output=True, check=True).stdout


def page_fill(pdf: Path) -> list[float]:
    """How far down each page's text area is used (0 to 1), from a coarse rendering: the
    lowest row that is not white, above the bottom margin (where the page number stands)."""
    import tempfile

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), f"{tmp}/p"], check=True)
        for pgm in sorted(Path(tmp).glob("p-*.pgm")):
            data = pgm.read_bytes()
            m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
            width, height = int(m.group(1)), int(m.group(2))
            pixels = data[m.end() :]
            top = int(height * TEXT_AREA_MM[0] / 297)
            bottom = int(height * TEXT_AREA_MM[1] / 297)
            lowest = top
            for row in range(top, bottom):
                line = pixels[row * width : (row + 1) * width]
                if min(line) < 200:
                    lowest = row
            out.append((lowest - top) / max(bottom - top, 1))
    return out


def off_page_words(pdf: Path) -> list[tuple[int, str]]:
    """(page, word) for text printed beyond the page's right or left edge."""
    out = _run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    found = []
    for number, page in enumerate(re.findall(r"<page [^>]*>.*?</page>", out, re.S), start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        for x0, x1, word in re.findall(
            r'<word xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]*)</word>', page
        ):
            if float(x1) > width + 1 or float(x0) < -1:
                found.append((number, word))
    return found


def links(pdf: Path) -> list[str]:
    """Every link target (URI) the PDF carries."""
    raw = pdf.read_bytes()
    return [u.decode("latin-1") for u in re.findall(rb"/URI\s*\(((?:[^()\\]|\\.)*)\)", raw)]


def table_rows(layout: dict) -> list[str]:
    """Tables that print fewer than MIN_ROWS rows on a page they fill."""
    problems = []
    for table, rows in layout.get("rows", {}).items():
        if len(rows) < MIN_ROWS:
            continue
        by_page: dict[int, list[float]] = {}
        for page, y, _ in rows:
            by_page.setdefault(page, []).append(y)
        pages = sorted(by_page)
        for page in pages[:-1]:  # the last page of a table holds what is left
            n = len(by_page[page])
            starts_low = page == pages[0] and min(by_page[page]) > LOW_START
            if n < MIN_ROWS and not starts_low:
                problems.append(
                    f"rows: table {table} ({len(rows)} rows) prints {n} rows on page {page}"
                )
    return problems


def wide_tables(layout: dict) -> list[str]:
    """Tables wider than the printed page (measured as on paper by print_pdf)."""
    out = [
        f"edges: table {t} ({first!r}…) is {px} px wide, the page's text {TEXT_PX} px: "
        "cut at the edge or every page shrunk to fit"
        for t, px, first in layout.get("too_wide", [])
    ]
    if layout and not layout.get("marks", False):
        out.append("layout: rows a page and captions not checked (the marked printing differed)")
    return out


def figures_with_captions(layout: dict) -> list[str]:
    out = []
    for figure, page in layout.get("figures", {}).items():
        caption = layout.get("captions", {}).get(figure)
        if caption != page:
            out.append(f"figures: figure {figure} on page {page}, its caption on page {caption}")
    return out


def check(pdf: Path, facts_path: Path, toc: Path) -> list[str]:
    problems: list[str] = []
    doc = json.loads(facts_path.read_text(encoding="utf-8"))
    edition = doc["edition"]
    titles = {c["docname"]: c["title"] for c in doc["chapters"]}
    order = [d for _, docs in toc_parts(toc) for d in docs]
    n = page_count(pdf)

    sizes = page_sizes(pdf, n)
    off = [
        i + 1
        for i, (w, h) in enumerate(sizes)
        if abs(w - A4_PT[0]) > TOLERANCE_PT or abs(h - A4_PT[1]) > TOLERANCE_PT
    ]
    if len(sizes) != n or off:
        problems.append(f"page size: not A4 ({A4_PT[0]} x {A4_PT[1]} pt) on pages {off[:10]}")
    if n < len(order) + 2:
        problems.append(f"page count: {n} pages for {len(order)} chapters, cover and contents")

    listed = fonts(pdf)
    if not listed:
        problems.append("fonts: the PDF uses no font (no text layer)")
    loose = [name for name, embedded in listed if not embedded]
    if loose:
        problems.append(f"fonts: not embedded: {', '.join(sorted(set(loose)))}")
    if not any("NotoSansSC" in name for name, embedded in listed if embedded):
        problems.append("fonts: the book's Chinese font (Noto Sans SC) is not embedded")
    texts = page_texts(pdf)
    cjk = sum(len(re.findall(r"[\u4e00-\u9fff]", t)) for t in texts)
    if cjk < 100 * len(order):
        problems.append(f"fonts: only {cjk} Chinese characters in the text layer")

    cover = re.sub(r"\s+", "", texts[0]) if texts else ""
    for label, value in (("title", edition["title"]), ("edition stamp", edition["text"])):
        if re.sub(r"\s+", "", value) not in cover:
            problems.append(f"cover: the {label} is missing ({value})")

    try:
        starts = chapter_pages(texts, order, titles, first=2)
    except SystemExit as err:
        problems.append(f"chapters: {err}")
        starts = {}
    # The contents run from page 2 to the page before the front page.
    contents = page_texts(pdf, layout=True)[1 : starts.get(order[0], 3) - 1]
    listed = contents_numbers(contents, {d: titles[d] for d in order})
    layout_file = layout_path(pdf)
    layout = json.loads(layout_file.read_text(encoding="utf-8")) if layout_file.exists() else {}
    if not layout:
        problems.append(f"layout: {layout_file} missing (print with tools/print_pdf.py)")
    numbers = layout.get("numbers", {})
    for doc_name in order:
        number, page = listed.get(doc_name, ("", None))
        if doc_name in starts and page != starts[doc_name]:
            problems.append(
                f"contents: {titles[doc_name]} listed on page {page}, "
                f"starts on page {starts[doc_name]}"
            )
        want = numbers.get(doc_name, "")
        if number != want:
            problems.append(f"contents: {titles[doc_name]} numbered {number!r}, not {want!r}")
        if want and doc_name in starts:
            head = re.sub(r"\s+", "", texts[starts[doc_name] - 1])
            if not head.startswith(f"{want}."):
                problems.append(
                    f"chapters: {titles[doc_name]} does not open with its number {want}"
                )
    problems += table_rows(layout)
    problems += figures_with_captions(layout)
    problems += wide_tables(layout)
    local = [u for u in links(pdf) if not re.match(r"(https?|mailto):", u)]
    if local:
        problems.append(f"links: {len(local)} point at this machine, not the web: {local[:3]}")
    cut = off_page_words(pdf)
    if cut:
        problems.append(f"edges: {len(cut)} words run off the page, first {cut[:3]}")
    last_pages = {starts[d] - 1 for d in starts} | {n}
    fill = page_fill(pdf)
    blank = [
        i + 1 for i, f in enumerate(fill) if i + 1 > 2 and f < MIN_FILL and i + 1 not in last_pages
    ]
    if blank:
        problems.append(f"pages: near blank (under {MIN_FILL:.0%} used) on pages {blank[:10]}")

    unnumbered = [i for i in range(2, n + 1) if f"{i} / {n}" not in texts[i - 1]]
    if unnumbered:
        problems.append(f"page numbers: no '{{page}} / {n}' on pages {unnumbered[:10]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--facts", type=Path, required=True)
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    args = parser.parse_args(argv)
    if not args.pdf.exists():
        print(f"check_pdf: {args.pdf} not found", file=sys.stderr)
        return 1
    problems = check(args.pdf, args.facts, args.toc)
    for p in problems:
        print(f"check_pdf: {args.pdf}: {p}", file=sys.stderr)
    if problems:
        try:
            print(
                "check_pdf: pages per chapter: " + pages_per_chapter(args.pdf, args.facts, args.toc)
            )
        except SystemExit:
            pass
        return 1
    n = page_count(args.pdf)
    print(
        f"check_pdf: {args.pdf}: {n} A4 pages; fonts, cover, contents, chapters, tables, figures, links ok"
    )
    print("check_pdf: pages per chapter: " + pages_per_chapter(args.pdf, args.facts, args.toc))
    return 0


def pages_per_chapter(pdf: Path, facts_path: Path, toc: Path) -> str:
    doc = json.loads(facts_path.read_text(encoding="utf-8"))
    titles = {c["docname"]: c["title"] for c in doc["chapters"]}
    order = [d for _, docs in toc_parts(toc) for d in docs]
    texts = page_texts(pdf)
    starts = chapter_pages(texts, order, titles, first=2)
    ends = [*list(starts.values())[1:], len(texts) + 1]
    return ", ".join(
        f"{Path(d).name} {e - s}" for (d, s), e in zip(starts.items(), ends, strict=True)
    )


if __name__ == "__main__":
    raise SystemExit(main())

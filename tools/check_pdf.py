"""Check the printed book with poppler's tools; `make pdf` fails when a check does.

    python tools/check_pdf.py _build/pdf/book.pdf --facts _build/facts.json

Checks: every page A4; at least a page per chapter besides cover and contents; every font
embedded, Noto Sans SC among them, and Chinese text in the text layer; the cover carries the title and the edition stamp; every
chapter's title heads a page, on the page the contents give; every page after the cover shows
its number "n / N". Prints one line per failure.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from print_pdf import ROOT, chapter_pages, page_texts, toc_parts  # noqa: E402

A4_PT = (595.28, 841.89)
TOLERANCE_PT = 1.5


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


def contents_numbers(contents: list[str], titles: dict[str, str]) -> dict[str, int]:
    """The page number the contents pages print after each title."""
    lines = [re.sub(r"\s+", "", ln) for page in contents for ln in page.splitlines()]
    found = {}
    for doc, title in titles.items():
        want = re.escape(re.sub(r"\s+", "", title))
        for line in lines:
            m = re.fullmatch(want + r"[.·…]*(\d+)", line)
            if m:
                found[doc] = int(m.group(1))
                break
    return found


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
    listed_pages = contents_numbers(contents, {d: titles[d] for d in order})
    for doc_name in order:
        if doc_name in starts and listed_pages.get(doc_name) != starts[doc_name]:
            problems.append(
                f"contents: {titles[doc_name]} listed on page {listed_pages.get(doc_name)}, "
                f"starts on page {starts[doc_name]}"
            )

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
        return 1
    n = page_count(args.pdf)
    print(f"check_pdf: {args.pdf}: A4, {n} pages, fonts embedded, cover, contents and chapters ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

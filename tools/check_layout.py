"""Check the built book in a real browser, at a phone's width and a desktop's.

    python tools/check_layout.py _build/html [--report _build/layout.md] [--json out.json]

Every page (the front page, book/*, notebooks/*) is loaded in headless Chromium at 390 px
(3× scale, as a phone) and at 1280 px, one browser for all of them, and measured by
tools/layout_probe.js. A page fails on:

- a table column narrower than four characters of its own font, a number broken across
  lines, a table wider than its box that does not scroll sideways or scrolls without the hint;
- text in a figure smaller than 11 CSS px: the figure's smallest font (points) and its width
  in inches are written into its PNG by zjinnov.present.style, so the size on screen is
  points × drawn width ÷ (72 × inches);
- an English interface word on a Chinese page (the theme's chrome, the controls in the
  article, tooltips and labels);
- an empty table (a header and no row), a CSV download with a header only, a blank figure
  box (an image that does not load) or a caption without a figure;
- a page wider than the screen.

Notes, which do not fail the check unless `--strict`: a table taller than LONG_SCREENS phone
screens that does not page (display.table(..., page_size=...)), where a reader scrolls past
it to the text.

Prints one line per failure and exits 1 if any; `--report` writes the measurements (page
height, narrowest column, smallest figure text per page and width) as a Markdown table.
Without Chromium it prints one line saying so and exits 0: the check needs a browser.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import chromium  # noqa: E402

from zjinnov.present import style  # noqa: E402

PROBE = Path(__file__).with_name("layout_probe.js")
# name: (width, height, device scale, mobile)
SCREENS = {"phone": (390, 844, 3, True), "desktop": (1280, 900, 1, False)}
MIN_TEXT_PX = style.MIN_TEXT_PX
MIN_COLUMN_CHARS = 4
LONG_SCREENS = 2  # a table taller than this many phone screens is noted (a compact table?)
# Latin words that are not English interface (file kinds, keys, the book's own terms).
ALLOWED = {"PDF", "HTML", "CSV", "Excel", "Ctrl", "K", "R&D", "ASEM", "COINr"}
WORD = re.compile(r"[A-Za-z][A-Za-z&]+")


@dataclass
class Measure:
    page: str
    screen: str
    data: dict


def pages(html_dir: Path) -> list[Path]:
    """The book's pages: book/ (the front page and the prose pages), then notebooks/. The
    top index.html only redirects to book/index.html."""
    found = sorted((html_dir / "book").glob("*.html"))
    found += sorted((html_dir / "notebooks").glob("*.html"))
    return [p for p in found if p.exists()]


def measure(html_dir: Path, screens=SCREENS) -> list[Measure]:
    from cdp import Browser

    probe = PROBE.read_text(encoding="utf-8")
    out = []
    with Browser() as browser:
        for screen, (width, height, scale, mobile) in screens.items():
            tab = browser.page(width, height, scale, mobile)
            for page in pages(html_dir):
                tab.open(page.resolve().as_uri())
                try:
                    data = tab.evaluate(probe)
                except Exception as err:
                    raise SystemExit(f"check_layout: {page} @{screen}: {err}") from None
                out.append(Measure(str(page.relative_to(html_dir)), screen, data))
    return out


# ------------------------------------------------------------------------------ figures
def image_facts(html_dir: Path, page: str, image: dict) -> dict:
    path = (html_dir / page).parent / image["src"]
    if path.suffix.lower() != ".png" or not path.exists():
        return {}
    return style.png_facts(path.read_bytes())


def figure_text_px(html_dir: Path, page: str, image: dict) -> tuple[float | None, str]:
    """The smallest text of an image in CSS px as drawn, and that text (None: no facts)."""
    facts = image_facts(html_dir, page, image)
    if style.FACT_MIN_FONT not in facts:
        return None, ""
    points = float(facts[style.FACT_MIN_FONT])
    inches = int(facts["width_px"]) / float(facts[style.FACT_DPI])
    return points * image["width"] / (72 * inches), facts.get(style.FACT_MIN_TEXT, "")


def _english(strings: list[str]) -> list[str]:
    bad = []
    for s in strings:
        if re.fullmatch(r"[\s\W\d]*", s):
            continue
        words = [w for w in WORD.findall(s) if w not in ALLOWED]
        if words:
            bad.append(s[:50])
    return sorted(set(bad))


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for row in csv.reader(f) if any(cell.strip() for cell in row)) - 1


def _title(table: dict) -> str:
    return re.sub(r"\s+", " ", table["title"]).strip()[:30]


def notes(measures: list[Measure]) -> list[str]:
    """Tables a phone reader scrolls through for more than LONG_SCREENS screens."""
    out = []
    for m in measures:
        if m.screen != "phone":
            continue
        screen = SCREENS["phone"][1]
        for t in m.data["tables"]:
            if t["height"] > LONG_SCREENS * screen and not t.get("paged"):
                out.append(
                    f"{m.page} @phone: table {t['index']} ({_title(t)}) is "
                    f"{t['height'] / screen:.1f} screens tall ({t['rows']} rows, "
                    f"{t['columns']} columns): show fewer columns or page it"
                )
    return out


def problems(html_dir: Path, measures: list[Measure]) -> list[str]:
    out: list[str] = []
    for m in measures:
        d, where = m.data, f"{m.page} @{m.screen}"
        if d["page_overflow"]:
            out.append(f"{where}: the page is wider than the screen")
        for t in d["tables"]:
            name = f"{where}: table {t['index']} ({_title(t)})"
            if t["rows"] == 0 or t["body_cells"] == 0:
                out.append(f"{name}: empty (a header and no row)")
            n = t["narrowest"]
            if n and n["px"] < MIN_COLUMN_CHARS * n["font"] - 0.5:
                out.append(
                    f"{name}: a column {n['px']:.0f} px wide, under {MIN_COLUMN_CHARS} "
                    f"characters ({MIN_COLUMN_CHARS * n['font']:.0f} px): {n['text']!r}"
                )
            if t["broken"]:
                out.append(f"{name}: numbers broken across lines: {t['broken']}")
            if t["overflows"] and not t["scrollable"]:
                out.append(f"{name}: wider than its box and cut (no sideways scroll)")
            elif t["overflows"] and not t["hint_visible"]:
                out.append(f"{name}: scrolls sideways without a visible hint")
            if t["download"] and m.screen == "desktop":
                csv_path = (html_dir / m.page).parent / t["download"]
                if csv_path.exists() and _csv_rows(csv_path) <= 0:
                    out.append(f"{name}: its download {t['download']} has a header only")
        for img in d["images"]:
            if not img["complete"] or not img["natural"]:
                out.append(f"{where}: blank figure box (image {img['src']} does not load)")
                continue
            if not img["shown"]:
                continue
            px, text = figure_text_px(html_dir, m.page, img)
            label = img["figure"] or Path(img["src"]).name[:12]
            if px is None:
                out.append(
                    f"{where}: figure {label}: no font facts in its PNG (not drawn by style)"
                )
            elif px < MIN_TEXT_PX - 0.05:
                out.append(
                    f"{where}: figure {label}: text {px:.1f} px at {img['width']:.0f} px wide "
                    f"(under {MIN_TEXT_PX} px): {text!r}"
                )
        for caption in d["empty_figures"]:
            out.append(f"{where}: a caption without a figure ({caption})")
        if m.screen == "desktop" and not Path(m.page).stem.endswith("_en"):
            for s in _english(d["interface"]):
                out.append(f"{m.page}: English interface text {s!r}")
    return out


# ------------------------------------------------------------------------------ the report
def summary(html_dir: Path, measures: list[Measure]) -> list[dict]:
    rows = []
    for m in measures:
        d = m.data
        cols = [t["narrowest"]["px"] for t in d["tables"] if t["narrowest"]]
        figs = [figure_text_px(html_dir, m.page, i)[0] for i in d["images"] if i["shown"]]
        figs = [f for f in figs if f is not None]
        rows.append(
            {
                "page": m.page,
                "screen": m.screen,
                "height": d["height"],
                "screens": d["height"] / SCREENS[m.screen][1],
                "tables": len(d["tables"]),
                "narrowest_column": min(cols) if cols else None,
                "figures": len(d["images"]),
                "smallest_figure_text": min(figs) if figs else None,
                "column": d["text_column"],
            }
        )
    return rows


def markdown(rows: list[dict]) -> str:
    def num(v, fmt="{:.0f}"):
        return "—" if v is None else fmt.format(v)

    lines = [
        "| page | screen | height (px) | screens | tables | narrowest column (px) | figures "
        "| smallest figure text (px) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['screen']} | {r['height']:.0f} | {r['screens']:.1f} "
            f"| {r['tables']} | {num(r['narrowest_column'])} | {r['figures']} "
            f"| {num(r['smallest_figure_text'], '{:.1f}')} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path, help="the built HTML book (…/_build/html)")
    parser.add_argument("--report", type=Path, help="write the measurements as Markdown")
    parser.add_argument("--json", type=Path, help="write every measurement as JSON")
    parser.add_argument("--measure-only", action="store_true", help="report, never fail")
    parser.add_argument("--strict", action="store_true", help="fail on notes too")
    args = parser.parse_args(argv)
    if chromium.find() is None:
        print("check_layout: skipped, no Chromium here (apt-get install chromium)")
        return 0
    if not (args.html / "index.html").exists():
        print(f"check_layout: no built book at {args.html}", file=sys.stderr)
        return 1
    start = time.monotonic()
    measures = measure(args.html)
    rows = summary(args.html, measures)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(markdown(rows), encoding="utf-8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = [{"page": m.page, "screen": m.screen, **m.data} for m in measures]
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    found = problems(args.html, measures)
    noted = notes(measures)
    for p in found:
        print(f"check_layout: {p}", file=sys.stderr)
    for p in noted:
        print(f"check_layout: note: {p}", file=sys.stderr if args.strict else sys.stdout)
    if args.strict:
        found += noted
    took = time.monotonic() - start
    n = len({m.page for m in measures})
    if found and not args.measure_only:
        print(f"check_layout: {len(found)} problems on {n} pages ({took:.0f} s)", file=sys.stderr)
        return 1
    extra = f", {len(noted)} notes" if noted else ""
    print(f"check_layout: {args.html}: {n} pages at {len(SCREENS)} widths ok{extra} ({took:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

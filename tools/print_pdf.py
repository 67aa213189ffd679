"""Print the single-page HTML book to PDF with headless Chromium (fonts come with the page)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from chromium import file_url, run  # noqa: E402


def single_page(src: Path) -> Path:
    """The single page sits at book/index.html, yet its asset links are written as if it sat
    at the top of the output folder (_static/...): put a copy there so fonts and figures load."""
    root = src.parent
    page = root / "book" / "index.html"
    if not page.exists():
        return src
    top = root / "book_single.html"
    top.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    return top


def main(src: str, dest: str) -> int:
    out = Path(dest)
    out.parent.mkdir(parents=True, exist_ok=True)
    run(
        file_url(single_page(Path(src))),
        f"--print-to-pdf={out.resolve()}",
        "--no-pdf-header-footer",
        "--virtual-time-budget=20000",
        timeout=600,
    )
    print(f"PDF: {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))

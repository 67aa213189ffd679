"""Render key pages of the built book to PNG, as a reader would see them."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from chromium import file_url, run  # noqa: E402


def main(html_dir: str, out_dir: str) -> int:
    html, out = Path(html_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages = [
        html / "index.html",
        *sorted((html / "notebooks").glob("*.html")),
        *sorted((html / "book").glob("*.html")),
    ]
    for page in pages:
        png = out / f"{page.parent.name}-{page.stem}.png"
        run(
            file_url(page),
            f"--screenshot={png.resolve()}",
            "--window-size=1280,2400",
            "--virtual-time-budget=10000",
        )
        print(f"{png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))

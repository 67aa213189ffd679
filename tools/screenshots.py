"""Render the built book's pages to PNG as a reader sees them: at 1280 px (the top 2,400 px)
and on a phone, 390 px at 3× scale (its first two screens), one browser for every page.

    python tools/screenshots.py _build/html _build/screenshots [--phone-screens 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cdp import Browser  # noqa: E402
from check_layout import SCREENS, pages  # noqa: E402

DESKTOP_HEIGHT = 2400


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--phone-screens", type=float, default=2.0)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with Browser() as browser:
        for screen, (width, height, scale, mobile) in SCREENS.items():
            tab = browser.page(width, height, scale, mobile)
            tall = DESKTOP_HEIGHT if screen == "desktop" else int(height * args.phone_screens)
            for page in pages(args.html):
                tab.open(page.resolve().as_uri())
                suffix = "" if screen == "desktop" else "-phone"
                png = args.out / f"{page.parent.name}-{page.stem}{suffix}.png"
                tab.screenshot(png, height=tall)
                print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Print the single-page HTML book to PDF with headless Chromium (fonts come with the page)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from chromium import file_url, run  # noqa: E402


def main(src: str, dest: str) -> int:
    out = Path(dest)
    out.parent.mkdir(parents=True, exist_ok=True)
    run(
        file_url(Path(src)),
        f"--print-to-pdf={out.resolve()}",
        "--no-pdf-header-footer",
        "--virtual-time-budget=20000",
        timeout=600,
    )
    print(f"PDF: {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))

"""Headless Chromium with the flags this closed network needs (no background connections)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


# Debian's Chromium here; Google Chrome where a CI runner has it instead (GitHub's Ubuntu images).
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find() -> str | None:
    """The browser to drive: $CHROMIUM if set, else the first of NAMES on the PATH."""
    given = os.environ.get("CHROMIUM", "").strip()
    if given:
        return shutil.which(given) or (given if Path(given).is_file() else None)
    return next((exe for exe in map(shutil.which, NAMES) if exe), None)


def chromium() -> str:
    exe = find()
    if not exe:
        raise SystemExit(
            "chromium not found: `apt-get install chromium` (make pdf / make screenshots do it)"
        )
    return exe


def run(url: str, *extra: str, timeout: int = 120) -> None:
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, url]
        subprocess.run(cmd, check=True, timeout=timeout, capture_output=True)


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


if __name__ == "__main__":
    # `python tools/chromium.py`: print the browser found, or fail (the Makefile installs one then).
    found = find()
    print(found or "no Chromium or Chrome found")
    raise SystemExit(0 if found else 1)

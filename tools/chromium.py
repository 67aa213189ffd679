"""Headless Chromium with the flags this closed network needs (no background connections)."""

from __future__ import annotations

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


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
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

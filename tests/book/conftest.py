"""Checks of the built book. Run after the strict build: `make html-checks` sets BOOK_HTML."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def html_dir() -> Path:
    path = Path(os.environ.get("BOOK_HTML", "_build/html"))
    if not (path / "index.html").exists():
        pytest.fail(f"no built book at {path}: run `make book-strict` first")
    return path


@pytest.fixture(scope="session")
def build_log() -> str:
    path = Path(os.environ.get("BOOK_LOG", "_build/logs/build.log"))
    if not path.exists():
        pytest.fail(f"no build log at {path}: run `make book-strict` first")
    return path.read_text(encoding="utf-8", errors="replace")

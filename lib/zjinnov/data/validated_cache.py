"""A raw table's validation, kept per content (in memory and under _build/cache/validated/).

A raw table's rows and problems depend only on its name, its bytes, the framework files, the
known source ids and the validating code. Scratch copies of data/ (the rerun example, an
overlay, the tests) and every notebook's kernel validate the same tables again and again:
each distinct table is validated once and its result kept, in memory and as a pickle per
table, replaced atomically (delete the folder at will).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

import pandas as pd

from zjinnov.data import paths
from zjinnov.data.errors import Problem, ValidationReport
from zjinnov.data.raw_tables import validate_raw

MEMO: dict[str, tuple[list[Problem], pd.DataFrame | None]] = {}
MEMO_SIZE = 256


def fingerprint(folder: Path, pattern: str = "*") -> str:
    """A digest of every file under `folder` matching `pattern` (names and bytes)."""
    digest = hashlib.sha1()
    for path in sorted(p for p in Path(folder).rglob(pattern) if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(hashlib.sha1(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def code_version() -> str:
    """The validating code (this package's data layer) and the libraries that shape its result."""
    versions = "/".join(importlib.metadata.version(d) for d in ("pandas", "pandera", "numpy"))
    return f"{fingerprint(Path(__file__).parent, '*.py')}/{versions}"


def context(framework_dir: Path, source_ids: set[str] | None) -> str:
    """What every table's result depends on besides its own bytes, computed once per folder."""
    ids = "(sources.csv unreadable)" if source_ids is None else ",".join(sorted(source_ids))
    return "\n".join([fingerprint(framework_dir), ids, code_version()])


def validated(
    path: Path,
    report: ValidationReport,
    source_ids: set[str] | None,
    framework_dir: Path,
    context: str,
) -> pd.DataFrame | None:
    """`validate_raw(path, ...)`, from memory or the kept file when the same table was seen."""
    content = hashlib.sha1(path.read_bytes()).hexdigest()
    key = hashlib.sha1(f"{path.name}\n{content}\n{context}".encode()).hexdigest()
    if key not in MEMO:
        MEMO[key] = _stored(key) or _validate_now(path, source_ids, framework_dir, key)
        if len(MEMO) > MEMO_SIZE:
            MEMO.pop(next(iter(MEMO)))
    problems, frame = MEMO[key]
    report.problems.extend(problems)
    return None if frame is None else frame.copy()


def _cache_file(key: str) -> Path:
    return paths.BUILD / "cache" / "validated" / f"{key}.pkl"


def _stored(key: str) -> tuple | None:
    try:
        with _cache_file(key).open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # not there, or unreadable: validate again


def _validate_now(path: Path, source_ids, framework_dir: Path, key: str) -> tuple:
    own = ValidationReport()
    frame = validate_raw(path, own, source_ids, framework_dir)
    result = (list(own.problems), frame)
    target = _cache_file(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, target)
    except OSError:
        pass  # a read-only or full disk only costs the next process the same validation
    return result

"""Check every data file at once, by walking the data catalogue (`zjinnov.data.catalogue`)."""

from __future__ import annotations

from pathlib import Path

from zjinnov.data import catalogue
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import DATA


def validate_all(data_dir: Path = DATA, normalisers: list[str] | None = None) -> ValidationReport:
    """Every file under data/: sources, the county registry, units, variables, raw tables,
    targets, the indicator registry and the assumptions log; plus any file not catalogued.

    `normalisers`: the engine's normaliser names (see `zjinnov.engine.normalise.NORMALISERS`).
    """
    return catalogue.validate(Path(data_dir), normalisers)

"""The checks stage: what the data folder passes before any index is built. Validation (every
rule of every table), the coverage cube (which indicators the chosen figures can compute, for
every county and year) and the consistency checks (published figures against their parts).

All three are the same for every county of a data folder, so they are computed once per
folder and process and shared by every county's Study.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zjinnov.data import consistency, coverage
from zjinnov.data.validate import validate_all
from zjinnov.engine.normalise import NORMALISERS


@dataclass(frozen=True)
class Checks:
    n_problems: int  # validation problems in the data folder (the book is built only at zero)
    coverage: pd.DataFrame  # county_code × indicator × year: n_inputs, n_present, status
    consistency: pd.DataFrame  # one row a check and county-year: published, recomputed, verdict


_FOLDERS: dict[str, Checks] = {}


def checks(data_dir: Path, best: pd.DataFrame, by_period: pd.DataFrame, indicators) -> Checks:
    """The stage from the Study's selection (`best`, `best_by_period`)."""
    key = str(Path(data_dir).resolve())
    if key not in _FOLDERS:
        _FOLDERS[key] = Checks(
            n_problems=len(validate_all(data_dir, sorted(NORMALISERS)).problems),
            coverage=coverage.coverage_matrix(best, indicators),
            consistency=consistency.consistency_table(by_period),
        )
    return _FOLDERS[key]

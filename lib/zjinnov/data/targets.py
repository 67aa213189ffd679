"""Plan targets (data/targets.csv): one loader, validated by the same schema as `make validate`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import validate
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import DATA


def load_targets(data_dir: Path = DATA) -> pd.DataFrame:
    """Every target row, typed (years int, values float); rows recorded as not found keep NaN."""
    report = ValidationReport()
    frame = validate.validate_targets(Path(data_dir), report, None)
    report.raise_if_any()
    out = frame.copy()
    for col in ("base_year", "target_year"):
        out[col] = pd.to_numeric(out[col].replace("", None)).astype("Int64")
    for col in ("base_value", "target_value"):
        out[col] = pd.to_numeric(out[col].replace("", None)).astype(float)
    return out

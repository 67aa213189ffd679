"""The index's settings that are data, not code: data/framework/settings.csv (setting, value, note).

Today one setting, `base_year`: the year whose values anchor every score (2015 = 100). The base
rule (`zjinnov.study.bases`) and every method record read it from here, so an analyst whose
monitoring tables use another base year changes one cell.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zjinnov.data import reading
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import FRAMEWORK

NAME = "settings.csv"
LABEL = f"framework/{NAME}"
# Each setting: how its value is read, and the rule it must meet.
RULES = {"base_year": (int, lambda v: 1949 <= v <= 2100, "a year between 1949 and 2100")}


def check_settings(framework_dir: Path, report: ValidationReport) -> dict[str, object]:
    """Every setting read and checked; every problem reported (file, row, column, value)."""
    table = reading.read_table(Path(framework_dir) / NAME, report, LABEL)
    if table is None:
        return {}
    out: dict[str, object] = {}
    for i, row in table.iterrows():
        name, raw = row.get("setting", ""), row.get("value", "")
        if name not in RULES:
            report.add(LABEL, i + 2, "setting", f"unknown setting; known: {', '.join(RULES)}", name)
            continue
        if name in out:
            report.add(LABEL, i + 2, "setting", "setting given twice", name)
            continue
        cast, ok, rule = RULES[name]
        try:
            value = cast(str(raw).strip())
        except ValueError:
            report.add(LABEL, i + 2, "value", f"{name} must be {rule}", raw)
            continue
        if not ok(value):
            report.add(LABEL, i + 2, "value", f"{name} must be {rule}", raw)
            continue
        out[name] = value
    for name in sorted(set(RULES) - set(out) - _named(table)):
        report.add(LABEL, None, "setting", f"setting {name} is missing")
    return out


def _named(table: pd.DataFrame) -> set[str]:
    return set(table["setting"]) if "setting" in table else set()


def load_settings(framework_dir: Path = FRAMEWORK) -> dict[str, object]:
    """The settings, checked: a bad file raises one error listing every problem."""
    report = ValidationReport()
    out = check_settings(framework_dir, report)
    report.raise_if_any()
    return out


def base_year(framework_dir: Path = FRAMEWORK) -> int:
    """The index's base year (data/framework/settings.csv)."""
    return int(load_settings(framework_dir)["base_year"])


def as_table(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """The settings file as a table (the data catalogue's loader)."""
    load_settings(framework_dir)
    return pd.read_csv(Path(framework_dir) / NAME, dtype=str, keep_default_na=False)

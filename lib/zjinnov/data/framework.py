"""The indicator registry (data/framework/indicators.csv, domains.csv): load, validate, evaluate.

The rules a valid table follows are in `zjinnov.data.registry_schema`; this module reads the
tables, validates them once per content, and `indicator_values` turns observations into
indicator values by evaluating each registry formula for every county-year where all its
variables exist.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from zjinnov.data import formula, reading, validation, variables
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import FRAMEWORK
from zjinnov.data.registry_schema import (  # DOMAINS, N_INDICATORS: the registry's shape
    DOMAINS,  # noqa: F401
    N_INDICATORS,  # noqa: F401
    domains_schema,
    evidence_grades_schema,
    indicators_schema,
)

INDICATOR_COLUMNS = [
    "code",
    "name_zh",
    "name_en",
    "domain",
    "unit",
    "direction",
    "formula",
    "weight",
    "normaliser",
    "standard",
    "national_name",
    "evidence",
    "citation",
    "reason",
]
# What the evidence for an indicator is, strongest first, is data: evidence_grades.csv.
GRADE_COLUMNS = ["grade", "label_zh", "label_en", "meaning_zh", "meaning_en", "requires"]
# Extensive quantities (amounts, counts) scale with the size of a place: comparing a county's
# with the province's says nothing about standing, so such indicators are compared over time
# only, never across units of different size.
EXTENSIVE_UNITS = frozenset({"亿元", "万元", "元", "家", "件", "个", "项", "人"})


def extensive_codes(indicators: pd.DataFrame) -> set[str]:
    return set(indicators.loc[indicators["unit"].isin(EXTENSIVE_UNITS), "code"])


def load_evidence_grades(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """data/framework/evidence_grades.csv, validated, strongest grade first."""
    return _evidence_grades(*_key(framework_dir, "evidence_grades.csv")).copy()


# The registry's tables are small, but their schemas take pandera a noticeable time to run, and
# every Study (every notebook's kernel, every test's data folder) loads them: a table is
# validated once per content (the folder and the bytes of the files it depends on).
def _key(framework_dir: Path, *names: str) -> tuple:
    folder = Path(framework_dir)
    contents = tuple((folder / n).read_bytes() if (folder / n).exists() else None for n in names)
    return str(folder.resolve()), contents


@lru_cache(maxsize=32)
def _evidence_grades(folder: str, _contents: tuple) -> pd.DataFrame:
    report = ValidationReport()
    path = Path(folder) / "evidence_grades.csv"
    frame = _read(path, evidence_grades_schema(), report, ["grade"])
    report.raise_if_any()
    return frame.reset_index(drop=True)


def _read(
    path: Path, schema: pa.DataFrameSchema, report: ValidationReport, key: list[str]
) -> pd.DataFrame | None:
    if not path.exists():
        report.add(f"framework/{path.name}", None, None, "file missing")
        return None
    frame = reading.read_table(path, report, f"framework/{path.name}")
    if frame is None:
        return None
    problems = validation.check_schema(schema, frame, f"framework/{path.name}", key)
    report.problems.extend(problems)
    return None if any(p.rule == "missing column" for p in problems) else frame


def validate_framework(
    data_dir: Path,
    report: ValidationReport,
    source_ids: set[str] | None = None,
    normalisers: list[str] | None = None,
) -> None:
    fw = Path(data_dir) / "framework"
    known = set(variables.load_variables(data_dir)["variable"])
    grades = _read(fw / "evidence_grades.csv", evidence_grades_schema(), report, ["grade"])
    if grades is None:
        return
    schema = indicators_schema(known, source_ids, normalisers, grades=grades)
    _read(fw / "indicators.csv", schema, report, ["code"])
    _read(fw / "domains.csv", domains_schema(), report, ["code"])


def load_indicators(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """The registry, validated; weight float, direction int, standard float (NaN if blank)."""
    key = _key(framework_dir, "indicators.csv", "evidence_grades.csv", "variables.csv")
    return _indicators(*key).copy()


@lru_cache(maxsize=32)
def _indicators(folder: str, _contents: tuple) -> pd.DataFrame:
    report = ValidationReport()
    known = set(variables.load_variables(Path(folder).parent)["variable"])
    grades = load_evidence_grades(Path(folder))
    schema = indicators_schema(known, None, grades=grades)
    frame = _read(Path(folder) / "indicators.csv", schema, report, ["code"])
    report.raise_if_any()
    frame = frame.copy()
    frame["weight"] = frame["weight"].astype(float)
    frame["direction"] = frame["direction"].astype(int)
    frame["standard"] = pd.to_numeric(frame["standard"].replace("", None)).astype(float)
    frame["variables"] = frame["formula"].map(formula.variables)
    return frame


def load_domains(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    return _domains(*_key(framework_dir, "domains.csv")).copy()


@lru_cache(maxsize=32)
def _domains(folder: str, _contents: tuple) -> pd.DataFrame:
    report = ValidationReport()
    frame = _read(Path(folder) / "domains.csv", domains_schema(), report, ["code"])
    report.raise_if_any()
    frame = frame.copy()
    frame["weight"] = frame["weight"].astype(float)
    return frame


def _published(indicators: pd.DataFrame, wide, srcs, partial, prelim) -> list[pd.DataFrame]:
    """Indicators published directly (registry column `published_as`), status 'published'."""
    if "published_as" not in indicators.columns:
        return []
    out = []
    for ind in indicators.itertuples(index=False):
        name = getattr(ind, "published_as", "") or ""
        if not name or name == ind.formula.strip() or name not in wide.columns:
            continue
        have = wide[name].notna()
        if not have.any():
            continue
        is_partial = partial.loc[have, name].fillna(False).astype(bool)
        frame = pd.DataFrame(
            {
                "indicator": ind.code,
                "value": wide.loc[have, name].astype(float),
                "unit": ind.unit,
                "source_ids": srcs.loc[have, name],
                "status": is_partial.map({True: "partial", False: "published"}),
                "preliminary": prelim.loc[have, name].fillna(False).astype(bool),
            }
        )
        out.append(frame.reset_index())
    return out


def indicator_values(chosen: pd.DataFrame, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Evaluate every formula per county-year where all its variables exist.

    `chosen`: one figure per county, year and variable, chosen by the one selection policy
    (published figures only: inferred/derived rows are never inputs); the Study passes its
    full-year figures (`selection.best` without part years). A part-year input makes a value's
    status 'partial'. Status: 'published' (formula is one variable), 'computed' (recomputed from
    components) or 'partial'.
    Returns county_code, year, indicator, value, unit, source_ids, status.
    """
    indicators = load_indicators() if indicators is None else indicators
    wide = chosen.pivot(index=["county_code", "year"], columns="variable", values="value")
    srcs = chosen.pivot(index=["county_code", "year"], columns="variable", values="source_id")
    partial = chosen.pivot(index=["county_code", "year"], columns="variable", values="partial")
    if "preliminary" not in chosen:
        chosen = chosen.assign(preliminary=False)
    prelim = chosen.pivot(index=["county_code", "year"], columns="variable", values="preliminary")
    out = []
    for ind in indicators.itertuples(index=False):
        names = formula.variables(ind.formula)
        if not set(names) <= set(wide.columns):
            continue
        have = wide[names].notna().all(axis=1)
        if not have.any():
            continue
        block = wide.loc[have, names]
        values = formula.evaluate(ind.formula, {n: block[n] for n in names})
        ids = srcs.loc[have, names].apply(lambda r: "; ".join(dict.fromkeys(r)), axis=1)
        plain = "published" if len(names) == 1 and ind.formula.strip() == names[0] else "computed"
        is_partial = partial.loc[have, names].fillna(False).astype(bool).any(axis=1)
        frame = pd.DataFrame(
            {
                "indicator": ind.code,
                "value": pd.Series(values, index=block.index).astype(float),
                "unit": ind.unit,
                "source_ids": ids,
                "status": is_partial.map({True: "partial", False: plain}),
                "preliminary": prelim.loc[have, names].fillna(False).astype(bool).any(axis=1),
            }
        )
        out.append(frame.reset_index())
    out += _published(indicators, wide, srcs, partial, prelim)
    columns = ["county_code", "year", "indicator", "value", "unit", "source_ids", "status"]
    columns.append("preliminary")
    if not out:
        return pd.DataFrame(columns=columns)
    # A published figure beats a recomputation of the same county-year (the consistency table
    # compares the two); frames from _published come last, so keep the last.
    return (
        pd.concat(out, ignore_index=True)[columns]
        .drop_duplicates(["county_code", "year", "indicator"], keep="last")
        .sort_values(["indicator", "county_code", "year"])
        .reset_index(drop=True)
    )

"""Figures this study derives by a registry formula from published rows of data/raw.

A variable with a `formula` in data/framework/variables.csv is derived: the census college
count is the sum of four published education columns, the urbanisation rate the urban share
of the resident population, the college-educated per 10,000 residents registry indicator I29.
A formula names variables, or one indicator code whose formula (indicators.csv) it is, so a
ratio the registry defines is written once.

Each derived row comes from rows of one source document for one place, year, period and
boundary vintage (a figure is never combined with another document's), has confidence
`derived`, and names in its note the formula with the numbers it used and the raw rows by
key (`330112/2020/pop_census7_resident@census7-county`), so it traces to data/raw as every
figure must. Its `file` is framework/variables.csv and its `row` the line of the formula.
The selection policy never takes a derived row for a published observation.
"""

from __future__ import annotations

import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import numpy as np
import pandas as pd

from zjinnov.data import formula, quotes, selection
from zjinnov.data.errors import ValidationReport
from zjinnov.data.raw_schema import OUTPUT_COLUMNS
from zjinnov.data.variables import variables_table

VARIABLES_FILE = "framework/variables.csv"
INDICATOR_CODE = re.compile(r"^I\d{2}$")
# Rows are combined only within one document, place, year, period and boundary vintage.
GROUP = ["county_code", "year", "period", "source_id", "boundary_year"]


def _indicator_formulas(framework_dir: Path) -> dict[str, str]:
    path = Path(framework_dir) / "indicators.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["code", "formula"])
    return dict(zip(table["code"], table["formula"], strict=True))


def formulas(framework_dir: Path, variables: pd.DataFrame | None = None) -> dict[str, str]:
    """Every derived variable's formula over variable names (an indicator code replaced by
    the indicator's formula), in an order where a variable comes after those it reads."""
    table = variables_table(Path(framework_dir)) if variables is None else variables
    given = {v: f.strip() for v, f in table["formula"].items() if str(f).strip()}
    indicators = _indicator_formulas(framework_dir) if given else {}
    plain = {v: indicators.get(f, f) if INDICATOR_CODE.match(f) else f for v, f in given.items()}
    graph = {v: [n for n in formula.variables(f) if n in plain] for v, f in plain.items()}
    return {v: plain[v] for v in TopologicalSorter(graph).static_order()}


def check_formulas(framework_dir: Path, report: ValidationReport) -> None:
    """Problems with the formula column of variables.csv: unparsable, unknown names or
    indicator codes, a circle of definitions."""
    table = pd.read_csv(Path(framework_dir) / "variables.csv", dtype=str, keep_default_na=False)
    if "formula" not in table:
        return
    known = set(table["variable"])
    indicators = _indicator_formulas(framework_dir)
    for i, (variable, text) in enumerate(zip(table["variable"], table["formula"], strict=True)):
        text = text.strip()
        if not text:
            continue
        where = ("framework/variables.csv", i + 2, "formula")
        if INDICATOR_CODE.match(text):
            if text not in indicators:
                report.add(*where, "formula names an indicator code not in indicators.csv", text)
            continue
        try:
            names = formula.variables(text)
        except formula.FormulaError as err:
            report.add(*where, f"formula not understood: {err}", text)
            continue
        unknown = [n for n in names if n not in known]
        if unknown:
            report.add(*where, f"formula names unknown variables: {', '.join(unknown)}", text)
        if variable in names:
            report.add(*where, "a variable cannot be derived from itself", text)
    try:
        formulas(Path(framework_dir), table.set_index("variable"))
    except formula.FormulaError:
        pass  # reported above, formula by formula
    except CycleError as err:
        report.add("framework/variables.csv", None, "formula", f"circular definitions: {err}")


def derive(obs: pd.DataFrame, framework_dir: Path) -> pd.DataFrame:
    """Derived rows (OUTPUT_COLUMNS) of every formula of variables.csv, from the published rows
    of `obs` (and rows derived before them), one per document, place, year, period and vintage."""
    table = variables_table(Path(framework_dir))
    lines = {v: i + 2 for i, v in enumerate(table.index)}
    usable = obs[selection.status_of(obs["confidence"]).eq(selection.PUBLISHED)]
    pool, out = usable, []
    for variable, text in formulas(framework_dir).items():
        rows = _derive_one(pool, variable, text, table, lines[variable])
        if len(rows):
            out.append(rows)
            pool = pd.concat([pool, rows], ignore_index=True)
    if not out:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    return pd.concat(out, ignore_index=True)[OUTPUT_COLUMNS]


def _definition(variable: str, text: str, table: pd.DataFrame) -> str:
    """Where the formula is written: variables.csv, or the registry indicator it names."""
    given = str(table.at[variable, "formula"]).strip()
    if INDICATOR_CODE.match(given):
        return f"{variable} is registry indicator {given}, framework/indicators.csv: {text}"
    return f"formula of {variable}, {VARIABLES_FILE}: {text}"


def _number(x: float) -> str:
    """A number as this module writes it into a formula: integers without decimals."""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.10g}"


def _derive_one(
    pool: pd.DataFrame, variable: str, text: str, table: pd.DataFrame, line: int
) -> pd.DataFrame:
    names = formula.variables(text)
    # Group keys must not be missing: a blank boundary vintage becomes 0 and comes back as NA.
    inputs = pool[pool["variable"].isin(names)].assign(
        boundary_year=lambda d: d["boundary_year"].astype("Int64").fillna(0).astype(int)
    )
    if inputs.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    wide = inputs.pivot_table(index=GROUP, columns="variable", values="value", aggfunc="first")
    if not set(names) <= set(wide.columns):
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    wide = wide[names].dropna()
    if wide.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    values = pd.Series(formula.evaluate(text, {n: wide[n] for n in names}), index=wide.index)
    keyed = inputs.set_index(GROUP)
    refs = quotes.row_keys(inputs).groupby([inputs[c] for c in GROUP]).agg(", ".join)
    first = keyed[~keyed.index.duplicated()]
    flags = inputs.groupby(GROUP)[["preliminary", "partial"]].any()
    meta = table.loc[variable]
    records = []
    for idx, value in values.items():
        if not np.isfinite(value):
            continue
        numbers = text
        for name in sorted(names, key=len, reverse=True):
            numbers = re.sub(rf"\b{name}\b", _number(wide.at[idx, name]), numbers)
        row = first.loc[idx]
        records.append(
            {
                **dict(zip(GROUP, idx, strict=True)),
                "county_name": row["county_name"],
                "report_year": row["report_year"],
                "variable": variable,
                "value": float(value),
                "unit": meta["unit"],
                "partial": bool(flags.at[idx, "partial"]),
                "preliminary": bool(flags.at[idx, "preliminary"]),
                "confidence": selection.DERIVED,
                "quote": "",
                "note": f"DERIVED = {numbers} from {refs[idx]} ({_definition(variable, text, table)})",
                "file": VARIABLES_FILE,
                "row": line,
                "value_as_published": _number(round(float(value), 6)),
                "unit_as_published": meta["unit"],
                "date_published": row["date_published"],
            }
        )
    out = pd.DataFrame(records, columns=OUTPUT_COLUMNS)
    out["boundary_year"] = out["boundary_year"].astype("Int64").replace(0, pd.NA)
    out["report_year"] = out["report_year"].astype("Int64")
    return out

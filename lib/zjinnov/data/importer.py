"""Bring the monitoring tables in: a workbook as Chinese statistical tables print it -> raw rows.

    2020年度浙江省县（市、区）科技进步统计监测主要指标          <- title lines (the year may be here)
    序号 | 设区市 | 县（市、区） |   科技投入          | ... | 创新指数（2015年=100） | 全省排位
         |        |              | R&D经费支出占GDP比重（%） | ... |                  |        <- header
         |        | 全省         | 2.88                | ... | 100.0    |              <- province
    1    | 杭州市 | 上城区       | 3.10                | ... | 180.2    | 12
         | 杭州市 | 合计         | ...                                              <- city subtotal
    注：...                                                                            <- footnote

One sheet per year or one sheet with a year column; one or two header rows (the upper one
naming the domains); units in a row under the header or in the headers; counties by name or
by code, down the rows or across the columns. The steps, one module each under
`zjinnov.data.importing`: reading cells (`workbook`), mapping headers (`headers`), county
names (`places`), layout detection (`layout`), cell values (`cells`), writing rows (`rows`)
and the workbook's sources.csv row (`source_row`).

Everything that cannot be read is reported at once, each with its sheet and cell: an
unreadable file, an unknown county or header, a value that is not a number, a missing value
in a county row (accepted with --partial and listed), a formula saved without its value, a
duplicate, a missing indicator column or county row. Nothing is written while any is left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zjinnov.data import paths, sources, units
from zjinnov.data.errors import Problem, ValidationReport
from zjinnov.data.framework import load_domains, load_indicators
from zjinnov.data.importing import cells, layout, rows, source_row
from zjinnov.data.importing.headers import (
    header_targets,
    indicator_variable,
    key,
    load_mapping,
    split_unit,
)
from zjinnov.data.importing.places import Places
from zjinnov.data.importing.rows import cell_quote
from zjinnov.data.importing.workbook import Sheet, WorkbookError, read_workbook


@dataclass
class ImportResult:
    rows: pd.DataFrame  # raw rows, columns sources.RAW_COLUMNS
    report: ValidationReport
    sheets: pd.DataFrame  # per sheet: layout, year(s), header row, counties, values, missing
    mapping: pd.DataFrame  # header -> target
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)  # footnotes, headers passed over
    missing: pd.DataFrame = field(default_factory=pd.DataFrame)  # cells accepted as missing
    index_base: str = ""  # the index's base printed in its header ('2015'), if any
    source: source_row.SourcePlan | None = None  # what becomes of the sources.csv row

    @property
    def ok(self) -> bool:
        return self.report.ok


def import_workbook(
    path: Path,
    source_id: str,
    data_dir: Path = paths.DATA,
    *,
    sources_dir: Path | None = None,
    mapping: Path | None = None,
    complete: bool = True,
    confidence: str = "high",
    source_flags: dict | None = None,
) -> ImportResult:
    """Read a workbook and turn it into raw rows; every problem in `result.report`.

    `data_dir`: the registries (framework/) and sources.csv to check against; `sources_dir`:
    the analyst's folder, whose sources.csv may hold the workbook's source; `source_flags`:
    fields of the source row the import may write there (`importing.source_row`)."""
    path, data_dir = Path(path), Path(data_dir)
    report = ValidationReport()
    framework_dir = data_dir / "framework"
    indicators = load_indicators(framework_dir)
    domains = set(load_domains(framework_dir)["domain"])
    variables = sources.load_variables(data_dir)
    allowed = {
        v: {units.normalise_text(u) for u in a.split(";")}
        for v, a in zip(variables["variable"], variables["allowed_units"], strict=True)
    }
    targets = header_targets(indicators, variables, load_mapping(mapping))
    ctx = rows.Context(
        path.name,
        source_id,
        confidence,
        targets,
        Places(framework_dir),
        allowed,
        complete,
        report,
    )
    try:
        sheets = read_workbook(path)
    except WorkbookError as err:
        report.add(err.file, None, None, err.reason)
        sheets = []
    out, infos, years, bases = [], [], {}, set()
    for sheet in sheets:
        if not cells.has_numbers(sheet.rows):
            # An empty sheet or one of notes (说明): listed, never an error.
            infos.append({"sheet": sheet.name, "skipped": "no numbers"})
            continue
        got, info = _one_sheet(sheet, ctx, targets, domains, indicators, years)
        bases.add(info.get("index_base") or "")
        out += got
        infos.append(info)
    plan = source_row.plan(source_id, data_dir, sources_dir, source_flags or {}, path.name)
    for column, rule in plan.problems:
        report.add(path.name, None, column, rule, source_id)
    mapping_table = pd.DataFrame(
        [
            {"header": h, "variable": t.variable, "indicator": t.indicator, "how": t.how}
            for h, t in targets.items()
            if t is not None
        ]
    )
    return ImportResult(
        pd.DataFrame(out, columns=sources.RAW_COLUMNS),
        report,
        pd.DataFrame(infos),
        mapping_table,
        pd.DataFrame(ctx.notes, columns=["sheet", "cell", "kind", "text"]),
        pd.DataFrame(
            ctx.missing, columns=["sheet", "cell", "county_code", "year", "header", "found"]
        ),
        "; ".join(sorted(b for b in bases if b)),
        plan,
    )


def _one_sheet(sheet: Sheet, ctx, targets, domains, indicators, years: dict):
    sheet = layout.orient(sheet, targets)

    def problem(row, column, rule, value):
        ctx.report.add(sheet.label, row, column, rule, value)

    lay = layout.find_layout(sheet, targets, domains, ctx.places, problem)
    if lay is None:
        return [], {"sheet": sheet.name}
    got, info = rows.read_sheet(sheet, lay, ctx)
    fixed = info.get("year") if isinstance(info.get("year"), int) else None
    if fixed is not None:
        if fixed in years:
            problem(None, None, f"year {fixed} also in sheet {years[fixed]}", fixed)
        years[fixed] = sheet.name
    if ctx.complete:
        sheet_years = sorted(
            {y for (s, y) in ctx.units_seen if s == sheet.name} | ({fixed} - {None})
        )
        rows.every_indicator(sheet, lay, ctx, indicators, fixed)
        for year in sheet_years:
            rows.every_county(sheet, ctx, year)
    return got, info


def write(result: ImportResult, out_dir: Path, name: str) -> Path:
    """Write the rows as `<out_dir>/raw/<name>.csv`; refused while any problem stands, and
    never under the repository's data/raw/ (official tables may be confidential: keep them in
    a folder of their own and lay it over data/ with DATA_EXTRA)."""
    result.report.raise_if_any()
    if not re.fullmatch(r"[a-z0-9_][a-z0-9_-]*", name):
        raise ValueError(f"table name {name!r}: use lower-case letters, digits, - and _")
    target = Path(out_dir).resolve() / "raw"
    if paths.RAW.resolve() in (target, *target.parents):
        raise ValueError(
            f"refusing to write under data/raw/: import into a folder outside the repository "
            f"and build with DATA_EXTRA=<folder> (found {out_dir})"
        )
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{name}.csv"
    result.rows.to_csv(path, index=False, encoding="utf-8")
    return path


def problems_as_text(report: ValidationReport) -> list[str]:
    return [str(p) for p in report.problems]


__all__ = [
    "ImportResult",
    "Problem",
    "cell_quote",
    "header_targets",
    "import_workbook",
    "indicator_variable",
    "key",
    "read_workbook",
    "split_unit",
    "write",
]

"""Writing rows: one sheet, once its layout is known -> raw rows, each quoting its cell.

Every figure becomes a row of the raw-table schema whose quote locates it:
表「sheet」行「row label」列「column label」= value（sheet!cell）. Province and city total rows
(全省, 合计, 小计, 全市) are kept, under their own codes, apart from the county rows. A county row's
cell without a value is a problem, named with its cell: an empty cell or a marker (—, -, …) is
missing (accepted, and listed, with --partial); a formula saved without its computed value is
never accepted (the workbook must be opened and saved in a spreadsheet program, which stores
the values). Footnote rows are passed over and listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zjinnov.data import units
from zjinnov.data.errors import ValidationReport
from zjinnov.data.importing import cells
from zjinnov.data.importing.layout import Layout, row_year, sheet_year
from zjinnov.data.importing.places import COUNTY, Place, Places
from zjinnov.data.importing.workbook import Sheet

FORMULA_RULE = (
    "formula saved without its computed value: open the workbook in a spreadsheet program "
    "(Excel, WPS, LibreOffice) and save it, which stores every formula's value, then import again"
)


@dataclass
class Context:
    """What every sheet of one import shares."""

    workbook: str
    source_id: str
    confidence: str
    targets: dict
    places: Places
    allowed: dict[str, set[str]]
    complete: bool
    report: ValidationReport
    seen: dict = field(default_factory=dict)  # (code, year, variable) -> sheet!cell
    missing: list[dict] = field(default_factory=list)  # accepted with --partial
    notes: list[dict] = field(default_factory=list)  # footnotes and titles passed over
    units_seen: dict = field(default_factory=dict)  # (sheet, year) -> county codes


def cell_quote(sheet: str, ref: str, row_label: str, header: str, value: str) -> str:
    """Where a figure stands, as the validation's rule for tables wants it (表「…」行「…」列「…」=
    value), with the cell: 表「2020年」行「临安区」列「R&D经费支出占GDP比重」= 3.42（2020年!D7）."""
    return f"表「{sheet}」行「{row_label}」列「{header}」= {value}（{sheet}!{ref}）"


def _check_units(sheet: Sheet, lay: Layout, ctx: Context, year) -> None:
    for c, target in lay.columns.items():
        unit = lay.units[c]
        if unit and unit not in ctx.allowed.get(target.variable, {unit}):
            where = lay.unit_row if lay.unit_row is not None else lay.header
            ctx.report.add(
                sheet.label,
                sheet.row_of(where, c),
                f"{sheet.ref(where, c)} {lay.headers[c].text}",
                f"unit {unit} not allowed for {target.variable} "
                f"(allowed: {'、'.join(sorted(ctx.allowed[target.variable]))})",
                unit,
                None,
                year,
            )


def _place(sheet: Sheet, lay: Layout, row: list, year: int, places: Places) -> tuple[Place, str]:
    def get(role: str) -> object:
        col = lay.roles.get(role)
        return row[col] if col is not None and col < len(row) else None

    code, label = cells.text(get("code")), cells.text(get("county"))
    if code:
        return places.by_code(code, year), label or code
    return places.by_label(label, get("city"), year), label


def read_sheet(sheet: Sheet, lay: Layout, ctx: Context) -> tuple[list[dict], dict]:
    """Raw rows of one sheet; problems go to ctx.report."""
    fixed_year = None if "year" in lay.roles else sheet_year(sheet, lay)
    info = {
        "sheet": sheet.name,
        "layout": "indicators down (turned)" if sheet.turned else "counties down",
        "header_row": sheet.row_of(lay.header, 0) if not sheet.turned else None,
        "year": fixed_year,
        "index_base": lay.index_base,
    }
    if fixed_year is None and "year" not in lay.roles:
        ctx.report.add(
            sheet.label,
            None,
            None,
            "no year: name the sheet by its year (e.g. 2020), print the year in the title, or "
            "give a year column (年度 or 年份)",
        )
        return [], info
    for where, what, why in lay.ignored:
        ctx.notes.append({"sheet": sheet.name, "cell": where, "kind": why, "text": what})
    _check_units(sheet, lay, ctx, fixed_year)
    out, years, n_total, n_missing = [], set(), 0, 0
    for r in range(lay.first, len(sheet.rows)):
        row = sheet.rows[r]
        if not any(cells.text(v) for v in row):
            continue
        if cells.is_footnote(row):
            first = next(c for c, v in enumerate(row) if cells.text(v))
            ctx.notes.append(
                {
                    "sheet": sheet.name,
                    "cell": sheet.ref(r, first),
                    "kind": "footnote",
                    "text": cells.text(row[first]),
                }
            )
            continue
        year = fixed_year
        if year is None:
            raw_year = row[lay.roles["year"]] if lay.roles["year"] < len(row) else None
            year = row_year(raw_year)
            if year is None:
                if any(
                    cells.read_cell(row[c] if c < len(row) else None, False).value
                    for c in lay.columns
                ):
                    col = lay.roles["year"]
                    ctx.report.add(
                        sheet.label,
                        sheet.row_of(r, col),
                        f"{sheet.ref(r, col)} year",
                        "year cell must be a year such as 2020 or 2020年",
                        cells.text(raw_year),
                    )
                continue
        place, printed = _place(sheet, lay, row, year, ctx.places)
        values = {c: row[c] if c < len(row) else None for c in lay.columns}
        if place.code is None:
            if place.why and any(cells.read_cell(v, False).value for v in values.values()):
                col = lay.roles.get("code", lay.roles.get("county"))
                ctx.report.add(
                    sheet.label,
                    sheet.row_of(r, col),
                    f"{sheet.ref(r, col)} county",
                    place.why,
                    printed,
                    None,
                    year,
                )
            continue  # a spacer, a sub-heading or a note
        years.add(year)
        if place.kind == COUNTY:
            ctx.units_seen.setdefault((sheet.name, year), set()).add(place.code)
        else:
            n_total += 1
        name = ctx.places.name(place.code, year)
        for c, raw in values.items():
            got = _value(sheet, lay, ctx, r, c, raw, place, (printed, name), year)
            if got is None:
                n_missing += place.kind == COUNTY
            elif got:
                out.append(got)
    info.update(
        year=fixed_year if fixed_year is not None else ", ".join(map(str, sorted(years))),
        counties=sum(len(v) for (s, _), v in ctx.units_seen.items() if s == sheet.name),
        totals=n_total,
        values=len(out),
        missing=n_missing,
        columns=len(lay.columns),
    )
    return out, info


def _value(sheet, lay, ctx, r, c, raw, place, labels, year) -> dict | None:
    """The raw row of one cell; None for a cell without a value, {} for one refused.
    `labels`: the row's label as printed and the registry's name of its place."""
    printed, name = labels
    target, header = lay.columns[c], lay.headers[c].text
    ref = sheet.ref(r, c)
    cell = cells.read_cell(raw, (r, c) in sheet.percent)
    where = f"{ref} {header}"
    if cell.value is None:
        if place.kind != COUNTY:
            return None  # totals print no rank, and often leave a cell out
        if raw is None and (r, c) in sheet.formulas:
            ctx.report.add(
                sheet.label, sheet.row_of(r, c), where, FORMULA_RULE, None, place.code, year
            )
            return {}
        found = "empty cell" if cell.missing == "blank" else cell.missing
        if ctx.complete:
            ctx.report.add(
                sheet.label,
                sheet.row_of(r, c),
                where,
                "missing value in a county row (pass --partial to import the table without it)",
                found,
                place.code,
                year,
            )
        else:
            ctx.missing.append(
                {
                    "sheet": sheet.name,
                    "cell": ref,
                    "county_code": place.code,
                    "year": year,
                    "header": header,
                    "found": found,
                }
            )
        return None
    unit = cell.unit or lay.units[c]
    if not isinstance(raw, (int, float)):  # numbers stored as numbers need no reading
        try:
            units.parse_quantity(cell.value, unit or None)
        except units.UnitError as err:
            ctx.report.add(
                sheet.label, sheet.row_of(r, c), where, str(err), cells.text(raw), place.code, year
            )
            return {}
    k = (place.code, year, target.variable)
    if k in ctx.seen:
        ctx.report.add(
            sheet.label,
            sheet.row_of(r, c),
            where,
            f"duplicate: {printed} {year} {target.variable} also at {ctx.seen[k]}",
            cell.value,
            place.code,
            year,
        )
        return {}
    ctx.seen[k] = f"{sheet.name}!{ref}"
    row_label, column_label = (header, printed) if sheet.turned else (printed, header)
    return {
        "county_code": place.code,
        "county_name": name,
        "year": str(year),
        "report_year": "",
        "variable": target.variable,
        "value": cell.value,
        "unit": unit,
        "period": units.FULL_YEAR,
        "source_id": ctx.source_id,
        "confidence": ctx.confidence,
        "quote": cell_quote(sheet.name, ref, row_label, column_label, cell.value),
        "note": f"imported from {ctx.workbook}",
    }


def every_indicator(sheet: Sheet, lay: Layout, ctx: Context, indicators, year) -> None:
    """A monitoring table has a column for every registry indicator."""
    have = {t.indicator for t in lay.columns.values() if t.indicator}
    if not have:
        return
    for ind in indicators.itertuples(index=False):
        if ind.code not in have:
            ctx.report.add(
                sheet.label,
                sheet.row_of(lay.header, 0),
                f"{ind.code} {ind.name_zh}",
                "indicator column missing (every registry indicator expected; pass "
                "--partial to import a subset)",
                None,
                None,
                year,
            )


def every_county(sheet: Sheet, ctx: Context, year: int) -> None:
    """... and a row for every county unit of its year."""
    expected = ctx.places.units(year)
    found = ctx.units_seen.get((sheet.name, year), set())
    missing = {c: n for c, n in expected.items() if c not in found}
    if missing:
        names = "、".join(f"{c} {n}" for c, n in missing.items())
        ctx.report.add(
            sheet.label,
            None,
            "county rows",
            f"{len(expected)} county units expected in {year}, found "
            f"{len(expected) - len(missing)} (missing: {names})",
            None,
            None,
            year,
        )

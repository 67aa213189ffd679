"""Bring the monitoring tables in: a workbook as Chinese statistical tables print it -> raw rows.

The expected shape (one sheet per year; xlsx, or csv files one per year, or a folder of them):

    2020年度浙江省县（市、区）科技进步统计监测主要指标          <- title lines (the year may be here)
    序号 | 设区市 | 县（市、区） | R&D经费支出占GDP比重 | ... | 创新指数 | 全省排位   <- header
         |        |              | %                    | ... |          |            <- unit row (optional)
         |        | 全省         | 2.88                 | ... | 100.0    |            <- province total
    1    | 杭州市 | 上城区       | 3.10                 | ... | 180.2    | 12
         | 杭州市 | 合计         | ...                                               <- city subtotal

Headers map to registry indicators (code or Chinese name), variables (name or Chinese label),
the published index and its rank, or through a mapping file (`header,target`) the analyst
edits. County names map to codes through the county registry of the sheet's year: a renamed
unit under its other name (临安市 / 临安区) becomes the code valid that year; an abolished or
not yet created unit, an unknown name, an unmapped header, a cell that is not a number, a
duplicate and a missing indicator column or county row are all reported at once, each with
its sheet and cell. Nothing is written unless there is no problem at all.

Every row written keeps a quote locating its value: 表「sheet」行「county」列「header」= value
(sheet!cell), the form the validation checks for figures read from a table.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from zjinnov.data import formula, geography, paths, sources, units
from zjinnov.data.errors import Problem, ValidationReport

INDEX_VARIABLE = "innovation_index"
RANK_VARIABLE = "innovation_index_rank_zj"
# Printed names of the index and its ranks in the monitoring reports.
ALIASES = {
    **dict.fromkeys(
        ["创新指数", "综合指数", "科技创新指数", "县域创新指数", "创新指数得分", "指数"],
        INDEX_VARIABLE,
    ),
    **dict.fromkeys(
        ["全省排位", "全省排名", "全省位次", "全省名次", "排位", "排名", "位次", "名次"],
        RANK_VARIABLE,
    ),
    **dict.fromkeys(["全市排位", "全市排名", "全市位次", "全市名次"], "innovation_index_rank_city"),
}
# Columns that say which row is which, not figures.
ROLES = {
    **dict.fromkeys(
        [
            "县(市、区)",
            "县(市,区)",
            "县市区",
            "县(市区)",
            "地区",
            "单位",
            "区县",
            "县区",
            "名称",
            "单位名称",
            "地区名称",
            "县(市、区)名称",
            "county",
            "county_name",
        ],
        "county",
    ),
    **dict.fromkeys(
        ["代码", "行政区划代码", "区划代码", "地区代码", "county_code", "code"], "code"
    ),
    **dict.fromkeys(["设区市", "所属市", "市", "地市", "所属设区市", "市别", "city"], "city"),
    **dict.fromkeys(["序号", "编号", "no", "no.", "序"], "serial"),
}
PROVINCE_LABELS = {"全省", "浙江省", "浙江", "全省合计", "全省平均", "总计"}
SUBTOTAL_LABELS = {"合计", "小计"}
BLANK_VALUES = {"", "—", "-", "－", "–", "…", "...", "/", "／", "*"}
FOOTNOTE = re.compile(r"^(注|说明|备注|资料来源|数据来源|附注)")
YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
UNIT_IN_HEADER = re.compile(r"[（(]([^（）()]+)[）)]$")
HEADER_SCAN = 30  # rows searched for the header


@dataclass(frozen=True)
class Target:
    variable: str
    indicator: str | None  # registry code when the header names an indicator
    how: str  # code, name, variable, label, alias, mapping


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]  # values, row k = sheet row k + 1
    percent: set[tuple[int, int]] = field(default_factory=set)  # cells formatted as percentages


@dataclass
class ImportResult:
    rows: pd.DataFrame  # raw rows, columns sources.RAW_COLUMNS
    report: ValidationReport
    sheets: pd.DataFrame  # per sheet: year, header row, counties, values, blanks
    mapping: pd.DataFrame  # header -> target, per sheet and column

    @property
    def ok(self) -> bool:
        return self.report.ok


# ------------------------------------------------------------------------------------ reading
def _cell_ref(row: int, col: int) -> str:
    letters = ""
    n = col + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"{letters}{row + 1}"


def _read_xlsx(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    out = []
    for ws in book.worksheets:
        rows, percent = [], set()
        for r, cells in enumerate(ws.iter_rows()):
            values = []
            for c, cell in enumerate(cells):
                values.append(getattr(cell, "value", None))
                fmt = getattr(cell, "number_format", "") or ""
                if "%" in fmt and isinstance(values[-1], (int, float)):
                    percent.add((r, c))
            rows.append(values)
        out.append(Sheet(ws.title, rows, percent))
    book.close()
    return out


def _read_csv(path: Path) -> list[Sheet]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese saves CSV as GBK by default
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    rows = [list(r) for r in csv.reader(io.StringIO(text))]
    return [Sheet(path.stem, [[v if v != "" else None for v in r] for r in rows])]


def read_workbook(path: Path) -> list[Sheet]:
    """The sheets of an xlsx file, a csv file (one sheet), or every xlsx/csv in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm", ".csv"))
        return [s for p in files for s in read_workbook(p)]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    raise ValueError(f"{path.name}: expected an .xlsx or .csv file, or a folder of them")


# ------------------------------------------------------------------------------------ headers
def key(text: object) -> str:
    """A header or name as compared: NFKC, no spaces or line breaks, lower-case Latin."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return re.sub(r"\s+", "", s).lower()


def split_unit(header: object) -> tuple[str, str]:
    """'R&D经费支出占GDP比重(%)' -> ('r&d经费支出占gdp比重', '%'); no unit -> ''."""
    k = key(header)
    m = UNIT_IN_HEADER.search(k)
    if m and _as_unit(m.group(1)) is not None:
        return k[: m.start()], _as_unit(m.group(1))
    return k, ""


def _as_unit(text: str) -> str | None:
    s = units.normalise_text(text).strip("()（）")
    s = s.removeprefix("单位:").removeprefix("单位：")
    return s if s in units.unit_table().index or s == "" else None


def indicator_variable(ind) -> str:
    """The variable under which an indicator's own value is stored: `published_as`, else its
    formula when that is a single variable; '' when neither (the value cannot be stored)."""
    name = str(getattr(ind, "published_as", "") or "")
    if name:
        return name
    names = formula.variables(ind.formula)
    return names[0] if len(names) == 1 and ind.formula.strip() == names[0] else ""


def load_mapping(path: Path | None) -> dict[str, str]:
    """The analyst's mapping file: columns `header,target` (indicator code, variable, or ignore)."""
    if path is None:
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = {"header", "target"} - set(table.columns)
    if missing:
        raise ValueError(f"{Path(path).name}: mapping file needs columns header,target")
    return {
        split_unit(h)[0]: t.strip() for h, t in zip(table["header"], table["target"], strict=True)
    }


def header_targets(
    indicators: pd.DataFrame, variables: pd.DataFrame, mapping: dict[str, str] | None = None
) -> dict[str, Target | None]:
    """Every header text the importer understands (by `key`) -> its target; None = ignore."""
    out: dict[str, Target | None] = {}
    by_code = {}
    for ind in indicators.itertuples(index=False):
        var = indicator_variable(ind)
        if var:
            by_code[ind.code] = var
            out[key(ind.code)] = Target(var, ind.code, "code")
            out[split_unit(ind.name_zh)[0]] = Target(var, ind.code, "name")
    indicator_of = {v: c for c, v in by_code.items()}
    labels = variables.groupby(variables["label_zh"].map(lambda s: split_unit(s)[0]))["variable"]
    for label, names in labels:
        if len(names) == 1 and label not in out:
            out[label] = Target(names.iloc[0], indicator_of.get(names.iloc[0]), "label")
    for var in variables["variable"]:
        out[key(var)] = Target(var, indicator_of.get(var), "variable")
    for alias, var in ALIASES.items():
        out.setdefault(key(alias), Target(var, None, "alias"))
    known = set(variables["variable"])
    for header, target in (mapping or {}).items():
        if target.lower() == "ignore":
            out[header] = None
        elif target in by_code:
            out[header] = Target(by_code[target], target, "mapping")
        elif target in known:
            out[header] = Target(target, indicator_of.get(target), "mapping")
        else:
            raise ValueError(
                f"mapping file: target {target!r} for header {header!r} is neither an indicator "
                "code, a variable in data/framework/variables.csv, nor 'ignore'"
            )
    return out


# ------------------------------------------------------------------------------------ counties
@dataclass
class Year:
    """The county registry of one year as lookups."""

    codes: dict[str, str]  # code -> name
    by_key: dict[str, str]  # key(name) -> code
    by_short: dict[str, list[str]]  # name without 区/县/市 -> codes
    by_current: dict[str, str]  # current code (临安市 -> 330112) -> code valid this year
    city: dict[str, str]  # code -> city code


@dataclass
class Places:
    """Names of the county units, cities and the province, and which existed when."""

    table: pd.DataFrame  # the whole county registry (statistical zones left out)
    cities: dict[str, str]  # key(name) and key(short name) -> city code
    regions: dict[str, str]  # province and city codes -> name
    _years: dict[int, Year] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, framework_dir: Path) -> Places:
        table = geography.load_counties(framework_dir)
        table = table[table["type"] != geography.STATISTICAL_ZONE].copy()
        table["key"] = table["name"].map(key)
        table["short"] = table["key"].str.replace(r"(区|县|市)$", "", regex=True)
        table["current"] = geography.harmonise_codes(table["code"])
        regions = geography.region_names(framework_dir)
        cities = {}
        for code, name in regions.items():
            if code in geography.CITY_CODES:
                cities[key(name)] = code
                cities[key(name).removesuffix("市")] = code
        return cls(table, cities, dict(regions))

    def year(self, year: int) -> Year:
        if year not in self._years:
            t = self.table
            ok = (t["valid_from"].isna() | (t["valid_from"] <= year)) & (
                t["valid_to"].isna() | (t["valid_to"] >= year)
            )
            now = t[ok.fillna(False).astype(bool)]
            short: dict[str, list[str]] = {}
            for code, s in zip(now["code"], now["short"], strict=True):
                short.setdefault(s, []).append(code)
            self._years[year] = Year(
                dict(zip(now["code"], now["name"], strict=True)),
                dict(zip(now["key"], now["code"], strict=True)),
                short,
                dict(zip(now["current"], now["code"], strict=True)),
                dict(zip(now["code"], now["city_code"], strict=True)),
            )
        return self._years[year]

    def name(self, code: str, year: int) -> str:
        """The registry's name of a unit in `year`, or of the province or a city."""
        return self.year(year).codes.get(code) or self.regions[code]


def _clean_label(text: object) -> str:
    s = key(text)
    return re.sub(r"[*＊†①-⑩\d]+$", "", s)


def _resolve(places: Places, label: str, year: int) -> tuple[str | None, str | None]:
    """(code, None) or (None, why not): a county name in the registry of `year`."""
    now = places.year(year)
    if label in now.by_key:
        return now.by_key[label], None
    if len(now.by_short.get(label, [])) == 1:
        return now.by_short[label][0], None
    t = places.table
    anytime = t[(t["key"] == label) | (t["short"] == label)]
    if anytime.empty:
        close = difflib.get_close_matches(label, list(now.by_key), n=3, cutoff=0.5)
        hint = f"; close names: {'、'.join(close)}" if close else ""
        return None, f"unknown county name (not in data/framework/counties.csv for {year}){hint}"
    # A renamed unit under its other name: the unit valid this year with the same current code.
    same = anytime["current"].iloc[0]
    if same in now.by_current:
        return now.by_current[same], None
    r = anytime.iloc[0]
    span = "–".join("" if pd.isna(r[c]) else str(r[c]) for c in ("valid_from", "valid_to"))
    return None, (
        f"{r['name']} ({r['code']}) is not a county-level unit in {year} (registry: in use {span}"
        f"{_changes(r['code'])}; data/framework/counties.csv, boundary_changes.csv)"
    )


def _changes(code: str) -> str:
    """'; merged into 330105 in 2021' or '; split from 330110 in 2021', from the registry."""
    words = []
    for links, way in (
        (geography.successors(code), "into"),
        (geography.predecessors(code), "from"),
    ):
        for link in links.itertuples(index=False):
            other = link.to_code if way == "into" else link.from_code
            words.append(f"{link.change} {way} {other} in {link.change_year}")
    return "; " + ", ".join(words) if words else ""


# ------------------------------------------------------------------------------------ one sheet
@dataclass
class _Layout:
    header: int
    unit_row: int | None
    first: int
    columns: dict[int, Target]  # value columns
    roles: dict[str, int]
    units: dict[int, str]
    headers: dict[int, str]  # as printed


def _text(v: object) -> str:
    return "" if v is None else str(v).strip()


def _sheet_year(sheet: Sheet, header: int | None) -> int | None:
    m = YEAR.search(sheet.name)
    if m:
        return int(m.group(1))
    for row in sheet.rows[: header if header is not None else 5]:
        for v in row:
            m = YEAR.search(_text(v))
            if m:
                return int(m.group(1))
    return None


def _find_header(sheet: Sheet, targets: dict) -> int | None:
    best, where = 0, None
    for r, row in enumerate(sheet.rows[:HEADER_SCAN]):
        score = 0
        for v in row:
            k = split_unit(v)[0]
            if k and k in targets and targets[k] is not None:
                score += 1
            elif k in ROLES:
                score += 2
        if score > best:
            best, where = score, r
    return where


def _layout(sheet: Sheet, label: str, targets: dict, report: ValidationReport) -> _Layout | None:
    header = _find_header(sheet, targets)
    if header is None:
        report.add(
            label,
            None,
            None,
            f"no header row: none of the first {HEADER_SCAN} rows names an indicator, a variable or a county column",
        )
        return None
    head = sheet.rows[header]
    nxt = sheet.rows[header + 1] if header + 1 < len(sheet.rows) else []
    filled = [_text(v) for v in nxt if _text(v)]
    unit_row = header + 1 if filled and all(_as_unit(v) is not None for v in filled) else None
    columns, roles, unit_of, printed, seen = {}, {}, {}, {}, {}
    for c, v in enumerate(head):
        text = _text(v)
        if not text:
            continue
        k, unit = split_unit(text)
        if k in ROLES and ROLES[k] not in roles:
            roles[ROLES[k]] = c
            continue
        if k not in targets:
            close = difflib.get_close_matches(
                k, [t for t in targets if targets[t]], n=2, cutoff=0.6
            )
            hint = f"; close: {'、'.join(close)}" if close else ""
            report.add(
                label,
                header + 1,
                f"{_cell_ref(header, c)} {text}",
                f"header not in the registry (indicator code or Chinese name, variable, or a row of the mapping file){hint}",
                text,
            )
            continue
        target = targets[k]
        if target is None:  # the mapping file says ignore
            continue
        if target.variable in seen:
            first = seen[target.variable]
            report.add(
                label,
                header + 1,
                f"{_cell_ref(header, c)} {text}",
                f"duplicate column: {target.variable} also at {_cell_ref(header, first)} ({_text(head[first])})",
                text,
            )
            continue
        seen[target.variable] = c
        if unit_row is not None and c < len(nxt) and _text(nxt[c]):
            unit = _as_unit(_text(nxt[c])) or ""
        columns[c], unit_of[c], printed[c] = target, unit, text
    if "county" not in roles and "code" not in roles:
        report.add(
            label,
            header + 1,
            None,
            "no county column (a header such as 县（市、区）, 地区 or 代码)",
        )
        return None
    first = header + 1 + (unit_row is not None)
    return _Layout(header, unit_row, first, columns, roles, unit_of, printed)


def _value(raw: object, percent: bool) -> tuple[str | None, str]:
    """(printed value, unit printed with it) of a cell; None for a blank or a dash."""
    if isinstance(raw, bool):
        return str(raw), ""
    if isinstance(raw, (int, float)):
        if percent:  # shown as 3.42% in Excel, stored as 0.0342
            return repr(round(float(raw) * 100, 10)), "%"
        return (str(int(raw)) if float(raw).is_integer() else repr(float(raw))), ""
    text = units.normalise_text(raw)
    return (None if text in BLANK_VALUES else text), ""


def _region(
    places: Places, row: list, lay: _Layout, year: int
) -> tuple[str | None, str, str | None]:
    """(code, label as printed, problem) of a data row; code None and problem None = skip row."""

    def get(role: str) -> str:
        col = lay.roles.get(role)
        return _text(row[col]) if col is not None and col < len(row) else ""

    label, code, city = get("county"), get("code"), get("city")
    clean = _clean_label(label)
    if code:
        code = units.normalise_text(code)
        if not re.fullmatch(r"\d{6}", code):
            return None, label or code, f"county code must be 6 digits, found {code!r}"
        if code == geography.ZHEJIANG or code in geography.CITY_CODES:
            return code, label or code, None
        if code in places.year(year).codes:
            return code, label or code, None
        return (
            None,
            label or code,
            f"county code {code} not a county-level unit in {year} (data/framework/counties.csv)",
        )
    if not clean:
        return None, label, None
    if clean in PROVINCE_LABELS or (clean in SUBTOTAL_LABELS and not city):
        return geography.ZHEJIANG, label, None
    base = re.sub(r"(合计|小计)$", "", clean)
    if clean in SUBTOTAL_LABELS or base != clean:
        name = base or _clean_label(city)
        if name in places.cities:
            return places.cities[name], label, None
        return None, label, "subtotal row of an unknown city"
    if clean in places.cities:
        return places.cities[clean], label, None
    found, why = _resolve(places, clean, year)
    if found is None:
        return None, label, why
    if city:
        want = places.year(year).city[found]
        if places.cities.get(_clean_label(city)) != want:
            return None, label, f"{label} is not in {city} (registry: city {want})"
    return found, label, None


def cell_quote(sheet: str, ref: str, row_label: str, header: str, value: str) -> str:
    """Where a figure stands, as the validation's rule for tables wants it (表「…」行「…」列「…」=
    value), with the cell: 表「2020年」行「临安区」列「R&D经费支出占GDP比重」= 3.42（2020年!D7）."""
    return f"表「{sheet}」行「{row_label}」列「{header}」= {value}（{sheet}!{ref}）"


def _is_footnote(row: list, lay: _Layout) -> bool:
    texts = [_text(v) for v in row if _text(v)]
    return bool(texts) and bool(FOOTNOTE.match(texts[0]))


def import_sheet(
    sheet: Sheet,
    wb_name: str,
    targets: dict,
    places: Places,
    source_id: str,
    confidence: str,
    allowed: dict[str, set[str]],
    seen: dict,
    report: ValidationReport,
) -> tuple[list[dict], dict]:
    """Raw rows of one sheet; problems go to `report`; `seen` carries keys across sheets."""
    label = f"{wb_name}[{sheet.name}]"
    lay = _layout(sheet, label, targets, report)
    year = _sheet_year(sheet, None if lay is None else lay.header)
    info = {
        "sheet": sheet.name,
        "year": year,
        "header_row": None if lay is None else lay.header + 1,
    }
    if lay is None:
        return [], info
    if year is None:
        report.add(
            label,
            None,
            None,
            "no year: name the sheet by its year (e.g. 2020) or print the year in the title",
        )
        return [], info
    for c, target in lay.columns.items():
        unit = lay.units[c]
        if unit and unit not in allowed.get(target.variable, {unit}):
            where = lay.unit_row if lay.unit_row is not None else lay.header
            report.add(
                label,
                where + 1,
                f"{_cell_ref(where, c)} {lay.headers[c]}",
                f"unit {unit} not allowed for {target.variable} (allowed: {'、'.join(sorted(allowed[target.variable]))})",
                unit,
                None,
                year,
            )
    out, units_seen, n_blank, n_total = [], set(), 0, 0
    for r in range(lay.first, len(sheet.rows)):
        row = sheet.rows[r]
        if not any(_text(v) for v in row) or _is_footnote(row, lay):
            continue
        code, printed, why = _region(places, row, lay, year)
        cells = {c: row[c] if c < len(row) else None for c in lay.columns}
        has_values = any(_value(v, False)[0] is not None for v in cells.values())
        if code is None:
            if why and has_values:
                col = lay.roles.get("code", lay.roles.get("county"))
                report.add(label, r + 1, f"{_cell_ref(r, col)} county", why, printed, None, year)
            continue  # a spacer, a sub-heading or a note
        n_total += code == geography.ZHEJIANG or code in geography.CITY_CODES
        units_seen.add(code)
        for c, raw in cells.items():
            target = lay.columns[c]
            ref = _cell_ref(r, c)
            value, glued = _value(raw, (r, c) in sheet.percent)
            if value is None:
                n_blank += 1
                continue
            unit = glued or lay.units[c]
            try:
                if not isinstance(raw, (int, float)):  # numbers stored as numbers need no reading
                    units.parse_quantity(value, unit or None)
            except units.UnitError as err:
                report.add(
                    label,
                    r + 1,
                    f"{ref} {lay.headers[c]}",
                    str(err),
                    _text(raw),
                    code,
                    year,
                )
                continue
            k = (code, year, target.variable)
            if k in seen:
                report.add(
                    label,
                    r + 1,
                    f"{ref} {lay.headers[c]}",
                    f"duplicate: {printed} {year} {target.variable} also at {seen[k]}",
                    value,
                    code,
                    year,
                )
                continue
            seen[k] = f"{sheet.name}!{ref}"
            out.append(
                {
                    "county_code": code,
                    "county_name": places.name(code, year),
                    "year": str(year),
                    "report_year": "",
                    "variable": target.variable,
                    "value": value,
                    "unit": unit,
                    "period": units.FULL_YEAR,
                    "source_id": source_id,
                    "confidence": confidence,
                    "quote": cell_quote(sheet.name, ref, printed, lay.headers[c], value),
                    "note": f"imported from {wb_name}",
                }
            )
    expected = set(places.year(year).codes)
    info.update(
        counties=len(units_seen & expected),
        totals=n_total,
        values=len(out),
        blanks=n_blank,
        columns=len(lay.columns),
    )
    return out, info | {"_units": units_seen, "_layout": lay}


def _completeness(
    info: dict, label: str, places: Places, indicators: pd.DataFrame, report: ValidationReport
) -> None:
    """A monitoring table has every indicator and every county unit of its year."""
    lay, year = info["_layout"], info["year"]
    have = {t.indicator for t in lay.columns.values() if t.indicator}
    if have:
        for ind in indicators.itertuples(index=False):
            if ind.code not in have:
                report.add(
                    label,
                    lay.header + 1,
                    f"{ind.code} {ind.name_zh}",
                    "indicator column missing (every registry indicator expected; pass --partial to import a subset)",
                    None,
                    None,
                    year,
                )
    expected = places.year(year).codes
    missing = {c: n for c, n in expected.items() if c not in info["_units"]}
    if missing:
        names = "、".join(f"{c} {n}" for c, n in missing.items())
        report.add(
            label,
            None,
            "county rows",
            f"{len(expected)} county units expected in {year}, found {len(expected) - len(missing)} (missing: {names})",
            None,
            None,
            year,
        )


def import_workbook(
    path: Path,
    source_id: str,
    data_dir: Path = paths.DATA,
    *,
    sources_dir: Path | None = None,
    mapping: Path | None = None,
    complete: bool = True,
    confidence: str = "high",
) -> ImportResult:
    """Read a workbook and turn it into raw rows; every problem in `result.report`.

    `data_dir`: the registries (framework/) and sources.csv to check against; `sources_dir`:
    another folder whose sources.csv may hold the workbook's source (the analyst's own folder).
    """
    path, data_dir = Path(path), Path(data_dir)
    report = ValidationReport()
    from zjinnov.data.framework import load_indicators

    framework_dir = data_dir / "framework"
    indicators = load_indicators(framework_dir)
    variables = sources.load_variables(data_dir)
    allowed = {
        v: {units.normalise_text(u) for u in a.split(";")}
        for v, a in zip(variables["variable"], variables["allowed_units"], strict=True)
    }
    targets = header_targets(indicators, variables, load_mapping(mapping))
    places = Places.load(framework_dir)
    rows, infos, seen, years = [], [], {}, {}
    for sheet in read_workbook(path):
        if not _has_numbers(sheet):
            # An empty sheet or one of notes (说明): listed, never an error.
            infos.append({"sheet": sheet.name, "skipped": "no numbers"})
            continue
        label = f"{path.name}[{sheet.name}]"
        got, info = import_sheet(
            sheet, path.name, targets, places, source_id, confidence, allowed, seen, report
        )
        if info.get("year") is not None and "_layout" in info:
            if info["year"] in years:
                report.add(
                    label,
                    None,
                    None,
                    f"year {info['year']} also in sheet {years[info['year']]}",
                    info["year"],
                )
            years[info["year"]] = sheet.name
            if complete:
                _completeness(info, label, places, indicators, report)
        rows += got
        infos.append({k: v for k, v in info.items() if not k.startswith("_")})
    _check_source(source_id, [data_dir, sources_dir], report, path.name)
    mapping_table = pd.DataFrame(
        [
            {"header": h, "variable": t.variable, "indicator": t.indicator, "how": t.how}
            for h, t in targets.items()
            if t is not None
        ]
    )
    return ImportResult(
        pd.DataFrame(rows, columns=sources.RAW_COLUMNS), report, pd.DataFrame(infos), mapping_table
    )


def _has_numbers(sheet: Sheet) -> bool:
    number = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")
    return any(
        isinstance(v, (int, float)) or bool(number.match(units.normalise_text(v)))
        for row in sheet.rows
        for v in row
        if v is not None and not isinstance(v, bool)
    )


def _check_source(source_id: str, folders: list, report: ValidationReport, label: str) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", source_id or ""):
        report.add(
            label,
            None,
            "source_id",
            "source id must be lower-case letters, digits and hyphens",
            source_id,
        )
        return
    ids = set()
    for folder in folders:
        f = Path(folder or ".") / "sources.csv"
        if folder is None:
            continue
        if f.exists():
            ids |= set(
                pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8-sig")["source_id"]
            )
    if source_id not in ids:
        report.add(
            label,
            None,
            "source_id",
            "source id not in sources.csv: add a row for the workbook (title, publisher, date, kind, confidence) first",
            source_id,
        )


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


__all__ = ["ImportResult", "Problem", "import_workbook", "read_workbook", "write"]

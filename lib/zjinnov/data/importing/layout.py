"""Layout detection: where a sheet's header, units, domains, years and counties are.

Monitoring tables come in several shapes, all read here:

- one sheet per year (the year in the sheet name or the title), or one sheet for all years
  with a year column (年度, 年份);
- one header row, or two where the upper one names the domains over their indicators (merged
  cells: only the first cell of a merged range holds the text) and holds the headers that
  span both rows (序号, 县（市、区）, 创新指数);
- a unit row under the header, or units printed in the headers, 名称（单位）;
- counties down and indicators across, or the other way round (a transposed sheet is turned
  first, `orient`), counties by name or by code (a column with no county header is found by
  its content).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zjinnov.data.importing import cells
from zjinnov.data.importing.headers import ROLES, Header, Target, as_unit, key, read_header
from zjinnov.data.importing.places import PROVINCE_LABELS, Places, clean_label
from zjinnov.data.importing.workbook import Sheet

HEADER_SCAN = 30  # rows searched for the header
COLUMN_SCAN = 8  # columns searched for indicator names running down (a transposed sheet)
YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
ENUMERATOR = re.compile(
    r"^([一二三四五六七八九十]+|\d+)[、.．)）]|^[(（]([一二三四五六七八九十]+|\d+)[)）]"
)
UNIT_LABELS = {"单位", "计量单位", "单位:", "单位："}


@dataclass
class Layout:
    header: int  # the (lower) header row
    band: int | None  # the row above it, when it names domains or holds merged headers
    unit_row: int | None
    first: int  # first data row
    columns: dict[int, Target]  # value columns
    roles: dict[str, int]  # county, code, city, serial, year -> column
    units: dict[int, str]  # unit printed in the header or the unit row
    headers: dict[int, Header]
    domains: dict[int, str] = field(default_factory=dict)  # column -> domain over it
    index_base: str = ""  # '2015' from 创新指数（2015年=100）, 'previous' from 上年=100
    ignored: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, text, why)


def _score(texts, targets) -> int:
    n = 0
    for v in texts:
        if not isinstance(v, str):  # a header is text; numbers are the bulk of a sheet
            continue
        k = read_header(v).key
        n += k in targets and targets[k] is not None
    return n


def orient(sheet: Sheet, targets: dict) -> Sheet:
    """The sheet with counties down: turned when indicator names run down a column rather
    than along a row."""
    rows = max((_score(r, targets) for r in sheet.rows[:HEADER_SCAN]), default=0)
    width = max((len(r) for r in sheet.rows[:HEADER_SCAN]), default=0)
    cols = max(
        (
            _score([sheet.value(r, c) for r in range(len(sheet.rows))], targets)
            for c in range(min(width, COLUMN_SCAN))
        ),
        default=0,
    )
    return sheet.turn() if cols > rows and cols >= 3 else sheet


def find_header(sheet: Sheet, targets: dict, domains: set[str] = frozenset()) -> int | None:
    """The header row: the one naming most indicators and roles; where that is the upper of
    two header rows (the lower names indicators under the domains or blanks above), the lower."""
    best, where = 0, None
    for r, row in enumerate(sheet.rows[:HEADER_SCAN]):
        roles = sum(read_header(v).key in ROLES for v in row if isinstance(v, str))
        score = _score(row, targets) + 2 * roles
        if score > best:
            best, where = score, r
    if where is not None and where + 1 < len(sheet.rows):
        upper, lower = sheet.rows[where], sheet.rows[where + 1]
        filled = [c for c, v in enumerate(lower) if cells.text(v)]
        above = [cells.text(upper[c]) if c < len(upper) else "" for c in filled]
        if (
            filled
            and _score(lower, targets) >= 1
            and not any(cells.is_number_text(lower[c]) for c in filled)
            and all(not a or domain_name(a, domains) for a in above)
        ):
            return where + 1
    return where


def domain_name(text: object, domains: set[str]) -> str | None:
    """'一、科技投入' or '科技投入指数' -> '科技投入' when it names a registry domain."""
    k = ENUMERATOR.sub("", key(text))
    k = read_header(k).key
    for suffix in ("", "指数", "得分", "类"):
        stem = k.removesuffix(suffix) if suffix else k
        if stem in domains:
            return stem
    return None


def _merged_headers(sheet: Sheet, header: int, targets: dict, domains: set[str]):
    """Per column: the header text (the upper row's where the lower is empty: merged
    vertically) and the domain printed over it (carried right over a merged range)."""
    head = sheet.rows[header]
    upper = sheet.rows[header - 1] if header > 0 else []
    width = max(len(head), len(upper))
    texts, over, band = {}, {}, False
    current = None
    for c in range(width):
        low = cells.text(head[c]) if c < len(head) else ""
        up = cells.text(upper[c]) if c < len(upper) else ""
        dom = domain_name(up, domains) if up else None
        if dom:
            current, band = dom, True
        elif up:
            current = None
        if low:
            texts[c] = low
            if current:
                over[c] = current
        elif up and not dom:
            k = read_header(up).key
            if k in ROLES or (k in targets and targets[k] is not None):
                texts[c], band = up, True
    return texts, over, band


def _unit_row(sheet: Sheet, header: int) -> int | None:
    if header + 1 >= len(sheet.rows):
        return None
    filled = [cells.text(v) for v in sheet.rows[header + 1] if cells.text(v)]
    filled = [v for v in filled if key(v) not in UNIT_LABELS]
    return header + 1 if filled and all(as_unit(v) is not None for v in filled) else None


def _looks_like_places(sheet: Sheet, col: int, first: int, places: Places) -> bool:
    names = set(places.table["key"]) | set(places.table["short"]) | set(places.cities)
    names |= PROVINCE_LABELS
    seen = [clean_label(sheet.value(r, col)) for r in range(first, len(sheet.rows))]
    seen = [s for s in seen if s]
    return bool(seen) and sum(s in names for s in seen) >= 0.5 * len(seen)


def find_layout(
    sheet: Sheet, targets: dict, domains: set[str], places: Places, problem
) -> Layout | None:
    """The sheet's layout, or None after calling `problem(row, column, rule, value)` for each
    reason it cannot be read."""
    header = find_header(sheet, targets, domains)
    if header is None:
        problem(
            None,
            None,
            f"no header row: none of the first {HEADER_SCAN} rows names an indicator, a "
            "variable or a county column",
            None,
        )
        return None
    texts, over, band = _merged_headers(sheet, header, targets, domains)
    unit_row = _unit_row(sheet, header)
    first = header + 1 + (unit_row is not None)
    lay = Layout(header, header - 1 if band else None, unit_row, first, {}, {}, {}, {}, over)
    seen: dict[str, int] = {}
    for c, text in texts.items():
        h = read_header(text)
        lay.headers[c] = h
        if h.key in ROLES and ROLES[h.key] not in lay.roles:
            lay.roles[ROLES[h.key]] = c
            continue
        why = _title_or_note(sheet, c, first, text) if h.key not in targets else ""
        if why:
            lay.ignored.append((sheet.ref(header, c), text, why))
            continue
        if h.key not in targets:
            if h.note:
                rule = f"unit or note ({h.note}) in the header not understood; units: data/framework/units.csv"
            else:
                rule = "header not in the registry (indicator code or Chinese name, variable, or a row of the mapping file)"
            close = _close(h.key, targets)
            problem(sheet.row_of(header, c), f"{sheet.ref(header, c)} {text}", rule + close, text)
            continue
        target = targets[h.key]
        if target is None:  # the mapping file says ignore
            continue
        if target.variable in seen:
            first_c = seen[target.variable]
            problem(
                sheet.row_of(header, c),
                f"{sheet.ref(header, c)} {text}",
                f"duplicate column: {target.variable} also at {sheet.ref(header, first_c)} "
                f"({lay.headers[first_c].text})",
                text,
            )
            continue
        seen[target.variable] = c
        unit = h.unit
        if unit_row is not None:
            below = cells.text(sheet.value(unit_row, c))
            if below:
                unit = as_unit(below) or ""
        lay.columns[c], lay.units[c] = target, unit
        if h.base and target.variable == "innovation_index":
            lay.index_base = h.base
    if "county" not in lay.roles and "code" not in lay.roles:
        # A transposed sheet names its corner 指标; elsewhere a county column may lack a header.
        candidates = [lay.roles["indicator"]] if "indicator" in lay.roles else []
        candidates += [c for c in range(max(texts, default=-1) + 1) if c not in lay.columns]
        for c in candidates:
            if _looks_like_places(sheet, c, first, places):
                lay.roles["county"] = c
                break
    if "county" not in lay.roles and "code" not in lay.roles:
        problem(None, None, "no county column (a header such as 县（市、区）, 地区 or 代码)", None)
        return None
    return lay


def _title_or_note(sheet: Sheet, c: int, first: int, text: str) -> str:
    """'footnote', 'title' (over an empty column: where a turned sheet's title lands) or ''."""
    if cells.FOOTNOTE.match(text):
        return "footnote"
    empty = all(cells.text(sheet.value(r, c)) == "" for r in range(first, len(sheet.rows)))
    return "title" if empty and (YEAR.search(text) or len(text) > 25) else ""


def _close(k: str, targets: dict) -> str:
    import difflib

    close = difflib.get_close_matches(k, [t for t in targets if targets[t]], n=2, cutoff=0.6)
    return f"; close: {'、'.join(close)}" if close else ""


def sheet_year(sheet: Sheet, lay: Layout | None) -> int | None:
    """The year of a sheet without a year column: in its name, else in a title line."""
    m = YEAR.search(sheet.name)
    if m:
        return int(m.group(1))
    header = lay.header if lay is not None else 5
    texts = [
        cells.text(v)
        for row in sheet.rows[: lay.band if lay and lay.band is not None else header]
        for v in row
    ]
    if lay is not None and sheet.turned:  # the title sits in the header row once turned
        texts += [h.text for c, h in lay.headers.items() if c not in lay.columns]
    for t in texts:
        m = YEAR.search(t)
        if m:
            return int(m.group(1))
    return None


def row_year(raw: object) -> int | None:
    """A year cell: 2020, '2020', '2020年', '2020年度'."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        raw = int(raw)
    m = YEAR.fullmatch(re.sub(r"年度?$", "", cells.text(raw)))
    return int(m.group(1)) if m else None

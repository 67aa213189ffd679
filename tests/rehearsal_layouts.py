"""The simulated reports printed three ways (tests/rehearsal.py says which features each
layout has): a sheet a year, one sheet with a year column, and transposed. Tests and
benchmarks only."""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from zjinnov.data import geography
from zjinnov.data.framework import load_indicators

# Printed in another allowed unit than the registry's, so the unit conversion is exercised.
PRINTED_UNIT = {"I05": ("元", 1e4), "I26": ("万元/人", 1e-4)}
PERCENT_FORMAT = "I12"  # stored as 0.0342 with an Excel percent format (as "3.42%" text elsewhere)
MISSING_MARKERS = ("—", "－", "-", "…", None)  # None: a blank cell


# ------------------------------------------------------------------------------ one sheet a year
def _cells(ws, city_name, label, vals, codes, published, rng, serial=""):
    """One printed row: serial, city, county, the indicators as printed, index and rank."""
    cells = [serial, city_name, label]
    for c in codes:
        unit, factor = PRINTED_UNIT.get(c, (None, 1.0))
        v = float(vals[c]) * factor
        if c == PERCENT_FORMAT:
            cell = WriteOnlyCell(ws, v / 100.0)
            cell.number_format = "0.00%"
            cells.append(cell)
        elif rng.random() < 0.01:  # typed in as text, as tables pasted from documents have it
            cells.append(np.format_float_positional(v, trim="-"))
        else:
            cells.append(v)
    if published is None:
        return cells + [None, None]
    rank = None if pd.isna(published["rank"]) else int(published["rank"])
    return cells + [float(published["index"]), rank]


def write_sheet_per_year(path, truth, years, rng, slips: dict | None = None) -> dict:
    """Write the sheets of `years`; `slips` (see `write_broken`) spoils them on purpose.
    Returns the sheet rows where the slips went."""
    slips = slips or {}
    indicators = load_indicators()
    indicators = indicators[indicators["code"] != slips.get("drop")]
    codes = list(indicators["code"])
    heads = ["序号", "设区市", "县（市、区）", *indicators["name_zh"], "创新指数", "全省排位"]
    units_row = [
        PRINTED_UNIT.get(c, (u, 1))[0] for c, u in zip(codes, indicators["unit"], strict=True)
    ]
    book, where = Workbook(write_only=True), {}
    for year in years:
        table = geography.units_in_year(year)
        ws = book.create_sheet(f"{year}年")
        got = truth.published[truth.published["year"] == year].set_index("county_code")
        rows = [
            [f"{year}年度浙江省县（市、区）科技进步统计监测主要指标"],
            ["（演练用模拟数据，由测试代码生成，不得引用）"],
            heads,
            ["", "", "", *units_row, "", "位"],
            _cells(ws, "", "全省", truth.province[year], codes, got.loc[geography.ZHEJIANG], rng),
            [],
        ]
        serial = 0
        current = geography.harmonise_codes(table["code"]).to_numpy()
        for city_code, part in table.assign(current=current).groupby("city_code", sort=True):
            for r in part.itertuples(index=False):
                serial += 1
                row = _cells(
                    ws,
                    r.city_name,
                    r.name,
                    truth.values[year].loc[r.current],
                    codes,
                    got.loc[r.code],
                    rng,
                    serial,
                )
                for slip, (name, text) in ((k, v) for k, v in slips.items() if k != "drop"):
                    if r.name == name:
                        where[slip] = len(rows) + 1
                        row[2 if slip == "rename" else 3] = text
                rows.append(row)
            rows.append(
                _cells(
                    ws,
                    part["city_name"].iloc[0],
                    "合计",
                    truth.city[year][city_code],
                    codes,
                    None,
                    rng,
                )
            )
        rows += [[], ["注：本表为演练用模拟数据，由测试代码以固定随机种子生成。"]]
        for row in rows:
            ws.append(row)
    _stamp(book)
    book.save(path)
    return where


def _stamp(book) -> None:
    book.properties.created = book.properties.modified = pd.Timestamp("2026-12-01").to_pydatetime()


# ------------------------------------------------------------------------------ one sheet, a year column
def _as_text(v: float, code: str) -> object:
    """Numbers as some tables store them: large ones as text with thousands separators, the
    percent-format indicator as '3.42%' text."""
    if code == PERCENT_FORMAT:
        return f"{np.format_float_positional(v, trim='-')}%"
    if abs(v) >= 10000:
        whole, _, decimals = np.format_float_positional(v, trim="-").partition(".")
        return f"{int(whole):,}" + (f".{decimals}" if decimals else "")
    return v


def write_year_column(path, truth, years, rng) -> int:
    """One sheet, every year, a year and a code column, domains over the indicators."""
    indicators = load_indicators()
    codes = list(indicators["code"])
    book = Workbook()
    ws = book.active
    ws.title = "监测指标"
    first, last = min(years), max(years)
    ws.append([f"浙江省县（市、区）科技进步统计监测主要指标（{first}—{last}年）"])
    lead = ["年度", "代码", "设区市", "县（市、区）"]
    band = [*lead]
    heads = [None] * len(lead)
    for domain, part in indicators.groupby("domain", sort=False):
        band += [domain] + [None] * (len(part) - 1)
        for r in part.itertuples(index=False):
            unit = PRINTED_UNIT.get(r.code, (r.unit, 1))[0]
            heads.append(f"{r.name_zh}（{unit}）")
    band += ["创新指数（2015年=100）", "全省排位（位）"]
    heads += [None, None]
    ws.append(band)
    ws.append(heads)
    # Merged as printed: the lead and index headers down two rows, each domain across its own.
    for col in [*range(1, len(lead) + 1), len(band) - 1, len(band)]:
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    col = len(lead) + 1
    for _, part in indicators.groupby("domain", sort=False):
        ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + len(part) - 1)
        col += len(part)
    order = {c: k for k, c in enumerate(codes)}
    n_missing = 0
    marker_at = set(
        zip(
            rng.integers(0, len(years), 6),
            rng.integers(0, 85, 6),
            rng.integers(0, len(codes), 6),
            strict=True,
        )
    )
    for t, year in enumerate(years):
        table = geography.units_in_year(year)
        got = truth.published[truth.published["year"] == year].set_index("county_code")

        def values(vals, code_order=codes):
            out = []
            for c in code_order:
                unit, factor = PRINTED_UNIT.get(c, (None, 1.0))
                out.append(_as_text(float(vals[c]) * factor, c))
            return out

        prov = got.loc[geography.ZHEJIANG]
        ws.append(
            [
                f"{year}年",
                geography.ZHEJIANG,
                "",
                "全省",
                *values(truth.province[year]),
                float(prov["index"]),
                None,
            ]
        )
        current = geography.harmonise_codes(table["code"]).to_numpy()
        k = 0
        for city_code, part in table.assign(current=current).groupby("city_code", sort=True):
            for r in part.itertuples(index=False):
                row = values(truth.values[year].loc[r.current])
                for tt, kk, i in marker_at:
                    if tt == t and kk == k:
                        row[order[codes[i]]] = MISSING_MARKERS[(kk + i) % len(MISSING_MARKERS)]
                        n_missing += 1
                pub = got.loc[r.code]
                ws.append(
                    [year, r.code, r.city_name, r.name, *row, float(pub["index"]), int(pub["rank"])]
                )
                k += 1
            label = "小计" if int(city_code[2:4]) % 2 else "全市"
            ws.append(
                [
                    year,
                    None,
                    part["city_name"].iloc[0],
                    label,
                    *values(truth.city[year][city_code]),
                    None,
                    None,
                ]
            )
    ws.append([])
    ws.append(["注：1. 本表为演练用模拟数据，由测试代码以固定随机种子生成；“—”表示数据缺失。"])
    ws.append(["资料来源：测试套件（模拟数据）。"])
    _stamp(book)
    book.save(path)
    return n_missing


# ------------------------------------------------------------------------------ transposed
def write_transposed(path, truth, years, rng) -> int:
    """A sheet a year with the indicators down and the county units across."""
    indicators = load_indicators()
    book = Workbook(write_only=True)
    for year in years:
        table = geography.units_in_year(year)
        got = truth.published[truth.published["year"] == year].set_index("county_code")
        current = dict(zip(table["code"], geography.harmonise_codes(table["code"]), strict=True))
        ws = book.create_sheet(str(year))
        ws.append([f"{year}年浙江省县（市、区）科技进步统计监测指标（按指标列示）"])
        ws.append(["指标", "单位", "全省", *table["name"]])
        for r in indicators.itertuples(index=False):
            unit, factor = PRINTED_UNIT.get(r.code, (r.unit, 1.0))
            prov = float(truth.province[year][r.code]) * factor
            row = [
                float(truth.values[year].loc[current[c], r.code]) * factor for c in table["code"]
            ]
            ws.append([r.name_zh, unit, prov, *row])
        ws.append(
            [
                "创新指数（2015年=100）",
                "",
                float(got.loc[geography.ZHEJIANG, "index"]),
                *[float(got.loc[c, "index"]) for c in table["code"]],
            ]
        )
        ws.append(["全省排位", "位", None, *[int(got.loc[c, "rank"]) for c in table["code"]]])
        ws.append([])
        ws.append(["注：本表为演练用模拟数据，由测试代码以固定随机种子生成。"])
    _stamp(book)
    book.save(path)
    return 0

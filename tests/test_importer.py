"""The importer reads monitoring tables as they are printed and names every problem at once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from zjinnov.data import importer, paths
from zjinnov.data.errors import DataValidationError

SOURCE = "linan-2025-03"  # any id in data/sources.csv
HEAD = [
    "序号",
    "设区市",
    "县（市、区）",
    "R&D经费支出占GDP比重",
    "I08",
    "国家高新技术企业数",
    "创新指数",
    "全省排位",
]
UNITS = ["", "", "", "%", "家/千家企业", "家", "", "位"]


def _book(path: Path, sheets: dict[str, list[list]], percent: tuple = ()) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in percent:
            ws[ref].number_format = "0.00%"
    book.save(path)
    return path


def _sheet(year: int, rows: list[list], title: bool = True) -> list[list]:
    top = (
        [[f"{year}年度浙江省县（市、区）科技进步统计监测"], ["单位：见表头下一行"]] if title else []
    )
    return [*top, HEAD, UNITS, *rows]


def _import(path, **kw):
    return importer.import_workbook(path, SOURCE, complete=False, **kw)


def test_a_messy_sheet_becomes_raw_rows_with_quotes(tmp_path):
    rows = [
        ["", "", "全省", 2.9, 25.1, 30000, 100.0, None],
        [1, "杭州市", "临安市", "3.42", 30.5, 349, 151.5, 22],
        [2, "杭州市", "滨 江 区", 8.1, 90.0, "1,200", 273.9, 1],
        ["", "杭州市", "合计", 4.0, 40.0, 9000, None, None],
        [],
        ["注：本表数据为演示。"],
    ]
    result = _import(_book(tmp_path / "w.xlsx", {"2016": _sheet(2016, rows)}))
    assert result.ok, str(result.report)
    r = result.rows.set_index(["county_code", "variable"])
    # 临安市 is the unit's name in 2016 (临安区 from 2017); the city total and the province come in.
    assert r.loc[("330185", "rd_intensity"), "value"] == "3.42"
    assert r.loc[("330185", "rd_intensity"), "county_name"] == "临安市"
    assert r.loc[("330108", "national_hightech_enterprises"), "value"] == "1200"
    assert r.loc[("330100", "rd_intensity"), "value"] == "4"
    assert r.loc[("330000", "innovation_index"), "value"] == "100"
    assert r.loc[("330185", "innovation_index_rank_zj"), "value"] == "22"
    quote = r.loc[("330185", "rd_intensity"), "quote"]
    assert quote == "表「2016」行「临安市」列「R&D经费支出占GDP比重」= 3.42（2016!D6）"
    assert set(result.rows["year"]) == {"2016"}
    assert (result.rows["unit"][result.rows["variable"] == "rd_intensity"] == "%").all()
    assert result.sheets.iloc[0]["header_row"] == 3


def test_the_other_name_of_a_renamed_unit_is_the_unit_of_that_year(tmp_path):
    rows16 = [[1, "杭州市", "临安区", 3.0, 30.0, 300, 150.0, 20]]
    rows18 = [[1, "杭州市", "临安市", 3.1, 31.0, 310, 151.0, 21]]
    result = _import(
        _book(tmp_path / "w.xlsx", {"2016年": _sheet(2016, rows16), "2018年": _sheet(2018, rows18)})
    )
    assert result.ok, str(result.report)
    codes = result.rows.drop_duplicates("year").set_index("year")["county_code"]
    assert codes["2016"] == "330185" and codes["2018"] == "330112"


def test_every_problem_is_named_with_sheet_and_cell(tmp_path):
    rows = [
        [1, "杭州市", "临安区", "待核实", 30.0, 300, 150.0, 20],  # text in a number cell
        [2, "杭州市", "新安区", 3.0, 30.0, 300, 150.0, 20],  # no such county
        [3, "杭州市", "临平区", 3.0, 30.0, 300, 150.0, 20],  # created in 2021
        [4, "杭州市", "临安区", 3.1, 31.0, 310, 151.0, 21],  # twice
        [5, "宁波市", "滨江区", 3.1, 31.0, 310, 151.0, 21],  # wrong city
    ]
    sheet = _sheet(2019, rows)
    sheet[2] = [*HEAD, "神秘指标"]  # a header the registry does not know
    path = _book(tmp_path / "w.xlsx", {"2019": sheet})
    result = _import(path)
    text = [str(p) for p in result.report.problems]
    expect = [
        ("w.xlsx[2019]:5", "D5", "not a number"),
        ("w.xlsx[2019]:6", "C6", "unknown county name"),
        ("w.xlsx[2019]:7", "C7", "临平区 (330113) is not a county-level unit in 2019"),
        ("w.xlsx[2019]:8", "E8", "duplicate"),
        ("w.xlsx[2019]:9", "C9", "is not in 宁波市"),
        ("w.xlsx[2019]:3", "I3", "header not in the registry"),
    ]
    for where, cell, rule in expect:
        assert any(where in t and cell in t and rule in t for t in text), (where, cell, rule, text)
    with pytest.raises(DataValidationError):
        importer.write(result, tmp_path / "out", "w")
    assert not (tmp_path / "out").exists()


def test_units_percent_cells_and_a_mapping_file(tmp_path):
    head = ["县（市、区）", "研发强度(%)", "专利"]
    rows = [["临安区", 0.0342, 12]]
    book = _book(tmp_path / "w.xlsx", {"2020": [head, *rows]}, percent=("B2",))
    result = _import(book)
    assert any("专利" in str(p) for p in result.report.problems)
    mapping = tmp_path / "map.csv"
    mapping.write_text("header,target\n研发强度,I01\n专利,pct_applications\n", encoding="utf-8")
    result = _import(book, mapping=mapping)
    assert result.ok, str(result.report)
    r = result.rows.set_index("variable")
    assert r.loc["rd_intensity", "value"] == "3.42" and r.loc["rd_intensity", "unit"] == "%"
    assert r.loc["pct_applications", "value"] == "12"


def test_a_unit_the_variable_does_not_allow_is_refused(tmp_path):
    sheet = _sheet(2020, [[1, "杭州市", "临安区", 3.0, 30.0, 300, 150.0, 20]])
    sheet[3] = ["", "", "", "亿元", "家/千家企业", "家", "", "位"]
    result = _import(_book(tmp_path / "w.xlsx", {"2020": sheet}))
    assert any(
        "unit 亿元 not allowed for rd_intensity" in str(p) and "D4" in str(p)
        for p in result.report.problems
    )


def test_csv_sheets_take_their_year_from_the_file_name(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    text = "县（市、区）,R&D经费支出占GDP比重,创新指数\n临安区,3.42,149.2\n"
    (folder / "2023年.csv").write_text(text, encoding="gb18030")  # as Excel saves CSV in Chinese
    result = _import(folder)
    assert result.ok, str(result.report)
    assert set(result.rows["year"]) == {"2023"} and set(result.rows["county_code"]) == {"330112"}


def test_a_sheet_without_a_county_column_is_refused_and_a_notes_sheet_skipped(tmp_path):
    notes = [["说明"], ["本表数据来自省统计局。"]]
    path = _book(
        tmp_path / "w.xlsx", {"说明": notes, "2020": [HEAD[3:], [3.0, 30.0, 300, 150.0, 20]]}
    )
    result = _import(path)
    text = " ".join(str(p) for p in result.report.problems)
    assert "no county column" in text and "说明" not in text
    assert result.sheets.set_index("sheet").loc["说明", "skipped"] == "no numbers"


def test_complete_tables_need_every_indicator_and_every_county(tmp_path):
    rows = [[1, "杭州市", "临安区", 3.0, 30.0, 300, 150.0, 20]]
    result = importer.import_workbook(
        _book(tmp_path / "w.xlsx", {"2020": _sheet(2020, rows)}), SOURCE
    )
    text = [str(p) for p in result.report.problems]
    assert any("I02" in t and "indicator column missing" in t for t in text)
    assert any(
        "90 county units expected in 2020, found 1" in t and "330108 滨江区" in t for t in text
    )


def test_unknown_source_and_never_into_data_raw(tmp_path):
    rows = [[1, "杭州市", "临安区", 3.0, 30.0, 300, 150.0, 20]]
    path = _book(tmp_path / "w.xlsx", {"2020": _sheet(2020, rows)})
    bad = importer.import_workbook(path, "no-such-report", complete=False)
    assert any("source id not in sources.csv" in str(p) for p in bad.report.problems)
    good = _import(path)
    with pytest.raises(ValueError, match="data/raw"):
        importer.write(good, paths.DATA, "w")
    out = importer.write(good, tmp_path / "extra", "w")
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(back.columns)[:6] == [
        "county_code",
        "county_name",
        "year",
        "report_year",
        "variable",
        "value",
    ]
    assert len(back) == len(good.rows)

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


# ------------------------------------------------------------------------------ other layouts
DOMAIN_HEAD = [
    "年度",
    "代码",
    "县（市、区）",
    "科技投入",
    None,
    "技术创新",
    "创新指数（2015年=100）",
    "全省排位（位）",
]
LOWER_HEAD = [
    None,
    None,
    None,
    "R&D经费支出占GDP比重（%）",
    "I04",
    "国家高新技术企业数（家）",
    None,
    None,
]


def _two_row_book(path: Path, rows: list[list], merge: bool = True) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "监测"
    ws.append(["浙江省县（市、区）科技进步统计监测主要指标（2019—2020年）"])
    ws.append(DOMAIN_HEAD)
    ws.append(LOWER_HEAD)
    if merge:
        for col in (1, 2, 3, 7, 8):
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        ws.merge_cells(start_row=2, start_column=4, end_row=2, end_column=5)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


YEAR_ROWS = [
    ["2019年", "330000", "全省", 2.7, "3.1%", "1,200", 100.0, None],
    [2019, "330112", "临安区", 3.42, 2.5, 349, 151.5, 22],
    [2019, "330108", "滨江区", 8.1, "—", "1,016", 273.9, 1],
    [2019, None, "杭州市小计", 4.0, 3.0, 9000, None, None],
    [2020, "330112", "临安区", 3.5, 2.6, 360, 156.1, 20],
    [2020, "330108", "滨江区", 8.3, 4.2, 1100, None, 1],
    [],
    ["注：“—”表示数据缺失。"],
    ["资料来源：演示。"],
]


def test_one_sheet_with_a_year_column_two_header_rows_and_codes(tmp_path):
    result = _import(_two_row_book(tmp_path / "w.xlsx", YEAR_ROWS))
    assert result.ok, str(result.report)
    r = result.rows.set_index(["county_code", "year", "variable"])["value"]
    assert r[("330112", "2019", "rd_intensity")] == "3.42"
    assert r[("330112", "2020", "innovation_index")] == "156.1"
    assert r[("330108", "2019", "national_hightech_enterprises")] == "1016"
    assert r[("330000", "2019", "fiscal_st_share_of_expenditure")] == "3.1"  # '3.1%' as text
    assert result.index_base == "2015"
    # --partial: the marker and the empty index are listed, not silently dropped.
    missing = result.missing.set_index("cell")
    assert missing.loc["E6", "found"] == "—" and missing.loc["G9", "found"] == "empty cell"
    assert set(result.notes["kind"]) == {"footnote"} and len(result.notes) == 2
    # Each quote names the cell in the sheet as printed.
    q = result.rows.set_index(["county_code", "year", "variable"])["quote"]
    assert q[("330112", "2019", "rd_intensity")].endswith("= 3.42（监测!D5）")
    # The city subtotal and the province are kept apart from the counties, under their codes.
    assert r[("330100", "2019", "national_hightech_enterprises")] == "9000"
    assert r[("330000", "2019", "innovation_index")] == "100"


def test_missing_cells_are_problems_unless_partial(tmp_path):
    path = _two_row_book(tmp_path / "w.xlsx", YEAR_ROWS)
    result = importer.import_workbook(path, SOURCE)
    text = [str(p) for p in result.report.problems]
    assert any("E6" in t and "missing value in a county row" in t and "'—'" in t for t in text)
    assert any("G9" in t and "missing value" in t and "empty cell" in t for t in text)


def test_a_formula_without_its_saved_value_is_named(tmp_path):
    rows = [[1, "杭州市", "临安区", "=1+2.42", 30.0, 300, 150.0, 20]]
    result = _import(_book(tmp_path / "w.xlsx", {"2020": _sheet(2020, rows)}))
    problems = [p for p in result.report.problems if "formula saved without" in p.rule]
    assert len(problems) == 1 and problems[0].column.startswith("D5 ")
    assert "open the workbook in a spreadsheet program" in problems[0].rule


def test_a_transposed_sheet_is_turned(tmp_path):
    sheet = [
        ["2020年浙江省县（市、区）科技进步统计监测指标"],
        ["指标", "单位", "全省", "临安区", "滨江区"],
        ["R&D经费支出占GDP比重", "%", 2.9, 3.42, 8.1],
        ["国家高新技术企业数", "家", 30000, 349, 1200],
        ["创新指数（2015年=100）", None, 100.0, 151.5, 273.9],
        ["全省排位", "位", None, 22, 1],
        [],
        ["注：演示。"],
    ]
    result = _import(_book(tmp_path / "w.xlsx", {"2020": sheet}))
    assert result.ok, str(result.report)
    r = result.rows.set_index(["county_code", "variable"])
    assert r.loc[("330108", "national_hightech_enterprises"), "value"] == "1200"
    assert r.loc[("330112", "innovation_index_rank_zj"), "value"] == "22"
    # The quote's row is the indicator, its column the county, its cell the original one.
    assert r.loc[("330112", "rd_intensity"), "quote"] == (
        "表「2020」行「R&D经费支出占GDP比重」列「临安区」= 3.42（2020!D3）"
    )
    assert result.sheets["layout"].iloc[0].startswith("indicators down")
    assert "footnote" in set(result.notes["kind"])


def test_a_header_with_a_unit_it_does_not_know_is_named(tmp_path):
    head = ["县（市、区）", "R&D经费支出占GDP比重（千分比）", "创新指数（2015=100）"]
    result = _import(_book(tmp_path / "w.xlsx", {"2020": [head, ["临安区", 3.4, 150.0]]}))
    text = [str(p) for p in result.report.problems]
    assert any("B1" in t and "千分比" in t and "not understood" in t for t in text), text
    assert result.index_base == "2015"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("县（市、区）,创新指数\n临安区,149.2\n".encode(), "a text file named .xlsx"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old Excel .xls"),
        (b"PK\x03\x04" + b"\0" * 100, "damaged .xlsx workbook"),
        (b"", "empty"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_named_not_a_traceback(tmp_path, content, words):
    path = tmp_path / "表.xlsx"
    path.write_bytes(content)
    result = _import(path)
    assert not result.ok and any(
        p.file == "表.xlsx" and words in p.rule for p in result.report.problems
    ), str(result.report)


def test_the_command_writes_the_source_row_from_flags(tmp_path, capsys):
    from zjinnov.__main__ import main

    rows = [[1, "杭州市", "临安区", 3.0, 30.0, 300, 150.0, 20]]
    path = _book(tmp_path / "w.xlsx", {"2020": _sheet(2020, rows)})
    out = tmp_path / "mine"
    args = ["import", str(path), "--source-id", "my-report", "--out", str(out), "--partial"]
    assert main(args) == 1 and "give the document's --title" in capsys.readouterr().out
    assert not out.exists()
    flags = ["--title", "2020年监测报告", "--publisher", "浙江省科学技术厅", "--date", "2021-06"]
    assert main(args + flags) == 0
    printed = capsys.readouterr().out
    assert (
        "sources.csv: row written" in printed
        and "my-report,2020年监测报告,浙江省科学技术厅,2021-06" in printed
    )
    table = pd.read_csv(out / "sources.csv", dtype=str, keep_default_na=False)
    assert table.set_index("source_id").loc["my-report", "form"] == "table"
    # A flag that contradicts the row now there is refused, never written over.
    assert main(args + ["--title", "另一个标题"]) == 1
    assert "sources.csv already gives title" in capsys.readouterr().out

"""Quotes that show the value: the rule for published, table, flag, inferred and derived rows."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from conftest_data import HEADER, make_data_dir, write_raw

from zjinnov.data import quotes, sources
from zjinnov.data.validate import validate_all
from zjinnov.engine.normalise import NORMALISERS


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("R&D经费投入20.05亿元", "20.05"),
        ("３.４２％", "3.42"),
        ("合计 4,133 件", "4133"),
        ("蝉联浙江省第一", "1"),
        ("居全省第二十四位", "24"),
        ("the province's first, third, fourth", "3"),
        ("比上年下降4.1%", "-4.1"),
        ("climbed 2 percent to 120.12 billion yuan", "1201.2"),
        ("人口 58.20 万", "58.2"),
    ],
)
def test_numbers_a_reader_sees(text, number):
    assert Decimal(number) in quotes.numbers_in(text)


def test_numbers_keep_spaces_between_figures():
    assert {Decimal(616), Decimal(3108)} <= quotes.numbers_in("临安区 616 3108 409")
    assert Decimal(6163108) not in quotes.numbers_in("临安区 616 3108 409")


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("20.05亿元", "20.05"),
        ("4.2万", "4.2"),
        ("３.４２％", "3.42"),
        ("1768.0", "1768.0"),
        ("x", None),
    ],
)
def test_printed_number_is_the_number_as_written(value, number):
    assert quotes.printed_number(value) == (Decimal(number) if number else None)


def test_arithmetic_only():
    assert quotes.evaluate("212 / 252 * 100") == pytest.approx(84.127, abs=1e-3)
    assert quotes.evaluate("2402514 − 1226673") == 1175841
    assert quotes.evaluate("__import__('os')") is None
    assert quotes.evaluate("1 / 0") is None


def _row(value, quote="", note="", confidence="high", variable="gdp", source="s", **extra):
    return dict(
        file="t.csv",
        row=2,
        county_code="330112",
        year=2021,
        variable=variable,
        value_as_published=value,
        quote=quote,
        note=note,
        confidence=confidence,
        source_id=source,
        **extra,
    )


def _check(rows, forms=None, flags=("first_tier",)):
    obs = pd.DataFrame(rows)
    obs["row"] = range(2, 2 + len(obs))
    return {p.row: p.rule for p in quotes.check(obs, forms or {}, set(flags))}


def test_published_text_quote_must_show_the_value():
    found = _check(
        [
            _row("658.4", "地区生产总值658.4亿元"),
            _row("658.4", "地区生产总值增长7.6%"),
            _row("3", "(same sentence)"),
        ]
    )
    assert sorted(found) == [3, 4]
    assert found[3] == "quote does not show the value as printed (658.4)"


def test_table_figures_need_a_cell_reference_with_the_printed_value():
    cell = "表「2023年全省各地区专利授权量」行「临安区」列「专利类型/发明」= 616"
    found = _check(
        [
            _row("616", cell, source="tab"),
            _row("616", "2023年全省各地区专利授权量 row 临安区 616", source="tab"),
            _row("616", cell.replace("616", "617"), source="tab"),
        ],
        forms={"tab": quotes.TABLE},
    )
    assert sorted(found) == [3, 4]
    assert found[3].startswith("figure read from a table: the quote must locate the cell")
    assert found[4] == "cell reference shows 617, not the value 616"


def test_a_flag_quotes_the_words_it_stands_for():
    found = _check(
        [
            _row("1", "连续五年稳居全省第一梯队", variable="first_tier"),
            _row("1", "排位较上年提升8位", variable="first_tier"),
            _row("1", "排位较上年提升8位", variable="other_flag"),
        ],
        flags=("first_tier", "other_flag"),
    )
    assert sorted(found) == [3, 4]
    assert "第一梯队 or 第一方阵" in found[3]
    assert "none registered" in found[4]


def test_inferred_rows_give_words_and_reasoning_and_their_arithmetic_holds():
    found = _check(
        [
            _row(
                "18", "排位较上年提升8位", "inferred: rank = 10 + 8 (2023年度 rank 10)", "inferred"
            ),
            _row("18", "", "inferred: rank = 10 + 8", "inferred"),
            _row("18", "排位较上年提升8位", "", "inferred"),
            _row("19", "排位较上年提升8位", "inferred: rank = 10 + 8", "inferred"),
        ]
    )
    assert sorted(found) == [3, 4, 5]
    assert "words it is read from" in found[3]
    assert "how the figure follows" in found[4]
    assert found[5] == "inferred figure: formula 10 + 8 gives 18, not 19"


def test_derived_rows_give_a_formula_that_holds_and_the_rows_it_uses():
    rows = [
        _row(
            "212",
            "预计高新技术产业增加值212亿元",
            variable="hightech_industry_value_added",
            source="a",
            preliminary=True,
        ),
        _row(
            "252",
            "预计规上工业增加值252亿元",
            variable="above_scale_industry_value_added",
            source="a",
            preliminary=True,
        ),
    ]
    refs = "330112/2021/hightech_industry_value_added@a, 330112/2021/above_scale_industry_value_added@a"
    derived = [
        _row("84.1", note=f"DERIVED = 212 / 252 * 100 from {refs}", confidence="derived"),
        _row("84.1", note="DERIVED = 212/252 (both 预计)", confidence="derived"),
        _row("84.1", note="DERIVED from the two rows above", confidence="derived"),
        _row("84.2", note=f"DERIVED = 212 / 252 * 100 from {refs}", confidence="derived"),
        _row("84.1", note="DERIVED = 212 / 252 * 100 from 330112/2021/gdp@a", confidence="derived"),
        _row(
            "84.1",
            note="DERIVED = 21.2 / 25.2 * 100 from 330112/2021/hightech_industry_value_added@a",
            confidence="derived",
        ),
        _row(
            "112191",
            note="DERIVED = 大学专科_男 + 大学专科_女 + 本科及以上_男 + 本科及以上_女 of "
            "表「census_county_2020_v1.xlsx」行「330112,杭州市,临安区」",
            confidence="derived",
        ),
    ]
    found = _check(rows + derived)
    assert sorted(found) == [5, 6, 7, 8, 9]
    assert "the source rows are not named" in found[5]
    assert "must give the formula" in found[6]
    assert found[7] == "derived figure: formula 212 / 252 * 100 gives 84.127, not 84.2"
    assert "330112/2021/gdp@a" in found[8]
    assert "not in its formula" in found[9]


def test_a_quote_calling_its_figure_provisional_needs_a_preliminary_row():
    said = "2022年预计实现高新技术产业增加值212亿元"
    rows = [
        _row("212", said, preliminary=True),
        _row("212", said, preliminary=False),
        _row("212", said, note="not preliminary: 预计 is about 2023", preliminary=False),
        _row("212", "据初步核算,全年实现生产总值212亿元", preliminary=False),
        _row("212", "全年实现生产总值212亿元", preliminary=False),
    ]
    found = _check(rows)
    assert sorted(found) == [3, 5] and "provisional" in found[3]


def test_validate_lists_rows_whose_quote_does_not_show_the_value(tmp_path):
    rows = [
        "330112,临安区,2021,,gdp,658.4,亿元,year,linan-decade-2022,medium,地區生產總值…2021年的658.4億元,",
        "330112,临安区,2020,,rd_intensity,3.34,%,year,linan-2022-03,high,R&D经费投入20.05亿元,",
        "330112,临安区,2023,,patent_grants_invention,616,件,year,zjamr-patents-2023,high,临安区 616,",
        "330112,临安区,2022,,first_tier,1,flag,year,linan-2025-03,inferred,排位较上年提升8位,10 + 8",
        "330112,临安区,2022,,hightech_share_of_above_scale_industry_va,84.1,%,year,linan-2023-lianghui,derived,,DERIVED = 212/252",
    ]
    root = make_data_dir(tmp_path, [])
    write_raw(root, rows, header=HEADER)
    found = [p for p in validate_all(root, sorted(NORMALISERS)).problems if p.file == "test.csv"]
    assert [(p.row, p.column) for p in found] == [
        (3, "quote"),
        (4, "quote"),
        (5, "quote"),
        (6, "note"),
    ]
    assert found[0].value == "R&D经费投入20.05亿元" and found[0].county == "330112"


def test_shipped_quotes_show_their_values():
    obs = sources.load_observations()
    patents = obs[obs["source_id"].eq("zjamr-patents-2023")]
    assert len(patents) >= 144
    assert patents["quote"].str.match(r"^表「2023年全省各地区专利授权量").all()
    assert all(
        quotes.printed_number(v) in quotes.numbers_in(q)
        for v, q in zip(patents["value_as_published"], patents["quote"], strict=True)
    )
    census = obs[obs["file"].eq("census2020_county.csv")]
    assert census.loc[census["confidence"].eq("derived"), "quote"].eq("").all()
    assert census.loc[census["confidence"].eq("derived"), "note"].str.startswith("DERIVED = ").all()
    tier = obs[
        obs["variable"].eq("first_tier") & obs["county_code"].eq("330112") & obs["year"].eq(2022)
    ]
    assert tier["quote"].str.contains("第一梯队").all() and (tier["confidence"] == "inferred").all()
    assert not quotes.check(
        obs,
        dict(sources.load_sources()[["source_id", "form"]].to_numpy().tolist()),
        {"first_tier", "hightech_share_above_city_avg"},
    )

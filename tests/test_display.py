"""Tables as the book shows them (zjinnov.present.display): numbers, alignment, the scrolling
box, compact and long tables, empty tables, downloads."""

import numpy as np
import pandas as pd
import pytest

from zjinnov.data import paths
from zjinnov.present import display


def test_numbers_read_as_written():
    assert display.number(22.0) == "22"
    assert display.number(2961.25) == "2,961.25"
    assert display.number(0.142857) == "0.143"
    assert display.number(47500.0) == "47,500"
    assert display.number(np.nan) == "—"
    assert display.number(np.int64(7)) == "7"
    assert display.number(pd.NA) == "—"  # nullable integer columns


def test_html_hides_row_numbers_and_nan():
    df = pd.DataFrame({"年份": [2019, 2020], "排位": [22.0, np.nan], "来源": ["seed", None]})
    html = display.frame_html(df)
    assert ">22<" in html and "nan" not in html.lower() and "—" in html
    assert "row_heading" not in html and ">0<" not in html  # the RangeIndex is hidden


def test_number_columns_are_marked_for_right_alignment():
    # labels.table hands the display strings: a column is numeric when every cell reads as one.
    df = pd.DataFrame(
        {
            "指标": ["R&D经费支出占GDP比重", "高新技术产业增加值"],
            "数值": ["3.34", "208.31 亿元"],
            "增速（%）": ["—", "-4.5"],
            "来源编号": ["hz-stat-bulletin-2021", "linan-gov-2022-03-15"],
        }
    )
    html = display.frame_html(df)
    assert html.count('class="zj-num"') == 2 * 3  # two numeric columns: header and two rows
    assert html.count('class="zj-token"') == 3  # long ids may wrap anywhere, not into slivers
    assert '<th scope="col">指标</th>' in html


def test_a_labelled_index_becomes_the_first_column():
    df = pd.DataFrame({"值": [1.5, 2.0]}, index=pd.Index(["甲", "乙"], name="地区"))
    html = display.frame_html(df)
    assert html.index(">地区<") < html.index(">值<") and ">甲<" in html


def test_a_table_sits_in_a_scrolling_box_with_its_download(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path)
    display._state.update(chapter="c99_test", count=0)
    try:
        df = pd.DataFrame({"a": range(30), "b": ["x"] * 30, "c": [1.5] * 30})
        shown = display.table(df, ["a", "b"], sortable=True, page_size=10)._repr_html_()
    finally:
        display._state.update(chapter=None, count=0)
    assert shown.startswith('<div class="zj-table zj-sortable zj-long" data-zj-page-size="10">')
    assert '<div class="zj-scroll" tabindex="0">' in shown
    assert ">c<" not in shown  # shown: two columns
    csv = tmp_path / "downloads" / "c99_test" / "table_01.csv"
    assert list(pd.read_csv(csv, encoding="utf-8-sig").columns) == ["a", "b", "c"]  # all three
    assert 'href="../downloads/c99_test/table_01.csv"' in shown


def test_a_short_table_is_not_paged():
    html = display.table(pd.DataFrame({"a": [1, 2]}), page_size=10)._repr_html_()
    assert "data-zj-page-size" not in html


def test_an_empty_table_says_so_and_writes_no_download(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path)
    display._state.update(chapter="c99_test", count=0)
    try:
        html = display.Table(pd.DataFrame({"a": []}))._repr_html_()
        own = display.table(pd.DataFrame({"a": []}), empty="本县没有公开的指数。")._repr_html_()
    finally:
        display._state.update(chapter=None, count=0)
    assert html == '<p class="zj-empty">本表没有数据行。</p>'
    assert own == '<p class="zj-empty">本县没有公开的指数。</p>'
    assert "<table" not in html + own
    assert not (tmp_path / "downloads" / "c99_test").exists()


def test_an_unknown_column_to_show_is_an_error():
    with pytest.raises(KeyError, match="no column"):
        display.table(pd.DataFrame({"a": [1]}), ["b"])

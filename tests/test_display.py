import numpy as np
import pandas as pd

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
    assert "row_heading" not in html  # the RangeIndex is hidden

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zjinnov.data import units


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("20.05亿元", None, (20.05, "亿元")),
        ("３.４２％", None, (3.42, "%")),  # full-width digits and percent sign are folded
        ("458", "万元", (458.0, "万元")),
        ("458万元", "", (458.0, "万元")),
        ("4万", "人次", (40000.0, "人次")),  # bare 万 after a number is a multiplier
        ("1,266", "万元", (1266.0, "万元")),
        ("-4.1", "%", (-4.1, "%")),
    ],
)
def test_parse_quantity_reads_printed_values(text, unit, expected):
    assert units.parse_quantity(text, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("约20亿元", None, "not a number: '约20亿元'"),
        ("3.4.2", "%", "not a number"),
        ("", "%", "empty value"),
        ("20亿元", "万元", "disagrees with the unit column"),
        ("20", "斤", "unknown unit '斤'"),
    ],
)
def test_parse_quantity_rejects_with_clear_message(text, unit, message):
    with pytest.raises(units.UnitError, match=message):
        units.parse_quantity(text, unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1~11月", "1-11"),
        ("１～１１月", "1-11"),
        ("1-9月", "1-9"),
        ("", "year"),
        ("year", "year"),
        ("1-12月", "year"),
    ],
)
def test_parse_period(text, expected):
    assert units.parse_period(text) == expected


@pytest.mark.parametrize("bad", ["11~1月", "0-5", "Q3", "1~13月"])
def test_parse_period_rejects(bad):
    with pytest.raises(units.UnitError, match="period"):
        units.parse_period(bad)


def test_conversion_within_and_across_dimensions():
    assert units.conversion_factor("万元", "亿元") == pytest.approx(1e-4)
    assert units.conversion_factor("万人", "人") == pytest.approx(1e4)
    with pytest.raises(units.UnitError, match="cannot convert 万元"):
        units.conversion_factor("万元", "%")


def test_to_canonical_is_vectorised():
    out = units.to_canonical(pd.Series([458.0, 1.5, 2.0]), pd.Series(["万元", "亿元", "万亿元"]),
                             pd.Series(["亿元", "亿元", "亿元"]))  # fmt: skip
    np.testing.assert_allclose(out, [0.0458, 1.5, 20000.0])


def test_partial_periods_are_flagged():
    # Whether a partial year may stand in for a full one is the selection policy's call.
    frame = pd.DataFrame({"period": ["year", "1-11"], "value": [1.0, 2.0]})
    assert units.is_partial(frame["period"]).tolist() == [False, True]


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_parse_roundtrip_of_formatted_numbers(d):
    value, unit = units.parse_quantity(f"{d}亿元")
    assert unit == "亿元" and value == pytest.approx(float(d))

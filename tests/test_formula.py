import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zjinnov.data import formula


def test_evaluates_arithmetic_over_names():
    assert formula.evaluate("a / b * 100", {"a": 187.82, "b": 230.82}) == pytest.approx(
        81.3708, abs=1e-4
    )
    assert formula.evaluate("-(a - b) ** 2 + max(a, b, 3)", {"a": 1, "b": 2}) == 2
    assert formula.evaluate("min(a, b)", {"a": 5.0, "b": 2.0}) == 2.0


def test_variables_in_order_without_function_names():
    assert formula.variables("max(x, y) / x + z") == ["x", "y", "z"]


def test_vectorised_over_series_and_division_by_zero():
    out = formula.evaluate("a / b", {"a": pd.Series([1.0, 2.0]), "b": pd.Series([0.0, 4.0])})
    assert np.isinf(out.iloc[0]) and out.iloc[1] == 0.5
    assert np.isinf(formula.evaluate("a / 0", {"a": 1.0}))


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("__import__('os').system('x')", "only min"),
        ("a.real", "Attribute not allowed"),
        ("a[0]", "Subscript not allowed"),
        ("lambda: 1", "Lambda not allowed"),
        ("'text'", "only numeric constants"),
        ("a if b else c", "IfExp not allowed"),
        ("a // b", "FloorDiv not allowed"),
        ("a < b", "Compare not allowed"),
        ("max(a)", "at least two"),
        ("a +", "cannot parse"),
        ("", "empty formula"),
    ],
)
def test_rejects_everything_else(expr, message):
    with pytest.raises(formula.FormulaError, match=message):
        formula.evaluate(expr, {"a": 1, "b": 2, "c": 3})


def test_missing_variable_named():
    with pytest.raises(formula.FormulaError, match="no values for gdp"):
        formula.evaluate("rd_expenditure / gdp", {"rd_expenditure": 1})


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_matches_python_arithmetic(a, b):
    assert formula.evaluate("a * 2 - b + 1", {"a": a, "b": b}) == pytest.approx(a * 2 - b + 1)

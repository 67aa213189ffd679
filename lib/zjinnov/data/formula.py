"""Safe arithmetic over variable names for the indicator registry.

A formula such as ``rd_expenditure / gdp * 100`` is parsed with `ast` and evaluated by walking
the tree: only names, numbers, + - * / ** (unary too), parentheses and min/max are allowed.
Nothing is ever passed to Python's eval.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from functools import cache

import numpy as np

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
_FUNCTIONS = {"min": np.minimum, "max": np.maximum}


class FormulaError(ValueError):
    """A formula that uses something other than names, numbers and + - * / ** min max."""


@cache
def parse(formula: str) -> ast.Expression:
    """Parse and vet a formula; raises FormulaError naming the first forbidden construct."""
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError(f"empty formula: {formula!r}")
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except SyntaxError as err:
        raise FormulaError(f"cannot parse formula {formula!r}: {err.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if (
                not (isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS)
                or node.keywords
            ):
                raise FormulaError(f"formula {formula!r}: only min(...) and max(...) may be called")
            if len(node.args) < 2:
                raise FormulaError(f"formula {formula!r}: min/max need at least two arguments")
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise FormulaError(
                    f"formula {formula!r}: only numeric constants are allowed, found {node.value!r}"
                )
        elif isinstance(node, ast.BinOp | ast.UnaryOp):
            table = _BINARY if isinstance(node, ast.BinOp) else _UNARY
            if type(node.op) not in table:
                raise FormulaError(
                    f"formula {formula!r}: operator {type(node.op).__name__} not allowed"
                )
        elif not isinstance(
            node, ast.Expression | ast.Name | ast.Load | ast.operator | ast.unaryop
        ):
            raise FormulaError(f"formula {formula!r}: {type(node).__name__} not allowed")
    return tree


def variables(formula: str) -> list[str]:
    """Variable names a formula reads, in order of first use (function names excluded)."""
    tree = parse(formula)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called]
    names = [n.id for n in sorted(found, key=lambda n: (n.lineno, n.col_offset))]
    return list(dict.fromkeys(names))


def evaluate(formula: str, values: Mapping[str, object]):
    """Evaluate over scalars or aligned arrays/Series (vectorised); division by zero gives inf/NaN."""
    tree = parse(formula)
    missing = [v for v in variables(formula) if v not in values]
    if missing:
        raise FormulaError(f"formula {formula!r}: no values for {', '.join(missing)}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _eval(tree.body, values)


def _eval(node: ast.AST, values: Mapping[str, object]):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Div):
            return np.divide(left, right)  # inf/NaN rather than ZeroDivisionError for scalars
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, values))
    if isinstance(node, ast.Call):
        args = [_eval(a, values) for a in node.args]
        out = args[0]
        for a in args[1:]:
            out = _FUNCTIONS[node.func.id](out, a)
        return out
    raise FormulaError(f"unexpected node {type(node).__name__}")  # parse() rules this out

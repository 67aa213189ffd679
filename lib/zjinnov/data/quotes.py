"""Does each row's quote show its figure? The rule for published, inferred and derived rows.

- A published figure from a text source: the quote contains the value as printed (the number
  written in the `value` cell, without its unit; 第二 and "second" count as 2, 下降4.1 as -4.1,
  "120.12 billion" as 1201.2 亿).
- A published figure read from a table (`form` = table in data/sources.csv): the quote locates
  the cell exactly, as 表「table」行「row label」列「column label」= printed value.
- A flag (1 = yes) is not printed as a number: the quote must contain the words it stands for.
- An inferred figure (read from words such as "up eight places"): the quote gives those words
  and the note says how the figure follows; a formula in the note, if any, must give the value.
- A derived figure (computed by this study): the quote or note gives the formula, `= 212 / 252
  * 100`, and the source rows: rows of data/raw by their key, `330112/2022/gdp@source-id`
  (county/year/variable@source), or cells of a source table, 表「…」行「…」. A numeric formula
  must give the value (to its printed rounding) and every cited row's value must appear in it.
- A quote that calls its figure provisional (预计, 初步核算, 初步测算) belongs to a row whose
  `release` is preliminary; where the word is about another figure of the sentence, the note
  says so ("not preliminary: …" or 非预计).

Every row that fails is reported as a Problem; none is accepted silently.
"""

from __future__ import annotations

import ast
import operator
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pandas as pd

from zjinnov.data import units
from zjinnov.data.errors import Problem

TABLE, TEXT = "table", "text"
FORMS = (TABLE, TEXT)
CELL = re.compile(
    r"表「(?P<table>[^」]+)」\s*行「(?P<row>[^」]+)」\s*列「(?P<column>[^」]+)」"
    r"\s*=\s*(?P<value>[-+]?\d[\d,]*(?:\.\d+)?)"
)
TABLE_ROW = re.compile(r"表「[^」]+」\s*行「[^」]+」")
# A raw row named by its key, stable when rows move between files: 330112/2024/gdp@linan-2025-03.
ROW_REF = re.compile(
    r"(?P<code>\d{6})/(?P<year>\d{4})/(?P<variable>[a-z0-9_]+)@(?P<source>[a-z0-9-]+)"
)


def row_keys(rows: pd.DataFrame, code: str = "county_code") -> pd.Series:
    """Each row's key as ROW_REF reads it (330112/2024/gdp@linan-2025-03); `code` names the
    column holding the code as written in the raw table."""
    return (
        rows[code].astype(str)
        + "/"
        + rows["year"].astype(int).astype(str)
        + "/"
        + rows["variable"]
        + "@"
        + rows["source_id"]
    )


FORMULA = re.compile(r"=\s*(?P<expr>[-+(\d][\d\s.+\-*/()×÷−]*)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_BARE = re.compile(r"[-+]?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_FALL = re.compile(r"(?:下降|减少|下滑|回落|降低)\s*(\d+(?:\.\d+)?)")
_BILLION = re.compile(r"(\d+(?:\.\d+)?)\s*billion", re.IGNORECASE)
_CN_ORDINAL = re.compile(r"第([一二三四五六七八九十百两零〇]+)")
_CN_DIGIT = dict(zip("零〇一二两三四五六七八九", [0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9], strict=True))
_EN_ORDINAL = {
    w: i
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1
    )
}
# The words a yes/no flag stands for; a flag's quote must contain one of them. (Kept here
# beside the rule; variables.csv could carry them as a column.)
FLAG_WORDS = {
    "first_tier": ("第一梯队", "第一方阵"),
    "hightech_share_above_city_avg": ("高于全市平均",),
}
_REF_FORMS = "rows as county/year/variable@source, or 表「…」行「…」"
# Words by which a publisher calls a figure provisional, and the note that says a quote's word
# is about another figure of the same sentence.
PRELIMINARY_WORDS = ("预计", "初步核算", "初步测算")
NOT_PRELIMINARY = ("not preliminary", "非预计")
_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _fold(text: str) -> str:
    """Full-width digits and signs folded (NFKC), spaces kept: '６１６ 3108' -> '616 3108'."""
    text = text or ""
    # Most quotes are NFKC already; the quick check is much cheaper than normalising.
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _cn_number(text: str) -> int | None:
    """一 .. 九十九 (and 一百) as an integer; None if not a simple numeral."""
    if text in ("十",):
        return 10
    if "百" in text:
        return 100 if text in ("百", "一百") else None
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGIT.get(tens, None) if tens else 1
        o = _CN_DIGIT.get(ones, None) if ones else 0
        return None if t is None or o is None else 10 * t + o
    return _CN_DIGIT.get(text) if len(text) == 1 else None


def numbers_in(text: str) -> set[Decimal]:
    """Every number a reader sees in `text`: digits (full-width folded, 4,133 = 4133), Chinese
    ordinals (第二十四 = 24) and English ordinal words (third = 3)."""
    plain = _GROUPED.sub("", _fold(text))
    found = {Decimal(n) for n in _NUMBER.findall(plain)}
    for numeral in _CN_ORDINAL.findall(plain):
        n = _cn_number(numeral)
        if n is not None:
            found.add(Decimal(n))
    words = re.findall(r"[a-z]+", plain.lower())
    found |= {Decimal(_EN_ORDINAL[w]) for w in words if w in _EN_ORDINAL}
    # A fall is printed as a word and a number: 下降4.1% is -4.1.
    found |= {-Decimal(n) for n in _FALL.findall(plain)}
    # English sources print money in billions; the tables hold 亿元 (1 billion = 10 亿).
    found |= {Decimal(n) * 10 for n in _BILLION.findall(plain)}
    return found


def printed_number(value: str) -> Decimal | None:
    """The number as written in a `value` cell: '20.05亿元' -> 20.05, '4万' -> 4, '３.４２％' -> 3.42."""
    return _printed(units.normalise_text(value))


@lru_cache(maxsize=65536)
def _printed(s: str) -> Decimal | None:
    # Cached: check() reads each value twice (its key's value and its own rule), and an
    # official workbook has tens of thousands of them, most bare numbers.
    if _BARE.fullmatch(s):
        return Decimal(s)
    for u in units.known_units():
        if s.endswith(u) and len(s) > len(u):
            s = s[: -len(u)]
            break
    s = s.rstrip("万亿")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def half_unit(value: str) -> Decimal:
    """Half a unit of the last printed digit: the rounding a computed figure may differ by."""
    number = printed_number(value)
    if number is None:
        return Decimal(0)
    exponent = number.as_tuple().exponent
    return Decimal(5) * Decimal(10) ** (int(exponent) - 1)


def evaluate(expr: str) -> float | None:
    """A plain arithmetic expression of numbers (+ - * / × ÷ and brackets); None if not one."""
    expr = expr.replace("×", "*").replace("÷", "/").replace("−", "-").strip()
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        return None

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        raise ValueError("not arithmetic")

    try:
        return walk(tree)
    except (ValueError, ZeroDivisionError):
        return None


# ------------------------------------------------------------------------------- the rules
def _published(row, form: str, flags: set[str]) -> str | None:
    """The broken rule for a published row, or None."""
    quote, value = row["quote"], row["value_as_published"]
    if row["variable"] in flags:
        return _flag(row)
    number = printed_number(value)
    cells = list(CELL.finditer(_fold(quote)))
    if form == TABLE:
        if not cells:
            return (
                "figure read from a table: the quote must locate the cell as "
                "表「table」行「row label」列「column label」= printed value"
            )
        shown = {Decimal(_GROUPED.sub("", c["value"])) for c in cells}
        if number not in shown:
            return (
                f"cell reference shows {', '.join(map(str, sorted(shown)))}, not the value {value}"
            )
        return None
    if number is None or number not in numbers_in(quote):
        return f"quote does not show the value as printed ({value})"
    return None


def _flag(row) -> str | None:
    words = FLAG_WORDS.get(row["variable"], ())
    if any(w in row["quote"] for w in words):
        return None
    wanted = " or ".join(words) or "(none registered for this flag in zjinnov.data.quotes)"
    return f"a flag's quote must contain the words it stands for: {wanted}"


def _formula(text: str) -> tuple[str, float] | None:
    """The first arithmetic formula after an '=' in `text`, and its result (None if none).

    The longest stretch after '=' that parses is taken, so trailing words or brackets that
    belong to the sentence ("= 10 + 8 (2023年度 rank 10)") do not spoil it."""
    for match in FORMULA.finditer(_GROUPED.sub("", _fold(text))):
        expr = match["expr"]
        for end in range(len(expr), 0, -1):
            if not (expr[end - 1].isdigit() or expr[end - 1] == ")"):
                continue
            result = evaluate(expr[:end])
            if result is not None and any(op in expr[:end] for op in "+-*/×÷−"):
                return expr[:end].strip(), result
    return None


def _gives(formula: tuple[str, float], value: str) -> str:
    """'' if the formula gives `value` to its printed rounding, else what it gives."""
    expr, result = formula
    target = printed_number(value)
    if target is None or abs(Decimal(str(result)) - target) <= half_unit(value):
        return ""
    return f"formula {expr} gives {result:.6g}, not {value}"


def _derived(row, raw_values: dict) -> str | None:
    text = f"{row['quote']} {row['note']}"
    formula = _formula(text)
    refs = [m.group(0) for m in ROW_REF.finditer(text)]
    cited_table = bool(TABLE_ROW.search(text))
    if formula is None and not ("=" in text and cited_table):
        return (
            "derived figure: the quote or note must give the formula (= 212 / 252 * 100) "
            f"and the source rows ({_REF_FORMS})"
        )
    if not refs and not cited_table:
        return f"derived figure: the source rows are not named ({_REF_FORMS})"
    if formula is not None and (wrong := _gives(formula, row["value_as_published"])):
        return f"derived figure: {wrong}"
    unknown = [r for r in refs if len(raw_values.get(r, ())) != 1]
    if unknown:
        return (
            "derived figure cites keys that do not name exactly one valid row of data/raw: "
            f"{', '.join(unknown)}"
        )
    if formula is not None:
        absent = [r for r in refs if raw_values[r][0] not in numbers_in(formula[0])]
        if absent:
            return f"derived figure: the value of {', '.join(absent)} is not in its formula"
    return None


def _inferred(row, flags: set[str]) -> str | None:
    if not row["quote"].strip():
        return "inferred figure: the quote must give the words it is read from"
    if not row["note"].strip():
        return "inferred figure: the note must say how the figure follows from the quote"
    if row["variable"] in flags:
        return _flag(row)
    formula = _formula(row["note"])
    if formula is not None and (wrong := _gives(formula, row["value_as_published"])):
        return f"inferred figure: {wrong}"
    return None


def _release(row) -> str | None:
    """The broken rule if the quote calls the figure provisional and the row does not say so."""
    if row["preliminary"] or not any(w in row["quote"] for w in PRELIMINARY_WORDS):
        return None
    if any(w in row["note"] for w in NOT_PRELIMINARY):
        return None
    return (
        "the quote calls the figure provisional (预计/初步核算): set release to preliminary, "
        "or say in the note why it is not (not preliminary: …)"
    )


def check(obs: pd.DataFrame, forms: dict[str, str], flags: set[str] = frozenset()) -> list[Problem]:
    """Problems with the quotes of validated observations (`file`, `row`, `value_as_published`,
    `quote`, `note`, `confidence`, `variable`, `source_id`). `forms`: source id -> table/text;
    `flags`: the yes/no variables (kind `flag` in variables.csv)."""
    # Plain lists, not DataFrame.to_dict: a workbook's tens of thousands of rows go through here.
    columns = ["file", "row", "value_as_published", "quote", "note", "confidence", "variable"]
    columns += ["source_id", "county_code", "year"]
    lists = {c: obs[c].tolist() for c in columns}
    columns.append("preliminary")
    lists["preliminary"] = (
        obs["preliminary"].fillna(False).astype(bool).tolist()
        if "preliminary" in obs
        else [False] * len(obs)
    )
    raw_values: dict[str, list] = {}
    keys = ("county_code", "year", "variable", "source_id", "value_as_published")
    for code, year, variable, source, value in zip(*(lists[k] for k in keys), strict=True):
        raw_values.setdefault(f"{code}/{year}/{variable}@{source}", []).append(
            printed_number(value)
        )
    problems = []
    for values in zip(*lists.values(), strict=True):
        row = dict(zip(columns, values, strict=True))
        row["quote"] = row["quote"] if isinstance(row["quote"], str) else ""
        row["note"] = row["note"] if isinstance(row["note"], str) else ""
        if row["confidence"] == "derived":
            rule, column = _derived(row, raw_values), "note"
        elif row["confidence"] in ("inferred", "implied"):
            rule, column = _inferred(row, flags), "quote"
        else:
            rule, column = _published(row, forms.get(row["source_id"], TEXT), flags), "quote"
            if not rule and (rule := _release(row)):
                column = "release"
        if rule:
            found = (
                row["quote"] if column == "quote" else f"{row['quote']} | {row['note']}".strip(" |")
            )
            problems.append(
                Problem(
                    row["file"],
                    int(row["row"]),
                    column,
                    rule,
                    found,
                    row["county_code"],
                    row["year"],
                )
            )
    return problems

"""What a raw table (data/raw/*.csv) and data/sources.csv must look like: their columns and
the pandera schemas that check them, read as text and again once values are numbers.

The rules are data about the tables; running them and reporting every failure is
`zjinnov.data.validation`; reading a raw table through them is `zjinnov.data.raw_tables`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from zjinnov.data import quotes, selection, units
from zjinnov.data.validation import RULE_COLUMN

RAW_COLUMNS = [
    "county_code",
    "county_name",
    "year",
    "report_year",
    "variable",
    "value",
    "unit",
    "period",
    "source_id",
    "confidence",
    "quote",
    "note",
]
# boundary_year: the boundaries a figure was re-cut to; release: "preliminary" where the
# publisher calls the figure provisional (预计, 初步核算), blank otherwise.
OPTIONAL_COLUMNS = ["boundary_year", "release"]
KEY = ["county_code", "year", "variable", "period", "source_id", "boundary_year"]
# The confidence column of a raw table: a source's grade for a published figure, or how this
# study obtained a figure that is not published (see selection.CONFIDENCE_ORDER).
CONFIDENCE = ["high", "medium", "low", selection.INFERRED, selection.DERIVED]
YEAR_RANGE = (1990, 2035)
SOURCE_KINDS = ["official", "news", "mirror", "seed", "repository", "simulated"]
SOURCE_COLUMNS = [
    "source_id",
    "title",
    "publisher",
    "date_published",
    "url",
    "date_accessed",
    "kind",
    "form",
    "confidence",
    "note",
]
# The observations table: one row a figure, in canonical units.
OUTPUT_COLUMNS = [
    "county_code",
    "county_name",
    "year",
    "report_year",
    "variable",
    "value",
    "unit",
    "period",
    "partial",
    "preliminary",
    "source_id",
    "confidence",
    "quote",
    "note",
    "file",
    "row",
    "boundary_year",
    "value_as_published",
    "unit_as_published",
    "date_published",
]


def _parses(fn):
    """A column check: does `fn` read each cell? Each distinct cell is tried once (a workbook
    repeats its periods and many of its values), and the answer mapped back onto the column."""

    def ok(value: str) -> bool:
        try:
            fn(value)
        except units.UnitError:
            return False
        return True

    def check(series: pd.Series) -> pd.Series:
        answers = {value: ok(value) for value in series.unique()}
        return series.map(answers).astype(bool)

    return check


def year_ok(series: pd.Series, allow_blank: bool = False) -> pd.Series:
    years = pd.to_numeric(series.where(series.str.fullmatch(r"\d{4}")), errors="coerce")
    ok = years.between(*YEAR_RANGE)
    return ok | series.eq("") if allow_blank else ok


QUOTE_RULE = "quote required for a published figure (only inferred/derived rows may omit it)"
RULE_COLUMN[QUOTE_RULE] = "quote"


def raw_schema(variables: pd.DataFrame, framework_dir: Path, key: list[str]) -> pa.DataFrameSchema:
    """Structure of a raw table, read as text: columns, codes, years, numbers, vocabularies, key."""
    text = {"dtype": str, "coerce": True}
    lo, hi = YEAR_RANGE
    return pa.DataFrameSchema(
        {
            "county_code": pa.Column(
                **text,
                checks=pa.Check.str_matches(r"^\d{6}$", error="county code must be 6 digits"),
            ),
            "county_name": pa.Column(
                **text, checks=pa.Check(lambda s: s.str.len() > 0, error="county name is empty")
            ),
            "year": pa.Column(
                **text,
                checks=pa.Check(year_ok, error=f"year must be a year between {lo} and {hi}"),
            ),
            "report_year": pa.Column(
                **text,
                checks=pa.Check(
                    lambda s: year_ok(s, True),
                    error=f"report year must be blank or a year between {lo} and {hi}",
                ),
            ),
            "variable": pa.Column(
                **text,
                checks=pa.Check.isin(
                    list(variables.index),
                    error="unknown variable (not in data/framework/variables.csv)",
                ),
            ),
            "value": pa.Column(
                **text,
                checks=pa.Check(
                    _parses(lambda v: units.parse_quantity(v, None, framework_dir)),
                    error="value is not a number (with an optional unit such as 亿元 or %)",
                ),
            ),
            "unit": pa.Column(
                **text,
                checks=pa.Check(
                    lambda s: s.eq("") | s.isin(units.unit_table(framework_dir).index),
                    error="unknown unit (not in data/framework/units.csv)",
                ),
            ),
            "period": pa.Column(
                **text,
                checks=pa.Check(
                    _parses(units.parse_period),
                    error="period not understood (use 'year' or months such as 1~11月)",
                ),
            ),
            "source_id": pa.Column(
                **text,
                checks=pa.Check.str_matches(
                    r"^[a-z0-9][a-z0-9-]*$",
                    error="source id must be lower-case letters, digits and hyphens",
                ),
            ),
            "confidence": pa.Column(
                **text,
                checks=pa.Check.isin(
                    CONFIDENCE, error=f"confidence must be one of {', '.join(CONFIDENCE)}"
                ),
            ),
            "quote": pa.Column(**text),
            "note": pa.Column(**text),
            "boundary_year": pa.Column(
                **text,
                required=False,
                checks=pa.Check(
                    lambda s: year_ok(s, True), error="boundary year must be blank or a year"
                ),
            ),
            "release": pa.Column(
                **text,
                required=False,
                checks=pa.Check.isin(
                    list(selection.RELEASES),
                    error="release must be blank or 'preliminary' (预计, 初步核算)",
                ),
            ),
        },
        checks=[
            pa.Check(
                lambda d: (
                    d["quote"].str.len().gt(0)
                    | d["confidence"].isin([selection.INFERRED, selection.DERIVED])
                ),
                error=QUOTE_RULE,
            ),
        ],
        unique=key,
        report_duplicates="all",
        strict=False,
        name="raw table",
    )


# Allowed range per variable kind, checked on the value in its canonical unit.
KIND_RULES = {
    "share": (lambda v: v.between(0, 100), "share outside 0-100 %"),
    "count": (lambda v: v >= 0, "negative count"),
    "population": (lambda v: v >= 0, "negative population"),
    "amount": (lambda v: v >= 0, "negative amount"),
    "rate": (lambda v: v >= 0, "negative rate"),
    "rank": (lambda v: (v >= 1) & (v == np.floor(v)), "rank must be a whole number >= 1"),
    "flag": (lambda v: v.isin([0, 1]), "flag must be 0 or 1"),
    "growth": (lambda v: v > -100, "growth rate at or below -100 %"),
    "index": (lambda v: v > 0, "index must be positive"),
}
UNIT_RULE = "unit not allowed for this variable (see allowed_units in variables.csv)"
RULE_COLUMN.update({msg: "value" for _, msg in KIND_RULES.values()})
RULE_COLUMN[UNIT_RULE] = "unit"


def typed_schema() -> pa.DataFrameSchema:
    """Ranges and units once values are numbers: one rule per variable kind, unit allowed per variable."""
    checks = [
        pa.Check(lambda d, k=kind, f=fn: ~d["kind"].eq(k) | f(d["value"]), error=msg)
        for kind, (fn, msg) in KIND_RULES.items()
    ]
    checks.append(pa.Check(lambda d: d["unit_ok"], error=UNIT_RULE))
    return pa.DataFrameSchema(
        {"value": pa.Column(float, nullable=False), "kind": pa.Column(str, coerce=True)},
        checks=checks,
        name="typed",
    )


def sources_schema() -> pa.DataFrameSchema:
    """data/sources.csv: one row a source document."""
    text = {"dtype": str, "coerce": True}
    date = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
    return pa.DataFrameSchema(
        {
            "source_id": pa.Column(
                **text,
                unique=True,
                checks=pa.Check.str_matches(
                    r"^[a-z0-9][a-z0-9-]*$",
                    error="source id must be lower-case letters, digits and hyphens",
                ),
            ),
            "title": pa.Column(
                **text, checks=pa.Check(lambda s: s.str.len() > 0, error="title is empty")
            ),
            "publisher": pa.Column(**text),
            "date_published": pa.Column(
                **text,
                checks=pa.Check.str_matches(date, error="date must be YYYY, YYYY-MM or YYYY-MM-DD"),
            ),
            "url": pa.Column(
                **text, checks=pa.Check(lambda s: s.str.len() > 0, error="url is empty")
            ),
            "date_accessed": pa.Column(
                **text,
                checks=pa.Check.str_matches(
                    r"^\d{4}-\d{2}-\d{2}$", error="access date must be YYYY-MM-DD"
                ),
            ),
            "kind": pa.Column(
                **text,
                checks=pa.Check.isin(
                    SOURCE_KINDS, error=f"kind must be one of {', '.join(SOURCE_KINDS)}"
                ),
            ),
            # table: figures are read from cells, so quotes give 表「…」行「…」列「…」= value.
            "form": pa.Column(
                **text,
                checks=pa.Check.isin(
                    list(quotes.FORMS),
                    error=f"form must be one of {', '.join(quotes.FORMS)} (is the figure read from a table or from text?)",
                ),
            ),
            "confidence": pa.Column(
                **text,
                checks=pa.Check.isin(
                    ["high", "medium", "low"], error="confidence must be high, medium or low"
                ),
            ),
            "note": pa.Column(**text),
            # Blank: the data cite it; context: listed for background, cited by no row.
            "use": pa.Column(
                **text,
                required=False,
                checks=pa.Check.isin(["", "context"], error="use must be blank (cited) or context"),
            ),
        },
        name="sources",
    )

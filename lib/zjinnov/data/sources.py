"""Load and validate the source tables (data/raw/*.csv, data/sources.csv) into one tidy table.

Schema, type, range and uniqueness rules are pandera schemas; cross-table rules (source id exists,
county code valid for its year) are checked here, and every quote against its figure
(`zjinnov.data.quotes`). Every problem is reported at once, each naming file, row, column,
county, year, rule and the value found as written; a malformed value or unit is a problem,
never an exception.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from zjinnov.data import geography, paths, quotes, units
from zjinnov.data.errors import Problem, ValidationReport
from zjinnov.data.paths import DATA
from zjinnov.data.reading import read_table

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
OPTIONAL_COLUMNS = ["boundary_year"]
KEY = ["county_code", "year", "variable", "period", "source_id", "boundary_year"]
CONFIDENCE = ["high", "medium", "low", "inferred", "derived"]
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
# Columns whose content is an identifier or a number: full-width forms are folded (NFKC) there.
_FOLD = [
    "county_code",
    "year",
    "report_year",
    "variable",
    "value",
    "unit",
    "period",
    "source_id",
    "confidence",
    "boundary_year",
]
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


def _fold(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in _FOLD:
        if col in out:
            # Each distinct cell folded once: a workbook repeats codes, years and units.
            folded = {cell: units.normalise_text(cell) for cell in out[col].unique()}
            out[col] = out[col].map(folded)
    return out


@cache
def _variables(framework_dir: Path) -> pd.DataFrame:
    table = pd.read_csv(framework_dir / "variables.csv", dtype=str, keep_default_na=False)
    table["allowed"] = (
        table["allowed_units"]
        .str.split(";")
        .map(lambda us: frozenset(units.normalise_text(u) for u in us))
    )
    return table.set_index("variable")


def load_variables(data_dir: Path = DATA) -> pd.DataFrame:
    """data/framework/variables.csv: the variable dictionary (labels, kind, canonical unit, allowed units)."""
    return _variables(Path(data_dir) / "framework").drop(columns="allowed").reset_index()


# ------------------------------------------------------------------------------------ schemas
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


def _year_ok(series: pd.Series, allow_blank: bool = False) -> pd.Series:
    years = pd.to_numeric(series.where(series.str.fullmatch(r"\d{4}")), errors="coerce")
    ok = years.between(*YEAR_RANGE)
    return ok | series.eq("") if allow_blank else ok


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
                checks=pa.Check(_year_ok, error=f"year must be a year between {lo} and {hi}"),
            ),
            "report_year": pa.Column(
                **text,
                checks=pa.Check(
                    lambda s: _year_ok(s, True),
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
                    lambda s: _year_ok(s, True), error="boundary year must be blank or a year"
                ),
            ),
        },
        checks=[
            pa.Check(
                lambda d: (
                    d["quote"].str.len().gt(0) | d["confidence"].isin(["inferred", "derived"])
                ),
                error="quote required for a published figure (only inferred/derived rows may omit it)",
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


def typed_schema() -> pa.DataFrameSchema:
    """Ranges and units once values are numbers: one rule per variable kind, unit allowed per variable."""
    checks = [
        pa.Check(lambda d, k=kind, f=fn: ~d["kind"].eq(k) | f(d["value"]), error=msg)
        for kind, (fn, msg) in KIND_RULES.items()
    ]
    checks.append(
        pa.Check(
            lambda d: d["unit_ok"],
            error="unit not allowed for this variable (see allowed_units in variables.csv)",
        )
    )
    return pa.DataFrameSchema(
        {"value": pa.Column(float, nullable=False), "kind": pa.Column(str, coerce=True)},
        checks=checks,
        name="typed",
    )


# ------------------------------------------------------------------------------------ problems
# Which column a frame-level rule is about, for the report.
_RULE_COLUMN = {msg: "value" for _, msg in KIND_RULES.values()}
_RULE_COLUMN["quote required for a published figure (only inferred/derived rows may omit it)"] = (
    "quote"
)
_RULE_COLUMN["unit not allowed for this variable (see allowed_units in variables.csv)"] = "unit"


def _problems(
    err: SchemaErrors,
    frame: pd.DataFrame,
    label: str,
    key: list[str],
    shown: pd.DataFrame | None = None,
) -> list[Problem]:
    cases = err.failure_cases
    out: list[Problem] = []
    seen: set = set()
    for case in cases.itertuples(index=False):
        rule, column, idx = str(case.check), case.column, case.index
        if case.check == "column_in_dataframe":
            out.append(Problem(label, None, str(case.failure_case), "missing column"))
            continue
        if rule == "multiple_fields_uniqueness":
            rule, column = f"duplicate key ({', '.join(key)})", ", ".join(key)
        elif case.schema_context == "DataFrameSchema":
            column = _RULE_COLUMN.get(rule, column)
        if idx is None or (isinstance(idx, float) and np.isnan(idx)):
            out.append(Problem(label, None, column, rule, case.failure_case))
            continue
        idx = int(idx)
        if (idx, rule) in seen:
            continue
        seen.add((idx, rule))
        row = frame.loc[idx]
        # Report the cell as written in the file (before full-width folding) where we have it.
        as_written = shown.loc[idx] if shown is not None and idx in shown.index else row
        found = as_written.get(column) if column in frame.columns else case.failure_case
        if rule.startswith("duplicate key"):
            found = "/".join(str(row.get(c, "")) for c in key)
        out.append(
            Problem(label, idx + 2, column, rule, found, row.get("county_code"), row.get("year"))
        )
    return sorted(out, key=lambda p: (p.row or 0, p.column or ""))


def _validate(
    schema: pa.DataFrameSchema,
    frame: pd.DataFrame,
    label: str,
    key: list[str],
    shown: pd.DataFrame | None = None,
) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        return _problems(err, frame, label, key, shown)
    return []


# ------------------------------------------------------------------------------------ raw tables
def validate_raw(
    path: Path, report: ValidationReport, source_ids: set[str] | None, framework_dir: Path
) -> pd.DataFrame | None:
    """Validate one raw table; add its problems to `report`; return its rows in canonical units."""
    label = path.name
    frame = read_table(path, report, label)
    if frame is None:
        return None
    original, frame = frame, _fold(frame)
    variables = _variables(framework_dir)
    key = [k for k in KEY if k in frame.columns or k != "boundary_year"]
    key = [k for k in key if k in frame.columns] if set(key) <= set(frame.columns) else KEY[:-1]
    problems = _validate(raw_schema(variables, framework_dir, key), frame, label, key, original)
    report.problems.extend(problems)
    if any(p.rule == "missing column" for p in problems):
        return None
    bad_rows = {
        p.row - 2 for p in problems if p.row is not None and not p.rule.startswith("duplicate")
    }
    good = frame.drop(index=[i for i in bad_rows if i in frame.index])
    typed = _typed(good, variables, framework_dir, label, original, report)
    typed_problems = _validate(typed_schema(), typed, label, key, original)
    report.problems.extend(typed_problems)
    typed = typed.drop(index=[p.row - 2 for p in typed_problems if p.row is not None])
    _cross_checks(typed, label, report, source_ids, framework_dir)
    typed = _to_canonical(typed, framework_dir, label, original, report)
    return _finish(typed, variables, framework_dir, label)


def _typed(
    frame: pd.DataFrame,
    variables: pd.DataFrame,
    framework_dir: Path,
    label: str,
    original: pd.DataFrame,
    report: ValidationReport,
) -> pd.DataFrame:
    """Numbers and units read from the text; a value its unit contradicts is reported, not raised."""
    numbers, printed, unreadable = [], [], []
    for idx, value, unit in zip(frame.index, frame["value"], frame["unit"], strict=True):
        try:
            number, glued = units.parse_quantity(value, unit, framework_dir)
        except units.UnitError as err:
            shown = original.loc[idx]
            report.add(
                label,
                idx + 2,
                "value",
                f"value and unit do not agree: {err}",
                f"{shown['value']} (unit column: {shown['unit'] or 'blank'})",
                frame.at[idx, "county_code"],
                frame.at[idx, "year"],
            )
            unreadable.append(idx)
            number, glued = np.nan, ""
        numbers.append(number)
        printed.append(glued)
    out = frame.copy()
    out["value_as_published"] = frame["value"]
    out["unit_as_published"] = frame["unit"]
    out["value"] = numbers
    out["unit"] = printed
    meta = variables.reindex(out["variable"])
    out["kind"] = meta["kind"].to_numpy()
    out["canonical"] = meta["unit"].to_numpy()
    allowed = meta["allowed"].to_numpy()
    # A blank unit means "already in the canonical unit"; printed units must be allowed.
    out["unit"] = out["unit"].where(out["unit"].ne(""), out["canonical"])
    out["unit_ok"] = [u in a for u, a in zip(out["unit"], allowed, strict=True)]
    return out.drop(index=unreadable)


def _to_canonical(
    frame: pd.DataFrame,
    framework_dir: Path,
    label: str,
    original: pd.DataFrame,
    report: ValidationReport,
) -> pd.DataFrame:
    """Values in each variable's canonical unit; a unit that cannot be converted is reported."""
    pairs = frame[["unit", "canonical"]].drop_duplicates()
    refused = {}
    for unit, canonical in pairs.itertuples(index=False):
        try:
            units.conversion_factor(unit, canonical, framework_dir)
        except units.UnitError as err:
            refused[unit, canonical] = str(err)
    pair = pd.Series(list(zip(frame["unit"], frame["canonical"], strict=True)), index=frame.index)
    bad = pair.isin(list(refused))
    for idx in frame.index[bad]:
        report.add(
            label,
            idx + 2,
            "unit",
            f"unit cannot be converted: {refused[pair[idx]]}",
            original.at[idx, "unit"],
            frame.at[idx, "county_code"],
            frame.at[idx, "year"],
        )
    out = frame[~bad].copy()
    out["value"] = units.to_canonical(out["value"], out["unit"], out["canonical"], framework_dir)
    out["unit"] = out["canonical"]
    return out


def _cross_checks(
    frame: pd.DataFrame,
    label: str,
    report: ValidationReport,
    source_ids: set[str] | None,
    framework_dir: Path,
) -> None:
    if source_ids is not None:
        for idx, row in frame[~frame["source_id"].isin(source_ids)].iterrows():
            report.add(
                label,
                idx + 2,
                "source_id",
                "unknown source id (not in data/sources.csv)",
                row["source_id"],
                row["county_code"],
                row["year"],
            )
    boundary = frame["boundary_year"].replace("", None) if "boundary_year" in frame else None
    ok = geography.valid_codes(frame["year"], frame["county_code"], boundary, framework_dir)
    for idx, row in frame[~ok].iterrows():
        report.add(
            label,
            idx + 2,
            "county_code",
            "county code not in the registry for that year",
            row["county_code"],
            row["county_code"],
            row["year"],
        )


def _finish(
    frame: pd.DataFrame, variables: pd.DataFrame, framework_dir: Path, label: str
) -> pd.DataFrame:
    out = frame.copy()
    out["period"] = out["period"].map(units.parse_period)
    out["partial"] = units.is_partial(out["period"])
    out["year"] = out["year"].astype(int)
    out["report_year"] = pd.to_numeric(out["report_year"].replace("", None)).astype("Int64")
    if "boundary_year" not in out:
        out["boundary_year"] = ""
    out["boundary_year"] = pd.to_numeric(out["boundary_year"].replace("", None)).astype("Int64")
    out["file"] = label
    out["row"] = out.index + 2
    out["date_published"] = ""  # filled from sources.csv once every table is read
    return out[OUTPUT_COLUMNS].reset_index(drop=True)


# ------------------------------------------------------------------------------------ sources.csv
def sources_schema() -> pa.DataFrameSchema:
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
        },
        name="sources",
    )


def validate_sources(data_dir: Path, report: ValidationReport) -> pd.DataFrame | None:
    path = Path(data_dir) / "sources.csv"
    if not path.exists():
        report.add("sources.csv", None, None, "file missing")
        return None
    frame = read_table(path, report, "sources.csv")
    if frame is None:
        return None
    problems = _validate(sources_schema(), frame, "sources.csv", ["source_id"])
    report.problems.extend(problems)
    return None if any(p.rule == "missing column" for p in problems) else frame


def load_sources(data_dir: Path = DATA) -> pd.DataFrame:
    """data/sources.csv, validated (raises DataValidationError listing every problem)."""
    report = ValidationReport()
    frame = validate_sources(Path(data_dir), report)
    report.raise_if_any()
    return frame


# ------------------------------------------------------------------------------------ together
def collect_observations(data_dir: Path, report: ValidationReport) -> pd.DataFrame:
    """Validate every raw table against sources.csv and the registries; return the valid rows."""
    data_dir = Path(data_dir)
    sources = validate_sources(data_dir, report)
    source_ids = set(sources["source_id"]) if sources is not None else None
    paths = sorted((data_dir / "raw").glob("*.csv"))
    if not paths:
        report.add("raw/", None, None, "no raw tables found")
    framework_dir = data_dir / "framework"
    # What every table's result depends on besides its own bytes, computed once for all.
    ids = "(sources.csv unreadable)" if source_ids is None else ",".join(sorted(source_ids))
    context = "\n".join([_fingerprint(framework_dir), ids, _code_version()])
    frames = [_validated(p, report, source_ids, framework_dir, context) for p in paths]
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    obs = pd.concat(frames, ignore_index=True)
    # The source's publication date travels with each figure: the selection policy lets a
    # later release (a revision) win over an earlier one.
    dates = {}
    if sources is not None:
        dates = dict(zip(sources["source_id"], sources["date_published"], strict=True))
    obs["date_published"] = obs["source_id"].map(dates).fillna("")
    _check_global_key(obs, report)
    # Each quote must show its figure (or, for a derived row, its formula and source rows).
    forms = {} if sources is None else dict(zip(sources["source_id"], sources["form"], strict=True))
    variables = _variables(data_dir / "framework")
    flags = set(variables.index[variables["kind"].eq("flag")])
    report.problems.extend(quotes.check(obs, forms, flags))
    return obs


# A raw table's rows and problems depend only on its name, its bytes, the framework files, the
# known source ids and the validating code. Scratch copies of data/ (the rerun example, an
# overlay, the tests) and every notebook's kernel validate the same tables again and again:
# each distinct table is validated once and its result kept, in memory and under
# _build/cache/validated/ (a pickle per table, replaced atomically; delete the folder at will).
_MEMO: dict[str, tuple[list[Problem], pd.DataFrame | None]] = {}
_MEMO_SIZE = 256


def _fingerprint(folder: Path, pattern: str = "*") -> str:
    digest = hashlib.sha1()
    for path in sorted(p for p in Path(folder).rglob(pattern) if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(hashlib.sha1(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def _code_version() -> str:
    """The validating code (this package's data layer) and the libraries that shape its result."""
    versions = "/".join(importlib.metadata.version(d) for d in ("pandas", "pandera", "numpy"))
    return f"{_fingerprint(Path(__file__).parent, '*.py')}/{versions}"


def _validated(
    path: Path,
    report: ValidationReport,
    source_ids: set[str] | None,
    framework_dir: Path,
    context: str,
) -> pd.DataFrame | None:
    content = hashlib.sha1(path.read_bytes()).hexdigest()
    key = hashlib.sha1(f"{path.name}\n{content}\n{context}".encode()).hexdigest()
    if key not in _MEMO:
        _MEMO[key] = _stored(key) or _validate_now(path, source_ids, framework_dir, key)
        if len(_MEMO) > _MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
    problems, frame = _MEMO[key]
    report.problems.extend(problems)
    return None if frame is None else frame.copy()


def _cache_file(key: str) -> Path:
    return paths.BUILD / "cache" / "validated" / f"{key}.pkl"


def _stored(key: str) -> tuple | None:
    try:
        with _cache_file(key).open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # not there, or unreadable: validate again


def _validate_now(path: Path, source_ids, framework_dir: Path, key: str) -> tuple:
    own = ValidationReport()
    frame = validate_raw(path, own, source_ids, framework_dir)
    result = (list(own.problems), frame)
    target = _cache_file(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, target)
    except OSError:
        pass  # a read-only or full disk only costs the next process the same validation
    return result


def _check_global_key(obs: pd.DataFrame, report: ValidationReport) -> None:
    # The same figure from the same source must live in one file only.
    key = ["county_code", "year", "variable", "period", "source_id", "boundary_year"]
    dup = obs[obs.duplicated(key, keep=False)]
    for _, group in dup.groupby(key, dropna=False):
        if group["file"].nunique() < 2:
            continue  # within one file the pandera key rule has reported it already
        files = ", ".join(f"{f}:{r}" for f, r in zip(group["file"], group["row"], strict=True))
        first = group.iloc[0]
        report.add(
            first["file"],
            int(first["row"]),
            ", ".join(key),
            f"duplicate key across files ({files})",
            first["variable"],
            first["county_code"],
            first["year"],
        )


def load_observations(data_dir: Path = DATA) -> pd.DataFrame:
    """Every published figure in data/raw/, validated, in canonical units (one row a figure).

    Raises DataValidationError listing all problems if any table is invalid.
    """
    report = ValidationReport()
    obs = collect_observations(Path(data_dir), report)
    report.raise_if_any()
    return obs

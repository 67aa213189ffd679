"""The indicator registry (data/framework/indicators.csv, domains.csv): load, validate, evaluate.

`indicator_values` turns observations into indicator values by evaluating each registry formula
for every county-year where all its variables exist.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from zjinnov.data import formula, reading, validation, variables
from zjinnov.data.errors import ValidationReport
from zjinnov.data.paths import FRAMEWORK

DOMAINS = ["科技投入", "技术创新", "科技产出", "转型升级", "创新环境"]
N_INDICATORS = 34
INDICATOR_COLUMNS = [
    "code",
    "name_zh",
    "name_en",
    "domain",
    "unit",
    "direction",
    "formula",
    "weight",
    "normaliser",
    "standard",
    "national_name",
    "evidence",
    "citation",
    "reason",
]
# What the evidence for an indicator is, strongest first, is data: evidence_grades.csv.
GRADE_COLUMNS = ["grade", "label_zh", "label_en", "meaning_zh", "meaning_en", "requires"]
# Extensive quantities (amounts, counts) scale with the size of a place: comparing a county's
# with the province's says nothing about standing, so such indicators are compared over time
# only, never across units of different size.
EXTENSIVE_UNITS = frozenset({"亿元", "万元", "元", "家", "件", "个", "项", "人"})


def extensive_codes(indicators: pd.DataFrame) -> set[str]:
    return set(indicators.loc[indicators["unit"].isin(EXTENSIVE_UNITS), "code"])


def indicators_schema(
    variables: set[str],
    source_ids: set[str] | None,
    normalisers: list[str] | None = None,
    grades: pd.DataFrame | None = None,
) -> pa.DataFrameSchema:
    """`normalisers`: the engine's names, passed down by the caller (the data layer does not
    import the engine), so a typo in the registry fails validation; None checks non-empty only.
    `grades`: the evidence grades (evidence_grades.csv); each says whether an indicator of that
    grade needs a citation (its evidence is a source) or a reason (it is this study's choice)."""
    text = {"dtype": str, "coerce": True}
    grades = load_evidence_grades() if grades is None else grades
    needs = dict(zip(grades["grade"], grades["requires"], strict=True))
    known = sorted(needs)

    def formula_ok(f: str) -> bool:
        try:
            return set(formula.variables(f)) <= variables
        except formula.FormulaError:
            return False

    def citations_ok(c: str) -> bool:
        ids = [x.strip() for x in c.split(";") if x.strip()]
        return source_ids is None or all(i in source_ids for i in ids)

    return pa.DataFrameSchema(
        {
            "code": pa.Column(
                **text,
                unique=True,
                checks=pa.Check.str_matches(r"^I\d{2}$", error="code must be I01..I34"),
            ),
            "name_zh": pa.Column(
                **text, checks=pa.Check(lambda s: s.str.len() > 0, error="Chinese name is empty")
            ),
            "name_en": pa.Column(
                **text, checks=pa.Check(lambda s: s.str.len() > 0, error="English name is empty")
            ),
            "domain": pa.Column(
                **text,
                checks=pa.Check.isin(DOMAINS, error=f"domain must be one of {'、'.join(DOMAINS)}"),
            ),
            "unit": pa.Column(
                **text, checks=pa.Check(lambda s: s.str.len() > 0, error="unit is empty")
            ),
            "direction": pa.Column(
                int, coerce=True, checks=pa.Check.isin([1, -1], error="direction must be 1 or -1")
            ),
            "formula": pa.Column(
                **text,
                checks=pa.Check(
                    formula_ok,
                    element_wise=True,
                    error="formula invalid or names a variable not in variables.csv",
                ),
            ),
            "weight": pa.Column(
                float, coerce=True, checks=pa.Check.in_range(0, 1, error="weight must lie in 0..1")
            ),
            "normaliser": pa.Column(
                **text,
                checks=pa.Check.isin(
                    normalisers, error=f"normaliser must be one of {', '.join(normalisers)}"
                )
                if normalisers
                else pa.Check(lambda s: s.str.len() > 0, error="normaliser is empty"),
            ),
            "standard": pa.Column(
                **text,
                checks=pa.Check.str_matches(
                    r"^(\d+(\.\d+)?)?$", error="standard must be a number or blank"
                ),
            ),
            "national_name": pa.Column(**text),
            "evidence": pa.Column(
                **text,
                checks=pa.Check.isin(
                    known,
                    error=f"evidence must be a grade of evidence_grades.csv: {', '.join(known)}",
                ),
            ),
            "citation": pa.Column(
                **text,
                checks=pa.Check(
                    citations_ok, element_wise=True, error="citation names an unknown source id"
                ),
            ),
            "reason": pa.Column(**text),
            # The variable under which the indicator itself is published, if any (blank: only
            # the formula). Official figures win over a recomputation from components.
            "published_as": pa.Column(
                **text,
                required=False,
                checks=pa.Check(
                    lambda v: v == "" or v in variables,
                    element_wise=True,
                    error="published_as names a variable not in variables.csv",
                ),
            ),
        },
        checks=[
            pa.Check(
                lambda d: d["evidence"].map(needs).ne("citation") | d["citation"].str.len().gt(0),
                error="an indicator whose evidence is a source needs a citation",
            ),
            pa.Check(
                lambda d: d["evidence"].map(needs).ne("reason") | d["reason"].str.len().gt(0),
                error="an indicator chosen by this study needs a reason",
            ),
            pa.Check(
                lambda d: len(d) == N_INDICATORS,
                error=f"registry must hold exactly {N_INDICATORS} indicators",
            ),
            pa.Check(
                lambda d: (d.groupby("domain")["weight"].transform("sum") - 1).abs() < 1e-3,
                error="weights within a domain must sum to 1",
            ),
            pa.Check(
                lambda d: set(d["domain"]) == set(DOMAINS),
                error="every one of the five domains needs indicators",
            ),
        ],
        name="indicators",
    )


def evidence_grades_schema() -> pa.DataFrameSchema:
    text = {"dtype": str, "coerce": True}
    filled = pa.Check(lambda s: s.str.len() > 0, error="must not be empty")
    return pa.DataFrameSchema(
        {
            "grade": pa.Column(
                **text,
                unique=True,
                checks=pa.Check.str_matches(
                    r"^[a-z_]+$", error="grade must be lower-case letters and underscores"
                ),
            ),
            "label_zh": pa.Column(**text, checks=filled),
            "label_en": pa.Column(**text, checks=filled),
            "meaning_zh": pa.Column(**text, checks=filled),
            "meaning_en": pa.Column(**text, checks=filled),
            "requires": pa.Column(
                **text,
                checks=pa.Check.isin(
                    ["citation", "reason"], error="requires must be citation or reason"
                ),
            ),
        },
        name="evidence grades",
    )


def load_evidence_grades(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """data/framework/evidence_grades.csv, validated, strongest grade first."""
    return _evidence_grades(*_key(framework_dir, "evidence_grades.csv")).copy()


# The registry's tables are small, but their schemas take pandera a noticeable time to run, and
# every Study (every notebook's kernel, every test's data folder) loads them: a table is
# validated once per content (the folder and the bytes of the files it depends on).
def _key(framework_dir: Path, *names: str) -> tuple:
    folder = Path(framework_dir)
    contents = tuple((folder / n).read_bytes() if (folder / n).exists() else None for n in names)
    return str(folder.resolve()), contents


@lru_cache(maxsize=32)
def _evidence_grades(folder: str, _contents: tuple) -> pd.DataFrame:
    report = ValidationReport()
    path = Path(folder) / "evidence_grades.csv"
    frame = _read(path, evidence_grades_schema(), report, ["grade"])
    report.raise_if_any()
    return frame.reset_index(drop=True)


def domains_schema() -> pa.DataFrameSchema:
    text = {"dtype": str, "coerce": True}
    return pa.DataFrameSchema(
        {
            "code": pa.Column(
                **text,
                unique=True,
                checks=pa.Check.str_matches(r"^D[1-5]$", error="code must be D1..D5"),
            ),
            "domain": pa.Column(
                **text, unique=True, checks=pa.Check.isin(DOMAINS, error="unknown domain")
            ),
            "domain_en": pa.Column(**text),
            "weight": pa.Column(
                float, coerce=True, checks=pa.Check.in_range(0, 1, error="weight must lie in 0..1")
            ),
            "aggregation": pa.Column(
                **text,
                checks=pa.Check.isin(
                    ["arithmetic", "geometric"], error="aggregation must be arithmetic or geometric"
                ),
            ),
            # The share of a domain's indicators a county-year needs for the full index.
            "min_coverage": pa.Column(
                float,
                coerce=True,
                required=False,
                checks=pa.Check.in_range(
                    0, 1, include_min=False, error="min_coverage must lie in (0, 1]"
                ),
            ),
        },
        checks=[
            pa.Check(
                lambda d: abs(d["weight"].sum() - 1) < 1e-6, error="domain weights must sum to 1"
            ),
            pa.Check(lambda d: len(d) == len(DOMAINS), error="exactly five domains"),
        ],
        name="domains",
    )


def _read(
    path: Path, schema: pa.DataFrameSchema, report: ValidationReport, key: list[str]
) -> pd.DataFrame | None:
    if not path.exists():
        report.add(f"framework/{path.name}", None, None, "file missing")
        return None
    frame = reading.read_table(path, report, f"framework/{path.name}")
    if frame is None:
        return None
    problems = validation.check_schema(schema, frame, f"framework/{path.name}", key)
    report.problems.extend(problems)
    return None if any(p.rule == "missing column" for p in problems) else frame


def validate_framework(
    data_dir: Path,
    report: ValidationReport,
    source_ids: set[str] | None = None,
    normalisers: list[str] | None = None,
) -> None:
    fw = Path(data_dir) / "framework"
    known = set(variables.load_variables(data_dir)["variable"])
    grades = _read(fw / "evidence_grades.csv", evidence_grades_schema(), report, ["grade"])
    if grades is None:
        return
    schema = indicators_schema(known, source_ids, normalisers, grades)
    _read(fw / "indicators.csv", schema, report, ["code"])
    _read(fw / "domains.csv", domains_schema(), report, ["code"])


def load_indicators(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """The registry, validated; weight float, direction int, standard float (NaN if blank)."""
    key = _key(framework_dir, "indicators.csv", "evidence_grades.csv", "variables.csv")
    return _indicators(*key).copy()


@lru_cache(maxsize=32)
def _indicators(folder: str, _contents: tuple) -> pd.DataFrame:
    report = ValidationReport()
    known = set(variables.load_variables(Path(folder).parent)["variable"])
    grades = load_evidence_grades(Path(folder))
    schema = indicators_schema(known, None, grades=grades)
    frame = _read(Path(folder) / "indicators.csv", schema, report, ["code"])
    report.raise_if_any()
    frame = frame.copy()
    frame["weight"] = frame["weight"].astype(float)
    frame["direction"] = frame["direction"].astype(int)
    frame["standard"] = pd.to_numeric(frame["standard"].replace("", None)).astype(float)
    frame["variables"] = frame["formula"].map(formula.variables)
    return frame


def load_domains(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    return _domains(*_key(framework_dir, "domains.csv")).copy()


@lru_cache(maxsize=32)
def _domains(folder: str, _contents: tuple) -> pd.DataFrame:
    report = ValidationReport()
    frame = _read(Path(folder) / "domains.csv", domains_schema(), report, ["code"])
    report.raise_if_any()
    frame = frame.copy()
    frame["weight"] = frame["weight"].astype(float)
    return frame


def _published(indicators: pd.DataFrame, wide, srcs, partial, prelim) -> list[pd.DataFrame]:
    """Indicators published directly (registry column `published_as`), status 'published'."""
    if "published_as" not in indicators.columns:
        return []
    out = []
    for ind in indicators.itertuples(index=False):
        name = getattr(ind, "published_as", "") or ""
        if not name or name == ind.formula.strip() or name not in wide.columns:
            continue
        have = wide[name].notna()
        if not have.any():
            continue
        is_partial = partial.loc[have, name].fillna(False).astype(bool)
        frame = pd.DataFrame(
            {
                "indicator": ind.code,
                "value": wide.loc[have, name].astype(float),
                "unit": ind.unit,
                "source_ids": srcs.loc[have, name],
                "status": is_partial.map({True: "partial", False: "published"}),
                "preliminary": prelim.loc[have, name].fillna(False).astype(bool),
            }
        )
        out.append(frame.reset_index())
    return out


def indicator_values(chosen: pd.DataFrame, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Evaluate every formula per county-year where all its variables exist.

    `chosen`: one figure per county, year and variable, chosen by the one selection policy
    (published figures only: inferred/derived rows are never inputs); the Study passes its
    full-year figures (`selection.best` without part years). A part-year input makes a value's
    status 'partial'. Status: 'published' (formula is one variable), 'computed' (recomputed from
    components) or 'partial'.
    Returns county_code, year, indicator, value, unit, source_ids, status.
    """
    indicators = load_indicators() if indicators is None else indicators
    wide = chosen.pivot(index=["county_code", "year"], columns="variable", values="value")
    srcs = chosen.pivot(index=["county_code", "year"], columns="variable", values="source_id")
    partial = chosen.pivot(index=["county_code", "year"], columns="variable", values="partial")
    if "preliminary" not in chosen:
        chosen = chosen.assign(preliminary=False)
    prelim = chosen.pivot(index=["county_code", "year"], columns="variable", values="preliminary")
    out = []
    for ind in indicators.itertuples(index=False):
        names = formula.variables(ind.formula)
        if not set(names) <= set(wide.columns):
            continue
        have = wide[names].notna().all(axis=1)
        if not have.any():
            continue
        block = wide.loc[have, names]
        values = formula.evaluate(ind.formula, {n: block[n] for n in names})
        ids = srcs.loc[have, names].apply(lambda r: "; ".join(dict.fromkeys(r)), axis=1)
        plain = "published" if len(names) == 1 and ind.formula.strip() == names[0] else "computed"
        is_partial = partial.loc[have, names].fillna(False).astype(bool).any(axis=1)
        frame = pd.DataFrame(
            {
                "indicator": ind.code,
                "value": pd.Series(values, index=block.index).astype(float),
                "unit": ind.unit,
                "source_ids": ids,
                "status": is_partial.map({True: "partial", False: plain}),
                "preliminary": prelim.loc[have, names].fillna(False).astype(bool).any(axis=1),
            }
        )
        out.append(frame.reset_index())
    out += _published(indicators, wide, srcs, partial, prelim)
    columns = ["county_code", "year", "indicator", "value", "unit", "source_ids", "status"]
    columns.append("preliminary")
    if not out:
        return pd.DataFrame(columns=columns)
    # A published figure beats a recomputation of the same county-year (the consistency table
    # compares the two); frames from _published come last, so keep the last.
    return (
        pd.concat(out, ignore_index=True)[columns]
        .drop_duplicates(["county_code", "year", "indicator"], keep="last")
        .sort_values(["indicator", "county_code", "year"])
        .reset_index(drop=True)
    )

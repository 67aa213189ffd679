"""The registry's schemas: what a valid indicators.csv, domains.csv and evidence_grades.csv
hold, as pandera schemas. `zjinnov.data.framework` reads the tables and validates them with
these; kept apart because the rules are long and the loading is short.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from zjinnov.data import formula

DOMAINS = ["科技投入", "技术创新", "科技产出", "转型升级", "创新环境"]
N_INDICATORS = 34


def indicators_schema(
    variables: set[str],
    source_ids: set[str] | None,
    normalisers: list[str] | None = None,
    *,
    grades: pd.DataFrame,
) -> pa.DataFrameSchema:
    """`normalisers`: the engine's names, passed down by the caller (the data layer does not
    import the engine), so a typo in the registry fails validation; None checks non-empty only.
    `grades`: the evidence grades (evidence_grades.csv); each says whether an indicator of that
    grade needs a citation (its evidence is a source) or a reason (it is this study's choice)."""
    text = {"dtype": str, "coerce": True}
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

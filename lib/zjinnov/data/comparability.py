"""The one rule for whether two figures may be compared (a county against its city, the
province or a target; a year against another year), and why not when they may not.

Two figures may be compared when all of these hold:

1. the same variable (or indicator);
2. the same period basis: full year against full year, or the same months against the same
   months (a Jan-Nov figure is never set against a full year);
3. both are published (published, or computed by the registry's formula from published
   figures); an implied, inferred or derived figure is never a side of a comparison, an
   inferred benchmark least of all;
4. the same year. A level may be set against a level of a nearby year (at most `max_gap`
   years apart) only when the sentence names both years: the verdict is then `nearby_year`,
   never `same_year`, and carries both years. Growth rates are compared within one year only.

A comparison that passes may still rest on a preliminary (预计) figure: `caveat` says so, and
the sentence must too. A comparison that fails is not made; its `reason` code says which rule
failed, so a table can show why.

Inputs are plain mappings (or DataFrame rows) with: `variable`, `year`, `period` ('year' or
months such as '1-11'), `status`, `kind` ('level' or 'growth'), and optionally `preliminary`.
`judge` applies the rule to a table of pairs whose comparator columns carry the suffix `_cmp`
(as `zjinnov.study.county_profile.comparison` names them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

# Verdicts
SAME_YEAR = "same_year"
NEARBY_YEAR = "nearby_year"
REFUSED = "refused"
VERDICTS = (SAME_YEAR, NEARBY_YEAR, REFUSED)
# Reasons a comparison is refused, in the order the rules are applied.
DIFFERENT_VARIABLE = "different_variable"
DIFFERENT_PERIOD = "different_period"
NOT_PUBLISHED = "not_published"
GROWTH_OTHER_YEAR = "growth_other_year"
OTHER_YEAR_UNNAMED = "other_year_unnamed"
YEARS_TOO_FAR = "years_too_far"
REASONS = (
    DIFFERENT_VARIABLE,
    DIFFERENT_PERIOD,
    NOT_PUBLISHED,
    GROWTH_OTHER_YEAR,
    OTHER_YEAR_UNNAMED,
    YEARS_TOO_FAR,
)
# Caveats of an allowed comparison
PRELIMINARY = "preliminary"
# Statuses that count as published: as printed, or computed by the registry's formula from
# published figures (zjinnov.data.framework.indicator_values), a part-year figure included
# (its period basis is rule 2's business).
PUBLISHED_STATUSES = frozenset({"published", "computed", "partial"})
LEVEL, GROWTH = "level", "growth"
KINDS = (LEVEL, GROWTH)
FULL_YEAR = "year"
MAX_GAP = 1


@dataclass(frozen=True)
class Verdict:
    """The rule's answer for one pair: `verdict` (same_year, nearby_year, refused), the failed
    rule's `reason` ('' when allowed), the two `years`, and a `caveat` ('' or preliminary)."""

    verdict: str
    reason: str
    year: int
    year_cmp: int
    caveat: str = ""

    @property
    def allowed(self) -> bool:
        return self.verdict != REFUSED


def _period(figure: Mapping) -> str:
    period = figure.get("period")
    if period is None or (isinstance(period, float) and pd.isna(period)):
        # An indicator value carries its basis in its status ('partial': part of a year).
        return "part" if figure.get("status") == "partial" else FULL_YEAR
    return str(period)


def _flag(figure: Mapping, name: str) -> bool:
    value = figure.get(name, False)
    return bool(value) and not (isinstance(value, float) and pd.isna(value))


def compare(
    figure: Mapping, benchmark: Mapping, *, names_both_years: bool = False, max_gap: int = MAX_GAP
) -> Verdict:
    """May `figure` be set against `benchmark`? See the module's rules.

    `names_both_years`: the sentence that shows the comparison names the year of each side;
    only then may a level be compared with a level of a nearby year (`nearby_year`).
    """
    year, year_cmp = int(figure["year"]), int(benchmark["year"])

    def refused(reason: str) -> Verdict:
        return Verdict(REFUSED, reason, year, year_cmp)

    if figure["variable"] != benchmark["variable"]:
        return refused(DIFFERENT_VARIABLE)
    if _period(figure) != _period(benchmark):
        return refused(DIFFERENT_PERIOD)
    if not {figure["status"], benchmark["status"]} <= PUBLISHED_STATUSES:
        return refused(NOT_PUBLISHED)
    caveat = PRELIMINARY if _flag(figure, "preliminary") or _flag(benchmark, "preliminary") else ""
    if year == year_cmp:
        return Verdict(SAME_YEAR, "", year, year_cmp, caveat)
    if GROWTH in (figure.get("kind", LEVEL), benchmark.get("kind", LEVEL)):
        return refused(GROWTH_OTHER_YEAR)
    if abs(year - year_cmp) > max_gap:
        return refused(YEARS_TOO_FAR)
    if not names_both_years:
        return refused(OTHER_YEAR_UNNAMED)
    return Verdict(NEARBY_YEAR, "", year, year_cmp, caveat)


def judge(
    pairs: pd.DataFrame, *, names_both_years: bool = False, max_gap: int = MAX_GAP
) -> pd.DataFrame:
    """`pairs` with `verdict`, `reason` and `caveat` added: one row a comparison, the county's
    figure in the plain columns and the comparator's in the same names with suffix `_cmp`
    (`variable`/`indicator`, `year`, `period`, `status`, `kind`, `preliminary`)."""
    name = "variable" if "variable" in pairs else "indicator"
    fields = [name, "year", "period", "status", "kind", "preliminary"]
    answers = []
    for row in pairs.to_dict("records"):
        own = {f: row.get(f) for f in fields}
        other = {f: row.get(f"{f}_cmp", row.get(f)) for f in fields}
        own["variable"], other["variable"] = own.pop(name), other.pop(name)
        answers.append(compare(own, other, names_both_years=names_both_years, max_gap=max_gap))
    return pairs.assign(
        verdict=[a.verdict for a in answers],
        reason=[a.reason for a in answers],
        caveat=[a.caveat for a in answers],
    )


def indicator_kinds(indicators: pd.DataFrame, variables: pd.DataFrame) -> pd.Series:
    """Per indicator code: 'growth' when every variable of its formula is a growth rate
    (variables.csv kind), else 'level'."""
    from zjinnov.data import formula

    kind = variables.set_index("variable")["kind"]

    def one(text: str) -> str:
        names = formula.variables(text)
        return GROWTH if names and all(kind.get(n) == "growth" for n in names) else LEVEL

    return pd.Series([one(f) for f in indicators["formula"]], index=indicators["code"], name="kind")


def with_sides(
    pairs: pd.DataFrame, values: pd.DataFrame, kinds: pd.Series, county: str
) -> pd.DataFrame:
    """Pairs of indicator values (`indicator`, `year`, `comparator`, `year_cmp`, as
    `zjinnov.study.county_profile.comparison` returns them) with what the rule reads of each
    side from the long values table (`framework.indicator_values`): `status`, `preliminary`
    and their `_cmp` twins, and `kind` (`indicator_kinds`)."""
    cols = ["status", "preliminary"]
    table = values.set_index(["county_code", "year", "indicator"])
    table = table.reindex(columns=cols)
    own = table.reindex(
        pd.MultiIndex.from_arrays([[county] * len(pairs), pairs["year"], pairs["indicator"]])
    )
    other = table.reindex(
        pd.MultiIndex.from_arrays([pairs["comparator"], pairs["year_cmp"], pairs["indicator"]])
    )
    out = pairs.assign(kind=pairs["indicator"].map(kinds).fillna(LEVEL).to_numpy())
    for col in cols:
        out[col] = own[col].to_numpy()
        out[f"{col}_cmp"] = other[col].to_numpy()
    return out

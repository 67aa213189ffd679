"""Across the books: every comparison a chapter makes, re-judged from the raw rows it names, and
every stated comparison recomputed from the rows its fact names as evidence.

For Lin'an, 磐安 and 景宁畲族自治县 (331127), each chapter that compares two figures records its
comparisons in `result.tables["comparisons"]` (the columns of `zjinnov.data.comparability.judge`:
the county's side, the comparator's side with `_cmp`, the rule's `verdict`, `reason`, `caveat`).
This test does not trust that table's verdict: it reads the raw rows each side names (`rows` as
"file:line", else the side's county, year, variable and source in `data/raw/`, or the target
row in `data/targets.csv`), takes from them the variable, period basis, status, year and
preliminary mark, applies the rule again and compares. It then recomputes every ratio the
strengths and weaknesses state from the raw rows their facts give as evidence, so a fact whose
evidence is wrong (another year, another county, a missing row) fails.
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd
import pytest

from zjinnov.data import comparability, formula, units
from zjinnov.data.paths import DATA
from zjinnov.present import sentences
from zjinnov.study.chapters import county, trends
from zjinnov.study.study import Study

COUNTIES = ("330112", "330727", "331127")
# The chapters that set two figures side by side.
COMPARING = {"c03": county.build, "c06": trends.build}
NOT_PUBLISHED = {"derived", "inferred", "implied"}


@cache
def _raw_file(name: str) -> dict[int, dict]:
    """A raw table's rows by their line in the file (the header is line 1)."""
    path = DATA / "raw" / name
    with path.open(encoding="utf-8", newline="") as f:
        return {line: row for line, row in enumerate(csv.DictReader(f), start=2)}


@cache
def _raw_rows() -> pd.DataFrame:
    frames = []
    for path in sorted((DATA / "raw").glob("*.csv")):
        rows = _raw_file(path.name)
        frame = pd.DataFrame.from_dict(rows, orient="index").assign(file=path.name)
        frames.append(frame.rename_axis("line").reset_index())
    return pd.concat(frames, ignore_index=True)


@cache
def _targets() -> pd.DataFrame:
    return pd.read_csv(DATA / "targets.csv", dtype=str, keep_default_na=False)


@cache
def _registry():
    study = Study.load("330112")
    indicators = study.indicators.set_index("code")
    variables = study.variables.set_index("variable")
    kinds = comparability.indicator_kinds(study.indicators, study.variables)
    return indicators, variables, kinds


@pytest.fixture(scope="module")
def books():
    return {
        (code, chapter): build(Study.load(code))
        for code in COUNTIES
        for chapter, build in COMPARING.items()
    }


# --- reading a side back from the raw rows --------------------------------------------------


def _records(marks: str) -> list[dict]:
    out = []
    for mark in [m for m in str(marks or "").split("; ") if m]:
        name, _, line = mark.rpartition(":")
        out.append({**_raw_file(name)[int(line)], "file": name, "line": int(line)})
    return out


def _found(row: pd.Series, suffix: str) -> list[dict]:
    """The raw rows of one side: named as file:line, else found by their keys."""
    if f"rows{suffix}" in row and row[f"rows{suffix}"]:
        return _records(row[f"rows{suffix}"])
    if suffix and row.get("comparison") == "target":
        t = _targets()
        hit = t[
            t["region_code"].eq(str(row["county_code_cmp"]))
            & t["target_year"].astype(int).eq(int(row["year_cmp"]))
            & t["variable"].eq(row["variable_cmp"])
        ]
        return [{**r, "target": True} for r in hit.to_dict("records")]
    raw = _raw_rows()
    hit = raw[
        raw["county_code"].eq(str(row[f"county_code{suffix}"]))
        & raw["year"].astype(int).eq(int(row[f"year{suffix}"]))
        & raw["variable"].eq(row[f"variable{suffix}"])
        & raw["source_id"].eq(str(row[f"source_id{suffix}"]))
    ]
    return hit.to_dict("records")


def _side(records: list[dict], code: str) -> dict:
    """What the rule reads of a side, taken from its raw rows alone."""
    indicators, variables, kinds = _registry()
    assert records, f"{code}: no raw row found for a side of a comparison"
    if records[0].get("target"):
        (t,) = records
        kind = "growth" if variables["kind"].get(code) == "growth" else "level"
        return {
            "variable": code,
            "year": int(t["target_year"]),
            "period": comparability.FULL_YEAR,
            "status": "published",
            "kind": kind,
            "preliminary": False,
        }
    years = {int(r["year"]) for r in records}
    periods = {units.parse_period(r["period"]) for r in records}
    assert len(years) == 1, f"{code}: one side mixes years {sorted(years)}"
    assert len(periods) == 1, f"{code}: one side mixes periods {sorted(periods)}"
    names = {r["variable"] for r in records}
    if code in indicators.index:
        allowed = set(formula.variables(indicators.at[code, "formula"]))
        allowed.add(indicators.at[code, "published_as"] or "")
        assert names <= allowed, f"{code}: rows of {sorted(names - allowed)} behind it"
        kind = kinds[code]
    else:
        assert names == {code}, f"{code}: rows of {sorted(names)} behind it"
        kind = "growth" if variables["kind"].get(code) == "growth" else "level"
    statuses = {
        r["confidence"] if r["confidence"] in NOT_PUBLISHED else "published" for r in records
    }
    return {
        "variable": code,
        "year": years.pop(),
        "period": periods.pop(),
        "status": "published" if statuses == {"published"} else sorted(statuses - {"published"})[0],
        "kind": kind,
        "preliminary": any(r.get("release") == "preliminary" for r in records),
    }


def _value(records: list[dict], code: str) -> float:
    """A side's value from its raw rows: as published, or by the registry's formula."""
    indicators, variables, _ = _registry()
    if records[0].get("target"):
        return float(records[0]["target_value"])
    values = {}
    for r in records:
        number, unit = units.parse_quantity(r["value"], r["unit"])
        canonical = variables.at[r["variable"], "unit"]
        # A value printed without a unit is in the variable's own unit (as the loader reads it).
        factor = units.conversion_factor(unit, canonical) if unit and unit != canonical else 1
        values[r["variable"]] = number * factor
    if code not in indicators.index:
        return values[code]
    published = indicators.at[code, "published_as"]
    if published in values:
        return values[published]
    return float(formula.evaluate(indicators.at[code, "formula"], values))


def _comparisons(books) -> list[tuple[str, str, pd.Series]]:
    out = []
    for (code, chapter), result in books.items():
        table = result.tables.get("comparisons")
        if table is None:
            continue
        out += [(code, chapter, row) for _, row in table.iterrows()]
    return out


# --- (a) the rule, re-judged from the raw rows ----------------------------------------------


def _rejudged(row: pd.Series) -> list[str]:
    """What is wrong with one recorded comparison, judged again from its raw rows."""
    name = row["indicator"] if "indicator" in row else row["variable"]
    name_cmp = name if "indicator" in row else row.get("variable_cmp", name)
    where = f"{name} {row['year']}/{row['year_cmp']}"
    found, found_cmp = _found(row, ""), _found(row, "_cmp")
    own, other = _side(found, name), _side(found_cmp, name_cmp)
    problems = []
    if (own["year"], other["year"]) != (int(row["year"]), int(row["year_cmp"])):
        problems.append(f"{where}: its rows are of {own['year']}/{other['year']}")
    again = comparability.compare(
        own, other, names_both_years=bool(row["names_both_years"]), max_gap=int(row["max_gap"])
    )
    recorded = (row["verdict"], row["reason"], row["caveat"])
    if (again.verdict, again.reason, again.caveat) != recorded:
        problems.append(f"{where}: recorded {recorded}, the rule says {again}")
    # The values compared are those of the rows named.
    if _value(found, name) != pytest.approx(float(row["value"])):
        problems.append(f"{where}: value {row['value']} is not its rows'")
    if _value(found_cmp, name_cmp) != pytest.approx(float(row["value_cmp"])):
        problems.append(f"{where}: value {row['value_cmp']} is not its rows'")
    return problems


def test_every_comparison_holds_the_rule_from_its_raw_rows(books):
    found = _comparisons(books)
    problems = [f"{code} {chapter} {p}" for code, chapter, row in found for p in _rejudged(row)]
    assert not problems, "\n".join(problems)
    # Lin'an's chapter 03 alone makes ten comparisons; the test must not pass on nothing.
    assert len(found) >= 10


def test_the_rejudging_is_not_blind(books):
    table = books[("330112", "c03")].tables["comparisons"]

    def pair(indicator, year, comparator) -> pd.Series:
        hit = table[
            table["indicator"].eq(indicator)
            & table["year"].eq(year)
            & table["comparator"].eq(comparator)
        ]
        return hit.iloc[0].copy()

    # A growth rate against another year's, recorded as allowed: caught.
    growth = pair("I24", 2021, "330100")
    growth[["verdict", "reason"]] = ["nearby_year", ""]
    assert any("the rule says" in p for p in _rejudged(growth))
    # A side that names another year's row: caught.
    level = pair("I01", 2020, "330100")
    level["rows"] = pair("I01", 2023, "330000")["rows"]
    assert _rejudged(level)


def test_lin_an_refuses_what_issue_17_found_and_states_only_allowed_pairs(books):
    table = books[("330112", "c03")].tables["comparisons"]
    stated = table[table["stated"]]
    assert stated["verdict"].ne(comparability.REFUSED).all()
    # Every nearby-year pair stated names both years (the rule allowed it on that promise).
    facts = books[("330112", "c03")].facts
    text = sentences.render("c03_strengths", facts) + sentences.render("c03_weaknesses", facts)
    for row in stated[stated["verdict"].eq(comparability.NEARBY_YEAR)].itertuples():
        assert f"{row.year} 年为{row.comparator_name} {row.year_cmp} 年的" in text
    refused = table[table["verdict"].eq(comparability.REFUSED)]
    assert set(zip(refused["indicator"], refused["reason"], strict=True)) == {
        ("I24", comparability.GROWTH_OTHER_YEAR)
    }


@pytest.mark.parametrize("code", ["330727", "331127"])
def test_a_county_without_data_compares_nothing_and_says_so_once(books, code):
    result = books[(code, "c03")]
    assert result.tables["comparisons"].empty
    facts = result.facts
    said = [
        sentences.render(k, facts)
        for k in ("c03_summary_compare", "c03_strengths", "c03_weaknesses")
    ]
    assert said[1:] == ["", ""] and said[0] == sentences.render("c03_compare_none", facts)


# --- (b) the stated ratios, recomputed from their evidence ------------------------------------


def _evidence_rows(evidence, county_code: str, year: int) -> list[dict]:
    rows = [e for e in evidence if e["county_code"] == county_code and e["year"] == year]
    out = []
    for e in rows:
        raw = _raw_file(e["file"])[e["row"]]
        # The evidence names the row by its keys too: they must be that row's.
        assert (raw["county_code"], int(raw["year"]), raw["variable"], raw["source_id"]) == (
            e["county_code"],
            e["year"],
            e["variable"],
            e["source_id"],
        ), e
        out.append({**raw, "file": e["file"], "line": e["row"]})
    return out


@pytest.mark.parametrize("code", COUNTIES)
def test_every_stated_ratio_recomputes_from_its_evidence(books, code):
    indicators, _, _ = _registry()
    facts = books[(code, "c03")].facts
    study = Study.load(code)
    checked = 0
    for key in ("c03_strength_rows", "c03_weakness_rows", "c03_top_rows", "c03_bottom_rows"):
        fact = facts[key]
        items = fact.value
        if fact.missing:
            continue
        union = {tuple(sorted(e.items())) for e in fact.evidence}
        for item in items.to_dict("records"):
            pct, year, other = item["pct"], item["year"].value, item["year_cmp"].value
            comparator = item["comparator"].value
            own = _evidence_rows(pct.evidence, study.county, year)
            theirs = _evidence_rows(pct.evidence, comparator, other)
            ratio = _value(own, item["indicator"]) / _value(theirs, item["indicator"])
            if float(indicators.at[item["indicator"], "direction"]) < 0:
                ratio = 1 / ratio
            assert ratio == pytest.approx(pct.value), (key, item["indicator"], year)
            # The fact's own evidence holds every row its items rest on.
            assert {tuple(sorted(e.items())) for e in pct.evidence} <= union
            checked += 1
    if code == "330112":
        assert checked == 6  # three strengths, one weakness, the strongest and the weakest
    else:
        assert checked == 0


def test_a_wrong_evidence_row_is_caught(books):
    # The check is not blind: the weakness's evidence moved to another year fails it.
    item = books[("330112", "c03")].facts["c03_weakness_rows"].value.iloc[0]
    evidence = [dict(e) for e in item["pct"].evidence]
    for e in evidence:
        if e["county_code"] == "330100":
            e["year"] += 1
    with pytest.raises((AssertionError, KeyError, StopIteration, ValueError, IndexError)):
        theirs = _evidence_rows(evidence, "330100", item["year_cmp"].value)
        _value(theirs, item["indicator"])

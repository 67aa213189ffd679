"""Chapter 03's comparisons: the county against its city and the province, like for like.

Every pair of figures the chapter might set side by side is judged by the one comparison rule
(`zjinnov.data.comparability`, through `county_profile.comparisons`) and recorded in
`result.tables["comparisons"]` with the raw rows of both sides and the rule's answer. Only
allowed pairs are stated: the county's latest year per indicator and comparator, each item
naming both years when they differ and saying when a side rests on preliminary (预计) figures
or on a figure a consistency check contradicts (`Study.contradicted`, chapter 01's checks).
Each stated ratio carries its own evidence, the raw rows of both sides, so a test can
recompute it from them.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.data import comparability
from zjinnov.study import county_profile
from zjinnov.study.facts import ChapterResult, Fact, evidence_rows

# Item templates (sentences.csv): a comparison of one year, or of two years both named, and
# the same with a note on preliminary figures.
ITEMS = {
    (comparability.SAME_YEAR, False): "c03_cmp_same_item",
    (comparability.SAME_YEAR, True): "c03_cmp_same_prelim_item",
    (comparability.NEARBY_YEAR, False): "c03_cmp_nearby_item",
    (comparability.NEARBY_YEAR, True): "c03_cmp_nearby_prelim_item",
}
# Which side rests on preliminary figures, and which on a figure a consistency check
# contradicts (vocabulary keys, labels group `term`): an item says each that applies.
PRELIM_NOTE = {
    (True, False): "compare_prelim_own",
    (False, True): "compare_prelim_cmp",
    (True, True): "compare_prelim_both",
}
FLAGGED_NOTE = {
    (True, False): "compare_flagged_own",
    (False, True): "compare_flagged_cmp",
    (True, True): "compare_flagged_both",
}


def add(study, result: ChapterResult) -> None:
    """The comparisons table, the counts, and the stated strengths and weaknesses."""
    comparators = {study.city: study.city_name, study.province: study.province_name}
    kinds = {study.city: "city", study.province: "province"}
    judged = county_profile.comparisons(
        study.values,
        study.indicators,
        study.variables,
        study.county,
        comparators,
        study.rows_behind,
        kinds,
    )
    stated = county_profile.stated(judged)
    allowed = judged["verdict"].ne(comparability.REFUSED)
    result.fact("c03_n_with_data", study.values_of()["indicator"].nunique() or None, "count")
    result.fact("c03_n_compared", judged["indicator"].nunique(), "count")
    result.fact("c03_n_pairs", len(judged) or None, "count")
    result.fact("c03_n_refused", int((~allowed).sum()) or None, "count")
    result.fact("c03_n_allowed", int(allowed.sum()) or None, "count")
    items = _items(study, stated)
    strong, weak = stated["ratio"] >= 1, stated["ratio"] < 1
    result.fact(
        "c03_strength_rows", items[strong.to_numpy()], "items", evidence=_rows(items, strong)
    )
    result.fact("c03_weakness_rows", items[weak.to_numpy()], "items", evidence=_rows(items, weak))
    # The strongest and the weakest comparable indicator, for the front page.
    order = stated["ratio"].reset_index(drop=True).sort_values(kind="stable").index
    top = items.iloc[order[-1:]] if len(order) else items
    bottom = items.iloc[order[:1]] if len(order) > 1 else items.iloc[:0]
    result.fact("c03_top_rows", top, "items", evidence=_rows(top))
    result.fact("c03_bottom_rows", bottom, "items", evidence=_rows(bottom))
    table = judged.assign(
        stated=judged.set_index(["indicator", "year", "comparator"]).index.isin(
            stated.set_index(["indicator", "year", "comparator"]).index
        ),
        pct_of_cmp=100 * judged["ratio"],
        judgement=[
            _judgement(v, r, c) for v, r, c in judged[["verdict", "reason", "caveat"]].to_numpy()
        ],
    )
    result.tables["comparisons"] = table
    result.tables["latest_comparison"] = stated


def _judgement(verdict: str, reason: str, caveat: str) -> str:
    """The rule's answer as one vocabulary key (labels group `reason`)."""
    if verdict == comparability.REFUSED:
        return f"compare_{reason}"
    return f"compare_{verdict}" + ("_preliminary" if caveat else "")


def _items(study, stated: pd.DataFrame) -> pd.DataFrame:
    """One row an item of a sentence, with the ratio's raw rows as its evidence."""
    names_en = study.indicators.set_index("code")["name_en"]
    rows = []
    for r in stated.itertuples(index=False):
        prelim = (bool(r.preliminary), bool(r.preliminary_cmp))
        evidence = _evidence(study, r)
        flagged = _contradicted(study, r, evidence)
        notes = tuple(n for n in (PRELIM_NOTE.get(prelim), FLAGGED_NOTE.get(flagged)) if n)
        note = notes or None
        rows.append(
            {
                "item": ITEMS[(r.verdict, note is not None)],
                "indicator": r.indicator,
                "name_zh": r.name_zh,
                "name_en": names_en.get(r.indicator, r.indicator),
                "year": Fact(r.year, "year"),
                "year_cmp": Fact(r.year_cmp, "year"),
                "comparator": Fact(r.comparator, "place"),
                "pct": Fact(r.ratio, "share", evidence=evidence),
                "note": Fact(note, "term"),
            }
        )
    columns = [
        "item",
        "indicator",
        "name_zh",
        "name_en",
        "year",
        "year_cmp",
        "comparator",
        "pct",
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)


def _evidence(study, r) -> tuple[dict, ...]:
    """The raw rows both sides of one comparison rest on (`Study.rows_behind`)."""
    keys = pd.DataFrame(
        {
            "county_code": [study.county, r.comparator],
            "year": [r.year, r.year_cmp],
            "indicator": [r.indicator, r.indicator],
        }
    )
    return evidence_rows(study.rows_behind(keys))


def _contradicted(study, r, evidence) -> tuple[bool, bool]:
    """Whether the county's side and the comparator's rest on a raw row a consistency check
    contradicts (`Study.contradicted`)."""
    keys = {
        (e["county_code"], f"{e['county_code']}/{e['year']}/{e['variable']}@{e['source_id']}")
        for e in evidence
    }
    hit = {code for code, key in keys if key in study.contradicted}
    return study.county in hit, r.comparator in hit


def _rows(items: pd.DataFrame, mask: pd.Series | None = None) -> pd.DataFrame | None:
    """The union of the items' evidence, as a frame a fact's evidence takes."""
    chosen = items if mask is None else items[mask.to_numpy()]
    records = [e for pct in chosen["pct"] for e in pct.evidence]
    return pd.DataFrame(records) if records else None

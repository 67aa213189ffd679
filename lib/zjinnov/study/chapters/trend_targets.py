"""Chapter 06's plan targets: which targets the county is held to (its own, else its city's
ratios; `targets.plan_targets`), each set against the county's figures by the one comparison
rule (`zjinnov.data.comparability`), and each judged four ways (`targets.target_status_table`):
the model probability, Open SDG's growth ratio, the German weather symbol and 序时进度.

Two comparisons stand behind a target's status, and both go through the rule: the county's
latest published figure against the target (is it met; how far off), and that figure against
the plan's base-year figure (the growth the Open SDG ratio and 序时进度 read). Both name their
two years, so the rule allows years apart up to the plan's span (`MAX_GAP`); a growth rate is
compared within one year only, a part-year figure never with a full year. A comparison the
rule refuses is not made: the status columns that rest on it stay empty and the table says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zjinnov.data import comparability
from zjinnov.study import targets
from zjinnov.study.chapters.trend_names import n_published, names_of, timing
from zjinnov.study.facts import Fact
from zjinnov.study.trend_runs import PUBLISHED_ONLY

# Written in tables as math signs, the same in both languages.
COMPARATOR_SIGN = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈", "≤": "≤", "≥": "≥"}
# A target set against a figure of another year: both years are named, and the gap may be as
# long as the plan's (from its base year to the last target year).
TARGET, BASE = "target", "base"
# One row a comparison: the county's figure, then the benchmark's (a target, or the county's
# own base-year figure) in the same columns with `_cmp`, then the rule's answer.
SIDE = ["county_code", "year", "variable", "period", "status", "kind", "value", "source_id"]
COMPARISON_COLUMNS = [
    "comparison",
    *SIDE,
    "preliminary",
    *(f"{c}_cmp" for c in SIDE),
    "preliminary_cmp",
    "names_both_years",
    "max_gap",
    "verdict",
    "reason",
    "caveat",
]
# Status columns that rest on each comparison (emptied where the rule refuses it).
RESTS_ON = {
    TARGET: ["sdg_ratio", "schedule_completion", "schedule_elapsed"],
    BASE: ["sdg_ratio", "schedule_completion", "schedule_elapsed"],
}


def max_gap(horizon: int) -> int:
    """The longest gap between a target's year and a figure set against it: the plan's span."""
    return int(horizon) - targets.PLAN_BASE_YEAR


def _target_items(rows: pd.DataFrame, variables: pd.DataFrame) -> pd.DataFrame:
    names = names_of(variables, rows["variable"])
    return pd.DataFrame(
        {
            "name_zh": names["name_zh"].to_numpy(),
            "name_en": names["name_en"].to_numpy(),
            "region": [Fact(c, "place") for c in rows["region_code"]],
            "plan_kind": [Fact(f"plan_{k or 'other'}", "term") for k in rows["plan_kind"]],
            "target_year": [Fact(y, "year") for y in rows["target_year"]],
            "comparator": [COMPARATOR_SIGN.get(c, c) for c in rows["comparator"]],
            "target_value": [
                Fact(v, "value", u) for v, u in zip(rows["target_value"], rows["unit"], strict=True)
            ],
        }
    )


def target_evidence(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of data/targets.csv behind targets, as a fact's evidence names raw rows."""
    return pd.DataFrame(
        {
            "county_code": rows["region_code"],
            "year": rows["target_year"],
            "variable": rows["variable"],
            "source_id": rows["source_id"],
            "status": "target",
            "file": "targets.csv",
            "row": rows["row"] if "row" in rows else None,
        }
    )


def add(result, study, stage, candidates, variables, built_year: int) -> None:
    """The targets the county is held to, the comparisons behind their status, and each
    judged four ways, into `result`."""
    runs, used, scope = stage.runs, stage.targets, stage.scope
    items = _target_items(used, variables)
    own = scope == targets.OWN
    evidence = target_evidence(used)
    result.fact("c06_own_n_found", len(used) if own else None, "count", evidence=evidence)
    result.fact("c06_own_targets", items if own else items.iloc[:0], "items", evidence=evidence)
    result.fact(
        "c06_city_targets",
        items if scope == targets.CITY else items.iloc[:0],
        "items",
        evidence=evidence,
    )
    result.fact("c06_city_reason", "city_not_needed" if own else "city_no_ratio_targets", "term")
    result.fact("c06_n_targets_used", len(used) or None, "count", evidence=evidence)
    result.fact("c06_targets_list", items, "items", evidence=evidence)
    result.fact(
        "c06_target_region",
        {targets.OWN: study.county, targets.CITY: study.city}.get(scope),
        "place",
    )
    names = names_of(variables, used["variable"])
    result.tables["targets_used"] = pd.DataFrame(
        {
            "region": used["region_name"],
            "plan": used["plan"],
            "plan_kind": "plan_" + used["plan_kind"].replace("", "other").astype(str),
            "name_zh": names["name_zh"].to_numpy(),
            "target_year": used["target_year"],
            "comparator": used["comparator"],
            "target_value": used["target_value"],
            "unit": used["unit"],
            "source_id": used["source_id"],
            "quote": used["quote"],
        }
    )

    series = {v: runs[v, PUBLISHED_ONLY].selection.values for v, s in runs if s == PUBLISHED_ONLY}
    kinds = {v: runs[v, PUBLISHED_ONLY].kind for v in series}
    status = targets.target_status_table(series, used, kinds=kinds)
    rows = {v: candidates[v, PUBLISHED_ONLY] for v in series}
    compared = comparisons(status, rows, variables, max_gap(stage.horizon))
    result.tables["comparisons"] = compared
    status = _apply_rule(status, compared)
    if len(status):
        status["n_published"] = [n_published(rows[v]) for v in status["variable"]]
        status["timing"] = [timing(y, built_year) for y in status["target_year"]]
        # Once a target is met, the share of the gap closed says nothing more.
        achieved = status["schedule_status"] == "achieved"
        status["schedule_completion"] = status["schedule_completion"].where(~achieved)
    else:
        status = status.assign(
            n_published=pd.Series(dtype=int),
            compared=pd.Series(dtype=str),
            timing=pd.Series(dtype=str),
        )
    _tables(result, status, variables)
    _facts(result, status, compared, rows, variables)


# --- the comparisons behind a target's status -------------------------------------------------


def _side(row: pd.Series | None, variable: str, kind: str) -> dict:
    if row is None:
        return dict.fromkeys([*SIDE, "preliminary"])
    return {
        "county_code": str(row["county_code"]),
        "year": int(row["year"]),
        "variable": variable,
        "period": str(row["period"]) if pd.notna(row["period"]) else comparability.FULL_YEAR,
        "status": str(row["status"]),
        "kind": kind,
        "value": float(row["value"]),
        "source_id": str(row["source_id"]),
        "preliminary": bool(row["preliminary"]) if pd.notna(row["preliminary"]) else False,
    }


def _used_row(rows: pd.DataFrame, year) -> pd.Series | None:
    found = rows[rows["used"].astype(bool) & rows["year"].eq(year)]
    return found.iloc[0] if len(found) else None


def comparisons(
    status: pd.DataFrame, rows: dict[str, pd.DataFrame], variables: pd.DataFrame, gap: int
) -> pd.DataFrame:
    """One row a comparison behind each target's status (COMPARISON_COLUMNS), judged by
    `comparability.judge`: the latest figure against the target, and against the base-year
    figure where the two years differ."""
    records = []
    for rec in status.to_dict("records"):
        v = rec["variable"]
        kind = comparability.GROWTH if variables["kind"].get(v) == "growth" else comparability.LEVEL
        latest = _side(_used_row(rows[v], rec["latest_year"]), v, kind)
        target = {
            "county_code": str(rec["region_code"]),
            "year": int(rec["target_year"]),
            "variable": v,
            "period": comparability.FULL_YEAR,
            "status": "published",
            "kind": kind,
            "value": float(rec["target_value"]),
            "source_id": str(rec["source_id"]),
            "preliminary": False,
        }
        records.append(_pair(TARGET, latest, target))
        if pd.notna(rec["base_year_used"]) and rec["base_year_used"] != rec["latest_year"]:
            base = _side(_used_row(rows[v], rec["base_year_used"]), v, kind)
            records.append(_pair(BASE, latest, base))
    if not records:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    pairs = pd.DataFrame(records)
    judged = comparability.judge(pairs, names_both_years=True, max_gap=gap)
    judged = judged.assign(names_both_years=True, max_gap=gap)
    return judged.drop_duplicates()[COMPARISON_COLUMNS].reset_index(drop=True)


def _pair(name: str, own: dict, other: dict) -> dict:
    return {"comparison": name, **own, **{f"{k}_cmp": v for k, v in other.items()}}


def _apply_rule(status: pd.DataFrame, compared: pd.DataFrame) -> pd.DataFrame:
    """The status with what a refused comparison would have said left empty, and per target
    the reason of its first refused comparison (`compared`: '' when both are allowed)."""
    if status.empty:
        return status.assign(compared=pd.Series(dtype=str))
    status = status.copy()
    status["compared"] = ""
    refused = compared[compared["verdict"].eq(comparability.REFUSED)]
    for row in refused.itertuples(index=False):
        hit = status["variable"].eq(row.variable) & status["latest_year"].eq(row.year)
        if row.comparison == TARGET:
            hit &= status["target_year"].eq(row.year_cmp) & status["region_code"].eq(
                row.county_code_cmp
            )
            status.loc[hit, ["sdg_category", "schedule_status"]] = "not_available"
            status.loc[hit, ["dns_symbol", "dns_relaxed_symbol"]] = "not_assessable"
        else:
            status.loc[hit, "sdg_category"] = "not_available"
            status.loc[hit, "schedule_status"] = "not_available"
        status.loc[hit, RESTS_ON[row.comparison]] = np.nan
        first = hit & status["compared"].eq("")
        status.loc[first, "compared"] = "cmp_" + row.reason
    return status


# --- tables and facts ---------------------------------------------------------------------------


def _tables(result, status: pd.DataFrame, variables: pd.DataFrame) -> None:
    names = names_of(variables, status["variable"])
    common = {
        "name_zh": names["name_zh"].to_numpy(),
        "region": status["region_name"],
        "target_year": status["target_year"],
    }
    result.tables["target_probability"] = pd.DataFrame(
        {
            **common,
            "comparator": status["comparator"],
            "target_value": status["target_value"],
            "unit": status["unit"] if "unit" in status else None,
            "latest_year": status["latest_year"],
            "latest_value": status["latest_value"],
            "n_obs": status["n_obs"],
            "n_published": status["n_published"],
            "prob": status["prob"],
            "prob_model": status["prob_model"],
        }
    )
    result.tables["target_rules"] = pd.DataFrame(
        {
            **common,
            "sdg_ratio": status["sdg_ratio"],
            "sdg_category": "sdg_" + status["sdg_category"].astype(str),
            "dns_symbol": "dns_" + status["dns_symbol"].astype(str),
            "dns_relaxed_symbol": "dns_" + status["dns_relaxed_symbol"].astype(str),
            "dns_relaxed_points": status["dns_relaxed_points"],
            "schedule_completion": status["schedule_completion"],
            "schedule_elapsed": status["schedule_elapsed"],
            "schedule_status": "schedule_" + status["schedule_status"].astype(str),
            "compared": status["compared"].replace("", "cmp_allowed"),
        }
    )


def latest_evidence(status: pd.DataFrame, rows: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The raw rows of the latest figures a status table reads."""
    found = [
        rows[v][rows[v]["used"].astype(bool) & rows[v]["year"].eq(y)].assign(variable=v)
        for v, y in zip(status["variable"], status["latest_year"], strict=True)
    ]
    return pd.concat(found, ignore_index=True) if found else None


def _facts(result, status, compared, rows, variables) -> None:
    allowed = (
        compared[compared["comparison"].eq(TARGET) & compared["verdict"].ne(comparability.REFUSED)]
        if len(compared)
        else compared
    )
    n_strict = int(status["dns_symbol"].ne("not_assessable").sum()) if len(status) else 0
    result.fact("c06_sdg_on_track", targets.SDG_ON_TRACK, "ratio")
    result.fact("c06_sdg_accel", targets.SDG_ACCELERATION, "ratio")
    result.fact("c06_dns_sun", targets.DNS_SUN, "share")
    result.fact("c06_dns_cloud", targets.DNS_SUN_CLOUD, "share")
    result.fact("c06_dns_min", targets.DNS_MIN_POINTS, "count")
    result.fact("c06_n_dns_strict", n_strict or None, "count")
    evidence = latest_evidence(status, rows)
    result.fact("c06_n_assessed", len(allowed) or None, "count", evidence=evidence)
    if status.empty:
        why = "no_assess_no_targets" if not result.facts["c06_n_targets_used"].value else None
        why = why or "no_assess_no_data"
    else:
        why = "no_assess_refused"
    result.fact("c06_no_assess_reason", why, "term")
    no_targets = not result.facts["c06_n_targets_used"].value
    result.fact(
        "c06_no_prob_reason", "no_prob_no_targets" if no_targets else "no_prob_too_few", "term"
    )
    met = [
        targets.direction_of(c) * (lv - tv) >= 0
        for c, lv, tv in zip(
            status["comparator"], status["latest_value"], status["target_value"], strict=True
        )
    ]
    met = pd.Series(met, index=status.index, dtype=bool) & status["compared"].eq("")
    result.fact("c06_n_met", int(met.sum()), "count", evidence=evidence)
    assessed = status[status["compared"].eq("")]
    items = _target_items(assessed, variables)
    units = assessed["unit"] if "unit" in assessed else [None] * len(assessed)
    items["latest_year"] = [Fact(y, "year") for y in assessed["latest_year"]]
    items["latest_value"] = [
        Fact(v, "value", u) for v, u in zip(assessed["latest_value"], units, strict=True)
    ]
    items["prelim"] = [
        Fact("mark_preliminary" if p else "mark_none", "term") for p in _preliminary(assessed, rows)
    ]
    result.fact("c06_assessed", items, "items", evidence=evidence)
    probs = status[status["prob"].notna()] if len(status) else status
    items = _target_items(probs, variables)
    items["prob"] = [Fact(p, "share") for p in probs["prob"]]
    items["n_obs"] = [Fact(n, "count") for n in probs["n_obs"]]
    items["n_published"] = [Fact(n, "count") for n in probs["n_published"]]
    items["timing"] = [Fact(t, "term") for t in probs["timing"]]
    result.fact(
        "c06_target_prob_rows",
        items,
        "items",
        evidence=latest_evidence(probs, rows) if len(probs) else None,
    )


def _preliminary(status: pd.DataFrame, rows: dict[str, pd.DataFrame]) -> list[bool]:
    out = []
    for v, y in zip(status["variable"], status["latest_year"], strict=True):
        row = _used_row(rows[v], y)
        out.append(bool(row is not None and row["preliminary"] is True))
    return out

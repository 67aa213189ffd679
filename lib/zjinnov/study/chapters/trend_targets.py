"""Chapter 06's plan targets: which targets the county is held to (its own, else its city's
ratios; `targets.plan_targets`) and each judged four ways (`targets.target_status_table`):
the model probability, Open SDG's growth ratio, the German weather symbol and 序时进度.
"""

from __future__ import annotations

import pandas as pd

from zjinnov.study import targets
from zjinnov.study.chapters.trend_names import n_published, names_of
from zjinnov.study.facts import Fact
from zjinnov.study.trend_runs import COMPARABLE_KINDS, PUBLISHED_ONLY

# Written in tables as math signs, the same in both languages.
COMPARATOR_SIGN = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "~": "≈", "≤": "≤", "≥": "≥"}


def _target_items(rows: pd.DataFrame, variables: pd.DataFrame) -> pd.DataFrame:
    names = names_of(variables, rows["variable"])
    return pd.DataFrame(
        {
            "name_zh": names["name_zh"].to_numpy(),
            "name_en": names["name_en"].to_numpy(),
            "region": rows["region_name"].to_numpy(),
            "target_year": [Fact(y, "year") for y in rows["target_year"]],
            "comparator": [COMPARATOR_SIGN.get(c, c) for c in rows["comparator"]],
            "target_value": [
                Fact(v, "value", u) for v, u in zip(rows["target_value"], rows["unit"], strict=True)
            ],
        }
    )


def add(result, study, stage, candidates, variables) -> None:
    """The targets the county is held to, and each judged four ways, into `result`."""
    runs, used, scope = stage.runs, stage.targets, stage.scope
    all_targets = study.targets
    own_records = all_targets[all_targets["region_code"] == study.county]
    city_comparable = targets.plan_targets(
        all_targets[all_targets["region_code"] != study.county],
        study.county,
        study.city,
        variables.index[variables["kind"].isin(COMPARABLE_KINDS)],
    )[0]
    items = _target_items(used, variables)
    own = scope == targets.OWN
    result.fact("c06_own_n_recorded", len(own_records), "count")
    result.fact("c06_own_n_found", len(used) if own else None, "count")
    result.fact("c06_own_targets", items if own else items.iloc[:0], "items")
    result.fact("c06_city_targets", items if scope == targets.CITY else items.iloc[:0], "items")
    result.fact("c06_city_n_comparable", len(city_comparable), "count")
    result.fact("c06_n_targets_used", len(used), "count")
    result.fact("c06_targets_list", items, "items")
    result.fact(
        "c06_target_region",
        {targets.OWN: study.name, targets.CITY: study.city_name}.get(scope),
        "text",
    )
    names = names_of(variables, used["variable"])
    result.tables["targets_used"] = pd.DataFrame(
        {
            "region": used["region_name"],
            "plan": used["plan"],
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
    status = targets.target_status_table(
        series, used.assign(region_name=used["region_name"]), kinds=kinds
    )
    if len(status):
        status["n_published"] = [
            n_published(candidates[v, PUBLISHED_ONLY]) for v in status["variable"]
        ]
        # Once a target is met, the share of the gap closed says nothing more.
        achieved = status["schedule_status"] == "achieved"
        status["schedule_completion"] = status["schedule_completion"].where(~achieved)
    else:
        status = status.assign(n_published=pd.Series(dtype=int))
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
        }
    )
    n_strict = int(status["dns_symbol"].ne("not_assessable").sum()) if len(status) else 0
    result.fact("c06_sdg_on_track", targets.SDG_ON_TRACK, "ratio")
    result.fact("c06_sdg_accel", targets.SDG_ACCELERATION, "ratio")
    result.fact("c06_dns_sun", targets.DNS_SUN, "share")
    result.fact("c06_dns_cloud", targets.DNS_SUN_CLOUD, "share")
    result.fact("c06_dns_min", targets.DNS_MIN_POINTS, "count")
    result.fact("c06_n_dns_strict", n_strict or None, "count")
    result.fact("c06_n_assessed", len(status), "count")
    result.fact(
        "c06_n_met",
        int(status["sdg_category"].eq("target_achieved").sum()) if len(status) else 0,
        "count",
    )
    probs = status[status["prob"].notna()] if len(status) else status
    items = _target_items(probs, variables)
    items["prob"] = [Fact(p, "share") for p in probs["prob"]]
    items["n_obs"] = [Fact(n, "count") for n in probs["n_obs"]]
    items["n_published"] = [Fact(n, "count") for n in probs["n_published"]]
    result.fact("c06_target_prob_rows", items, "items")

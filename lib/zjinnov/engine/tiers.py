"""Ranks with named ties, and tiers by a named rule.

`rank(series, ties="min")`: 1 = highest score; ties `min` (1, 1, 3: competition ranking, as
published league tables), `dense` (1, 1, 2), `average` (1.5, 1.5, 3), `max`, `ordinal`.

`assign_tiers(scores, rule)` with a `TierRule`:

- ``TierRule.top_n(29)``: the first n ranks form tier 1 (ties at the cut follow the rank
  rule, so a tie at rank n can make the tier larger than n, and is counted as such);
- ``TierRule.rank_bands((29, 60))``: tiers by rank cut-offs (1-29, 30-60, 61+);
- ``TierRule.vs_mean()``: above or below the mean of the group (e.g. the province);
- ``TierRule.eis()``: bands relative to a reference, as the European Innovation Scoreboard:
  score / reference >= 125 % leader, 100-125 % strong, 70-100 % moderate, < 70 % emerging
  (each band closed below, open above); ``TierRule.bands(cuts, labels, reference)`` sets
  others. The reference is a number, ``"mean"`` of the group, or a region code whose score in
  the same group is the reference.

`scores` is a Series indexed by region, or a long table with `score` (and `region`) columns; in a
long table tiers are set within each group of `by` (default year and node).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TIES = ("min", "dense", "average", "max", "first", "ordinal")
EIS_CUTS = (70.0, 100.0, 125.0)
EIS_LABELS = ("emerging", "moderate", "strong", "leader")


def rank(series: pd.Series, ties: str = "min", ascending: bool = False) -> pd.Series:
    """Rank 1 = highest (or lowest with `ascending`); missing scores are not ranked."""
    if ties not in TIES:
        raise ValueError(f"ties={ties!r}: choose one of {TIES}")
    method = "first" if ties == "ordinal" else ties
    return series.rank(method=method, ascending=ascending, na_option="keep")


@dataclass(frozen=True)
class TierRule:
    kind: str
    cuts: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    reference: float | str | None = None
    ties: str = "min"

    @classmethod
    def top_n(cls, n: int, labels=("tier 1", "other"), ties: str = "min") -> TierRule:
        return cls("rank", (float(n),), tuple(labels), None, ties)

    @classmethod
    def rank_bands(cls, cuts, labels=None, ties: str = "min") -> TierRule:
        labels = labels or tuple(f"tier {k + 1}" for k in range(len(cuts) + 1))
        return cls("rank", tuple(float(c) for c in cuts), tuple(labels), None, ties)

    @classmethod
    def vs_mean(cls, labels=("above mean", "below mean")) -> TierRule:
        # A score equal to the mean counts as above: "not below the average".
        return cls("ratio", (100.0,), (labels[1], labels[0]), "mean")

    @classmethod
    def bands(cls, cuts, labels, reference: float | str = 100.0) -> TierRule:
        if len(labels) != len(cuts) + 1:
            raise ValueError("bands need one label more than cuts")
        return cls("ratio", tuple(float(c) for c in cuts), tuple(labels), reference)

    @classmethod
    def eis(cls, reference: float | str = "mean", cuts=EIS_CUTS, labels=EIS_LABELS) -> TierRule:
        return cls.bands(cuts, labels, reference)

    def describe(self) -> dict:
        return {
            "kind": self.kind,
            "cuts": list(self.cuts),
            "labels": list(self.labels),
            "reference": self.reference,
            "ties": self.ties,
        }


def _tiers_one(score: pd.Series, rule: TierRule, regions: pd.Series | None = None) -> pd.DataFrame:
    if rule.kind == "rank":
        r = rank(score, rule.ties)
        # A rank r is in band k when it exceeds k cut-offs: ranks 1..29 -> band 0 for cut 29.
        band = np.searchsorted(np.asarray(rule.cuts), r.to_numpy(), side="left")
        value = r
    elif rule.kind == "ratio":
        ref = rule.reference
        if ref == "mean":
            ref_value = score.mean()
        elif isinstance(ref, str):
            hit = score[(regions == ref).to_numpy()] if regions is not None else score.loc[[ref]]
            if hit.empty:
                raise KeyError(f"reference region {ref} not found among the scored regions")
            ref_value = float(hit.iloc[0])
        else:
            ref_value = float(ref)
        value = 100.0 * score / ref_value
        band = np.searchsorted(np.asarray(rule.cuts), value.to_numpy(), side="right")
    else:
        raise ValueError(f"unknown tier rule kind {rule.kind!r}")
    labels = np.asarray(rule.labels, dtype=object)
    tier = np.where(score.isna().to_numpy(), None, labels[np.minimum(band, len(labels) - 1)])
    return pd.DataFrame({"tier": tier, "tier_value": value.to_numpy()}, index=score.index)


def assign_tiers(scores, rule: TierRule, by=("year", "node"), score_col: str = "score"):
    """Tier of each region (Series in, Series out; long table in, table with `tier` out)."""
    if isinstance(scores, pd.Series):
        return _tiers_one(scores, rule)["tier"].rename("tier")
    df = scores.copy()
    keys = [k for k in by if k in df.columns]
    regions = df["region"].astype(str) if "region" in df.columns else None
    parts = []
    groups = df.groupby(keys, observed=True, sort=False) if keys else [((), df)]
    for _, part in groups:
        parts.append(
            _tiers_one(part[score_col], rule, None if regions is None else regions.loc[part.index])
        )
    out = pd.concat(parts).reindex(df.index)
    df["tier"], df["tier_value"] = out["tier"], out["tier_value"]
    df.attrs["tier_rule"] = rule.describe()
    return df

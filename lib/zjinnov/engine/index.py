"""Build a composite index from a long table of indicator values, a hierarchy and a method.

``build_index(values, hierarchy, method) -> IndexResult`` runs, on one (years, regions,
indicators) array: impute (named rule) -> treat outliers (optional, COINr recipe) ->
normalise (per indicator, by name, parameters from the registry) -> aggregate level by level
(per node: arithmetic, geometric, harmonic or chained growth) -> rank with named ties.

Every result carries its method: ``IndexMethod.describe()`` resolved against the hierarchy
is stored in ``result.scores.attrs["method"]`` and as ``method_*`` columns of the long
table, so runs can be put side by side with ``compare_runs(a, b)``.

One module of about 450 lines, on purpose: it is the one pipeline every index of the book goes
through, and its steps share the array layout and the method record resolved against the tree
(`_to_array`, `resolve_method`, `_describe`); the steps' own maths live in `normalise`,
`aggregate` and `outliers`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from zjinnov.data.errors import ValidationReport
from zjinnov.engine.aggregate import (
    AGGREGATORS,
    IMPUTE_RULES,
    MISSING_RULES,
    AggregationError,
    aggregate_array,
    chain_array,
    impute_array,
)
from zjinnov.engine.hierarchy import PARAM_COLUMNS, Hierarchy
from zjinnov.engine.normalise import (
    GROWTH_NORMALISERS,
    NORMALISERS,
    NormalisationError,
    normalise_array,
)
from zjinnov.engine.outliers import treat_array
from zjinnov.engine.ranking import rank_along

TIES = ("min", "dense", "average", "max", "ordinal")
TREATMENTS = ("none", "coinr")
SOURCE = "indicator values"


@dataclass(frozen=True)
class IndexMethod:
    """Every choice that shapes an index, so a run can be described, compared and repeated.

    ``None`` for `normaliser` / `aggregation` means "as set per indicator / per node in the
    hierarchy (registry)". `base_region` is the region whose base-year value anchors ratio
    normalisers (e.g. "330000", the province); ``None`` anchors each region on its own base.
    The reference region is scored but not ranked.
    """

    label: str = "baseline"
    normaliser: str | None = None
    params: tuple[tuple[str, float], ...] = ()
    base_year: int | None = 2015
    base_region: str | None = None
    aggregation: str | None = None
    level_aggregation: tuple[tuple[int, str], ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    impute: str = "none"
    missing: str = "renormalise"
    min_share: float = 0.0
    treat: str = "none"
    ties: str = "min"

    def __post_init__(self) -> None:
        checks = [
            ("normaliser", self.normaliser, [*NORMALISERS, None]),
            ("aggregation", self.aggregation, [*AGGREGATORS, "chain", None]),
            ("impute", self.impute, IMPUTE_RULES),
            ("missing", self.missing, MISSING_RULES),
            ("treat", self.treat, TREATMENTS),
            ("ties", self.ties, TIES),
        ]
        for name, value, allowed in checks:
            if value not in allowed:
                raise ValueError(f"IndexMethod.{name}={value!r}: choose one of {allowed}")
        for _, how in self.level_aggregation:
            if how not in (*AGGREGATORS, "chain"):
                raise ValueError(f"IndexMethod.level_aggregation: unknown aggregation {how!r}")

    @classmethod
    def chained(cls, **kw) -> IndexMethod:
        """NBS CII style: domains chained on weighted indicator growth, index = mean of domains."""
        kw.setdefault("label", "chained_growth")
        return cls(normaliser="chained_growth", level_aggregation=((2, "chain"),), **kw)

    def with_(self, **changes) -> IndexMethod:
        return replace(self, **changes)

    def describe(self) -> dict:
        d = asdict(self)
        d["params"] = json.dumps(dict(self.params), ensure_ascii=False, sort_keys=True)
        d["weights"] = json.dumps(dict(self.weights), ensure_ascii=False, sort_keys=True)
        d["level_aggregation"] = json.dumps(dict(self.level_aggregation), sort_keys=True)
        return d


@dataclass
class IndexResult:
    """Scores of every node (indicators included, as normalised) for every region and year."""

    scores: pd.DataFrame
    method: IndexMethod
    hierarchy: Hierarchy
    description: dict
    imputed: pd.DataFrame
    treatment: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    arrays: dict = field(default_factory=dict, repr=False)

    @property
    def ranks(self) -> pd.DataFrame:
        return self.scores[["region", "year", "node", "level", "rank"]]

    def wide(self, year=None, level: int | None = None, value: str = "score") -> pd.DataFrame:
        """Regions × nodes for one year (default: the latest)."""
        s = self.scores
        year = s["year"].max() if year is None else year
        s = s[s["year"] == year]
        if level is not None:
            s = s[s["level"] == level]
        out = s.pivot(index="region", columns="node", values=value)
        return out[[c for c in self.hierarchy.nodes["code"] if c in out.columns]]


def _tidy(values: pd.DataFrame) -> pd.DataFrame:
    # The project's tables name the county `county_code` and may carry a measurement `unit`
    # column too; the county code wins.
    if "county_code" in values:
        v = values.drop(columns="unit", errors="ignore").rename(columns={"county_code": "region"})
    else:
        v = values
    missing = {"region", "year", "indicator", "value"} - set(v.columns)
    if missing:
        raise KeyError(f"{SOURCE}: columns missing: {sorted(missing)}")
    return v[["region", "year", "indicator", "value"]]


def _to_array(v: pd.DataFrame, hierarchy: Hierarchy, notes: list[str]):
    report = ValidationReport()
    indicators = hierarchy.indicators
    extra = sorted(set(v["indicator"].unique()) - set(indicators))
    if extra:
        notes.append(f"indicators not in the hierarchy ignored: {extra}")
        v = v[v["indicator"].isin(indicators)]
    value = pd.to_numeric(v["value"], errors="coerce").to_numpy(float)
    bad = np.flatnonzero(np.isinf(value) | (np.isnan(value) & v["value"].notna().to_numpy()))
    for k in bad[:200]:
        row = v.iloc[k]
        report.add(
            SOURCE,
            int(k) + 2,
            "value",
            "value must be a finite number",
            row["value"],
            str(row["region"]),
            row["year"],
        )
    ui, regions = pd.factorize(v["region"].astype(str), sort=True)
    regions = np.asarray(regions, dtype=object)
    present_years = np.sort(v["year"].unique())
    years = np.arange(int(present_years.min()), int(present_years.max()) + 1)
    ti = pd.Index(years).get_indexer(v["year"].astype(int))
    ii = pd.Index(indicators).get_indexer(v["indicator"])
    flat = (ti * len(regions) + ui) * len(indicators) + ii
    counts = np.bincount(flat, minlength=len(years) * len(regions) * len(indicators))
    for k in np.flatnonzero(counts[flat] > 1)[:200]:
        row = v.iloc[k]
        report.add(
            SOURCE,
            int(k) + 2,
            "indicator",
            "one value per region, year and indicator",
            row["indicator"],
            str(row["region"]),
            row["year"],
        )
    report.raise_if_any()
    X = np.full((len(years), len(regions), len(indicators)), np.nan)
    X.reshape(-1)[flat] = value
    absent = [c for c, n in zip(indicators, (~np.isnan(X)).sum(axis=(0, 1)), strict=True) if n == 0]
    if absent:
        notes.append(f"indicators without any value: {absent}")
    return X, regions, years, present_years


def _has_year(years: np.ndarray, year) -> bool:
    return year is not None and bool(np.any(years == year))


def resolve_method(
    method: IndexMethod, hierarchy: Hierarchy
) -> tuple[list[str], dict[int, list[str]]]:
    leaves = hierarchy.leaves()
    norm = [method.normaliser] * len(leaves) if method.normaliser else leaves["normaliser"].tolist()
    unknown = sorted(set(norm) - set(NORMALISERS))
    if unknown:
        raise ValueError(
            f"hierarchy names unknown normalisers {unknown}; known: {sorted(NORMALISERS)}"
        )
    by_level = dict(method.level_aggregation)
    how = {}
    for level in hierarchy.levels[1:]:
        own = hierarchy.aggregation(level)
        forced = by_level.get(level, method.aggregation)
        how[level] = [forced or a for a in own]
    return norm, how


def _problems_from_cells(cells, regions, years, codes, rule: str, values) -> ValidationReport:
    report = ValidationReport()
    for cell in cells[:200]:
        t, u, c = (int(x) for x in cell)
        report.add(
            SOURCE, None, codes[c], rule, float(values[t, u, c]), str(regions[u]), int(years[t])
        )
    return report


def _normalise(X, norm, hierarchy, method, regions, years):
    leaves = hierarchy.leaves()
    codes = hierarchy.indicators
    direction = leaves["direction"].to_numpy(float)
    Z = np.full_like(X, np.nan)
    ref = None
    if method.base_region is not None:
        hit = np.flatnonzero(regions == method.base_region)
        if not len(hit):
            raise KeyError(f"base_region {method.base_region} is not among the regions")
        ref = int(hit[0])
    base_year = method.base_year if _has_year(years, method.base_year) else None
    for name in dict.fromkeys(norm):
        cols = np.flatnonzero(np.array(norm) == name)
        params = dict(method.params)
        for col in PARAM_COLUMNS:
            if col in leaves.columns:
                vals = pd.to_numeric(leaves[col].iloc[cols], errors="coerce").to_numpy(float)
                if not np.isnan(vals).all():
                    params[col] = vals
        needs_base = name == "base_ratio"
        if needs_base and base_year is None:
            raise ValueError(f"base_ratio needs base year {method.base_year} among the years")
        try:
            Z[..., cols] = normalise_array(
                X[..., cols],
                name,
                direction=direction[cols],
                years=years,
                base_year=base_year,
                ref_region=ref,
                **params,
            )
        except NormalisationError as exc:
            cells = exc.cells.copy()
            if cells.shape[1] == 3:
                cells[:, 2] = cols[cells[:, 2]]
                _problems_from_cells(
                    cells, regions, years, codes, f"{name}: {exc.reason}", X
                ).raise_if_any()
            # Per-indicator problems (e.g. a missing monitoring standard): name the rows.
            report = ValidationReport()
            leaf_rows = {c: k + 2 for k, c in enumerate(hierarchy.nodes["code"])}
            for c in dict.fromkeys(int(cols[k]) for k in cells[:, -1]):
                report.add(hierarchy.source, leaf_rows[codes[c]], codes[c], f"{name}: {exc.reason}")
            report.raise_if_any()
    return Z


def _aggregate(Z, norm, how, hierarchy, method, regions, years):
    n_years, n_regions, _ = Z.shape
    weights = dict(method.weights)
    has_base = _has_year(years, method.base_year)
    base_pos = int(np.flatnonzero(years == method.base_year)[0]) if has_base else None
    growth_kids = np.isin(norm, list(GROWTH_NORMALISERS))
    levels = [Z.reshape(n_years * n_regions, -1)]
    for level in hierarchy.levels[1:]:
        child = levels[-1]
        W = hierarchy.level_matrix(level, weights)
        out = np.full((W.shape[0], child.shape[0]), np.nan)
        kids = hierarchy.codes(level - 1)
        for rule in dict.fromkeys(how[level]):
            sel = np.flatnonzero(np.array(how[level]) == rule)
            uses = (W[sel] > 0).any(axis=0)
            if level == 2 and (rule == "chain") != bool(growth_kids[uses].all()):
                raise ValueError(
                    "chained aggregation and growth normalisers go together: nodes "
                    f"{[hierarchy.codes(level)[s] for s in sel]} use {rule!r} over "
                    f"{sorted({norm[k] for k in np.flatnonzero(uses)})}"
                )
            if rule == "chain":
                if level != 2 or base_pos is None:
                    raise ValueError(
                        "chain aggregation needs indicators as children and the base year"
                    )
                G = child.reshape(n_years, n_regions, -1)
                out[sel] = chain_array(G, W[sel], base_pos, missing=method.missing).reshape(
                    len(sel), -1
                )
                continue
            try:
                out[sel] = aggregate_array(
                    child, W[sel], rule, missing=method.missing, min_share=method.min_share
                )
            except AggregationError as exc:
                t, u = np.divmod(exc.cells[:, 0], n_regions)
                cells = np.column_stack([t, u, exc.cells[:, 1]])
                vals = child.reshape(n_years, n_regions, -1)
                rule_text = f"{rule} mean needs values > 0"
                _problems_from_cells(cells, regions, years, kids, rule_text, vals).raise_if_any()
        levels.append(out.T)
    return levels


def rank_array(S: np.ndarray, rankable: np.ndarray, ties: str) -> np.ndarray:
    """Rank 1 = highest score within each (year, node), among rankable regions; NaN unranked."""
    masked = np.where(rankable[None, :, None], -S, np.nan)
    return rank_along(masked, axis=1, method=ties)


def build_index(
    values: pd.DataFrame,
    hierarchy: Hierarchy,
    method: IndexMethod | None = None,
    *,
    groups: pd.Series | None = None,
) -> IndexResult:
    """Index scores for every node, region and year; see the module docstring."""
    method = method or IndexMethod()
    notes: list[str] = []
    v = _tidy(values)
    X, regions, years, present_years = _to_array(v, hierarchy, notes)
    norm, how = resolve_method(method, hierarchy)
    codes = hierarchy.indicators

    g = None if groups is None else groups.reindex(regions).to_numpy()
    if method.impute == "group_mean" and g is not None and pd.isna(g).any():
        raise KeyError(f"groups missing for regions {regions[pd.isna(g)].tolist()}")
    X, filled = impute_array(X, method.impute, g)
    t, u, i = np.nonzero(filled)
    imputed = pd.DataFrame(
        {
            "region": regions[u],
            "year": years[t],
            "indicator": np.array(codes)[i],
            "value": X[t, u, i],
            "rule": method.impute,
        }
    )

    treatment = pd.DataFrame()
    if method.treat == "coinr":
        reports = []
        for k, year in enumerate(years):
            if np.isnan(X[k]).all():
                continue
            X[k], rep = treat_array(X[k], names=codes)
            reports.append(rep.assign(year=year))
        treatment = pd.concat(reports, ignore_index=True)

    Z = _normalise(X, norm, hierarchy, method, regions, years)
    lost = np.argwhere(np.isnan(Z) & ~np.isnan(X))
    if len(lost):
        lost_codes = sorted({codes[c] for c in lost[:, 2]})
        notes.append(
            f"normalisation left {len(lost)} present value(s) undefined "
            f"(e.g. constant indicator, missing base, missing monitoring standard) in {lost_codes}"
        )
    levels = _aggregate(Z, norm, how, hierarchy, method, regions, years)

    nodes = [c for level in hierarchy.levels for c in hierarchy.codes(level)]
    node_level = np.concatenate([[lv] * len(hierarchy.codes(lv)) for lv in hierarchy.levels])
    S = np.concatenate(levels, axis=1).reshape(len(years), len(regions), len(nodes))
    keep = np.isin(years, present_years)
    S, kept_years = S[keep], years[keep]
    rankable = (
        np.ones(len(regions), bool) if method.base_region is None else regions != method.base_region
    )
    R = rank_array(S, rankable, method.ties)

    n_t, n_u, n_n = S.shape
    description = _describe(method, norm, how, hierarchy)
    scores = pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(
                np.tile(np.repeat(np.arange(n_u), n_n), n_t), regions
            ),
            "year": np.repeat(kept_years, n_u * n_n),
            "node": pd.Categorical.from_codes(np.tile(np.arange(n_n), n_t * n_u), nodes),
            "level": np.tile(node_level, n_t * n_u),
            "score": S.reshape(-1),
            "rank": R.reshape(-1),
        }
    )
    for key in (
        "label",
        "normaliser",
        "aggregation",
        "weights",
        "impute",
        "missing",
        "treat",
        "base",
    ):
        # One category, coded zero everywhere: the column costs a byte a row.
        codes = np.zeros(len(scores), dtype=np.int8)
        scores[f"method_{key}"] = pd.Categorical.from_codes(codes, [str(description[key])])
    scores.attrs["method"] = description
    arrays = {"X": X, "Z": Z, "S": S, "regions": regions, "years": kept_years, "nodes": nodes}
    return IndexResult(scores, method, hierarchy, description, imputed, treatment, notes, arrays)


def _summary(names) -> str:
    return ", ".join(f"{k}×{n}" for k, n in Counter(names).items())


def _describe(method: IndexMethod, norm, how, hierarchy: Hierarchy) -> dict:
    weights = (
        hierarchy.effective_weights()
        if not method.weights
        else hierarchy.with_weights(dict(method.weights)).effective_weights()
    )
    d = method.describe()
    d.update(
        normaliser=_summary(norm),
        aggregation="; ".join(f"L{lv}: {_summary(h)}" for lv, h in how.items()),
        weights=json.dumps({k: round(float(w), 6) for k, w in weights.items()}),
        base=f"{method.base_year}@{method.base_region or 'own'}",
    )
    return d


def compare_runs(a: IndexResult, b: IndexResult) -> pd.DataFrame:
    """Scores and ranks of two runs side by side; `attrs["methods"]` lists what differs."""
    keys = ["region", "year", "node", "level"]
    left = a.scores[[*keys, "score", "rank"]].astype({"region": str, "node": str})
    right = b.scores[[*keys, "score", "rank"]].astype({"region": str, "node": str})
    out = left.merge(right, on=keys, how="outer", suffixes=("_a", "_b"))
    out["score_diff"] = out["score_b"] - out["score_a"]
    out["rank_shift"] = out["rank_b"] - out["rank_a"]
    methods = pd.DataFrame({"a": pd.Series(a.description), "b": pd.Series(b.description)})
    methods["differs"] = methods["a"].astype(str) != methods["b"].astype(str)
    out.attrs["methods"] = methods
    return out

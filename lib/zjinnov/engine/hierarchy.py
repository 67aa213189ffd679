"""The index tree (indicator -> domain -> ... -> index), read from a registry-like table.

One `Hierarchy` serves both shapes the study meets:

- the project registry (`data/framework/indicators.csv` + `domains.csv`): two levels above
  the indicators, domains named in Chinese, weights within each domain;
- COINr's iMeta (columns `Level, iCode, Parent, Weight, Direction, Type`): any depth.

Every node carries its own weight (within its parent) and, for non-leaf nodes, its own
aggregation rule (how its children are combined), so rules can differ node by node
(COINr issues #35, #42). Leaves carry direction, normaliser name and its parameters.

`level_matrix(level)` gives the children -> parents weight matrix used by the array API in
`zjinnov.engine.aggregate`: rows are parent nodes, columns are child nodes, zeros off the tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd

from zjinnov.data.errors import ValidationReport

ROOT_CODE = "index"
AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "chain")
# Leaf columns passed through to normalisers as per-indicator parameters.
PARAM_COLUMNS = ("standard", "lo", "hi", "base_region")

_NODE_COLUMNS = [
    "code",
    "name",
    "parent",
    "level",
    "weight",
    "direction",
    "aggregation",
    "normaliser",
]


class _Level(NamedTuple):
    """The nodes of one level, in table order, as the array code reads them."""

    codes: tuple[str, ...]
    aggregation: tuple[str, ...]
    weights: np.ndarray
    parent_pos: np.ndarray  # each node's parent's position among the next level's codes


_NO_LEVEL = _Level((), (), np.zeros(0), np.zeros(0, int))


@dataclass(frozen=True)
class Hierarchy:
    """Nodes of the tree; `level` 1 = indicator, the root has the highest level."""

    nodes: pd.DataFrame
    source: str = ""

    def __post_init__(self) -> None:
        report = _check(self.nodes, self.source or "hierarchy")
        report.raise_if_any()

    # --- structure -------------------------------------------------------------------
    @property
    def root(self) -> str:
        return str(self.nodes.loc[self.nodes["parent"].isna(), "code"].iloc[0])

    @property
    def indicators(self) -> list[str]:
        return self.codes(1)

    @property
    def levels(self) -> list[int]:
        return sorted(self._levels)

    def codes(self, level: int) -> list[str]:
        return list(self._levels.get(level, _NO_LEVEL).codes)

    @cached_property
    def _levels(self) -> dict[int, _Level]:
        # A tree is read thousands of times in one uncertainty run (every draw asks for the
        # same levels) and never changes once built (`with_weights` makes a new one): each
        # level is cut from the table once.
        groups = {int(level): g for level, g in self.nodes.groupby("level", sort=True)}
        out = {}
        for level, g in groups.items():
            above = groups.get(level + 1)
            parents = pd.Index(above["code"] if above is not None else [])
            out[level] = _Level(
                tuple(g["code"]),
                tuple(g["aggregation"]),
                g["weight"].to_numpy(float),
                parents.get_indexer(g["parent"]),
            )
        return out

    def node(self, code: str) -> pd.Series:
        return self.nodes.set_index("code").loc[code]

    def leaves(self) -> pd.DataFrame:
        """Indicator rows indexed by code (direction, weight, normaliser, parameters)."""
        return self._leaves.copy()

    @cached_property
    def _leaves(self) -> pd.DataFrame:
        return self.nodes[self.nodes["level"] == 1].set_index("code")

    def level_matrix(self, level: int, weights: dict[str, float] | None = None) -> np.ndarray:
        """Weights of the children (level - 1) within each parent at `level`: (parents, children).

        Weights are as set in the tree (or overridden by `weights`, node code -> weight);
        renormalising over present values happens at aggregation, where missingness is known.
        """
        parents = self._levels.get(level, _NO_LEVEL)
        kids = self._levels.get(level - 1, _NO_LEVEL)
        w = kids.weights
        if weights:
            w = np.array([weights.get(c, wi) for c, wi in zip(kids.codes, w, strict=True)])
        mat = np.zeros((len(parents.codes), len(kids.codes)))
        mat[kids.parent_pos, np.arange(len(kids.codes))] = w
        return mat

    def aggregation(self, level: int) -> list[str]:
        return list(self._levels.get(level, _NO_LEVEL).aggregation)

    def with_weights(self, weights: dict[str, float]) -> Hierarchy:
        nodes = self.nodes.copy()
        hit = nodes["code"].isin(list(weights))
        nodes.loc[hit, "weight"] = nodes.loc[hit, "code"].map(weights)
        return Hierarchy(nodes, self.source)

    def effective_weights(self) -> pd.Series:
        """Each indicator's share of the root, with weights normalised within every parent."""
        return self._effective_weights.copy()

    @cached_property
    def _effective_weights(self) -> pd.Series:
        # Plain dicts: a tree has tens of nodes, and pandas' per-call cost dominated here.
        parent = {c: p for c, p in zip(self.nodes["code"], self.nodes["parent"], strict=True)}
        weight = dict(zip(self.nodes["code"], self.nodes["weight"].astype(float), strict=True))
        total: dict[str, float] = {}
        for code, up in parent.items():
            if not pd.isna(up):
                total[up] = total.get(up, 0.0) + weight[code]
        with np.errstate(invalid="ignore", divide="ignore"):
            share = {
                c: np.float64(weight[c]) / np.float64(total[up])
                for c, up in parent.items()
                if not pd.isna(up)
            }
        eff = {}
        for code in self.indicators:
            value, node = 1.0, code
            while node in share:
                value *= share[node]
                node = parent[node]
            eff[code] = value
        return pd.Series(eff, index=self.indicators, dtype=float)

    def describe(self) -> pd.DataFrame:
        return self.nodes[_NODE_COLUMNS].copy()


def _check(nodes: pd.DataFrame, source: str) -> ValidationReport:
    report = ValidationReport()
    missing = [c for c in _NODE_COLUMNS if c not in nodes.columns]
    if missing:
        report.add(source, None, ",".join(missing), "required hierarchy columns missing")
        return report
    # Row numbers are 1-based with the header as line 1, as in the source CSV.
    rows = dict(zip(nodes["code"], np.arange(len(nodes)) + 2, strict=True))
    dup = nodes["code"][nodes["code"].duplicated()]
    for code in dup:
        report.add(source, rows[code], "code", "node codes must be unique", code)
    roots = nodes.loc[nodes["parent"].isna(), "code"].tolist()
    if len(roots) != 1:
        report.add(source, None, "parent", "exactly one root (node without parent)", roots)
    known = set(nodes["code"])
    level = dict(zip(nodes["code"], nodes["level"], strict=True))
    for code, parent in zip(nodes["code"], nodes["parent"], strict=True):
        if pd.isna(parent):
            continue
        if parent not in known:
            report.add(source, rows[code], "parent", f"parent of {code} is not a node", parent)
        elif level[parent] != level[code] + 1:
            report.add(
                source,
                rows[code],
                "level",
                f"{code} (level {level[code]}) must sit one level below its parent {parent}",
                level[parent],
            )
    bad_w = nodes["weight"].isna() | (nodes["weight"] < 0)
    for code, w in zip(nodes.loc[bad_w, "code"], nodes.loc[bad_w, "weight"], strict=True):
        report.add(source, rows[code], "weight", "weight must be a number >= 0", w)
    leaf = nodes["level"] == 1
    bad_d = leaf & ~nodes["direction"].isin([1, -1])
    for code, d in zip(nodes.loc[bad_d, "code"], nodes.loc[bad_d, "direction"], strict=True):
        report.add(source, rows[code], "direction", "direction must be 1 or -1", d)
    inner = ~leaf
    bad_a = inner & ~nodes["aggregation"].isin(AGGREGATIONS)
    for code, a in zip(nodes.loc[bad_a, "code"], nodes.loc[bad_a, "aggregation"], strict=True):
        report.add(
            source, rows[code], "aggregation", f"aggregation must be one of {AGGREGATIONS}", a
        )
    childless = set(nodes.loc[inner, "code"]) - set(nodes["parent"].dropna())
    for code in sorted(childless):
        report.add(source, rows[code], "code", "aggregate node without children", code)
    return report


def from_registry(
    indicators: pd.DataFrame,
    domains: pd.DataFrame | None = None,
    *,
    root: str = ROOT_CODE,
    root_name: str = "创新指数",
    root_aggregation: str = "arithmetic",
    default_aggregation: str = "arithmetic",
    default_normaliser: str = "base_ratio",
    source: str = "data/framework/indicators.csv",
) -> Hierarchy:
    """Three levels from the project registry: indicators -> domains -> one index.

    Indicators name their domain by its Chinese name (`domain`); `domains` (optional) gives
    the domain code (`code`, e.g. D1), its weight in the index and its `aggregation`.
    Without `domains`, domains are coded by name with equal weight.
    """
    ind = indicators.copy()
    if domains is None:
        names = list(dict.fromkeys(ind["domain"]))
        domains = pd.DataFrame({"code": names, "domain": names, "weight": 1.0})
    dom = domains.copy()
    if "aggregation" not in dom.columns:
        dom["aggregation"] = default_aggregation
    dom["aggregation"] = dom["aggregation"].fillna(default_aggregation)
    code_of = dict(zip(dom["domain"], dom["code"], strict=True))
    if "normaliser" not in ind.columns:
        ind["normaliser"] = default_normaliser
    if "weight" not in ind.columns:
        ind["weight"] = 1.0
    leaf = pd.DataFrame(
        {
            "code": ind["code"].astype(str),
            "name": ind.get("name_zh", ind["code"]),
            "parent": ind["domain"].map(code_of).fillna(ind["domain"]),
            "level": 1,
            "weight": pd.to_numeric(ind["weight"], errors="coerce"),
            "direction": pd.to_numeric(ind.get("direction", 1), errors="coerce"),
            "aggregation": None,
            "normaliser": ind["normaliser"].fillna(default_normaliser).astype(str),
        }
    )
    for col in PARAM_COLUMNS:
        if col in ind.columns:
            leaf[col] = ind[col].to_numpy()
    mid = pd.DataFrame(
        {
            "code": dom["code"].astype(str),
            "name": dom["domain"],
            "parent": root,
            "level": 2,
            "weight": pd.to_numeric(dom.get("weight", 1.0), errors="coerce"),
            "direction": 1,
            "aggregation": dom["aggregation"].astype(str),
            "normaliser": None,
        }
    )
    top = pd.DataFrame(
        [
            {
                "code": root,
                "name": root_name,
                "parent": None,
                "level": 3,
                "weight": 1.0,
                "direction": 1,
                "aggregation": root_aggregation,
                "normaliser": None,
            }
        ]
    )
    nodes = pd.concat([leaf, mid, top], ignore_index=True)
    nodes["parent"] = nodes["parent"].astype(object).where(nodes["parent"].notna(), None)
    return Hierarchy(nodes, source)


def from_imeta(
    imeta: pd.DataFrame,
    *,
    aggregation: str = "arithmetic",
    normaliser: str = "minmax",
    source: str = "iMeta",
) -> Hierarchy:
    """Any depth, from COINr's iMeta; rows of Type Group/Denominator are not nodes."""
    meta = imeta[imeta["Type"].isin(["Indicator", "Aggregate"])]
    nodes = pd.DataFrame(
        {
            "code": meta["iCode"].astype(str),
            "name": meta.get("iName", meta["iCode"]),
            "parent": meta["Parent"].astype(object).where(meta["Parent"].notna(), None),
            "level": meta["Level"].astype(int),
            "weight": pd.to_numeric(meta["Weight"], errors="coerce"),
            "direction": pd.to_numeric(meta["Direction"], errors="coerce").fillna(1),
            "aggregation": np.where(meta["Type"] == "Aggregate", aggregation, None),
            "normaliser": np.where(meta["Type"] == "Indicator", normaliser, None),
        }
    )
    if "Target" in meta.columns:
        nodes["standard"] = pd.to_numeric(meta["Target"], errors="coerce").to_numpy()
    return Hierarchy(nodes.reset_index(drop=True), source)


def summarise_registry(
    indicators: pd.DataFrame, domains: pd.DataFrame, grades: list[str] | None = None
) -> pd.DataFrame:
    """Per domain: indicators, how many of each evidence grade (one column per grade, in the
    order of `grades`, e.g. evidence_grades.csv's), how many with a standard, weight, rule."""
    grades = list(dict.fromkeys(indicators["evidence"])) if grades is None else list(grades)
    by_grade = pd.crosstab(indicators["domain"], indicators["evidence"]).reindex(
        columns=grades, fill_value=0
    )
    ind = indicators.assign(
        has_standard=pd.to_numeric(indicators.get("standard"), errors="coerce").notna(),
    )
    counts = ind.groupby("domain", sort=False).agg(
        indicators=("code", "size"),
        with_standard=("has_standard", "sum"),
        first=("code", "min"),
        last=("code", "max"),
    )
    counts = counts.join(by_grade)
    counts[grades] = counts[grades].fillna(0).astype(int)
    out = domains.set_index("domain")[["code", "weight", "aggregation"]].join(counts)
    return out.reset_index()

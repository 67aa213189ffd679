"""Mapping headers: what a printed column header means.

A header names a registry indicator (code or Chinese name), a variable (name or Chinese
label), the published index or a rank (their printed names: 创新指数, 全省排位, ...), a column
that says which row is which (county, code, city, serial, year), or, through the analyst's
mapping file (`header,target`), anything else. Headers are compared after NFKC folding,
without spaces or line breaks. A unit printed in the header, 名称（单位） or 名称(单位), is
split off and checked; so is the base of an index, 创新指数（2015年=100） (the base year is
kept: the identification of the method reads it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zjinnov.data import formula, units

INDEX_VARIABLE = "innovation_index"
RANK_VARIABLE = "innovation_index_rank_zj"
# Printed names of the index and its ranks in the monitoring reports.
ALIASES = {
    **dict.fromkeys(
        [
            "创新指数",
            "综合指数",
            "科技创新指数",
            "县域创新指数",
            "创新指数得分",
            "指数",
            "综合得分",
        ],
        INDEX_VARIABLE,
    ),
    **dict.fromkeys(
        ["全省排位", "全省排名", "全省位次", "全省名次", "排位", "排名", "位次", "名次"],
        RANK_VARIABLE,
    ),
    **dict.fromkeys(["全市排位", "全市排名", "全市位次", "全市名次"], "innovation_index_rank_city"),
}
# Columns that say which row is which, not figures.
ROLES = {
    **dict.fromkeys(
        [
            "县(市、区)",
            "县(市,区)",
            "县市区",
            "县(市区)",
            "地区",
            "单位",
            "区县",
            "县区",
            "名称",
            "单位名称",
            "地区名称",
            "县(市、区)名称",
            "county",
            "county_name",
        ],
        "county",
    ),
    **dict.fromkeys(
        ["代码", "行政区划代码", "区划代码", "地区代码", "县(市、区)代码", "county_code", "code"],
        "code",
    ),
    **dict.fromkeys(["设区市", "所属市", "市", "地市", "所属设区市", "市别", "city"], "city"),
    **dict.fromkeys(["序号", "编号", "no", "no.", "序"], "serial"),
    **dict.fromkeys(["年度", "年份", "年", "监测年度", "统计年度", "year"], "year"),
    **dict.fromkeys(["指标", "指标名称", "项目", "指标名", "indicator"], "indicator"),
    **dict.fromkeys(["计量单位", "unit"], "unit"),
}
NOTE_IN_HEADER = re.compile(r"[（(]([^（）()]*)[）)]$")
INDEX_BASE = re.compile(r"^(?:(?P<year>(?:19|20)\d{2})年?|上年|上一年)=100$")


@dataclass(frozen=True)
class Target:
    variable: str
    indicator: str | None  # registry code when the header names an indicator
    how: str  # code, name, variable, label, alias, mapping


@dataclass(frozen=True)
class Header:
    """One header as read: its key without the parenthesis, and what the parenthesis said."""

    text: str  # as printed
    key: str  # folded, without a unit or index base
    unit: str  # the unit printed in it ('' if none)
    base: str  # '2015' for 创新指数（2015年=100）, 'previous' for 上年=100, '' if none
    note: str  # a parenthesis that is neither (for a problem message)


def key(text: object) -> str:
    """A header or name as compared: NFKC, no spaces or line breaks, lower-case Latin."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return re.sub(r"\s+", "", s).lower()


def as_unit(text: str) -> str | None:
    """The registry's unit a printed unit text names, '' for none, None if unknown."""
    s = units.normalise_text(text).strip("()（）")
    s = s.removeprefix("单位:").removeprefix("单位：").removeprefix("计量单位:")
    return s if s in units.unit_table().index or s == "" else None


def read_header(header: object) -> Header:
    """'R&D经费支出占GDP比重(%)' -> key 'r&d经费支出占gdp比重', unit '%';
    '创新指数（2015年=100）' -> key '创新指数', base '2015'."""
    k = key(header)
    m = NOTE_IN_HEADER.search(k)
    if not m:
        return Header(str(header).strip(), k, "", "", "")
    inside, stem = m.group(1), k[: m.start()]
    unit = as_unit(inside)
    if unit is not None:
        return Header(str(header).strip(), stem, unit, "", "")
    base = INDEX_BASE.match(inside)
    if base:
        return Header(str(header).strip(), stem, "", base.group("year") or "previous", "")
    return Header(str(header).strip(), k, "", "", inside)


def split_unit(header: object) -> tuple[str, str]:
    """(key, unit) of a header; see `read_header`."""
    h = read_header(header)
    return h.key, h.unit


def indicator_variable(ind) -> str:
    """The variable under which an indicator's own value is stored: `published_as`, else its
    formula when that is a single variable; '' when neither (the value cannot be stored)."""
    name = str(getattr(ind, "published_as", "") or "")
    if name:
        return name
    names = formula.variables(ind.formula)
    return names[0] if len(names) == 1 and ind.formula.strip() == names[0] else ""


def load_mapping(path: Path | None) -> dict[str, str]:
    """The analyst's mapping file: columns `header,target` (indicator code, variable, or ignore)."""
    if path is None:
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = {"header", "target"} - set(table.columns)
    if missing:
        raise ValueError(f"{Path(path).name}: mapping file needs columns header,target")
    return {
        split_unit(h)[0]: t.strip() for h, t in zip(table["header"], table["target"], strict=True)
    }


def header_targets(
    indicators: pd.DataFrame, variables: pd.DataFrame, mapping: dict[str, str] | None = None
) -> dict[str, Target | None]:
    """Every header key the importer understands -> its target; None = ignore."""
    out: dict[str, Target | None] = {}
    by_code = {}
    for ind in indicators.itertuples(index=False):
        var = indicator_variable(ind)
        if var:
            by_code[ind.code] = var
            out[key(ind.code)] = Target(var, ind.code, "code")
            out[split_unit(ind.name_zh)[0]] = Target(var, ind.code, "name")
    indicator_of = {v: c for c, v in by_code.items()}
    labels = variables.groupby(variables["label_zh"].map(lambda s: split_unit(s)[0]))["variable"]
    for label, names in labels:
        if len(names) == 1 and label not in out:
            out[label] = Target(names.iloc[0], indicator_of.get(names.iloc[0]), "label")
    for var in variables["variable"]:
        out[key(var)] = Target(var, indicator_of.get(var), "variable")
    for alias, var in ALIASES.items():
        out.setdefault(key(alias), Target(var, None, "alias"))
    known = set(variables["variable"])
    for header, target in (mapping or {}).items():
        if target.lower() == "ignore":
            out[header] = None
        elif target in by_code:
            out[header] = Target(by_code[target], target, "mapping")
        elif target in known:
            out[header] = Target(target, indicator_of.get(target), "mapping")
        else:
            raise ValueError(
                f"mapping file: target {target!r} for header {header!r} is neither an indicator "
                "code, a variable in data/framework/variables.csv, nor 'ignore'"
            )
    return out


def role_of(text: object) -> str | None:
    return ROLES.get(read_header(text).key)

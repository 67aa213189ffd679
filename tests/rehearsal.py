"""A simulated official workbook, for the rehearsal of the import path: tests and benchmarks only.

Everything here is made up by code with a fixed seed. It lives under tests/ (not in the
package), its source is marked `simulated` in its own sources.csv (data/sources.csv may never
hold one: a test checks), and a book built on it carries a banner on every page.

`write_rehearsal(folder)` writes `workbook.xlsx` (all county units of each year × the 34
registry indicators × 2015–2023, with a published index and rank) and `sources.csv`, shaped
as Chinese statistical tables are: two title lines, a unit row under the header, a serial
column, the city beside the county, the province total first and a 合计 row after each city,
临安市 in 2015–2016 and 临安区 after, a few numbers stored as text, one column in Excel's
percent format and two indicators printed in another allowed unit.

The "published" index is computed here with its own few lines of numpy, independently of the
package's engine, by the registry's method (see `zjinnov.study.full_index`): each indicator
against the province's 2015 value (counts and amounts against the county's own first year),
weighted means within domains and across them, with known weights that are not the
registry's. It is computed from the values as printed and rounded to one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from zjinnov.data import geography, units
from zjinnov.data.framework import extensive_codes, load_domains, load_indicators

SEED = 20261201
YEARS = tuple(range(2015, 2024))
SOURCE_ID = "rehearsal-monitoring"
BASE_YEAR = 2015
# Printed in another allowed unit than the registry's, so the unit conversion is exercised.
PRINTED_UNIT = {"I05": ("元", 1e4), "I26": ("万元/人", 1e-4)}
PERCENT_FORMAT = "I12"  # stored as 0.0342 with an Excel percent format
# Typical level of an indicator by its registry unit (the order of magnitude only matters).
SCALE = {
    "%": 8.0,
    "人年/万人": 60.0,
    "万元": 2.0,
    "家/千家企业": 20.0,
    "家": 150.0,
    "件": 40.0,
    "件/万人": 30.0,
    "万元/万人": 500.0,
    "件/万人年": 3000.0,
    "篇/万人": 3.0,
    "元/人": 150000.0,
    "人/万人": 800.0,
    "元": 90000.0,
}
SOURCES_HEADER = (
    "source_id,title,publisher,date_published,url,date_accessed,kind,form,confidence,note"
)
SOURCES_ROW = (
    f"{SOURCE_ID},演练用模拟监测指标表（测试代码生成）,测试套件（模拟数据）,2026-12-01,"
    "simulated://tests/rehearsal.py,2026-12-01,simulated,table,low,"
    "simulated by tests/rehearsal.py with a fixed seed; not data of any county"
)


@dataclass
class Rehearsal:
    folder: Path
    workbook: Path
    sources: Path
    weights: pd.Series  # effective weight of each indicator (sums to 1)
    domain_weights: pd.Series  # by domain code
    within: pd.Series  # indicator weight within its domain
    published: pd.DataFrame  # county_code (as printed that year), year, index, rank
    values: pd.DataFrame  # county_code, year, indicator, value (registry unit, as printed)


def _units_by_year() -> dict[int, pd.DataFrame]:
    return {y: geography.units_in_year(y) for y in YEARS}


def _simulate(rng, indicators, by_year):
    """Values per (year, current code, indicator) in the registry's unit."""
    entities = sorted({c for t in by_year.values() for c in geography.harmonise_codes(t["code"])})
    n_e, n_i = len(entities), len(indicators)
    scale = indicators["unit"].map(SCALE).fillna(10.0).to_numpy()
    level = rng.lognormal(0.0, 0.45, (n_e, n_i)) * scale
    growth = rng.normal(0.05, 0.03, (n_e, n_i))
    out = {}
    for k, year in enumerate(YEARS):
        noise = rng.lognormal(0.0, 0.03, (n_e, n_i))
        out[year] = pd.DataFrame(
            level * (1 + growth) ** k * noise, index=entities, columns=indicators["code"]
        )
    return out


def _printed(x: float, unit: str) -> float:
    """As the table prints it: counts whole, the rest to four significant digits."""
    if unit in ("家", "件"):
        return float(round(x))
    return float(f"{x:.4g}")


def _true_weights(rng, indicators, domains):
    dom = pd.Series(rng.dirichlet(np.full(len(domains), 12.0)), index=domains["code"])
    code_of = dict(zip(domains["domain"], domains["code"], strict=True))
    within = pd.Series(0.0, index=indicators["code"])
    for _, part in indicators.groupby("domain"):
        within[part["code"]] = rng.dirichlet(np.full(len(part), 6.0))
    parent = indicators.set_index("code")["domain"].map(code_of)
    return dom, within, within * parent.map(dom).to_numpy()


def _index(values: dict[int, pd.DataFrame], province: dict[int, pd.Series], indicators, eff):
    """The registry's method in plain numpy: ratio to base ×100, weighted by effective weights."""
    extensive = extensive_codes(indicators)
    codes = list(indicators["code"])
    intensive_base = province[BASE_YEAR]
    first = {}
    for year in YEARS:  # each entity's first year, for counts and amounts
        for e in values[year].index:
            first.setdefault(e, year)
    out = {}
    for year in YEARS:
        X = values[year]
        base = pd.DataFrame(
            {
                c: (
                    X.index.map(lambda e, c=c: values[first[e]].loc[e, c])
                    if c in extensive
                    else np.full(len(X), intensive_base[c])
                )
                for c in codes
            },
            index=X.index,
        )
        Z = 100.0 * X / base
        score = Z[codes].to_numpy() @ eff[codes].to_numpy()
        prov_base = pd.Series({c: province[BASE_YEAR][c] for c in codes})
        prov = float((100.0 * province[year][codes] / prov_base).to_numpy() @ eff[codes].to_numpy())
        out[year] = (pd.Series(score, index=X.index), prov)
    return out


@dataclass
class Truth:
    """What the simulation made: printed values, totals, published index, true weights."""

    values: dict  # year -> DataFrame (current code × indicator), registry units, as printed
    province: dict  # year -> Series
    city: dict  # year -> {city code: Series}
    published: pd.DataFrame
    weights: pd.Series
    domain_weights: pd.Series
    within: pd.Series


def simulate(seed: int = SEED) -> Truth:
    rng = np.random.default_rng(seed)
    indicators, domains = load_indicators(), load_domains()
    by_year = _units_by_year()
    raw = _simulate(rng, indicators, by_year)
    units_of = indicators.set_index("code")["unit"]
    values, province, city = {}, {}, {}
    extensive = list(extensive_codes(indicators))
    for year, table in by_year.items():
        current = geography.harmonise_codes(table["code"])
        X = raw[year].loc[current.to_numpy()].copy()
        shares = [c for c in X.columns if units_of[c] == "%"]
        X[shares] = X[shares].clip(upper=95.0)  # shares stay shares
        X = X.apply(lambda col: col.map(lambda v, u=units_of[col.name]: _printed(v, u)))
        values[year] = X
        prov = X.mean()
        prov[extensive] = X[extensive].sum()  # the province's counts and amounts are totals
        province[year] = prov.map(lambda v: _printed(v, "x"))
        members = table.assign(code=current.to_numpy()).groupby("city_code")["code"].apply(list)
        city[year] = {
            c: X.loc[m].mean().map(lambda v: _printed(v, "x")) for c, m in members.items()
        }
    dom_w, within, eff = _true_weights(rng, indicators, domains)
    scores = _index(values, province, indicators, eff)
    published = []
    for year, table in by_year.items():
        s, prov = scores[year]
        rank = s.rank(method="min", ascending=False).astype(int)
        printed = dict(zip(geography.harmonise_codes(table["code"]), table["code"], strict=True))
        published += [(printed[e], year, round(float(s[e]), 1), int(rank[e])) for e in s.index]
        published.append((geography.ZHEJIANG, year, round(prov, 1), None))
    pub = pd.DataFrame(published, columns=["county_code", "year", "index", "rank"])
    return Truth(values, province, city, pub, eff, dom_w, within)


def _sources(folder: Path) -> Path:
    path = folder / "sources.csv"
    path.write_text(f"{SOURCES_HEADER}\n{SOURCES_ROW}\n", encoding="utf-8")
    return path


def write_rehearsal(folder: Path, seed: int = SEED) -> Rehearsal:
    """Write the simulated workbook and its sources.csv into `folder`; return the truth."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    truth = simulate(seed)
    path = folder / "workbook.xlsx"
    _write_workbook(path, truth, YEARS, np.random.default_rng(seed))
    long = pd.concat(
        [
            v.rename_axis("county_code")
            .reset_index()
            .melt("county_code", var_name="indicator")
            .assign(year=y)
            for y, v in truth.values.items()
        ],
        ignore_index=True,
    )
    return Rehearsal(
        folder,
        path,
        _sources(folder),
        truth.weights,
        truth.domain_weights,
        truth.within,
        truth.published,
        long,
    )


def write_broken(folder: Path, seed: int = SEED) -> tuple[Path, dict]:
    """The rehearsal's 2019 sheet with three slips: an unknown county name, a text cell and a
    missing indicator column. Returns the path and what was broken where."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _sources(folder)
    slips = {"rename": ("桐庐县", "桐芦县"), "text": ("淳安县", "待核实"), "drop": "I07"}
    path = folder / "broken.xlsx"
    where = _write_workbook(path, simulate(seed), (2019,), np.random.default_rng(seed), slips)
    return path, {
        "unknown_county": ("桐芦县", f"C{where['rename']}"),
        "text_cell": ("待核实", f"D{where['text']}"),
        "missing_column": slips["drop"],
    }


def _cells(ws, city_name, label, vals, codes, published, rng, serial=""):
    """One printed row: serial, city, county, the indicators as printed, index and rank."""
    cells = [serial, city_name, label]
    for c in codes:
        unit, factor = PRINTED_UNIT.get(c, (None, 1.0))
        v = float(vals[c]) * factor
        if c == PERCENT_FORMAT:
            cell = WriteOnlyCell(ws, v / 100.0)
            cell.number_format = "0.00%"
            cells.append(cell)
        elif rng.random() < 0.01:  # typed in as text, as tables pasted from documents have it
            cells.append(f"{v:g}")
        else:
            cells.append(v)
    if published is None:
        return cells + [None, None]
    rank = None if pd.isna(published["rank"]) else int(published["rank"])
    return cells + [float(published["index"]), rank]


def _write_workbook(path, truth: Truth, years, rng, slips: dict | None = None) -> dict:
    """Write the sheets of `years`; `slips` (see `write_broken`) spoils them on purpose.
    Returns the sheet rows where the slips went."""
    slips = slips or {}
    indicators = load_indicators()
    indicators = indicators[indicators["code"] != slips.get("drop")]
    codes = list(indicators["code"])
    heads = ["序号", "设区市", "县（市、区）", *indicators["name_zh"], "创新指数", "全省排位"]
    units_row = [
        PRINTED_UNIT.get(c, (u, 1))[0] for c, u in zip(codes, indicators["unit"], strict=True)
    ]
    book, where = Workbook(write_only=True), {}
    for year in years:
        table = geography.units_in_year(year)
        ws = book.create_sheet(f"{year}年")
        got = truth.published[truth.published["year"] == year].set_index("county_code")
        rows = [
            [f"{year}年度浙江省县（市、区）科技进步统计监测主要指标"],
            ["（演练用模拟数据，由测试代码生成，不得引用）"],
            heads,
            ["", "", "", *units_row, "", "位"],
            _cells(ws, "", "全省", truth.province[year], codes, got.loc[geography.ZHEJIANG], rng),
            [],
        ]
        serial = 0
        current = geography.harmonise_codes(table["code"]).to_numpy()
        for city_code, part in table.assign(current=current).groupby("city_code", sort=True):
            for r in part.itertuples(index=False):
                serial += 1
                row = _cells(
                    ws,
                    r.city_name,
                    r.name,
                    truth.values[year].loc[r.current],
                    codes,
                    got.loc[r.code],
                    rng,
                    serial,
                )
                for slip, (name, text) in ((k, v) for k, v in slips.items() if k != "drop"):
                    if r.name == name:
                        where[slip] = len(rows) + 1
                        row[2 if slip == "rename" else 3] = text
                rows.append(row)
            rows.append(
                _cells(
                    ws,
                    part["city_name"].iloc[0],
                    "合计",
                    truth.city[year][city_code],
                    codes,
                    None,
                    rng,
                )
            )
        rows += [[], ["注：本表为演练用模拟数据，由测试代码以固定随机种子生成。"]]
        for row in rows:
            ws.append(row)
    book.properties.created = book.properties.modified = pd.Timestamp("2026-12-01").to_pydatetime()
    book.save(path)
    return where


def printed_values(rehearsal: Rehearsal) -> pd.DataFrame:
    """The simulated values in the registry's units (for checks against the imported rows)."""
    return rehearsal.values.assign(value=lambda d: d["value"].astype(float))


__all__ = ["Rehearsal", "write_rehearsal", "write_broken", "printed_values", "SOURCE_ID", "units"]

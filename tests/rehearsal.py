"""Simulated official workbooks, for the rehearsal of the import and identification path: tests
and benchmarks only.

Everything here is made up by code with a fixed seed. It lives under tests/ (not in the
package), its source is marked `simulated` in its own sources.csv (data/sources.csv may never
hold one: a test checks), and a book built on it carries a banner on every page.

`write_rehearsal(folder, method=..., layout=...)` writes `workbook.xlsx` (all county units of
each year × the 34 registry indicators, with a published index and rank) and `sources.csv`.
The "published" index is made by `method`, any candidate of `zjinnov.engine.candidates` or a
method outside them (`rehearsal_methods`, written independently of the engine), with random
weights that are not the registry's, from the values as printed, rounded to one decimal.

Layouts, as Chinese statistical tables print them:
- ``sheet_per_year``: a sheet a year; two title lines, a unit row under the header, a serial
  column, the city beside the county, the province first and a 合计 row after each city,
  临安市 in 2015–2016 and 临安区 after, a few numbers stored as text, one column in Excel's
  percent format, two indicators printed in another allowed unit, a footnote;
- ``year_column``: one sheet for every year with a 年度 column and a 代码 column; two header
  rows, the upper naming the domains over their indicators (merged cells) and holding the
  headers that span both rows; units in the headers (名称（单位）), 创新指数（2015年=100）;
  subtotals 小计 and 全市; numbers as text with thousands separators or a trailing %; a few
  county cells printed as —, －, -, … or left blank (imported with --partial); footnotes
  注： and 资料来源：;
- ``transposed``: a sheet a year with indicators down and counties across, a unit column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import rehearsal_methods
from rehearsal_layouts import write_sheet_per_year, write_transposed, write_year_column

from zjinnov.data import geography, importer, overlay, sources, units
from zjinnov.data.framework import (
    extensive_codes,
    indicator_values,
    load_domains,
    load_indicators,
)
from zjinnov.engine.hierarchy import from_registry
from zjinnov.engine.identify import identify as identify_method

SEED = 20261201
YEARS = tuple(range(2015, 2024))
SOURCE_ID = "rehearsal-monitoring"
BASE_YEAR = 2015
DEFAULT_METHOD = "registry_arithmetic"
LAYOUTS = ("sheet_per_year", "year_column", "transposed")
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
    method: str = DEFAULT_METHOD
    layout: str = "sheet_per_year"
    bases: pd.Series | None = None  # per_indicator: each indicator's base
    missing_cells: int = 0  # county cells printed without a value


def _simulate(rng, indicators, by_year, years):
    """Values per (year, current code, indicator) in the registry's unit."""
    entities = sorted({c for t in by_year.values() for c in geography.harmonise_codes(t["code"])})
    n_e, n_i = len(entities), len(indicators)
    scale = indicators["unit"].map(SCALE).fillna(10.0).to_numpy()
    level = rng.lognormal(0.0, 0.45, (n_e, n_i)) * scale
    growth = rng.normal(0.05, 0.04, (n_e, n_i))
    out = {}
    for k, year in enumerate(years):
        noise = rng.lognormal(0.0, 0.05, (n_e, n_i))
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
    method: str = DEFAULT_METHOD
    bases: pd.Series | None = None
    years: tuple = YEARS


def simulate(seed: int = SEED, method: str = DEFAULT_METHOD, years=YEARS) -> Truth:
    rng = np.random.default_rng(seed)
    indicators, domains = load_indicators(), load_domains()
    by_year = {y: geography.units_in_year(y) for y in years}
    raw = _simulate(rng, indicators, by_year, years)
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
    bases = pd.Series(rng.choice(["province", "own"], len(indicators)), index=indicators["code"])
    meta = pd.DataFrame(
        {
            "code": indicators["code"],
            "domain": indicators["domain"],
            "direction": indicators["direction"].astype(int),
            "extensive": indicators["code"].isin(extensive),
        }
    )
    across = dom_w.rename(dict(zip(domains["code"], domains["domain"], strict=True)))
    with_province = {
        y: pd.concat([v, province[y].rename(geography.ZHEJIANG).to_frame().T])
        for y, v in values.items()
    }
    scores = rehearsal_methods.published_index(
        method,
        with_province,
        meta,
        within,
        across,
        province=geography.ZHEJIANG,
        base_year=BASE_YEAR,
        bases=bases,
    )
    published = []
    for year, table in by_year.items():
        s = scores[year]
        counties = s.drop(index=geography.ZHEJIANG)
        rank = counties.rank(method="min", ascending=False).astype(int)
        printed = dict(zip(geography.harmonise_codes(table["code"]), table["code"], strict=True))
        published += [
            (printed[e], year, round(float(counties[e]), 1), int(rank[e])) for e in counties.index
        ]
        published.append((geography.ZHEJIANG, year, round(float(s[geography.ZHEJIANG]), 1), None))
    pub = pd.DataFrame(published, columns=["county_code", "year", "index", "rank"])
    used = bases if method == "per_indicator_arithmetic" else None
    return Truth(values, province, city, pub, eff, dom_w, within, method, used, tuple(years))


def _sources(folder: Path) -> Path:
    path = folder / "sources.csv"
    path.write_text(f"{SOURCES_HEADER}\n{SOURCES_ROW}\n", encoding="utf-8")
    return path


def _long(truth: Truth) -> pd.DataFrame:
    return pd.concat(
        [
            v.rename_axis("county_code")
            .reset_index()
            .melt("county_code", var_name="indicator")
            .assign(year=y)
            for y, v in truth.values.items()
        ],
        ignore_index=True,
    )


def write_rehearsal(
    folder: Path,
    seed: int = SEED,
    method: str = DEFAULT_METHOD,
    layout: str = "sheet_per_year",
    years=YEARS,
) -> Rehearsal:
    """Write the simulated workbook and its sources.csv into `folder`; return the truth."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r}: choose one of {LAYOUTS}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    truth = simulate(seed, method, years)
    path = folder / "workbook.xlsx"
    rng = np.random.default_rng(seed)
    missing = 0
    if layout == "sheet_per_year":
        write_sheet_per_year(path, truth, years, rng)
    elif layout == "year_column":
        missing = write_year_column(path, truth, years, rng)
    else:
        write_transposed(path, truth, years, rng)
    return Rehearsal(
        folder,
        path,
        _sources(folder),
        truth.weights,
        truth.domain_weights,
        truth.within,
        truth.published,
        _long(truth),
        method,
        layout,
        truth.bases,
        missing,
    )


def write_broken(folder: Path, seed: int = SEED) -> tuple[Path, dict]:
    """The rehearsal's 2019 sheet with three slips: an unknown county name, a text cell and a
    missing indicator column. Returns the path and what was broken where."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _sources(folder)
    slips = {"rename": ("桐庐县", "桐芦县"), "text": ("淳安县", "待核实"), "drop": "I07"}
    path = folder / "broken.xlsx"
    where = write_sheet_per_year(
        path, simulate(seed, years=(2015, 2019)), (2019,), np.random.default_rng(seed), slips
    )
    return path, {
        "unknown_county": ("桐芦县", f"C{where['rename']}"),
        "text_cell": ("待核实", f"D{where['text']}"),
        "missing_column": slips["drop"],
    }


# ------------------------------------------------------------------------------ the analyst's way
def import_and_lay_over(rehearsal: Rehearsal, build: Path):
    """Import the workbook (with --partial where cells are missing), write it into the
    analyst's folder and lay that over data/ under `build`; returns the import and the folder."""
    result = importer.import_workbook(
        rehearsal.workbook,
        SOURCE_ID,
        sources_dir=rehearsal.folder,
        complete=rehearsal.missing_cells == 0,
    )
    result.report.raise_if_any()
    importer.write(result, rehearsal.folder, "monitoring")
    overlay.lay_out(rehearsal.folder, Path(build) / "data")
    return result, Path(build) / "data"


def engine_tables(data_dir: Path, source_id: str = SOURCE_ID):
    """The workbook's indicator values and published index as the engine takes them, read
    back from the laid-over data (validated): region codes carried across renames, county
    units of each year and the province only."""
    obs = sources.load_observations(data_dir)
    obs = obs[obs["source_id"] == source_id]
    ind = load_indicators(Path(data_dir) / "framework")
    values = indicator_values(obs, ind)
    values = values.assign(county_code=geography.harmonise_codes(values["county_code"]))
    units_of = {
        y: set(geography.harmonise_codes(geography.units_in_year(y)["code"]))
        for y in values["year"].unique()
    }
    keep = [
        c == geography.ZHEJIANG or c in units_of[y]
        for c, y in zip(values["county_code"], values["year"], strict=True)
    ]
    values = values[keep][["county_code", "year", "indicator", "value"]]
    pub = obs[obs["variable"] == "innovation_index"][["county_code", "year", "value"]]
    pub = pub.assign(county_code=geography.harmonise_codes(pub["county_code"]))
    return values.reset_index(drop=True), pub.reset_index(drop=True)


def identify(data_dir: Path, tables=None):
    """The engine's identification over the laid-over data, as phase 2's Study will call it
    (`tables`: `engine_tables(data_dir)` when already read)."""
    values, published = engine_tables(data_dir) if tables is None else tables
    fw = Path(data_dir) / "framework"
    ind, dom = load_indicators(fw), load_domains(fw)
    return identify_method(
        values,
        published,
        from_registry(ind, dom),
        province=geography.ZHEJIANG,
        base_year=BASE_YEAR,
        extensive=extensive_codes(ind),
    )


def printed_values(rehearsal: Rehearsal) -> pd.DataFrame:
    """The simulated values in the registry's units (for checks against the imported rows)."""
    return rehearsal.values.assign(value=lambda d: d["value"].astype(float))


__all__ = [
    "LAYOUTS",
    "Rehearsal",
    "write_rehearsal",
    "write_broken",
    "printed_values",
    "SOURCE_ID",
    "units",
]

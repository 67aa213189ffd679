"""Which county-years the full index may score: the coverage rule, per domain.

A county-year is scored when, in every domain, the share of the domain's indicators it has
(with a base) reaches the domain's `min_coverage` (data/framework/domains.csv; 0.8 unless set).
Only the county-level units of each year take part (`taking_part`, `units_by_year`, from the
county registry of the Study's data folder); the province is counted too, since its values are
the bases, but is never a county-year.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from zjinnov.data import geography
from zjinnov.data.errors import ValidationReport

DEFAULT_MIN_COVERAGE = 0.8


def min_coverage(domains: pd.DataFrame) -> pd.Series:
    """The coverage rule per domain (share of its indicators), checked: 0 < rule <= 1."""
    raw = domains.get("min_coverage", pd.Series("", index=domains.index)).replace("", None)
    rule = pd.to_numeric(raw, errors="coerce").fillna(DEFAULT_MIN_COVERAGE)
    report = ValidationReport()
    for k in np.flatnonzero(~rule.between(0, 1, inclusive="right")):
        report.add(
            "framework/domains.csv",
            int(k) + 2,
            "min_coverage",
            "coverage rule must be a share in (0, 1]",
            raw.iloc[k],
        )
    report.raise_if_any()
    return pd.Series(rule.to_numpy(), index=domains["domain"])


def units_by_year(years, framework_dir: Path) -> pd.DataFrame:
    """county_code (current code) and year of every county unit of each year."""
    return _units_by_year(tuple(int(y) for y in years), str(framework_dir)).copy()


@cache
def _units_by_year(years: tuple[int, ...], framework_dir: str) -> pd.DataFrame:
    fw = Path(framework_dir)
    frames = [
        pd.DataFrame(
            {
                "county_code": geography.harmonise_codes(
                    geography.units_in_year(y, fw)["code"], fw
                ),
                "year": int(y),
            }
        )
        for y in years
    ]
    return pd.concat(frames, ignore_index=True)


def taking_part(
    values: pd.DataFrame, indicators: pd.DataFrame, framework_dir: Path
) -> pd.DataFrame:
    """The indicator values that take part in the full index and the identification: registry
    indicators of the county units of each year (a renamed unit under its current code) and of
    the province."""
    v = values.assign(county_code=geography.harmonise_codes(values["county_code"], framework_dir))
    v = v[["county_code", "year", "indicator", "value", "source_ids"]].dropna(subset=["value"])
    v = v[v["indicator"].isin(indicators["code"])]
    if v.empty:
        return v.reset_index(drop=True)
    units = units_by_year(sorted(v["year"].unique()), framework_dir)
    v = v.merge(units.assign(unit=True), on=["county_code", "year"], how="left")
    keep = v["unit"].notna() | v["county_code"].eq(geography.ZHEJIANG)
    return v[keep].drop(columns="unit").reset_index(drop=True)


def coverage(
    scored: pd.DataFrame,
    indicators: pd.DataFrame,
    domains: pd.DataFrame,
    framework_dir: Path,
    years=None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per county unit, year and domain: indicators with a value and a base (`scored`: the
    engine's input, region, year, indicator), and the rule; then per county-year whether every
    domain meets it, and the domains that fall short (`short`, a list of names)."""
    rule = min_coverage(domains)
    years = sorted(scored["year"].unique()) if years is None else list(years)
    places = pd.concat(
        [
            units_by_year(years, framework_dir),
            pd.DataFrame({"county_code": geography.ZHEJIANG, "year": years}),
        ]
    )
    grid = places.merge(
        indicators[["code", "domain"]].rename(columns={"code": "indicator"}), how="cross"
    )
    have = (
        scored[["region", "year", "indicator"]]
        .rename(columns={"region": "county_code"})
        .assign(present=True)
    )
    grid = grid.merge(have, on=["county_code", "year", "indicator"], how="left")
    grid["present"] = grid["present"].fillna(False).astype(bool)
    cov = (
        grid.groupby(["county_code", "year", "domain"], sort=False)
        .agg(present=("present", "sum"), total=("indicator", "size"))
        .reset_index()
    )
    cov["share"] = cov["present"] / cov["total"]
    cov["min_coverage"] = cov["domain"].map(rule)
    cov["meets"] = cov["share"] >= cov["min_coverage"] - 1e-12
    units = cov[cov["county_code"] != geography.ZHEJIANG]
    short = units[~units["meets"]].groupby(["county_code", "year"])["domain"].agg(list)
    elig = units.groupby(["county_code", "year"])["meets"].all().rename("eligible").reset_index()
    found = elig.set_index(["county_code", "year"]).index.map(short)
    elig["short"] = [d if isinstance(d, list) else [] for d in found]
    return cov, elig

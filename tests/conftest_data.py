"""Fixtures built by code: a small valid data folder in tmp_path, and synthetic observations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from zjinnov.data.paths import DATA

HEADER = "county_code,county_name,year,report_year,variable,value,unit,period,source_id,confidence,quote,note"
GOOD_ROWS = [
    "330112,临安区,2021,,hightech_industry_value_added,187.82,亿元,year,linan-2022-03,high,规上高新技术产业领域企业增加值187.82亿元,",
    "330112,临安区,2021,,above_scale_industry_value_added,230.82,亿元,year,linan-2022-03,high,规上工业增加值230.82亿元,",
    "330112,临安区,2020,,rd_intensity,3.34,%,year,linan-2022-03,high,占GDP比重达3.34%,",
    "330112,临安区,2020,,national_hightech_enterprises,349,家,year,linan-2022-03,high,349家,",
]


def make_data_dir(tmp_path: Path, rows: list[str] | None = None, name: str = "test.csv") -> Path:
    """A copy of the shipped registries and sources plus one small raw table."""
    root = tmp_path / "data"
    shutil.copytree(DATA / "framework", root / "framework")
    shutil.copy(DATA / "sources.csv", root / "sources.csv")
    shutil.copy(DATA / "targets.csv", root / "targets.csv")
    (root / "raw").mkdir()
    write_raw(root, rows if rows is not None else GOOD_ROWS, name)
    return root


def write_raw(
    root: Path,
    rows: list[str],
    name: str = "test.csv",
    header: str = HEADER,
    encoding: str = "utf-8",
) -> Path:
    path = root / "raw" / name
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def make_obs(rows: list[tuple]) -> pd.DataFrame:
    """Observations as load_observations returns them, from (code, year, variable, value[, period, printed])."""
    records = []
    for i, r in enumerate(rows):
        code, year, variable, value = r[:4]
        period = r[4] if len(r) > 4 else "year"
        printed = r[5] if len(r) > 5 else str(value)
        records.append(
            dict(
                county_code=code,
                county_name="x",
                year=year,
                report_year=pd.NA,
                variable=variable,
                value=float(value),
                unit="",
                period=period,
                partial=period != "year",
                source_id="src",
                confidence="high",
                quote="q",
                note="",
                file="t.csv",
                row=i + 2,
                boundary_year=pd.NA,
                value_as_published=printed,
                unit_as_published="",
            )
        )
    frame = pd.DataFrame(records)
    frame["boundary_year"] = frame["boundary_year"].astype("Int64")
    return frame

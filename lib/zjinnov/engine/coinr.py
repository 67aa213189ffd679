"""COINr-style data (iData + iMeta) and the recipe of COINr's `build_example_coin()`.

Steps, each a small function: denominate -> impute (group mean) -> screen -> treat
(`zjinnov.engine.outliers`) -> normalise (min-max 0-100 of direction·x) -> aggregate (weighted
arithmetic mean, missing values dropped and weights renormalised), the last two through
`zjinnov.engine.index.build_index`, so the ASEM reference checks the study's own engine.

Reference data: `tests/reference/coinr-asem/` (MIT, from COINr 1.1.14; see its README).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zjinnov.engine.hierarchy import Hierarchy, from_imeta
from zjinnov.engine.index import IndexMethod, IndexResult, build_index
from zjinnov.engine.outliers import treat_array

# COINr's documentation (vignette "results", index top six of the ASEM example): the scores
# this engine must reproduce to two decimals.
PUBLISHED_TOP6 = {
    "CHE": 68.38,
    "NLD": 64.82,
    "DNK": 64.80,
    "NOR": 64.47,
    "BEL": 63.54,
    "SWE": 63.00,
}
ASEM_METHOD = IndexMethod(label="COINr build_example_coin", normaliser="minmax", base_year=None)


def load(folder: Path | str, prefix: str = "ASEM") -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = Path(folder)
    idata = pd.read_csv(folder / f"{prefix}_iData.csv")
    imeta = pd.read_csv(folder / f"{prefix}_iMeta.csv")
    return idata, imeta


def indicator_codes(imeta: pd.DataFrame) -> list[str]:
    return imeta.loc[imeta["Type"] == "Indicator", "iCode"].tolist()


def denominate(idata: pd.DataFrame, imeta: pd.DataFrame) -> pd.DataFrame:
    """Divide each indicator whose `Denominator` is set by that column of iData."""
    out = idata.copy()
    meta = imeta[(imeta["Type"] == "Indicator") & imeta["Denominator"].notna()]
    cols, dens = meta["iCode"].tolist(), meta["Denominator"].tolist()
    out[cols] = idata[cols].to_numpy(float) / idata[dens].to_numpy(float)
    return out


def impute_group_mean(idata: pd.DataFrame, cols: list[str], group: str) -> pd.DataFrame:
    """A missing value becomes the mean of its indicator over the regions of the same group."""
    out = idata.copy()
    means = idata.groupby(group)[cols].transform("mean")
    out[cols] = idata[cols].fillna(means)
    return out


def screen(idata: pd.DataFrame, cols: list[str], dat_thresh: float = 0.9) -> pd.DataFrame:
    """Keep regions with at least `dat_thresh` of indicators available (COINr `byNA`)."""
    share = idata[cols].notna().mean(axis=1)
    return idata[share >= dat_thresh].reset_index(drop=True)


def treat(idata: pd.DataFrame, cols: list[str], **kw) -> tuple[pd.DataFrame, pd.DataFrame]:
    out = idata.copy()
    values, report = treat_array(idata[cols].to_numpy(float), names=cols, **kw)
    out[cols] = values
    return out, report


def to_long(idata: pd.DataFrame, cols: list[str], year_col: str = "Time") -> pd.DataFrame:
    year = idata[year_col].astype(int) if year_col in idata else pd.Series(0, index=idata.index)
    wide = idata[cols].assign(region=idata["uCode"], year=year.to_numpy())
    return wide.melt(id_vars=["region", "year"], var_name="indicator", value_name="value")


def example_recipe(
    idata: pd.DataFrame,
    imeta: pd.DataFrame,
    *,
    group: str = "EurAsia_group",
    dat_thresh: float = 0.9,
    winmax: int = 5,
) -> tuple[IndexResult, dict]:
    """COINr's `build_example_coin()`; returns the index result and every intermediate step."""
    cols = indicator_codes(imeta)
    steps = {"Raw": idata}
    steps["Denominated"] = denominate(idata, imeta)
    steps["Imputed"] = impute_group_mean(steps["Denominated"], cols, group)
    steps["Screened"] = screen(steps["Imputed"], cols, dat_thresh)
    steps["Treated"], steps["treatment"] = treat(steps["Screened"], cols, winmax=winmax)
    hierarchy: Hierarchy = from_imeta(imeta)
    result = build_index(to_long(steps["Treated"], cols), hierarchy, ASEM_METHOD)
    return result, steps


def results_table(result: IndexResult, idata: pd.DataFrame | None = None) -> pd.DataFrame:
    """Index score and rank of each region, best first, with every aggregate node beside it."""
    wide = result.wide(value="score")
    agg = [c for c in wide.columns if c not in result.hierarchy.indicators]
    out = wide[agg].copy()
    root = result.hierarchy.root
    out.insert(0, "score", wide[root])
    out.insert(0, "rank", result.wide(value="rank")[root].astype(int))
    out = out.sort_values("rank")
    if idata is not None:
        out.insert(0, "name", idata.set_index("uCode")["uName"].reindex(out.index))
    out.index.name = "region"
    return out


def max_abs_diff(a: pd.Series, b: pd.Series) -> float:
    common = a.index.intersection(b.index)
    return float(np.max(np.abs(a[common].to_numpy(float) - b[common].to_numpy(float))))

"""The variable dictionary (data/framework/variables.csv): labels, kind, canonical and allowed
units, and for a variable this study derives, its formula.

A derived variable's `formula` is either arithmetic over other variables
(``pop_census7_urban / pop_census7_resident * 100``) or one indicator code of the registry
(``I29``): the variable is that indicator's formula, written once in indicators.csv.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from zjinnov.data import units
from zjinnov.data.paths import DATA


@cache
def variables_table(framework_dir: Path) -> pd.DataFrame:
    """variables.csv indexed by variable, with `allowed` (a frozenset of normalised units)."""
    table = pd.read_csv(framework_dir / "variables.csv", dtype=str, keep_default_na=False)
    if "formula" not in table:
        table["formula"] = ""
    table["allowed"] = (
        table["allowed_units"]
        .str.split(";")
        .map(lambda us: frozenset(units.normalise_text(u) for u in us))
    )
    return table.set_index("variable")


def load_variables(data_dir: Path = DATA) -> pd.DataFrame:
    """data/framework/variables.csv: the variable dictionary (labels, kind, canonical unit,
    allowed units, formula of a derived variable)."""
    return variables_table(Path(data_dir) / "framework").drop(columns="allowed").reset_index()

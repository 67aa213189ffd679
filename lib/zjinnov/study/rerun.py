"""The analyst's rerun, as code: drop a new table into data/raw/, validate, rebuild.

`worked_example` replays a real update on a scratch copy of data/: it takes out every row
that came from one source document (as if that document had not yet been published), then
drops those rows back in as a new table, first with a typing slip that validation must catch,
then corrected. Nothing is written under the project's own data/.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zjinnov.data import paths
from zjinnov.data.validate import validate_all
from zjinnov.engine.normalise import NORMALISERS
from zjinnov.study import county_profile
from zjinnov.study.study import Study


@dataclass
class RerunExample:
    source_id: str
    new_table: str
    rows_added: pd.DataFrame
    before: pd.DataFrame
    after: pd.DataFrame
    slip_problems: list[str]
    clean_after_fix: bool


def copy_data(dest: Path, data_dir: Path = paths.DATA) -> Path:
    if paths.RAW.resolve() in (dest.resolve(), *dest.resolve().parents):
        raise ValueError(f"refusing to work under data/raw/: {dest}")
    target = dest / "data"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(data_dir, target)
    return target


def take_out(data_dir: Path, source_id: str) -> pd.DataFrame:
    """Remove every raw row citing `source_id` from a scratch copy; return them."""
    removed = []
    for path in sorted((data_dir / "raw").glob("*.csv")):
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        hit = table["source_id"] == source_id
        if hit.any():
            removed.append(table[hit])
            table[~hit].to_csv(path, index=False)
    if not removed:
        raise ValueError(f"no raw rows cite source {source_id!r}")
    return pd.concat(removed, ignore_index=True)


def drop_in(data_dir: Path, rows: pd.DataFrame, name: str) -> Path:
    """Write raw rows (as `take_out` read them: the file's own columns) as a new table."""
    path = data_dir / "raw" / f"{name}.csv"
    rows.to_csv(path, index=False)
    return path


def worked_example(
    workdir: Path,
    county: str = "330112",
    source_id: str = "linan-2025-03",
    name: str = "new_report",
) -> RerunExample:
    data = copy_data(workdir)
    rows = take_out(data, source_id)
    before = _record(county, data)

    # The slip: a published index typed with a money unit.
    slip = rows.copy()
    idx = slip.index[slip["variable"] == "innovation_index"]
    if len(idx):
        slip.loc[idx[0], "unit"] = "亿元"
    else:
        slip.loc[slip.index[0], "value"] = "n/a"
    drop_in(data, slip, name)
    report = validate_all(data, sorted(NORMALISERS))
    problems = [str(p) for p in report.problems]

    drop_in(data, rows, name)
    fixed = validate_all(data, sorted(NORMALISERS))
    after = _record(county, data)
    return RerunExample(source_id, f"data/raw/{name}.csv", rows, before, after, problems, fixed.ok)


def _record(county: str, data_dir: Path) -> pd.DataFrame:
    """The county's published index record, from a Study of the data folder as it is now (a
    new Study each time: the folder changes between the two states)."""
    return county_profile.published_index(Study(county, data_dir).selection.best_any, county)

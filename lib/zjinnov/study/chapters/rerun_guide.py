"""Appendix A5, how to rerun with new data: both worked examples, as facts and tables.

1. A new public table dropped into data/ (`zjinnov.study.rerun.worked_example`). The scratch
   data folders before and after the new table both stay in the work folder
   (`rerun_folders`), so that the notebook can compare them (`zjinnov.present.changes`).
2. A monitoring workbook imported (`zjinnov.data.importer`): a one-sheet workbook in the
   official shape is written from figures one public document printed for the study county
   (or, if it has none, for the province), first with two slips that the importer must name
   (a notes column the registry does not know, a misspelt county name), then fixed with a
   mapping file that says to ignore the column, and the right name. Everything happens in a scratch folder; nothing is written under data/.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from zjinnov.data import geography, importer
from zjinnov.study import full_coverage, rerun
from zjinnov.study.facts import ChapterResult

CHAPTER = "a5"
RERUN_SOURCE = "linan-2025-03"
NOTES = "备注"  # a notes column, as tables often have: not in the registry, so it must be mapped
RERUN_DIR = "rerun"


def build(study, workdir: Path) -> ChapterResult:
    out = ChapterResult(CHAPTER)
    _rerun(out, study, Path(workdir) / RERUN_DIR)
    _import(out, study, Path(workdir) / "import")
    out.tables["header_names"] = header_names(study)
    out.fact("a5_n_header_names", len(out.tables["header_names"]), "count")
    out.fact("a5_n_indicators", len(study.indicators), "count")
    out.fact("a5_min_coverage", float(full_coverage.min_coverage(study.domains).min()), "share")
    return out


# ------------------------------------------------------------------------------ public table
def rerun_folders(workdir: Path) -> tuple[Path, Path]:
    """The worked example's data folders under `build`'s work folder: before the new table is
    dropped in, and after. They exist until the work folder is removed."""
    root = Path(workdir) / RERUN_DIR
    return root / "before" / "data", root / "data"


def _rerun(out: ChapterResult, study, workdir: Path) -> None:
    ex = rerun.worked_example(workdir, county=study.county, source_id=RERUN_SOURCE)
    # The state before is the scratch copy without the new table (worked_example takes the
    # rows out, then drops them back in as that table): keep a copy of it to compare with.
    before = rerun.copy_data(workdir / "before", workdir / "data")
    (before / "raw" / Path(ex.new_table).name).unlink()
    title = study.sources.set_index("source_id").at[RERUN_SOURCE, "title"]
    out.fact("a5_rerun_source", RERUN_SOURCE, "code")
    out.fact("a5_rerun_title", title, "text")
    out.fact("a5_rerun_n_rows", len(ex.rows_added), "count")
    out.fact("a5_rerun_n_problems", len(ex.slip_problems) or None, "count")
    out.fact("a5_rerun_first_problem", ex.slip_problems[0] if ex.slip_problems else None, "text")
    out.fact("a5_rerun_clean", "passed" if ex.clean_after_fix else "not_passed", "term")
    before, after = list(ex.before["year"].astype(int)), list(ex.after["year"].astype(int))
    out.fact("a5_rerun_years_before", before or None, "list")
    out.fact("a5_rerun_years_after", after or None, "list")
    out.tables["rerun_before"] = _index_table(ex.before)
    out.tables["rerun_after"] = _index_table(ex.after)


def _index_table(pub: pd.DataFrame) -> pd.DataFrame:
    cols = ["year", "innovation_index", "innovation_index_rank_zj", "innovation_index_rank_city"]
    return pub[[c for c in cols if c in pub]].reset_index(drop=True)


# ------------------------------------------------------------------------------ workbook
def example_figures(study) -> pd.DataFrame:
    """The published indicator figures one document printed for one place and year: the
    study county's largest such set, else the province's."""
    v = study.values[study.values["status"].eq("published")]
    for code in (study.county, geography.ZHEJIANG):
        mine = v[v["county_code"] == code]
        if len(mine):
            size = mine.groupby(["source_ids", "year"]).size().sort_index(level="year")
            source, year = size[size == size.max()].index[-1]  # the latest of the largest
            return mine[(mine["source_ids"] == source) & (mine["year"] == year)].reset_index(
                drop=True
            )
    return v.iloc[:0]


def write_example(path: Path, figures: pd.DataFrame, indicators: pd.DataFrame, slips: bool) -> dict:
    """A one-sheet workbook in the monitoring tables' shape, with a notes column; with `slips`,
    the county's name misspelt. Returns the notes header and the label used."""
    meta = indicators.set_index("code")
    code, year = figures["county_code"].iloc[0], int(figures["year"].iloc[0])
    label = "全省" if code == geography.ZHEJIANG else geography.name_of(code, year)
    heads = [*meta.loc[figures["indicator"], "name_zh"], NOTES]
    if slips:
        label = "浙江全省" if code == geography.ZHEJIANG else f"{label[:-1]}新{label[-1]}"
    book = Workbook()
    ws = book.active
    ws.title = f"{year}年"
    ws.append([f"{year}年度县（市、区）科技进步统计监测主要指标（演示）"])
    ws.append(["序号", "县（市、区）", *heads])
    ws.append(["", "", *meta.loc[figures["indicator"], "unit"], ""])
    ws.append([1, label, *figures["value"].round(4), "演示"])
    book.save(path)
    return {"header": NOTES, "label": label}


def _import(out: ChapterResult, study, workdir: Path) -> None:
    figures = example_figures(study)
    out.fact("a5_imp_n_values", len(figures) or None, "count")
    out.fact("a5_imp_source", figures["source_ids"].iloc[0] if len(figures) else None, "code")
    out.fact("a5_imp_year", int(figures["year"].iloc[0]) if len(figures) else None, "year")
    shown = _imported(study, figures, workdir) if len(figures) else None
    out.fact("a5_imp_n_problems", None if shown is None else shown["n_problems"], "count")
    out.fact("a5_imp_n_rows", None if shown is None else len(shown["rows"]), "count")
    out.fact("a5_imp_quote", None if shown is None else shown["rows"]["quote"].iloc[0], "text")
    out.fact("a5_imp_header", None if shown is None else shown["header"], "text")
    out.fact("a5_imp_label", None if shown is None else shown["label"], "text")
    columns = ["county_code", "year", "variable", "value", "unit", "quote"]
    out.tables["imp_problems"] = (
        pd.DataFrame(columns=["where", "cell", "rule", "found"])
        if shown is None
        else shown["problems"]
    )
    out.tables["imp_rows"] = (
        pd.DataFrame(columns=columns) if shown is None else shown["rows"][columns]
    )


def _imported(study, figures: pd.DataFrame, workdir: Path) -> dict:
    """The demonstration's two imports: the workbook with slips (its problems), then fixed."""
    workdir.mkdir(parents=True, exist_ok=True)
    source = figures["source_ids"].iloc[0]
    broken = write_example(workdir / "broken.xlsx", figures, study.indicators, slips=True)
    bad = importer.import_workbook(workdir / "broken.xlsx", source, study.data_dir, complete=False)
    write_example(workdir / "fixed.xlsx", figures, study.indicators, slips=False)
    mapping = workdir / "mapping.csv"
    mapping.write_text(f"header,target\n{broken['header']},ignore\n", encoding="utf-8")
    good = importer.import_workbook(
        workdir / "fixed.xlsx", source, study.data_dir, mapping=mapping, complete=False
    )
    good.report.raise_if_any()
    problems = pd.DataFrame(
        columns=["where", "cell", "rule", "found"],
        data=[
            {
                "where": f"{p.file}:{p.row}" if p.row else p.file,
                "cell": p.column or "",
                "rule": p.rule,
                "found": "" if p.value is None else str(p.value),
            }
            for p in bad.report.problems
        ],
    )
    return {
        "n_problems": len(bad.report.problems),
        "rows": good.rows,
        "header": broken["header"],
        "label": broken["label"],
        "problems": problems,
    }


def header_names(study) -> pd.DataFrame:
    """Every indicator with the Chinese name and the variable the importer maps it to."""
    ind = study.indicators
    return pd.DataFrame(
        {
            "indicator": ind["code"],
            "name_zh": ind["name_zh"],
            "domain": ind["domain"],
            "unit": ind["unit"],
            "variable": [importer.indicator_variable(r) for r in ind.itertuples(index=False)],
        }
    )

"""Appendix A5's worked example, compared as the notebook compares it: the report finds exactly
the values the new table changed and exactly its rows (the cells of notebooks/A5_rerun)."""

from __future__ import annotations

import csv
import math
import re

import pytest

from zjinnov.data import paths
from zjinnov.present import changes, labels, sentences
from zjinnov.study.chapters import rerun_guide
from zjinnov.study.study import Study


@pytest.fixture(scope="module", params=["330112", "330727"])
def built(request, tmp_path_factory):
    study = Study.load(request.param, paths.DATA)
    work = tmp_path_factory.mktemp(f"a5_{request.param}")
    result = rerun_guide.build(study, work)
    before_dir, after_dir = rerun_guide.rerun_folders(work)
    new_table = after_dir / "raw" / "new_report.csv"
    with new_table.open(encoding="utf-8-sig", newline="") as fh:
        new_rows = list(csv.reader(fh))[1:]
    diff = changes.between_tables(
        result.tables["rerun_before"],
        result.tables["rerun_after"],
        before_dir,
        after_dir,
        chapter="notebooks/A5_rerun",
        title=labels.label("rerun_table", "term"),
    )
    changes.record(
        result, diff, "a5_changes_n_values", "a5_changes_n_rows_added", "a5_changes_n_rows_removed"
    )
    return study, result, diff, new_rows, before_dir


def _cells(table) -> dict[str, float]:
    """Every non-blank cell of a chapter table, keyed as the report keys it."""
    out = {}
    for row in table.to_dict("records"):
        for column, value in row.items():
            if column != "year" and value is not None and not math.isnan(value):
                out[f"{int(row['year'])} · {labels.label(column)}"] = float(value)
    return out


def test_comparison_finds_exactly_the_values_the_new_table_changed(built):
    _, result, diff, _, _ = built
    before, after = _cells(result.tables["rerun_before"]), _cells(result.tables["rerun_after"])
    expected = {k: v for k, v in after.items() if before.get(k) != v}
    found = {r.key: float(r.new) for r in (*diff.changed.itertuples(), *diff.added.itertuples())}
    assert found == expected
    assert set(diff.removed["key"]) == set(before) - set(after)
    assert result.facts["a5_changes_n_values"].value == (len(expected) or None)


def test_lin_an_gains_its_2023_index_from_the_new_table(built):
    study, _, diff, _, _ = built
    if study.county != "330112":
        pytest.skip("the source of the worked example is about Lin'an")
    added = diff.added.set_index("key")["new"]
    # data/raw: linan-2025-03 publishes the 2023 index 149.2, 10th in the province, 5th in the city
    assert added["2023 · 创新指数"] == 149.2
    assert added["2023 · 全省排位"] == 10
    assert added["2023 · 全市排位"] == 5
    assert diff.changed.empty  # the years already published keep their values


def test_data_rows_are_exactly_the_new_table(built):
    _, result, diff, new_rows, before_dir = built
    assert not (before_dir / "raw" / "new_report.csv").exists()
    assert diff.rows_removed.empty
    assert set(diff.rows_added["file"]) == {"raw/new_report.csv"}
    columns = [c for c in diff.rows_added.columns if c != "file"]
    assert sorted(map(list, diff.rows_added[columns].itertuples(index=False))) == sorted(new_rows)
    assert result.facts["a5_changes_n_rows_added"].value == len(new_rows) > 0
    assert result.facts["a5_changes_n_rows_removed"].value == 0


def test_sentence_and_report_read_right(built):
    study, result, diff, new_rows, _ = built
    for lang in ("zh", "en"):
        line = sentences.render("a5_changes", result.facts, lang)
        assert not any(p in line for p in sentences.PLACEHOLDERS), line
        assert str(len(new_rows)) in line
    report = changes.render(diff, "放入新表之前", "放入新表之后", level=0, title="新表带来的变化")
    assert "#" not in report and f"新增 {len(new_rows)} 行" in report
    en = sentences.render("a5_changes", result.facts, "en")
    assert "(s)" not in en and not re.search(r"\b1 (values|rows)\b", en), en
    if study.county == "330727":  # no published index record: the missing wording
        assert "没有变化" in sentences.render("a5_changes", result.facts, "zh")

"""Publishing: licence and citation, the edition stamp, the facts file and the comparison of two
builds, byte-identical downloads, and the CI workflows against the Makefile."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml

from zjinnov import __main__ as cli
from zjinnov.data import geography
from zjinnov.data.paths import DATA, ROOT
from zjinnov.present import changes, downloads, edition, facts
from zjinnov.study import rerun


# ------------------------------------------------------------------------------ licence, citation
def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_licence_is_an_spdx_string_with_its_file():
    project = _pyproject()["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_citation_names_the_same_study_version_and_licence():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = _pyproject()["project"]
    assert str(cff["version"]) == project["version"]
    assert cff["license"] == project["license"]
    assert edition.title_for(geography.DEFAULT_COUNTY) in cff["title"]
    assert cff["authors"][0]["name"].startswith(edition.STUDY)


def test_book_title_is_the_default_countys_everywhere():
    conf = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert conf["title"] == edition.title_for(geography.DEFAULT_COUNTY) == "临安区科技创新指数研究"
    assert edition.title_for("330108") == "滨江区科技创新指数研究"
    assert "edition" in conf["sphinx"]["local_extensions"]


# ------------------------------------------------------------------------------ edition stamp
SOURCES_HEADER = (
    "source_id,title,publisher,date_published,url,date_accessed,kind,form,confidence,note\n"
)
RAW_HEADER = "county_code,county_name,year,report_year,variable,value,unit,period,source_id,confidence,quote,note\n"


def _mini_data(root: Path, dates: dict[str, str], cited: list[str]) -> Path:
    (root / "raw").mkdir(parents=True)
    rows = "".join(
        f"{sid},doc {sid},pub,{d},https://example.org/{sid},2026-11-01,official,text,high,\n"
        for sid, d in dates.items()
    )
    (root / "sources.csv").write_text(SOURCES_HEADER + rows, encoding="utf-8")
    raw = "".join(
        f"330112,临安区,{2020 + i},,gdp,{600 + i},亿元,year,{sid},high,q,\n"
        for i, sid in enumerate(cited)
    )
    (root / "raw" / "t.csv").write_text(RAW_HEADER + raw, encoding="utf-8")
    return root


def test_data_date_is_the_newest_cited_source(tmp_path):
    data = _mini_data(
        tmp_path / "d",
        {"a": "2024-03-01", "b": "2025", "c": "2026-01-09", "d": ""},
        cited=["a", "b", "d"],
    )
    # c is newer but cited by no row; d has no date; "2025" (year only) beats 2024-03-01.
    assert edition.newest_publication(data) == "2025"
    (data / "raw" / "u.csv").write_text(
        RAW_HEADER + "330112,临安区,2019,,gdp,500,亿元,year,c,high,q,\n", encoding="utf-8"
    )
    assert edition.newest_publication(data) == "2026-01-09"


def test_data_date_refuses_when_no_cited_source_is_dated(tmp_path):
    data = _mini_data(tmp_path / "d", {"a": ""}, cited=["a"])
    with pytest.raises(ValueError, match="sources.csv: none of the cited sources"):
        edition.newest_publication(data)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def test_code_version_from_git_tag_commit_and_clean_tree(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    assert edition.code_version(repo)[2] is None  # not a checkout: the package version
    _git(repo, "init", "-q")
    (repo / "f.txt").write_text("x", encoding="utf-8")
    _git(repo, "add", "f.txt")
    _git(repo, "commit", "-qm", "one")
    version, commit, clean = edition.code_version(repo)
    assert clean is True and len(commit) == 40 and commit.startswith(version)
    _git(repo, "tag", "v9.1")
    assert edition.code_version(repo)[0] == "v9.1"
    (repo / "new_table.csv").write_text("y", encoding="utf-8")  # untracked counts
    assert edition.code_version(repo)[2] is False


def test_build_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735660800")  # 2024-12-31 16:00 UTC
    assert edition.build_date() == "2025-01-01"  # already the next day in Beijing


def test_stamp_text_names_code_data_and_county(tmp_path):
    data = _mini_data(tmp_path / "d", {"a": "2024-03-01"}, cited=["a"])
    ed = edition.edition("330108", data)
    text = ed.text()
    assert ed.county_name == "滨江区" and ed.title == "滨江区科技创新指数研究"
    assert "2024-03-01" in text and "滨江区（330108）" in text and ed.built in text
    assert ed.external_data and "仓库以外" in text
    assert ed.data_datetime() == datetime(2024, 3, 1)
    dirty = edition.Edition(**{**ed.__dict__, "version": "abc", "commit": "abc1", "clean": False})
    assert "提交 abc（含未提交的修改）" in dirty.text()
    assert not edition.edition("330112", DATA).external_data


# ------------------------------------------------------------------------------ facts, changes
def test_value_of_reads_glue_outputs_as_the_page_shows_them():
    assert facts.value_of({"data": {"text/plain": "3"}}) == ("number", 3)
    assert facts.value_of({"data": {"text/plain": "np.float64(156.1)"}}) == ("number", 156.1)
    assert facts.value_of({"data": {"text/plain": "'临安区'"}}) == ("text", "临安区")
    assert facts.value_of({"data": {"text/plain": "True"}}) == ("text", "True")
    kind, digest = facts.value_of({"data": {"image/png": "iVBOR", "text/plain": "<Figure>"}})
    assert kind == "figure" and digest != facts.value_of({"data": {"image/png": "iVBOx"}})[1]
    assert facts.value_of({"data": {"text/html": "<table/>", "text/plain": "df"}})[0] == "table"


def test_glued_values_follow_the_books_order(tmp_path):
    (tmp_path / "notebooks").mkdir()
    out = {"data": {"text/plain": "1"}, "metadata": {"scrapbook": {"name": "k"}}}
    for name, keys in (("02", ["b", "a"]), ("01", ["z"])):
        glue = {k: out for k in keys}
        (tmp_path / "notebooks" / f"{name}.glue.json").write_text(json.dumps(glue))
    got = facts.glued_values(
        tmp_path, [("notebooks/01", "一"), ("book/index", "首页"), ("notebooks/02", "二")]
    )
    assert [(f["chapter_title"], f["key"]) for f in got] == [("一", "z"), ("二", "a"), ("二", "b")]


def _doc(values: dict, rows: list[list[str]], title: str = "章") -> dict:
    doc = facts.from_values(values, "notebooks/03", title=title)
    doc["data"] = {"raw/t.csv": {"columns": ["county_name", "year", "value"], "rows": rows}}
    return doc


def test_compare_finds_exactly_the_changed_values_and_rows():
    old = _doc({"a": 1, "b": "临安区", "c": 2.5, "gone": 7}, [["临安区", "2022", "1"]])
    new = _doc(
        {"a": 1.0, "b": "临安区", "c": 2.75, "new": 8},
        [["临安区", "2022", "1"], ["临安区", "2023", "2"]],
    )
    ch = changes.compare(old, new)
    assert ch.changed[["key", "old", "new"]].values.tolist() == [["c", 2.5, 2.75]]
    assert ch.added["key"].tolist() == ["new"] and ch.removed["key"].tolist() == ["gone"]
    assert ch.rows_added[["file", "year"]].values.tolist() == [["raw/t.csv", "2023"]]
    assert ch.rows_removed.empty
    report = changes.render(ch)
    assert report.startswith("# 两次构建之间的变化")
    assert "| 章 | `c` | 2.5 | 2.75 |" in report
    assert "新增 1 行" in report and "临安区，2023，2" in report
    same = changes.compare(old, old)
    assert same.none and "没有变化" in changes.render(same)


def test_changes_command_compares_two_facts_files(tmp_path, capsys):
    a, b = tmp_path / "a" / "facts.json", tmp_path / "b" / "_build" / "facts.json"
    facts.write(a, _doc({"x": 1}, []))
    facts.write(b, _doc({"x": 2}, []))
    assert cli.main(["changes", str(a), str(tmp_path / "b"), "-o", str(tmp_path / "r.md")]) == 0
    out = capsys.readouterr().out
    assert "| 章 | `x` | 1 | 2 |" in out and out == (tmp_path / "r.md").read_text(encoding="utf-8")
    assert cli.main(["changes", str(tmp_path / "nowhere"), str(a)]) == 2
    assert "no facts file here" in capsys.readouterr().err


def test_rerun_appendix_shows_what_the_new_table_changed(tmp_path):
    """The appendix's worked example, compared before and after the new table is dropped in
    (the cells the rerun appendix runs)."""
    example = rerun.worked_example(tmp_path, county="330112", source_id="linan-2025-03")
    after_dir = tmp_path / "data"
    before_dir = rerun.copy_data(tmp_path / "before", after_dir)
    (before_dir / "raw" / Path(example.new_table).name).unlink()
    chapter = "notebooks/A5_rerun"
    before = facts.from_table(example.before, "year", chapter, "县域创新指数", before_dir)
    after = facts.from_table(example.after, "year", chapter, "县域创新指数", after_dir)
    diff = changes.compare(before, after)
    assert diff.rows_removed.empty
    assert set(diff.rows_added["file"]) == {"raw/" + Path(example.new_table).name}
    assert len(diff.rows_added) == len(example.rows_added)
    added = diff.added.set_index("key")["new"]
    assert added["2023 · innovation_index"] == 149.2
    assert diff.removed.empty
    report = changes.render(diff, "放入新表之前", "放入新表之后", level=0, title="新表带来的变化")
    assert report.startswith("**新表带来的变化**") and "`2023 · innovation_index`" in report
    assert "#" not in report  # shown inside a page: no headings of its own
    assert "旧值：放入新表之前；新值：放入新表之后。" in report
    assert f"新增 {len(example.rows_added)} 行" in report


# ------------------------------------------------------------------------------ two real builds
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "markdown",
            "metadata": {},
            "source": "# 试算\n\n共 {glue:text}`n_rows` 行。",
        },
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": (
                "import os\nfrom pathlib import Path\nfrom myst_nb import glue\n"
                "from zjinnov.data.sources import load_observations\n"
                "obs = load_observations(Path(os.environ['ZJINNOV_DATA']))\n"
                "gdp = obs[(obs.county_code == '330112') & (obs.variable == 'gdp')]\n"
                "glue('n_rows', len(obs), display=False)\n"
                "glue('gdp_latest_year', int(gdp.year.max()), display=False)\n"
                "glue('n_variables', int(obs.variable.nunique()), display=False)\n"
            ),
        },
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}
CONF = """
import sys
sys.path.insert(0, {ext!r})
project = "t"
root_doc = "index"
extensions = ["myst_nb", "edition"]
nb_execution_mode = "force"
nb_execution_raise_on_error = True
"""


def _start_build(tmp: Path, name: str, data: Path) -> tuple[subprocess.Popen, Path]:
    """A two-page book (a front page with the stamp, one notebook gluing from the data) built
    by Sphinx with myst-nb and the book's edition extension, in a process of its own."""
    src = tmp / f"src_{name}"
    src.mkdir()
    (src / "conf.py").write_text(CONF.format(ext=str(ROOT / "book" / "_ext")), encoding="utf-8")
    (src / "index.md").write_text(
        "# {edition}`title`\n\n{edition}`stamp`\n\n```{toctree}\nchapter\n```\n", encoding="utf-8"
    )
    (src / "chapter.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    out = tmp / f"build_{name}"
    env = {**os.environ, "ZJINNOV_DATA": str(data), "STUDY_COUNTY": "330112"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "lib"), env.get("PYTHONPATH", "")])
    cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out / "html")]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, out


def _finish_build(proc: subprocess.Popen, out: Path) -> dict:
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    return {"doc": facts.read(out), "index": (out / "html" / "index.html").read_text("utf-8")}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("builds")
    old_data = tmp / "old" / "data"
    shutil.copytree(DATA, old_data)
    new_data = tmp / "new" / "data"
    shutil.copytree(DATA, new_data)
    raw = {
        p.name: pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in (DATA / "raw").glob("*.csv")
    }
    latest = max(
        int(y)
        for t in raw.values()
        for y in t.loc[(t["county_code"] == "330112") & (t["variable"] == "gdp"), "year"]
    )
    obs = raw["lin_an_more.csv"]
    gdp = obs[(obs["county_code"] == "330112") & (obs["variable"] == "gdp")]
    # A row for the year after the latest, from a source already cited: two glued values move
    # (row count, latest year), the number of variables does not.
    added = gdp.iloc[[-1]].copy()
    added["year"] = str(latest + 1)
    # Its quote shows its value as printed, as the quote rule asks of every published row.
    added["quote"] = "scratch row for the comparison test: " + added["value"] + added["unit"]
    pd.concat([obs, added]).to_csv(new_data / "raw" / "lin_an_more.csv", index=False)
    # The two builds run side by side (each mostly waits on its notebook's kernel).
    started = [_start_build(tmp, "old", old_data), _start_build(tmp, "new", new_data)]
    old, new = (_finish_build(*build) for build in started)
    return old, new, added


def test_each_build_writes_its_facts_file_with_the_stamp(two_builds):
    old, _, _ = two_builds
    doc = old["doc"]
    assert doc["edition"]["county_name"] == "临安区"
    assert doc["edition"]["data_date"] == edition.newest_publication(DATA)
    assert [c["docname"] for c in doc["chapters"]] == ["index", "chapter"]
    assert {f["key"] for f in doc["facts"]} == {"n_rows", "gdp_latest_year", "n_variables"}
    assert all(f["chapter_title"] == "试算" for f in doc["facts"])
    assert "raw/lin_an_more.csv" in doc["data"]
    # The front page shows the stamp and the county's title, computed, not typed.
    assert doc["edition"]["text"] in old["index"]
    assert "临安区科技创新指数研究" in old["index"]


def test_two_builds_differ_in_exactly_the_changed_values(two_builds):
    old, new, added = two_builds
    ch = changes.compare(old["doc"], new["doc"])
    assert sorted(ch.changed["key"]) == ["gdp_latest_year", "n_rows"]
    moved = ch.changed.set_index("key")
    assert moved.at["n_rows", "new"] == moved.at["n_rows", "old"] + 1
    assert moved.at["gdp_latest_year", "new"] == int(added["year"].iloc[0])
    assert ch.added.empty and ch.removed.empty
    assert ch.rows_removed.empty
    assert ch.rows_added["file"].tolist() == ["raw/lin_an_more.csv"]
    assert ch.rows_added["year"].tolist() == added["year"].tolist()
    report = changes.render(ch)
    assert "有 2 项数值改变" in report and "新增 1 行" in report


# ------------------------------------------------------------------------------ downloads
def test_workbook_bytes_depend_on_content_only(tmp_path, monkeypatch):
    tables = {"c03_county": {"index": pd.DataFrame({"年份": [2022, 2023], "指数": [150.0, 149.2]})}}
    first = downloads.write_workbook(tmp_path / "a.xlsx", tables)
    monkeypatch.setattr(time, "time", lambda: 1_900_000_000.0)  # a later clock for the second
    second = downloads.write_workbook(tmp_path / "b.xlsx", tables)
    assert first.read_bytes() != second.read_bytes()  # openpyxl writes the clock
    when = datetime(2025, 5, 21)
    for path in (first, second):
        downloads.stamp_workbook(path, when, edition.STUDY)
    assert first.read_bytes() == second.read_bytes()
    core = zipfile.ZipFile(first).read("docProps/core.xml").decode("utf-8")
    assert f"<dc:creator>{edition.STUDY}</dc:creator>" in core
    assert "2025-05-21T00:00:00Z" in core
    assert {i.date_time for i in zipfile.ZipFile(first).infolist()} == {(2025, 5, 21, 0, 0, 0)}
    assert pd.read_excel(first, sheet_name="c03_county", header=1)["指数"].tolist() == [
        150.0,
        149.2,
    ]


# ------------------------------------------------------------------------------ CI workflows
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _steps(path: Path) -> list[dict]:
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [s for job in flow["jobs"].values() for s in job.get("steps", [])]


def _make_var(name: str) -> str:
    done = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval=print-%: ; @echo $($*)", f"print-{name}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_there_is_a_test_workflow_and_a_pages_workflow():
    runs = {p.name: [s.get("run", "") for s in _steps(p)] for p in WORKFLOWS}
    assert any("make test" in r for r in runs.get("test.yml", []))
    assert any("make book" in r for r in runs.get("pages.yml", []))
    uses = [s.get("uses", "") for s in _steps(ROOT / ".github/workflows/pages.yml")]
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_make_commands_are_makefile_targets(path):
    targets = [t for s in _steps(path) for t in re.findall(r"\bmake ([\w-]+)", s.get("run", ""))]
    assert targets, f"{path.name} runs no make target"
    for target in targets:
        done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, f"{path.name}: `make {target}`: {done.stderr.strip()}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_caches_the_venv_by_the_files_that_install_it(path):
    caches = [s for s in _steps(path) if s.get("uses", "").startswith("actions/cache@")]
    assert caches, f"{path.name} does not cache the venv"
    with_ = caches[0]["with"]
    assert with_["path"] == _make_var("VENV")
    installed_by = _make_var("STAMP_INPUTS").split() + ["tools/requirements-cff.txt"]
    for name in installed_by:
        assert f"'{name}'" in with_["key"], f"{path.name}: cache key ignores {name}"


def test_pages_publishes_the_folder_the_book_is_built_into():
    steps = _steps(ROOT / ".github/workflows/pages.yml")
    upload = next(
        s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert Path(upload["with"]["path"]) == Path(_make_var("HTML"))

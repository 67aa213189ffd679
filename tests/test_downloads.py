import pandas as pd
import pytest

from zjinnov.data import paths
from zjinnov.present import downloads


@pytest.fixture
def build(monkeypatch, tmp_path):
    # A scratch repository, so nothing lands in the real _build/.
    root = tmp_path / "repo"
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(paths, "RAW", root / "data" / "raw")
    monkeypatch.setattr(paths, "BUILD", root / "_build")
    return root / "_build"


def test_table_link_rejects_unsafe_names(build):
    with pytest.raises(ValueError, match="lower-case"):
        downloads.table_link(pd.DataFrame(), "c03", "Bad Name")


def test_workbook_has_one_sheet_per_chapter(build, tmp_path):
    downloads.table_link(pd.DataFrame({"a": [1, 2]}), "c01", "t1")
    downloads.table_link(pd.DataFrame({"b": [3]}), "c01", "t2")
    downloads.table_link(pd.DataFrame({"c": [4]}), "c02", "t3")
    tables = downloads.published_tables()
    out = downloads.write_workbook(tmp_path / "book.xlsx", tables)
    sheets = pd.read_excel(out, sheet_name=None)
    assert sorted(sheets) == ["c01", "c02"]
    assert sheets["c01"].shape[0] >= 2 + 1 + 2  # both tables with their title rows


def test_workbook_refuses_nothing():
    with pytest.raises(ValueError, match="no published tables"):
        downloads.write_workbook(None, {})


def test_table_link_writes_csv_beside_the_pages(build):
    df = pd.DataFrame({"年份": [2019], "指数": [151.5]})
    html = downloads.table_link(df, "c03_county", "table_01")
    assert 'href="../downloads/c03_county/table_01.csv"' in html
    back = pd.read_csv(build / "downloads" / "c03_county" / "table_01.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, df)

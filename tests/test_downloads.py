import pandas as pd
import pytest

from zjinnov import downloads, paths


@pytest.fixture
def build(monkeypatch, tmp_path):
    # The download link is relative to the repo root, so the fake build dir must sit under it.
    root = tmp_path / "repo"
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(paths, "RAW", root / "data" / "raw")
    monkeypatch.setattr(paths, "BUILD", root / "_build")
    return root / "_build"


def test_publish_writes_csv_and_returns_download_role(build):
    df = pd.DataFrame({"县": ["临安区"], "值": [1.5]})
    link = downloads.publish(df, "index_values", "c03", title="指数")
    assert link == "{download}`下载 CSV：指数 </_build/downloads/c03/index_values.csv>`"
    back = pd.read_csv(build / "downloads" / "c03" / "index_values.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, df)


def test_publish_rejects_unsafe_names(build):
    with pytest.raises(ValueError, match="lower-case"):
        downloads.publish(pd.DataFrame(), "Bad Name", "c03")


def test_workbook_has_one_sheet_per_chapter(build, tmp_path):
    downloads.publish(pd.DataFrame({"a": [1, 2]}), "t1", "c01")
    downloads.publish(pd.DataFrame({"b": [3]}), "t2", "c01")
    downloads.publish(pd.DataFrame({"c": [4]}), "t3", "c02")
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

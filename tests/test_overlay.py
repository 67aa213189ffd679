"""An analyst's folder laid over data/: linked, never copied, named on every page, never leaked."""

from __future__ import annotations

import importlib.util
import json

import pandas as pd
import pytest

from zjinnov.data import config, overlay
from zjinnov.data.errors import DataValidationError
from zjinnov.data.paths import DATA, ROOT

spec = importlib.util.spec_from_file_location("book_overlay", ROOT / "book" / "_ext" / "overlay.py")
ext = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ext)

ROW = "330112,临安区,2020,,rd_intensity,3.34,%,year,{sid},high,表「2020」行「临安区」列「R&D经费支出占GDP比重」= 3.34,\n"
HEADER = "county_code,county_name,year,report_year,variable,value,unit,period,source_id,confidence,quote,note\n"


def _extra(tmp_path, kind="official", sid="office-2024"):
    folder = tmp_path / "private_office_folder"
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / "monitoring.csv").write_text(HEADER + ROW.format(sid=sid), encoding="utf-8")
    (folder / "sources.csv").write_text(
        "source_id,title,publisher,date_published,url,date_accessed,kind,form,confidence,note\n"
        f"{sid},监测指标表,省统计局,2024-06-01,省统计局提供的电子表格,2026-12-01,{kind},table,high,\n",
        encoding="utf-8",
    )
    return folder


def test_the_overlay_links_and_merges_without_copying_tables(tmp_path):
    extra = _extra(tmp_path)
    laid = overlay.lay_out(extra, tmp_path / "build" / "data")
    dest = tmp_path / "build" / "data"
    assert (dest / "raw" / "monitoring.csv").is_symlink()
    assert (dest / "raw" / "county_rd.csv").resolve() == (DATA / "raw" / "county_rd.csv").resolve()
    merged = pd.read_csv(dest / "sources.csv", dtype=str)
    assert "office-2024" in set(merged["source_id"]) and len(merged) > 1
    assert laid.tables == ("monitoring",) and laid.rows == 1 and not laid.simulated
    marker = (dest / overlay.MARKER).read_text(encoding="utf-8")
    assert str(tmp_path) not in marker and "private_office_folder" not in marker
    assert json.loads(marker)["sources"][0]["title"] == "监测指标表"
    assert sorted(p.name for p in extra.rglob("*")) == ["monitoring.csv", "raw", "sources.csv"]


def test_what_cannot_be_laid_over_is_named(tmp_path):
    extra = _extra(tmp_path, sid="seed")  # an id the public sources already use, other details
    (extra / "raw" / "county_rd.csv").write_text(HEADER, encoding="utf-8")  # a public table's name
    with pytest.raises(DataValidationError) as err:
        overlay.lay_out(extra, DATA / "overlay")
    text = str(err.value)
    assert "inside data/" in text and "county_rd.csv" in text and "'seed'" in text


def test_config_reads_the_overlay_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.delenv("ZJINNOV_DATA", raising=False)
    assert config.data_dir() == DATA
    monkeypatch.setenv("ZJINNOV_DATA", str(tmp_path))
    with pytest.raises(ValueError, match="not a data folder"):
        config.data_dir()


def test_pages_name_the_sources_and_banner_simulated_data(tmp_path, monkeypatch):
    laid = overlay.lay_out(_extra(tmp_path, kind="simulated"), tmp_path / "build" / "data")
    text = ext.notice_html(laid)
    assert ext.BANNER in text and "监测指标表（省统计局）" in text
    assert str(tmp_path) not in text and "private_office_folder" not in text
    monkeypatch.setenv("ZJINNOV_DATA", str(tmp_path / "build" / "data"))
    assert ext.read_overlay() is not None
    monkeypatch.delenv("ZJINNOV_DATA")
    assert ext.read_overlay() is None and ext.notice_html(None) == ""


def test_official_data_get_the_notice_without_the_banner(tmp_path):
    laid = overlay.lay_out(_extra(tmp_path), tmp_path / "build" / "data")
    text = ext.notice_html(laid)
    assert "zj-overlay-notice" in text and ext.BANNER not in text

"""Place names in English: pinyin from pypinyin, the kind of unit, and the exceptions kept as data."""

from __future__ import annotations

import pandas as pd
import pytest

from zjinnov.data import geography, place_names
from zjinnov.data.paths import FRAMEWORK


@pytest.fixture(scope="module")
def names():
    return place_names.english_names().set_index("code")


@pytest.mark.parametrize(
    ("code", "name_en", "short_en"),
    [
        ("330112", "Lin'an District", "Lin'an"),
        ("330727", "Pan'an County", "Pan'an"),
        ("331127", "Jingning She Autonomous County", "Jingning She"),
        ("330127", "Chun'an County", "Chun'an"),
        ("330381", "Rui'an City", "Rui'an"),
        ("330182", "Jiande City", "Jiande"),
        ("330382", "Yueqing City", "Yueqing"),
        ("331102", "Liandu District", "Liandu"),  # an exception: 都 read dū
        ("330100", "Hangzhou City", "Hangzhou"),
        ("331100", "Lishui City", "Lishui"),
        ("330000", "Zhejiang Province", "Zhejiang"),
        ("100000", "China", "China"),
        ("330371", "Wenzhou Economic and Technological Development Zone", None),
    ],
)
def test_known_names(names, code, name_en, short_en):
    assert names.at[code, "name_en"] == name_en
    if short_en is not None:
        assert names.at[code, "short_en"] == short_en


def test_every_unit_city_and_the_province_has_an_english_name(names):
    registry = geography.load_counties()
    codes = set(registry["code"]) | set(geography.CITY_CODES) | {geography.ZHEJIANG}
    assert codes <= set(names.index)
    assert len(geography.units_in_year(2024)) == 90
    english = names["name_en"]
    assert english.str.fullmatch(r"[A-Z][A-Za-z' ]+").all()
    # An apostrophe only before a syllable starting with a, o or e.
    assert english.str.contains(r"'[aoe]").sum() == english.str.count("'").gt(0).sum()
    # The kind matches the Chinese name's ending.
    for code, row in names.iterrows():
        zh = row["name_zh"]
        if zh.endswith("自治县"):
            assert row["name_en"].endswith("Autonomous County")
        elif zh.endswith("区") and code != "330371":
            assert row["name_en"].endswith(" District")
        elif zh.endswith("县"):
            assert row["name_en"].endswith(" County")
        elif zh.endswith("市"):
            assert row["name_en"].endswith(" City")
    # Two units of today never share an English name.
    today = names.loc[list(geography.units_in_year(2024)["code"]), "name_en"]
    assert today.is_unique


def test_every_exception_is_used_and_explained():
    table = pd.read_csv(FRAMEWORK / place_names.EXCEPTIONS_FILE, dtype=str)
    assert table["note"].str.len().gt(0).all()
    zh = set(geography.load_counties()["name"]) | set(geography.region_names().values())
    for name in table["name_zh"]:
        assert any(name in full for full in zh), name


def test_pinyin_rules_without_exceptions(tmp_path):
    # A framework folder without the exceptions file: the library's reading, the rules' form.
    assert place_names.pinyin("西安", tmp_path) == "Xi'an"
    assert place_names.pinyin("莲都", tmp_path) == "Liandou"  # why the exception exists
    assert place_names.english("磐安县", tmp_path) == "Pan'an County"
    assert place_names.name_en("330112") == "Lin'an District"

"""English as a reader expects it: counts agree, amounts in English scales, places in pinyin."""

import pytest

from zjinnov.present import english, fact_words, formats, sentences
from zjinnov.study.facts import Fact


@pytest.mark.parametrize(
    "count, expected",
    [(1, "1 year"), (2, "2 years"), (0, "0 years"), (1.0, "1 year"), (1234, "1,234 years")],
)
def test_a_count_agrees_with_its_noun(count, expected):
    assert english.agree(count, "year", "years") == expected


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (208.31, "亿元", "20.83 billion yuan"),
        (5000, "万元", "50 million yuan"),
        (12.5, "万元", "125,000 yuan"),
        (1.2, "万亿元", "1.2 trillion yuan"),
        (63.5, "万人", "635,000 persons"),
        (1265.5, "万人", "12.66 million persons"),
    ],
)
def test_amounts_read_in_english_scales(value, unit, expected):
    assert english.amount(value, unit) == expected
    assert fact_words.text(Fact(value, "money", unit), "en") == expected


def test_other_units_keep_the_registry_words_and_chinese_is_untouched():
    assert english.amount(3.34, "%") is None
    assert (
        fact_words.text(Fact(59.0, "value", "件/万人"), "en") == "59 patents per 10,000 residents"
    )
    assert fact_words.text(Fact(208.31, "money", "亿元"), "zh") == "208.31 亿元"


@pytest.mark.parametrize(
    "code, zh, en",
    [
        ("330112", "临安区", "Lin'an District"),
        ("330727", "磐安县", "Pan'an County"),
        ("331127", "景宁畲族自治县", "Jingning She Autonomous County"),
        ("330100", "杭州市", "Hangzhou City"),
    ],
)
def test_a_place_is_named_in_each_language(code, zh, en):
    fact = Fact(code, "place")
    assert fact_words.text(fact, "zh") == zh
    assert fact_words.text(fact, "en") == en


def test_a_sentence_template_makes_a_count_agree(monkeypatch):
    table = sentences.load().copy()
    table.loc["zz_test"] = {
        "key_en": "zz_test_en",
        "zh": "{zz_n} 年",
        "en": "{zz_n:year|years} of data for {zz_place}",
        "zh_missing": "",
        "en_missing": "",
    }
    monkeypatch.setattr(sentences, "load", lambda path=None: table)
    one = {"zz_n": Fact(1, "count"), "zz_place": Fact("330727", "place")}
    two = {"zz_n": Fact(2, "count"), "zz_place": Fact("330727", "place")}
    assert sentences.render("zz_test", one, "en") == "1 year of data for Pan'an County"
    assert sentences.render("zz_test", two, "en") == "2 years of data for Pan'an County"
    assert sentences.render("zz_test", two, "zh") == "2 年"


@pytest.mark.parametrize(
    "items, expected",
    [
        (["2019"], "2019"),
        (["2019", "2020"], "2019 and 2020"),
        (["2019", "2020", "2023"], "2019, 2020 and 2023"),
        (["a 1.5, rank 2", "b 3, rank 5"], "a 1.5, rank 2; b 3, rank 5"),
    ],
)
def test_items_are_listed_as_english_lists(items, expected):
    assert formats.listing(items, "en") == expected

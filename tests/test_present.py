"""The presentation layer: number formats by kind, the labels table, sentence templates."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from zjinnov.present import formats, labels, sentences
from zjinnov.study.facts import ChapterResult, Fact


@pytest.mark.parametrize(
    "value,kind,unit,expected",
    [
        (151.4999, "index", None, "151.5"),
        (4.217872, "pct", None, "4.2"),
        (4.217872, "pct2", None, "4.22"),
        (0.8123, "share", None, "81"),
        (12345.0, "count", None, "12,345"),
        (22.0, "rank", None, "22"),
        (2021, "year", None, "2021"),
        (20.05, "money", "亿元", "20.05 亿元"),
        (350.0, "value", "家", "350 家"),
        (float("nan"), "index", None, "—"),
        (None, "count", None, "—"),
    ],
)
def test_numbers_are_written_by_kind(value, kind, unit, expected):
    assert formats.fmt(value, kind, unit) == expected


def test_a_fact_kind_must_be_known():
    with pytest.raises(ValueError, match="kind"):
        Fact(1, "percent")


@pytest.fixture
def vocabulary(tmp_path, monkeypatch):
    lab = tmp_path / "labels.csv"
    lab.write_text(
        "group,key,zh,en,kind\ncolumn,year,年份,Year,year\ncolumn,innovation_index,创新指数,Index,index\n"
        "column,confidence,可信度,Confidence,\nconfidence,high,高,high,\n"
        "column,tier,梯队,Tier,term\ncolumn,domains,领域,Domains,\nterm,tier_first,第一梯队,first tier,\n",
        encoding="utf-8",
    )
    sen = tmp_path / "sentences.csv"
    sen.write_text(
        "key,key_en,zh,en,zh_missing,en_missing\n"
        "t01_headline,t01_headline_en,{t01_name}的指数为 {t01_index}。,The index is {t01_index}.,"
        "未找到{t01_name}的指数。,No index was found.\n"
        "t01_strict,t01_strict_en,指数 {t01_index}。,Index {t01_index}.,,\n"
        "t01_list,t01_list_en,优势：{t01_strong:t01_list_item}。,Strengths: {t01_strong:t01_list_item}.,"
        "没有优势。,None.\n"
        "t01_list_item,,{name}（{ratio}%）{period},{name} ({ratio}%){period},,\n"
        "t01_tier,t01_tier_en,位于{t01_tier}；年份：{t01_years}。,In the {t01_tier}; years: {t01_years}.,,\n"
        "t01_two,t01_two_en,{t01_a} 与 {t01_b}。,{t01_a} and {t01_b}.,=t01_one,=t01_one\n"
        "t01_one,t01_one_en,只有 {t01_a}。,Only {t01_a}.,-,-\n"
        "t01_loop,t01_loop_en,{t01_a}。,{t01_a}.,=t01_loop,=t01_loop\n"
        "t01_pair_item,,{name}（{year} 年与 {year_cmp} 年）,{name} ({year} against {year_cmp}),,\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(labels, "LABELS", lab)
    monkeypatch.setattr(sentences, "SENTENCES", sen)
    yield
    labels.load.cache_clear()
    labels._index.cache_clear()
    sentences.load.cache_clear()


def test_a_table_is_labelled_and_formatted(vocabulary):
    frame = pd.DataFrame(
        {
            "year": [2019, 2020],
            "innovation_index": [151.5, float("nan")],
            "confidence": ["high", None],
        }
    )
    shown = labels.table(frame, words={"confidence": "confidence"})
    assert shown.columns.tolist() == ["年份", "创新指数", "可信度"]
    assert shown.values.tolist() == [["2019", "151.5", "高"], ["2020", "—", "—"]]
    assert labels.table(frame, "en", words={"confidence": "confidence"}).columns[1] == "Index"


def test_an_unlabelled_column_is_refused(vocabulary):
    with pytest.raises(labels.LabelError, match="rank_zj"):
        labels.table(pd.DataFrame({"year": [2019], "rank_zj": [22]}))


def test_a_sentence_falls_back_to_its_missing_wording(vocabulary):
    facts = {"t01_name": Fact("临安区", "text"), "t01_index": Fact(151.49, "index")}
    assert sentences.render("t01_headline", facts) == "临安区的指数为 151.5。"
    facts["t01_index"] = Fact(None, "index")
    assert sentences.render("t01_headline", facts) == "未找到临安区的指数。"
    assert sentences.render("t01_headline", facts, "en") == "No index was found."
    with pytest.raises(sentences.SentenceError, match="no zh_missing"):
        sentences.render("t01_strict", facts)
    with pytest.raises(sentences.SentenceError, match="not computed"):
        sentences.render("t01_headline", {"t01_name": Fact("x", "text")})


def test_items_are_listed_with_their_own_template(vocabulary):
    rows = pd.DataFrame(
        {
            "name": ["R&D 强度", "高新产业"],
            "ratio": [Fact(1.234, "pct"), Fact(0.9, "pct")],
            "period": [Fact("year", "period"), Fact("1-11", "period")],
        }
    )
    facts = {"t01_strong": Fact(rows, "items")}
    assert (
        sentences.render("t01_list", facts)
        == "优势：R&D 强度（1.2%）、高新产业（0.9%）（1—11 月）。"
    )
    en = sentences.render("t01_list", facts, "en")
    assert en == "Strengths: R&D 强度 (1.2%) and 高新产业 (0.9%) (months 1–11)."
    assert (
        sentences.render("t01_list", {"t01_strong": Fact(rows.iloc[:0], "items")}) == "没有优势。"
    )


def test_a_missing_wording_hands_over_or_says_nothing(vocabulary):
    a, b, gone = Fact(1, "count"), Fact(2, "count"), Fact(None, "count")
    assert sentences.render("t01_two", {"t01_a": a, "t01_b": b}) == "1 与 2。"
    # One fact missing: the sentence hands over to another, which names only what is there.
    assert sentences.render("t01_two", {"t01_a": a, "t01_b": gone}) == "只有 1。"
    assert sentences.render("t01_two", {"t01_a": a, "t01_b": gone}, "en") == "Only 1."
    assert sentences.used("t01_two", {"t01_a": a, "t01_b": gone}) == ["t01_a"]
    # Nothing to say at all: the sentence is left out.
    assert sentences.render("t01_two", {"t01_a": gone, "t01_b": gone}) == ""
    assert sentences.used("t01_two", {"t01_a": gone, "t01_b": gone}) == []
    assert sentences.omitted("t01_two", {"t01_a": gone, "t01_b": gone})
    assert not sentences.omitted("t01_two", {"t01_a": a, "t01_b": gone})
    with pytest.raises(sentences.SentenceError, match="circle"):
        sentences.render("t01_loop", {"t01_a": gone})


def test_an_item_row_may_name_its_own_template(vocabulary):
    rows = pd.DataFrame(
        {
            "item": [None, "t01_pair_item"],
            "name": ["甲", "乙"],
            "ratio": [Fact(1.0, "pct"), Fact(2.0, "pct")],
            "period": [Fact("year", "period")] * 2,
            "year": [Fact(2020, "year")] * 2,
            "year_cmp": [Fact(2020, "year"), Fact(2021, "year")],
        }
    )
    text = sentences.render("t01_list", {"t01_strong": Fact(rows, "items")})
    assert text == "优势：甲（1.0%）、乙（2020 年与 2021 年）。"


def test_codes_and_lists_are_worded_only_in_present(vocabulary):
    # The study layer hands a vocabulary key and a list; each language words and joins them.
    facts = {"t01_tier": Fact("tier_first", "term"), "t01_years": Fact([2019, 2020], "list")}
    assert sentences.render("t01_tier", facts) == "位于第一梯队；年份：2019、2020。"
    assert sentences.render("t01_tier", facts, "en") == "In the first tier; years: 2019, 2020."
    frame = pd.DataFrame({"tier": ["tier_first", None], "domains": [["科技投入", "转型升级"], []]})
    shown = labels.table(frame)
    assert shown.values.tolist() == [["第一梯队", "科技投入、转型升级"], ["—", "—"]]


def test_the_book_vocabulary_loads():
    table = labels.load(labels.LABELS)
    assert {"year", "innovation_index", "rank_zj"} <= set(
        table.loc[table["group"] == "column", "key"]
    )
    sentences.load(sentences.SENTENCES)


def test_chapter_result_holds_typed_facts_under_their_full_keys():
    r = ChapterResult("c99")
    r.fact("c99_n", 3, "count")
    assert r.facts["c99_n"] == Fact(3, "count") and not r.facts["c99_n"].missing
    assert Fact(float("nan"), "index").missing and Fact("", "text").missing
    with pytest.raises(ValueError, match="must start c99_"):
        r.fact("n", 3, "count")
    with pytest.raises(ValueError, match="twice"):
        r.fact("c99_n", 4, "count")


def test_a_fact_carries_the_keys_of_the_raw_rows_it_rests_on():
    rows = pd.DataFrame(
        {
            "county_code": ["330112", "330000", "330112"],
            "year": [2024, 2020, 2024],
            "variable": ["x", "x", "x"],
            "source_ids": ["a; b", "p", "a; b"],
            "status": "published",
            "value": [1.0, 2.0, 1.0],
        }
    )
    r = ChapterResult("c99")
    r.fact("c99_index", 117.4, "index", evidence=rows)
    evidence = r.facts["c99_index"].evidence
    assert {e["source_id"] for e in evidence} == {"a", "b", "p"} and len(evidence) == 3
    assert set(evidence[0]) == {"county_code", "year", "variable", "source_id", "status"}
    located = ChapterResult("c99")
    located.fact("c99_x", 1, "count", evidence=rows.assign(file="a.csv", row=[2, 3, 2]))
    assert {(e["file"], e["row"]) for e in located.facts["c99_x"].evidence} == {
        ("a.csv", 2),
        ("a.csv", 3),
    }


def test_the_facts_file_records_each_glued_value_with_its_evidence(tmp_path):
    from zjinnov.present import facts, publish

    result = ChapterResult("c99")
    rows = pd.DataFrame(
        {"county_code": ["330112"], "year": [2024], "variable": ["x"], "source_id": ["s"]}
    )
    result.fact("c99_index", 134.87, "index", evidence=rows.assign(status="published"))
    result.fact("c99_name", "临安区", "text")
    text, evidence = publish.glued(result)
    assert text["c99_index"] == "134.9" and set(evidence) == {"c99_index"}
    # As myst-nb stores the glue of an executed notebook: a text/plain repr per key.
    glue = {key: {"data": {"text/plain": repr(value)}} for key, value in text.items()}
    glue["c99" + facts.EVIDENCE] = {"data": {"text/plain": repr(evidence)}}
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "page.glue.json").write_text(json.dumps(glue), encoding="utf-8")
    found = {f["key"]: f for f in facts.glued_values(tmp_path, [("notebooks/page", "页")])}
    assert set(found) == {"c99_index", "c99_name"}  # the evidence record is no fact
    assert found["c99_index"]["evidence"] == [
        {
            "county_code": "330112",
            "year": 2024,
            "variable": "x",
            "source_id": "s",
            "status": "published",
        }
    ]
    assert found["c99_name"]["evidence"] == []


def test_a_label_added_twice_word_for_word_is_one_label(tmp_path):
    # The vocabulary merges as a union of branches: the same row twice is one label, the same
    # key with other words is an error naming it.
    same = tmp_path / "same.csv"
    same.write_text(
        "group,key,zh,en,kind\ncolumn,caveat,附注,Caveat,text\ncolumn,caveat,附注,Caveat,text\n",
        encoding="utf-8",
    )
    assert len(labels.load(same)) == 1
    other = tmp_path / "other.csv"
    other.write_text(
        "group,key,zh,en,kind\ncolumn,caveat,附注,Caveat,text\ncolumn,caveat,说明,Note,text\n",
        encoding="utf-8",
    )
    with pytest.raises(labels.LabelError, match="column:caveat"):
        labels.load(other)

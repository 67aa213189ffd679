"""The summary pages and the county chapters, as built for whichever county the book studies.

A sentence whose facts are missing must say what is missing; it may never show a placeholder
(无, —, nan, None) where a number belongs. And a book built for a county outside Hangzhou may
not name Hangzhou or Lin'an as the county's city or benchmark (a sentence typed for Lin'an).
The county is read from the built county chapter (its glued code), so the same test serves
every build: `make book-strict COUNTY=330727` then BOOK_HTML=.../_build/html pytest this file.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

PAGES = [
    "book/summary.html",
    "book/summary_en.html",
    "notebooks/03_county.html",
    "notebooks/04_robustness.html",
]
HANGZHOU = "330100"
# A placeholder standing where a number belongs: alone between spaces or punctuation (a dash
# between two numbers or percentages, 5%—95%, 1—11 月, is a range; 无法 is a word).
PLACEHOLDER = re.compile(
    r"(?<![\w\u4e00-\u9fff%])(?:无|—+|-{2,}|nan|NaN|None|<NA>)(?![\w\u4e00-\u9fff])"
)
ELSEWHERE = re.compile(r"杭州|Hangzhou|临安|Lin.an")
# Words that make a sentence about the study county's city or benchmark.
BENCHMARK = re.compile(
    r"目标|对照|对比|相比|比较|所在市|参照|基准|本县|本区|研究对象|"
    r"target|benchmark|compar|its city|reference|study county",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[。；！？])|(?<=[.;!?])\s+")


class _Prose(HTMLParser):
    """Text of the article's paragraphs, list items and captions; tables and code left out."""

    BLOCKS = {"p", "li", "figcaption", "dt", "dd", "h1", "h2", "h3", "h4"}
    SKIP = {"table", "pre", "script", "style", "nav", "button"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._open: list[list[str]] = []
        self._skip = 0
        self._article = 0  # inside the page's article (not the navigation around it)
        self.saw_article = False

    def handle_starttag(self, tag, attrs):
        if tag in ("article", "main"):
            self._article += 1
            self.saw_article = True
        if tag in self.SKIP:
            self._skip += 1
        if tag in self.BLOCKS:
            self._open.append([])

    def handle_endtag(self, tag):
        if tag in ("article", "main"):
            self._article -= 1
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        if tag in self.BLOCKS and self._open:
            text = " ".join("".join(self._open.pop()).split())
            if text:
                self.blocks.append(text)

    def handle_data(self, data):
        if self._open and self._article and not self._skip:
            self._open[-1].append(data)


def prose(page: Path) -> list[str]:
    parser = _Prose()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.saw_article and parser.blocks, f"{page}: no article text found"
    return parser.blocks


def sentences_of(blocks: list[str]) -> list[str]:
    return [s.strip() for b in blocks for s in SENTENCE_END.split(b) if s and s.strip()]


@pytest.fixture(scope="module")
def county(html_dir) -> str:
    text = " ".join(prose(html_dir / "notebooks" / "03_county.html"))
    found = re.search(r"行政区划代码\s*(33\d{4})", text)
    if not found:
        pytest.fail("the county chapter does not state the county's code (c03_code)")
    return found.group(1)


@pytest.mark.parametrize("page", PAGES)
def test_no_placeholder_where_a_number_belongs(html_dir, page):
    path = html_dir / page
    assert path.exists(), f"{page} was not built"
    bad = [s for s in sentences_of(prose(path)) if PLACEHOLDER.search(s)]
    assert not bad, f"{page}: placeholders in sentences:\n" + "\n".join(bad)


@pytest.mark.parametrize("page", PAGES)
def test_no_hangzhou_or_linan_as_the_countys_city_or_benchmark(html_dir, page, county):
    if county[:4] + "00" == HANGZHOU:
        pytest.skip(f"{county} is in Hangzhou: its city is Hangzhou")
    bad = [
        s
        for s in sentences_of(prose(html_dir / page))
        if ELSEWHERE.search(s) and BENCHMARK.search(s)
    ]
    assert not bad, f"{page} (county {county}): Hangzhou or Lin'an named:\n" + "\n".join(bad)


def test_detectors_catch_and_spare():
    assert PLACEHOLDER.search("2025 年的中位数为 无%（95% 预测区间 无—无%）")
    assert PLACEHOLDER.search("这一指数的中位数为 —，5%—95% 区间为 ———；")
    assert PLACEHOLDER.search("a model probability of None of reaching")
    assert not PLACEHOLDER.search("5%—95% 区间为 100.6—129.0，口径是否一致仍无法核实")
    assert not PLACEHOLDER.search("规上工业企业研发费用（1—11 月）为 28.33 亿元")
    assert ELSEWHERE.search("本书以杭州市的目标作为对照") and BENCHMARK.search(
        "本书以杭州市的目标作为对照"
    )
    assert BENCHMARK.search("reaching Hangzhou's 4 target")
    assert not BENCHMARK.search("全省前列的是滨江区")


def _chinese_units() -> list[str]:
    from zjinnov.data import units

    # Longest first, so 人/万人 is named whole rather than as its 人.
    found = [u for u in units.known_units() if re.search(r"[\u4e00-\u9fff]", u)]
    return sorted(found, key=len, reverse=True)


def test_english_summary_writes_units_in_english(html_dir):
    # A number followed by a Chinese unit (208.31 亿元, 59 件/万人) in the English summary.
    after_number = re.compile(r"\d\s*(" + "|".join(map(re.escape, _chinese_units())) + ")")
    bad = [
        s
        for s in sentences_of(prose(html_dir / "book" / "summary_en.html"))
        if after_number.search(s)
    ]
    assert not bad, "English summary: units in Chinese:\n" + "\n".join(bad)


# --- findings first, and only findings the county has -----------------------------------------


def _study(county: str):
    from zjinnov.data.paths import DATA
    from zjinnov.study.study import Study

    return Study.load(county, DATA)


def test_the_front_page_opens_with_the_countys_findings(html_dir):
    blocks = prose(html_dir / "book" / "index.html")
    text = "\n".join(blocks)
    findings = [
        b for b in blocks if b.startswith(("官方指数", "部分指数", "同口径比较", "规划目标"))
    ]
    assert len(findings) == 4, f"front page: the four findings are not there: {findings}"
    # The findings come before the edition stamp and the notes on the facts file.
    first = text.index(findings[0])
    assert first < text.index("本版：") < text.index("facts.json"), "front page: stamp first"


@pytest.mark.parametrize("page", ["book/summary.html", "book/summary_en.html"])
def test_summaries_speak_only_of_indices_the_county_has(html_dir, county, page):
    text = " ".join(prose(html_dir / page))
    study = _study(county)
    if study.partial.coverage.empty:
        assert "稳健性一章审计" not in text and "audits this index" not in text, page
    best = study.best
    published = best[(best["county_code"] == county) & (best["variable"] == "innovation_index")]
    if len(published) < 2:
        assert not re.search(r"排位上升了|rank rose by|排位与指数反向", text), page
    # Every bullet says something (a sentence with nothing to say is never a list item alone).
    page_html = (html_dir / page).read_text(encoding="utf-8")
    article = page_html[page_html.find("<article") :]
    assert not re.search(r"<li>\s*(<p>\s*</p>)?\s*</li>", article), f"{page}: an empty bullet"


def test_the_facts_file_names_the_raw_rows_of_every_stated_comparison(html_dir, county):
    import csv
    import json

    from zjinnov.data.paths import DATA
    from zjinnov.study.chapters import county as chapter

    facts = json.loads((html_dir.parent / "facts.json").read_text(encoding="utf-8"))
    by_key = {f["key"]: f for f in facts["facts"]}
    result = chapter.build(_study(county))
    for key, rows in (
        ("c03_strengths", "c03_strength_rows"),
        ("c03_weaknesses", "c03_weakness_rows"),
    ):
        expected = {tuple(sorted(e.items())) for e in result.facts[rows].evidence}
        recorded = by_key[key].get("evidence", [])
        assert {tuple(sorted(e.items())) for e in recorded} == expected, key
        for e in recorded:
            with (DATA / "raw" / e["file"]).open(encoding="utf-8", newline="") as f:
                line = list(csv.DictReader(f))[e["row"] - 2]
            assert (line["county_code"], int(line["year"]), line["variable"]) == (
                e["county_code"],
                e["year"],
                e["variable"],
            ), e

"""The front page and the two summaries, as pages: the English summary says what the Chinese one
says (every sentence glued in book/summary.md has its English twin in book/summary_en.md, in
the same order), and the front page opens with the edition's findings, each glued from the
chapter that computes it, before the edition stamp."""

from __future__ import annotations

import re

from zjinnov.data.paths import ROOT
from zjinnov.present import sentences

ROLE = re.compile(r"\{glue:text\}`(?:[^`]*?::)?(\w+)(?::\w+)?`")


def _glued(name: str, findings_only: bool = False) -> list[str]:
    """Keys glued in a page (from its first section on: the findings, not the introduction)."""
    text = (ROOT / "book" / name).read_text(encoding="utf-8")
    return ROLE.findall(text[text.index("\n## ") :] if findings_only else text)


def test_the_english_summary_says_what_the_chinese_one_says():
    table = sentences.load(sentences.SENTENCES)
    zh = [k for k in _glued("summary.md", True) if k in table.index]
    en = [k for k in _glued("summary_en.md", True) if k.endswith("_en")]
    assert zh, "the Chinese summary glues no sentence"
    assert en == [table.at[k, "key_en"] for k in zh]
    # No fact glued bare into the English page: a bare fact is written in Chinese.
    assert all(k.endswith("_en") for k in _glued("summary_en.md"))
    # The strengths, weaknesses and the tier sentence are there in both.
    for key in ("c03_strengths", "c03_weaknesses", "c03_tier_record", "c03_caution"):
        assert key in zh and f"{key}_en" in en


def test_the_front_page_opens_with_findings_before_the_stamp():
    text = (ROOT / "book" / "index.md").read_text(encoding="utf-8")
    findings = text[: text.index("{edition}`stamp`")]
    keys = ROLE.findall(findings)
    assert keys[:4] == [
        "c03_front_index",
        "c03_front_partial",
        "c03_front_compare",
        "c06_summary_targets",
    ]
    # The notes on the facts file and on comparing editions come after the findings.
    assert "facts.json" not in findings and "make changes" not in findings
    # Each finding links to the chapter that computes it.
    assert findings.count("{doc}`") >= 3

"""The built book says which edition it is: the stamp on the front and downloads pages, the
title of the county on every page, the facts file beside the pages, and a workbook dated by the
data vintage rather than by the clock."""

from __future__ import annotations

import html
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from zjinnov.data.paths import DATA, ROOT
from zjinnov.present import edition

STAMP = re.compile(r'<span class="edition edition-stamp">(.*?)</span>', re.S)


@pytest.fixture(scope="module")
def facts_doc(html_dir: Path) -> dict:
    path = html_dir.parent / "facts.json"
    if not path.exists():
        pytest.fail(f"no facts file at {path}: every build writes one (book/_ext/edition.py)")
    return json.loads(path.read_text(encoding="utf-8"))


def _page(html_dir: Path, name: str) -> str:
    return (html_dir / "book" / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["index", "downloads"])
def test_page_shows_the_edition_stamp(html_dir, facts_doc, name):
    ed = facts_doc["edition"]
    found = STAMP.search(_page(html_dir, name))
    assert found, f"{name}.html: no edition stamp"
    assert html.unescape(found.group(1)) == ed["text"]
    for part in (ed["built"], ed["data_date"], f"{ed['county_name']}（{ed['county']}）"):
        assert part in ed["text"]


def test_stamp_is_computed_for_this_checkout_and_data(facts_doc):
    ed = facts_doc["edition"]
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    assert ed["commit"] == head, "the book was built from another commit: build it again"
    assert ed["version"] in ed["text"]
    if not ed["external_data"]:
        assert ed["data_date"] == edition.newest_publication(DATA)


def test_every_page_carries_the_countys_title(html_dir, facts_doc):
    title = edition.title_for(facts_doc["edition"]["county"])
    assert facts_doc["edition"]["title"] == title
    heading = re.search(r"<h1>(.*?)</h1>", _page(html_dir, "index"), re.S)
    assert heading and title in html.unescape(re.sub(r"<[^>]+>", "", heading.group(1)))
    wrong = []
    for page in sorted(html_dir.rglob("*.html")):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        if text.lstrip().startswith('<meta http-equiv="Refresh"'):
            continue  # the top index.html only redirects to the front page
        found = re.search(r"<title>(.*?)</title>", text, re.S)
        if not found or title not in html.unescape(found.group(1)):
            wrong.append(page.relative_to(html_dir).as_posix())
    assert not wrong, f"pages not titled {title}: {wrong[:5]}"


def test_facts_file_holds_every_value_the_pages_glue(facts_doc):
    have = {(f["chapter"], f["key"]) for f in facts_doc["facts"]}
    assert have, "the facts file holds no glued value"
    wanted = set()
    for page in (ROOT / "book").glob("*.md"):
        for nb, key in re.findall(
            r"\{glue:\w+\}`\.\./([\w/]+)\.ipynb::(\w+)", page.read_text("utf-8")
        ):
            wanted.add((nb, key))
    assert wanted <= have, f"glued on pages, missing from the facts file: {sorted(wanted - have)}"
    docs = [c["docname"] for c in facts_doc["chapters"]]
    assert docs[0] == "book/index" and all(c["title"] for c in facts_doc["chapters"])


def test_workbook_is_dated_by_the_data_vintage(html_dir, facts_doc):
    ed = facts_doc["edition"]
    workbook = html_dir / "downloads" / "study_tables.xlsx"
    assert workbook.exists(), "no workbook among the downloads"
    with zipfile.ZipFile(workbook) as zf:
        core = zf.read("docProps/core.xml").decode("utf-8")
        dates = {info.date_time for info in zf.infolist()}
    vintage = edition.Edition(**{k: ed[k] for k in edition.Edition.__dataclass_fields__})
    moment = vintage.data_datetime()
    assert f"<dc:creator>{edition.STUDY}</dc:creator>" in core
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment:%Y-%m-%dT%H:%M:%S}Z' in core
    assert dates == {moment.timetuple()[:6]}

"""A glued key can be searched for: every key a page glues is written out in full exactly once
where it is made, and filled by exactly one chapter, the one whose page glues it.

A fact key is made by a literal `result.fact("c03_pi_index", ...)` in a chapter function (or in
a notebook's code, as `changes.record` is given its keys); a sentence's keys are the `key` and
`key_en` columns of the sentences table. A page glues with `{glue:text}` roles, either a key
of its own notebook or `../notebooks/<notebook>.ipynb::<key>:<format>` from a book page.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from zjinnov.present import sentences

ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "lib" / "zjinnov" / "study"
ROLE = re.compile(r"\{glue:text\}`([^`]+)`")
SETUP = re.compile(r'style\.setup\("([a-z0-9]+)_')
LITERAL_KEY = re.compile(r'"((?:c0\d|a\d)_\w+)"')


def _notebooks() -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in (ROOT / "notebooks").glob("*.ipynb")
    }


def _cells(nb: dict, kind: str) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind)


def chapter_of_notebook() -> dict[str, str]:
    """Notebook -> the chapter whose function it calls (its `style.setup("c03_...")`)."""
    return {stem: SETUP.search(_cells(nb, "code")).group(1) for stem, nb in _notebooks().items()}


def glued() -> list[tuple[str, str, str]]:
    """(page, notebook it reads from, key) of every {glue:text} role in the book."""
    out = []
    pages = {f"notebooks/{s}": (s, _cells(nb, "markdown")) for s, nb in _notebooks().items()}
    pages |= {
        f"book/{p.stem}": (None, p.read_text(encoding="utf-8"))
        for p in (ROOT / "book").glob("*.md")
    }
    for page, (own, text) in pages.items():
        for role in ROLE.findall(text):
            source, _, rest = role.rpartition("::")
            key = rest.split(":")[0]
            notebook = Path(source).stem if source else own
            out.append((page, notebook, key))
    return out


def fact_calls(source: str) -> list[ast.Call]:
    tree = ast.parse(source)
    return [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "fact"
    ]


def made() -> Counter:
    """Every fact key made by a literal in the study layer or a notebook, and every sentence
    key, counted where it is written."""
    keys: Counter = Counter()
    for path in STUDY.rglob("*.py"):
        for call in fact_calls(path.read_text(encoding="utf-8")):
            keys[call.args[0].value] += 1
    for nb in _notebooks().values():
        code = _cells(nb, "code")
        for call in [c for c in ast.walk(ast.parse(code)) if isinstance(c, ast.Call)]:
            if getattr(call.func, "attr", "") == "record":
                keys.update(a.value for a in call.args if isinstance(a, ast.Constant))
    table = pd.read_csv(sentences.SENTENCES, dtype=str, keep_default_na=False)
    table = table[~table["key"].str.endswith("_item")]
    keys.update(table["key"])
    keys.update(table["key_en"])
    return keys


def test_every_fact_key_is_written_out_where_it_is_made():
    loose = []
    for path in STUDY.rglob("*.py"):
        for call in fact_calls(path.read_text(encoding="utf-8")):
            first = call.args[0] if call.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                loose.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert not loose, f"fact keys assembled, not written out: {loose}"


def test_every_glued_key_is_made_once_by_the_chapter_of_its_page():
    keys, chapters = made(), chapter_of_notebook()
    problems = []
    for page, notebook, key in glued():
        if keys[key] != 1:
            problems.append(f"{page}: {key} is made {keys[key]} times")
        if notebook not in chapters:
            problems.append(f"{page}: {key} is glued from {notebook}, which is no chapter's page")
        elif not key.startswith(chapters[notebook] + "_"):
            problems.append(f"{page}: {key} is not a key of {chapters[notebook]} ({notebook})")
    assert not problems, "\n".join(problems)


def test_the_role_reader_is_not_blind():
    pages = glued()
    assert ("book/summary", "03_county", "c03_summary_partial") in pages
    assert ("notebooks/03_county", "03_county", "c03_partial") in pages
    assert len(pages) > 150


@pytest.mark.parametrize("key", ["c03_pi_index", "c03_partial", "c03_partial_en", "c07_status"])
def test_a_key_greps_to_where_it_is_made(key):
    sources = [p.read_text(encoding="utf-8") for p in STUDY.rglob("*.py")]
    sources.append(sentences.SENTENCES.read_text(encoding="utf-8"))
    found = sum(
        LITERAL_KEY.findall(s).count(key) + s.count(f"\n{key},") + s.count(f",{key},")
        for s in sources
    )
    assert found >= 1

"""Which sources the data cite, and which are listed for context only."""

from __future__ import annotations

from conftest_data import GOOD_ROWS, make_data_dir

from zjinnov.data import source_use


def test_shipped_sources_are_cited_or_marked_context():
    use = source_use.source_use()
    assert source_use.problems(use) == []
    counts = source_use.summary(use)
    assert counts["n_sources_listed"] == len(use)
    assert counts["n_sources_cited"] + counts["n_sources_context"] == counts["n_sources_listed"]
    assert counts["n_sources_cited_by_raw"] < counts["n_sources_cited"]
    # Cited outside the raw tables only: plan targets, the registry's citations, the code list.
    others = use[use["cited"] & use["n_raw_rows"].eq(0)]
    assert others[["n_targets", "n_indicators", "n_registry"]].sum(axis=1).gt(0).all()
    assert {"hz-action-2025", "nbs-division-codes"} <= set(others["source_id"])


def test_a_source_no_row_cites_must_be_marked_context(tmp_path):
    root = make_data_dir(tmp_path, GOOD_ROWS)
    use = source_use.source_use(root)
    found = source_use.problems(use)
    # The small table cites one source; the registries and targets cite some more; the rest
    # of the shipped list is uncited in this folder and reported, one line each.
    assert any("cited by no row" in line for line in found)
    marked = use.assign(use=use["use"].where(use["cited"], "context"))
    assert source_use.problems(marked) == []
    wrong = marked.assign(use="context")
    assert all("marked context but cited" in line for line in source_use.problems(wrong))

import pytest

from zjinnov.data import assumptions


def test_shipped_log_is_valid_and_rated():
    df = assumptions.load_assumptions()
    assert len(df) >= 10
    assert set(df["quality"]) <= set(assumptions.RAG) and set(df["impact"]) <= set(assumptions.RAG)
    assert assumptions.rag_counts(df).to_numpy().sum() == len(df)


def test_bad_rating_is_named(tmp_path):
    p = tmp_path / "assumptions.csv"
    p.write_text(
        "id,assumption,where_used,quality,impact,evidence,what_would_change_it\nA1,x,y,purple,red,e,w\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"assumptions.csv:2 \| column quality .*'purple'"):
        assumptions.load_assumptions(p)

"""The one selection policy: which of several figures for a place, year and variable is used, and why."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zjinnov.data import selection

COLS = [
    "county_code",
    "year",
    "variable",
    "value",
    "period",
    "confidence",
    "source_id",
    "date_published",
    "file",
    "row",
]


def _obs(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLS)


def _row(value, confidence="high", period="year", source="s", date="", file="t.csv", row=2):
    return ["330112", 2021, "x", value, period, confidence, source, date, file, row]


def _chosen(frame: pd.DataFrame) -> pd.Series:
    return frame.loc[frame["used"]].iloc[0]


def test_published_full_year_beats_every_other_kind():
    obs = _obs(
        [
            _row(1.0, "derived", row=2),
            _row(2.0, "inferred", row=3),
            _row(3.0, "implied", row=4),
            _row(4.0, "high", period="1-11", row=5),
            _row(5.0, "low", row=6),
        ]
    )
    rows = selection.select(obs, statuses=selection.STATUSES)
    assert _chosen(rows)["value"] == 5.0
    assert rows["status"].tolist() == ["derived", "inferred", "implied", "published", "published"]
    reasons = dict(zip(rows["value"], rows["reason"], strict=True))
    assert reasons[5.0] == "chosen: published full-year figure beats published partial-year"
    assert reasons[4.0] == "not used: published full-year figure beats published partial-year"
    assert reasons[1.0] == "not used: published full-year figure beats derived"


@pytest.mark.parametrize(
    ("drop", "expected"),
    [([5.0], 4.0), ([5.0, 4.0], 3.0), ([5.0, 4.0, 3.0], 2.0), ([5.0, 4.0, 3.0, 2.0], 1.0)],
)
def test_each_kind_ranks_above_the_next(drop, expected):
    obs = _obs(
        [
            _row(1.0, "derived", row=2),
            _row(2.0, "inferred", row=3),
            _row(3.0, "implied", row=4),
            _row(4.0, "high", period="1-11", row=5),
            _row(5.0, "low", row=6),
        ]
    )
    obs = obs[~obs["value"].isin(drop)]
    assert _chosen(selection.select(obs, statuses=selection.STATUSES))["value"] == expected


def test_by_default_only_published_figures_are_used():
    obs = _obs([_row(1.0, "derived"), _row(2.0, "inferred", row=3), _row(3.0, "implied", row=4)])
    rows = selection.select(obs)
    assert not rows["used"].any()
    assert rows["reason"].tolist() == [
        "not used: derived figure, not a published observation",
        "not used: inferred figure, not a published observation",
        "not used: implied figure, not a published observation",
    ]
    assert selection.best(obs).empty


def test_implied_is_used_only_when_asked_and_keeps_its_status():
    obs = _obs([_row(3.0, "implied"), _row(1.0, "derived", row=3)])
    chosen = selection.best(obs, statuses=("published", "implied"))
    assert chosen["value"].tolist() == [3.0]
    assert chosen["status"].tolist() == ["implied"]


def test_higher_confidence_wins_among_published():
    obs = _obs([_row(1.0, "low"), _row(2.0, "medium", row=3), _row(3.0, "high", row=4)])
    rows = selection.select(obs)
    assert _chosen(rows)["value"] == 3.0
    # The chosen row is compared with the runner-up; each other row with the chosen one.
    assert _chosen(rows)["reason"] == "chosen: higher confidence (high > medium)"
    assert rows.loc[rows["value"].eq(1.0), "reason"].iloc[0] == (
        "not used: higher confidence (high > low)"
    )


def test_a_later_publication_revises_an_earlier_one():
    obs = _obs(
        [
            _row(18109.0, "medium", source="first", date="2022-01-20"),
            _row(18247.0, "medium", source="revision", date="2023-01-21", row=3),
        ]
    )
    rows = selection.select(obs)
    assert _chosen(rows)["value"] == 18247.0
    assert _chosen(rows)["reason"] == "chosen: later publication (2023-01-21 revises 2022-01-20)"


def test_a_dated_source_beats_an_undated_one_and_the_date_may_come_from_sources():
    obs = _obs([_row(1.0, source="undated"), _row(2.0, source="dated", row=3)])
    obs = obs.drop(columns="date_published")
    sources = pd.DataFrame({"source_id": ["undated", "dated"], "date_published": ["", "2020-05"]})
    rows = selection.select(obs, sources)
    assert _chosen(rows)["value"] == 2.0
    assert "later publication (2020-05 revises an undated source)" in _chosen(rows)["reason"]
    # Without any dates the earlier row in the tables is kept, and the reason says so.
    plain = selection.select(obs)
    assert _chosen(plain)["value"] == 1.0
    assert _chosen(plain)["reason"].endswith("the earlier row in the tables is kept")


def test_partial_years_only_where_allowed():
    obs = _obs([_row(28.3, period="1-11")])
    assert selection.best(obs)["value"].tolist() == [28.3]
    rows = selection.select(obs, allow_partial=False)
    assert not rows["used"].any() and rows["reason"].iloc[0] == "not used: partial year"


def test_rows_recut_to_other_boundaries_are_set_aside_unless_asked():
    obs = _obs([_row(1226673.0)]).assign(boundary_year=pd.array([2021], dtype="Int64"))
    obs["year"] = 2020
    rows = selection.select(obs)
    assert rows["reason"].iloc[0] == "not used: re-cut to another year's boundaries"
    assert selection.select(obs, allow_recut=True)["used"].all()


def test_rows_without_a_value_are_never_chosen():
    obs = _obs([_row(float("nan"), "high"), _row(2.0, "low", row=3)])
    rows = selection.select(obs)
    assert _chosen(rows)["value"] == 2.0
    assert rows["reason"].iloc[0] == "not used: no value"


def test_every_candidate_is_returned_with_one_used_row_per_key():
    obs = _obs([_row(1.0), _row(2.0, row=3), _row(3.0, row=4)])
    obs.loc[2, "variable"] = "y"
    rows = selection.select(obs)
    assert len(rows) == 3 and set(rows.columns) >= {"status", "used", "reason"}
    assert rows.groupby("variable")["used"].sum().to_dict() == {"x": 1, "y": 1}
    assert rows.loc[rows["variable"].eq("y"), "reason"].iloc[0] == "chosen: the only candidate"
    assert selection.best(obs)["value"].tolist() == [1.0, 3.0]


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown status"):
        selection.select(_obs([_row(1.0)]), statuses=("published", "guessed"))


def test_key_decides_what_counts_as_the_same_figure():
    obs = _obs([_row(1.0), _row(2.0, period="1-11", row=3)])
    assert len(selection.best(obs)) == 1
    assert len(selection.best(obs, key=[*selection.KEY, "period"])) == 2


CANDIDATE = st.tuples(
    st.sampled_from(["high", "medium", "low", "implied", "inferred", "derived"]),
    st.sampled_from(["year", "1-11"]),
    st.sampled_from(["", "2021", "2022-03", "2023-01-21"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(CANDIDATE, min_size=1, max_size=7), st.randoms(use_true_random=False))
def test_choice_does_not_depend_on_row_order_and_nothing_eligible_beats_it(cands, rnd):
    obs = _obs(
        [_row(float(i), c, period=p, date=d, row=i + 2) for i, (c, p, d) in enumerate(cands)]
    )
    chosen = selection.best(obs, statuses=selection.STATUSES)
    order = list(obs.index)
    rnd.shuffle(order)
    shuffled = selection.best(obs.loc[order], statuses=selection.STATUSES)
    assert chosen["value"].tolist() == shuffled["value"].tolist()
    # Nothing eligible outranks the chosen row on the policy's ordering.
    # Published: full year, then part year (final before preliminary in each); then implied,
    # inferred, derived, each full year before part year.
    tier = {"published": 0, "implied": 4, "inferred": 6, "derived": 8}

    def rank(r):
        status = selection.status_of(pd.Series([r["confidence"]])).iloc[0]
        conf = selection.CONFIDENCE_RANK.get(r["confidence"], 3)
        date = tuple(-ord(ch) for ch in r["date_published"]) + (1,)
        step = (2 if status == "published" else 1) * (r["period"] != "year")
        return (tier[status] + step, conf, date, r["row"])

    best_rank = min(rank(r) for _, r in obs.iterrows())
    assert rank(chosen.iloc[0]) == best_rank


def test_shipped_data_hangzhou_2021_gdp_is_the_revision():
    from zjinnov.data.sources import load_observations

    obs = load_observations()
    gdp = obs[obs["county_code"].eq("330100") & obs["year"].eq(2021) & obs["variable"].eq("gdp")]
    assert sorted(gdp["value"]) == [18109.0, 18247.0]
    rows = selection.select(gdp)
    chosen = _chosen(rows)
    assert chosen["value"] == 18247.0 and chosen["source_id"] == "web-finance"
    assert chosen["reason"].startswith("chosen: later publication (2023-01-21")
    loser = rows[~rows["used"]].iloc[0]
    assert loser["source_id"] == "web-hzdsw" and "later publication" in loser["reason"]


# --- preliminary (预计) figures -------------------------------------------------------------


def _with_release(rows, releases) -> pd.DataFrame:
    return _obs(rows).assign(release=releases)


def test_a_final_figure_beats_a_preliminary_one_whatever_its_date_or_grade():
    obs = _with_release(
        [_row(2.33, "high", date="2016-03-04", row=2), _row(2.36, "medium", row=3)],
        ["preliminary", ""],
    )
    rows = selection.select(obs)
    assert _chosen(rows)["value"] == 2.36
    reasons = dict(zip(rows["value"], rows["reason"], strict=True))
    assert reasons[2.36] == (
        "chosen: published full-year figure beats published full-year preliminary (预计)"
    )
    assert reasons[2.33].startswith("not used: published full-year figure beats")


def test_a_preliminary_full_year_figure_beats_a_partial_year_one():
    obs = _with_release([_row(10.0, period="1-11", row=2), _row(12.0, row=3)], ["", "preliminary"])
    assert _chosen(selection.select(obs))["value"] == 12.0


def test_without_a_release_column_nothing_is_preliminary():
    obs = _obs([_row(1.0)])
    assert not selection.is_preliminary(obs).any()
    assert selection.is_preliminary(obs.assign(preliminary=[True])).all()


def test_one_confidence_order_weakest_first():
    assert selection.CONFIDENCE_ORDER == ["derived", "inferred", "implied", "low", "medium", "high"]
    assert selection.weakest(["high", "inferred", "medium"]) == "inferred"
    assert selection.weakest([]) is None
    # The source grades rank in the same order, strongest first.
    ranks = sorted(selection.CONFIDENCE_RANK, key=selection.CONFIDENCE_RANK.get)
    assert ranks == selection.CONFIDENCE_ORDER[::-1][:3]


def test_shipped_data_zhejiang_2015_rd_base_is_the_final_bulletin():
    from zjinnov.data.sources import load_observations

    obs = load_observations()
    rd = obs[obs["county_code"].eq("330000") & obs["year"].eq(2015)]
    rd = rd[rd["variable"].eq("rd_intensity")]
    rows = selection.select(rd)
    chosen = _chosen(rows)
    assert chosen["value"] == 2.36 and not chosen["preliminary"]
    assert "preliminary" in rows.loc[~rows["used"], "reason"].iloc[0]
    # Every figure whose quote says 预计 about itself is marked preliminary.
    said = obs["quote"].str.contains("预计") & ~obs["note"].str.contains("not preliminary")
    assert said.any() and obs.loc[said, "preliminary"].all()

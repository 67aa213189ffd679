"""data/targets.csv says which plan each target belongs to (data layer: zjinnov.data.targets)."""

from __future__ import annotations

from conftest_data import make_data_dir

from zjinnov.data import targets
from zjinnov.data.errors import ValidationReport


def test_every_target_names_its_kind_of_plan_and_period():
    table = targets.load_targets()
    assert table["plan_kind"].isin(list(targets.PLAN_KINDS)).all()
    assert table["plan_period"].str.fullmatch(r"\d{4}(-\d{4})?").all()
    # Hangzhou's 2027 targets come from its 2025 action plan, not the 14th five-year plan.
    hz = table[table["region_code"].eq("330100")].set_index("target_year")
    assert set(hz.loc[2027, "plan_kind"]) == {"action_plan"}
    assert set(hz.loc[2025, "plan_kind"]) == {"fyp14"}
    # A five-year-plan target is one of 2021-2025 and ends in 2025.
    fyp = table[table["is_fyp14"]]
    assert fyp["plan_period"].eq("2021-2025").all() and fyp["target_year"].eq(2025).all()
    # No period ends before the target year it sets.
    ends = table["plan_period"].str[-4:].astype(int)
    assert (ends >= table["target_year"]).all()


def test_an_unknown_plan_kind_is_reported(tmp_path):
    root = make_data_dir(tmp_path)
    path = root / "targets.csv"
    text = path.read_text(encoding="utf-8").replace(",fyp14,", ",fyp15,", 1)
    path.write_text(text, encoding="utf-8")
    report = ValidationReport()
    targets.check_targets(root, report, None)
    assert [p.column for p in report.problems] == ["plan_kind"]
    assert report.problems[0].value == "fyp15"

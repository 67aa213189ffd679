"""The appendix's worked example, run as a test: a new table dropped into data/raw/ flows through."""

from zjinnov.data import paths
from zjinnov.study import rerun


def test_worked_example_adds_a_year_and_catches_the_slip(tmp_path):
    ex = rerun.worked_example(tmp_path, county="330112", source_id="linan-2025-03")
    assert len(ex.rows_added) > 0
    assert 2023 not in set(ex.before["year"]) and 2023 in set(ex.after["year"])
    assert ex.after.set_index("year").at[2023, "innovation_index"] == 149.2
    # The slip (an index typed in 亿元) is named with its file, row and column.
    assert any("new_report.csv:" in p and "unit" in p for p in ex.slip_problems), ex.slip_problems
    assert ex.clean_after_fix
    # The project's own data were not touched.
    assert not (paths.RAW / "new_report.csv").exists()


def test_refuses_to_work_under_data_raw():
    import pytest

    with pytest.raises(ValueError, match="data/raw"):
        rerun.copy_data(paths.RAW / "x")

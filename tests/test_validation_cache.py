"""A raw table's validation is kept (in memory and under _build/cache/validated/) and used again
only for the same bytes, the same framework files and the same validating code."""

from conftest_data import GOOD_ROWS, make_data_dir, write_raw

from zjinnov.data import paths, sources, validated_cache
from zjinnov.data.errors import ValidationReport

BAD = "330112,临安区,2021,,gdp,abc,亿元,year,linan-2022-03,high,原文 abc,"


def _run(root):
    report = ValidationReport()
    obs = sources.collect_observations(root, report)
    return [str(p) for p in report.problems], obs


def test_a_kept_result_is_the_result(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path / "_build")
    monkeypatch.setattr(validated_cache, "MEMO", {})
    root = make_data_dir(tmp_path, [*GOOD_ROWS, BAD])
    first, obs = _run(root)
    assert first and "value is not a number" in " ".join(first)
    assert len(list((tmp_path / "_build" / "cache" / "validated").glob("*.pkl"))) == 1
    again, obs_again = _run(root)  # from memory
    validated_cache.MEMO.clear()
    from_disk, obs_disk = _run(root)  # from the kept file, as a new process would
    assert first == again == from_disk
    assert obs.equals(obs_again) and obs.equals(obs_disk)


def test_changed_bytes_or_framework_are_validated_afresh(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path / "_build")
    monkeypatch.setattr(validated_cache, "MEMO", {})
    root = make_data_dir(tmp_path, [*GOOD_ROWS, BAD])
    assert _run(root)[0]
    write_raw(root, GOOD_ROWS)  # the slip fixed: same file name, new bytes
    assert _run(root)[0] == []
    # The same table beside a framework without the unit 亿元 (in another folder: the
    # registries' own caches are per folder): the same bytes now break a rule.
    other = make_data_dir(tmp_path / "other", GOOD_ROWS)
    units = other / "framework" / "units.csv"
    lines = units.read_text(encoding="utf-8").splitlines()
    units.write_text("\n".join(line for line in lines if not line.startswith("亿元,")) + "\n")
    assert any("亿元" in p for p in _run(other)[0])


def test_the_memo_does_not_hand_out_its_own_frame(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path / "_build")
    monkeypatch.setattr(validated_cache, "MEMO", {})
    root = make_data_dir(tmp_path)
    _, obs = _run(root)
    obs["value"] = -1.0  # a caller changing its copy
    assert (_run(root)[1]["value"] != -1.0).all()

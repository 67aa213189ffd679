import pytest

from zjinnov.data import config, paths


def test_output_dir_refuses_data_raw(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "BUILD", paths.RAW)
    with pytest.raises(ValueError, match="data/raw"):
        paths.output_dir("x")


def test_output_dir_creates_under_build(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "BUILD", tmp_path)
    out = paths.output_dir("tables", "x")
    assert out.is_dir() and out.parent.parent == tmp_path.resolve()


def test_county_code_default_and_env(monkeypatch):
    monkeypatch.delenv("STUDY_COUNTY", raising=False)
    assert config.county_code() == "330112"
    monkeypatch.setenv("STUDY_COUNTY", "330108")
    assert config.county_code() == "330108"
    monkeypatch.setenv("STUDY_COUNTY", "4401")
    with pytest.raises(ValueError, match="6-digit Zhejiang"):
        config.county_code()


@pytest.mark.parametrize(
    "code,message",
    [
        ("330103", "no longer a county-level unit"),
        ("330371", "statistical zone"),
        ("339999", "not a Zhejiang"),
    ],
)
def test_county_code_must_be_a_current_unit(monkeypatch, code, message):
    monkeypatch.setenv("STUDY_COUNTY", code)
    with pytest.raises(ValueError, match=message):
        config.county_code()

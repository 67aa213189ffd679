"""The data catalogue: every file under data/ has a loader and a check, and validate walks it."""

from __future__ import annotations

import shutil

import pytest

from zjinnov.data import catalogue
from zjinnov.data.paths import DATA
from zjinnov.data.validate import validate_all


def test_every_file_under_data_is_catalogued():
    assert catalogue.uncatalogued(DATA) == []


@pytest.mark.parametrize("entry", catalogue.CATALOGUE, ids=lambda e: e.pattern)
def test_every_entry_loads_its_file(entry):
    example = next(p for p in DATA.glob(entry.pattern))
    table = catalogue.load(example.relative_to(DATA).as_posix(), DATA)
    assert len(table) > 0


@pytest.fixture
def scratch(tmp_path):
    return shutil.copytree(DATA, tmp_path / "data")


def test_problems_in_several_files_are_listed_together(scratch):
    (scratch / "notes.txt").write_text("stray file", encoding="utf-8")
    units = scratch / "framework" / "units.csv"
    units.write_text(units.read_text(encoding="utf-8") + "斤,mass,-1,jin\n", encoding="utf-8")
    log = scratch / "framework" / "assumptions.csv"
    text = log.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",red,red,", ",red,scarlet,", 1)
    log.write_text("\n".join(text) + "\n", encoding="utf-8")
    found = {(p.file, p.column, p.rule) for p in validate_all(scratch).problems}
    assert (
        "notes.txt",
        None,
        "file not in the data catalogue (zjinnov/data/catalogue.py)",
    ) in found
    assert ("framework/units.csv", "factor", "factor must be a positive number") in found
    assert ("framework/assumptions.csv", "impact", "must be one of green, amber, red") in found


def test_an_unknown_file_name_has_no_loader():
    with pytest.raises(KeyError, match="not in the data catalogue"):
        catalogue.load("raw_notes.xlsx", DATA)


def test_a_coverage_rule_outside_zero_to_one_is_reported(scratch):
    domains = scratch / "framework" / "domains.csv"
    lines = domains.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("min_coverage")] = "1.5"
    lines[2] = ",".join(cells)
    domains.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = [(p.file, p.row, p.column, p.value) for p in validate_all(scratch).problems]
    assert found == [("framework/domains.csv", 3, "min_coverage", "1.5")]

import shutil

import pandas as pd
import pytest

from zjinnov.data import county_registry, geography
from zjinnov.data.errors import DataValidationError
from zjinnov.data.paths import FRAMEWORK


@pytest.mark.parametrize(
    ("year", "n"), [(2016, 89), (2018, 89), (2019, 90), (2020, 90), (2021, 90), (2024, 90)]
)
def test_unit_counts_per_year(year, n):
    assert len(geography.units_in_year(year)) == n


def test_2021_hangzhou_changes():
    before = set(geography.units_in_year(2020)["code"])
    after = set(geography.units_in_year(2021)["code"])
    assert before - after == {"330103", "330104"}  # 下城, 江干 abolished
    assert after - before == {"330113", "330114"}  # 临平, 钱塘 created


def test_linan_rename_and_longgang():
    assert "330185" in set(geography.units_in_year(2016)["code"])
    assert "330112" not in set(geography.units_in_year(2016)["code"])
    assert geography.name_of("330112", 2020) == "临安区"
    assert geography.name_of("330185", 2015) == "临安市"
    assert "330383" in set(geography.units_in_year(2019)["code"]) - set(
        geography.units_in_year(2018)["code"]
    )


def test_statistical_zone_is_not_a_county_unit():
    assert "330371" not in set(geography.units_in_year(2020)["code"])
    ok = geography.valid_codes(pd.Series([2020]), pd.Series(["330371"]))
    assert ok.tolist() == [True]  # allowed in tables (census lists it), never counted among the 90


def test_region_codes_and_unknown_codes():
    assert geography.name_of("330000") == "浙江省" and geography.name_of("100000") == "全国"
    assert geography.name_of("331100") == "丽水市"
    with pytest.raises(KeyError, match="unknown county code 330113 in 2020"):
        geography.name_of("330113", 2020)


def test_valid_codes_with_boundary_year():
    codes = pd.Series(["330113", "330113", "330112"])
    years = pd.Series([2020, 2020, 2017])
    assert geography.valid_codes(years, codes).tolist() == [False, False, True]
    assert geography.valid_codes(years, codes, pd.Series([2021, None, None])).tolist() == [
        True,
        False,
        True,
    ]


def test_harmonise_codes_joins_the_rename():
    assert geography.harmonise_codes(pd.Series(["330185", "330112", "330100"])).tolist() == [
        "330112",
        "330112",
        "330100",
    ]


# --- the registry: one place per fact -------------------------------------------------------


def _framework_copy(tmp_path):
    root = tmp_path / "framework"
    shutil.copytree(FRAMEWORK, root)
    return root


def _append(path, line):
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def test_shipped_registry_is_valid_and_every_change_explained():
    report, counties, changes = county_registry.validate_registry(FRAMEWORK)
    assert report.ok, str(report)
    assert (changes["note"].str.len() > 10).all() and (changes["source"].str.len() > 10).all()
    # Every unit that ended has a row saying where its territory went.
    ended = counties[counties["valid_to"].notna() & counties["type"].ne("statistical_zone")]
    for code, last in zip(ended["code"], ended["valid_to"], strict=True):
        assert ((changes["from_code"] == code) & (changes["change_year"] == last + 1)).any()


def test_counties_notes_record_no_change():
    # Changes live in boundary_changes.csv only: a counties.csv note naming another code would
    # be a second place for a link.
    counties = geography.load_counties()
    codes = set(counties["code"])
    for code, note in zip(counties["code"], counties["note"], strict=True):
        named = {c for c in codes - {code} if c in note}
        assert not named, f"counties.csv note of {code} names {named}"


def test_2021_links_for_the_province_maps():
    links = geography.links_between(2020, 2021)
    assert set(links["from_code"]) == {
        "330102",
        "330103",
        "330104",
        "330105",
        "330109",
        "330110",
        "330303",
        "330371",
    }
    assert {"330113", "330114"} <= set(links["to_code"])
    assert not {"330185", "330112"} & set(links["from_code"])  # Lin'an: no change in 2021
    row = links.set_index(["from_code", "to_code"]).loc[("330103", "330105")]
    assert (row["relation"], row["change"], row["from_name"]) == ("whole", "merged", "下城区")
    parts = geography.unit_composition(links).set_index("to_code")
    assert parts.loc["330105", "exact"] and parts.loc["330303", "exact"]
    assert parts.loc["330303", "n_parts"] == 2
    changed = ["330102", "330109", "330110", "330113", "330114"]
    assert not parts.loc[changed, "exact"].any()
    assert geography.links_between(2021, 2021).empty  # a year's own boundaries need no link


def test_links_chain_across_years():
    links = geography.links_between(2016, 2021).set_index(["from_code", "to_code"])
    lin_an = links.loc[("330185", "330112")]
    assert (lin_an["relation"], lin_an["change"], lin_an["change_year"]) == (
        "whole",
        "renamed",
        2017,
    )
    assert ("330103", "330105") in links.index  # the 2021 links apply to 2016 units too
    assert geography.current_boundary_year() == 2021


def test_predecessors_successors_and_chains():
    assert geography.predecessors("330112")["from_code"].tolist() == ["330185"]
    assert set(geography.predecessors("330114")["from_code"]) == {"330104", "330109"}
    assert set(geography.successors("330104")["to_code"]) == {"330102", "330114"}
    assert geography.successors("330108").empty
    assert geography.successor_chain("330185") == ["330185", "330112"]
    assert geography.successor_chain("330103") == ["330103", "330105"]
    assert geography.successor_chain("330104") == ["330104"]  # split: no single successor
    assert geography.successor_chain("330102") == ["330102"]  # goes on under its own code


def test_series_codes_follow_renames_only():
    assert geography.series_codes("330112") == ["330112", "330185"]
    assert geography.series_codes("330105") == ["330105"]  # merged in 2021: not one territory
    assert geography.series_codes("330108") == ["330108"]


def test_boundary_years_and_recut_rows():
    obs = pd.DataFrame(
        {"year": [2020, 2020, 2022], "boundary_year": pd.array([2021, pd.NA, pd.NA], "Int64")}
    )
    assert geography.boundary_years(obs).tolist() == [2021, 2020, 2022]
    assert geography.recut(obs).tolist() == [True, False, False]
    assert geography.recut(obs.drop(columns="boundary_year")).tolist() == [False] * 3


def test_same_territory_on_todays_map():
    codes = ["330303", "330112", "330110", "330110", "330185", "330113"]
    years = pd.Series([2020, 2019, 2020, 2021, 2016, 2020], index=list("abcdef"))
    same = geography.same_territory(codes, years)
    # 龙湾区 of 2020 lacks its statistical zone; 余杭区 of 2020 is the old, larger district;
    # 临安市 is another code; 临平区 did not exist in 2020.
    assert same.to_dict() == dict(a=False, b=True, c=False, d=True, e=False, f=False)


# --- coverage and trends agree on renamed units ---------------------------------------------


def _with_fuyang(tmp_path):
    """A copy of the registry with 富阳市 330183 renamed 富阳区 330111 in 2015. The shipped
    registry has no row for 富阳市: no stored source documents it."""
    root = _framework_copy(tmp_path)
    counties = (root / "counties.csv").read_text(encoding="utf-8")
    counties = counties.replace(
        "330111,富阳区,330100,杭州市,district,,,", "330111,富阳区,330100,杭州市,district,2015,,"
    )
    (root / "counties.csv").write_text(counties, encoding="utf-8")
    _append(
        root / "counties.csv",
        "330183,富阳市,330100,杭州市,county_city,,2014,nbs-division-codes,test",
    )
    _append(
        root / "boundary_changes.csv", "330183,330111,2015,renamed,whole,background,test row,test"
    )
    return root


@pytest.mark.parametrize("fuyang_renamed", [False, True])
def test_coverage_and_trends_agree_on_renamed_units(tmp_path, fuyang_renamed):
    from conftest_data import make_obs

    from zjinnov.data import coverage, selection
    from zjinnov.study import series as trends

    fw = _with_fuyang(tmp_path) if fuyang_renamed else FRAMEWORK
    assert county_registry.validate_registry(fw)[0].ok
    obs = make_obs(
        [
            ("330183", 2013, "a", 1.0),
            ("330183", 2014, "a", 2.0),
            ("330111", 2016, "a", 3.0),
            ("330185", 2016, "a", 4.0),
            ("330112", 2018, "a", 5.0),
        ]
    )
    indicators = pd.DataFrame({"code": ["X"], "formula": ["a"]})
    best = selection.best(obs)
    cov = coverage.coverage_matrix(best, indicators, years=range(2012, 2020), framework_dir=fw)
    for code in ("330111", "330112"):
        covered = set(cov.loc[(cov["county_code"] == code) & cov["status"].eq("complete"), "year"])
        series = trends.select_series(obs, geography.series_codes(code, fw), "a").values
        assert covered == set(series.index), code
    fuyang = set(cov.loc[cov["county_code"] == "330111", "year"][cov["status"].eq("complete")])
    assert fuyang == ({2013, 2014, 2016} if fuyang_renamed else {2016})
    assert ("330183" in set(cov["county_code"])) is not fuyang_renamed


# --- malformed registry rows are reported cell by cell ---------------------------------------


def test_malformed_registry_rows_are_reported_with_file_row_and_column(tmp_path):
    root = _framework_copy(tmp_path)
    n_changes = len(pd.read_csv(root / "boundary_changes.csv"))
    _append(root / "boundary_changes.csv", "330108,339999,2021,merged,whole,background,n,s")
    _append(root / "boundary_changes.csv", "330127,330122,20x1,merged,whole,background,n,s")
    _append(root / "boundary_changes.csv", "330182,330122,2022,merged,maybe,hearsay,n,s")
    n_counties = len(pd.read_csv(root / "counties.csv"))
    _append(root / "counties.csv", "330199,某区,330200,宁波市,district,2O20,,nbs-division-codes,")
    report, _, _ = county_registry.validate_registry(root)
    found = {(p.file, p.row, p.column, p.rule) for p in report.problems}
    changes, counties = "framework/boundary_changes.csv", "framework/counties.csv"
    first = n_changes + 2  # line of the first appended row (header is line 1)
    assert (changes, first, "to_code", county_registry.RULES["unknown"]) in found
    assert (changes, first + 1, "change_year", "blank or a year") in found
    assert (changes, first + 2, "relation", "one of whole, part") in found
    assert any(p[:3] == (changes, first + 2, "evidence") for p in found)
    last = n_counties + 2
    assert (counties, last, "valid_from", "blank or a year") in found
    assert (counties, last, "city_code", county_registry.RULES["city"]) in found
    # Every problem names its file, row and column, with the code and the cell found.
    assert all(p.row and p.column and p.county for p in report.problems)
    bad = next(p for p in report.problems if p.column == "to_code" and p.row == first)
    assert (bad.value, bad.county, bad.year) == ("339999", "330108", 2021)
    with pytest.raises(DataValidationError):
        geography._registry(root)


def test_link_rules_tie_the_tables(tmp_path):
    root = _framework_copy(tmp_path)
    path = root / "boundary_changes.csv"
    text = path.read_text(encoding="utf-8")
    # 余杭区 goes on after 2021 but loses its row to itself; a split left with one link.
    text = "\n".join(line for line in text.splitlines() if not line.startswith("330110,330110,"))
    path.write_text(text + "\n", encoding="utf-8")
    _append(path, "330185,330112,2018,renamed,whole,background,n,s")
    report, _, _ = county_registry.validate_registry(root)
    rules = {(p.row, p.column, p.rule) for p in report.problems}
    line = {
        c: i + 2
        for i, c in enumerate(
            pd.read_csv(path, dtype=str, keep_default_na=False).agg(",".join, axis=1)
        )
    }
    yuhang = next(r for c, r in line.items() if c.startswith("330110,330113,"))
    assert (yuhang, "from_code", county_registry.RULES["goes_on"]) in rules
    assert (yuhang, "change", county_registry.RULES["split_two"]) in rules
    late = max(line.values())
    assert (late, "from_code", county_registry.RULES["from_dead"]) in rules
    assert (
        late,
        "to_code",
        county_registry.RULES["rename"],
    ) not in rules  # the rule sits on 'change'
    assert any(p.rule == county_registry.RULES["rename"] and p.row == late for p in report.problems)


def test_validate_command_checks_the_registry(tmp_path):
    from conftest_data import make_data_dir

    from zjinnov.data.validate import validate_all

    root = make_data_dir(tmp_path)
    assert validate_all(root).ok
    _append(root / "framework" / "boundary_changes.csv", "330108,330106,2021,renamed,part,x,n,s")
    report = validate_all(root)
    files = {p.file for p in report.problems}
    assert "framework/boundary_changes.csv" in files
    relation = [p for p in report.problems if p.column == "relation"]
    assert (
        relation
        and relation[0].row == len(pd.read_csv(root / "framework" / "boundary_changes.csv")) + 1
    )

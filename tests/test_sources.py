import pandas as pd
import pytest
from conftest_data import GOOD_ROWS, HEADER, make_data_dir, write_raw

from zjinnov import __main__ as cli
from zjinnov.data import selection, sources
from zjinnov.data.errors import DataValidationError
from zjinnov.data.paths import DATA
from zjinnov.data.validate import validate_all
from zjinnov.engine.normalise import NORMALISERS

ROW = "330112,临安区,{year},,{var},{value},{unit},year,{src},high,原文 {value}{unit},"


def problems(root):
    return validate_all(root, sorted(NORMALISERS)).problems


def only(root):
    found = problems(root)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def row(year=2021, var="gdp", value="658.4", unit="亿元", src="linan-2022-03"):
    return ROW.format(year=year, var=var, value=value, unit=unit, src=src)


def test_shipped_data_validates():
    report = validate_all(DATA, sorted(NORMALISERS))
    assert report.ok, str(report)


def test_good_fixture_validates(tmp_path):
    assert problems(make_data_dir(tmp_path)) == []


def test_missing_column(tmp_path):
    root = make_data_dir(tmp_path, [])
    write_raw(root, [r.rsplit(",", 1)[0] for r in GOOD_ROWS], header=HEADER.rsplit(",", 1)[0])
    p = only(root)
    assert (p.file, p.row, p.column, p.rule) == ("test.csv", None, "note", "missing column")


def test_duplicate_key(tmp_path):
    root = make_data_dir(tmp_path, [row(), row(value="700")])
    found = problems(root)
    assert [(p.file, p.row) for p in found] == [("test.csv", 2), ("test.csv", 3)]
    assert all(
        p.rule.startswith("duplicate key (county_code, year, variable, period, source_id")
        for p in found
    )
    assert found[0].value == "330112/2021/gdp/year/linan-2022-03"


def test_unknown_county_code(tmp_path):
    p = only(make_data_dir(tmp_path, [row().replace("330112", "339999", 1)]))
    assert (p.file, p.row, p.column, p.county, p.year) == (
        "test.csv",
        2,
        "county_code",
        "339999",
        "2021",
    )
    assert p.rule == "county code not in the registry for that year"


@pytest.mark.parametrize(
    ("code", "year", "ok"),
    [
        ("330113", 2020, False),
        ("330113", 2021, True),
        ("330185", 2018, False),
        ("330185", 2016, True),
        ("330103", 2021, False),
        ("330383", 2018, False),
    ],
)
def test_codes_checked_against_registry_for_their_year(tmp_path, code, year, ok):
    root = make_data_dir(tmp_path, [row(year=year).replace("330112", code, 1)])
    assert validate_all(root, sorted(NORMALISERS)).ok is ok


def test_boundary_year_lets_a_census_count_use_2021_districts(tmp_path):
    root = make_data_dir(tmp_path, [])
    header = HEADER + ",boundary_year"
    line = "330113,临平区,2020,,pop_census7_resident,1175841,人,year,web-pediainside,medium,临平区1175841人,,2021"
    write_raw(root, [line], header=header)
    assert validate_all(root, sorted(NORMALISERS)).ok


def test_release_marks_a_preliminary_figure_and_a_quote_saying_so_needs_it(tmp_path):
    root = make_data_dir(tmp_path, [])
    header = HEADER + ",release"
    said = "330112,临安区,2022,,hightech_industry_value_added,212,亿元,year,linan-2023-lianghui,medium,预计实现高新技术产业增加值212亿元,"
    rows = [
        said + ",preliminary",
        said.replace("2022,", "2021,", 1) + ",",  # 预计 in the quote, release blank
        said.replace("2022,", "2020,", 1) + ",estimate",  # not a release value
        said.replace("2022,", "2019,", 1).rstrip(",") + ",not preliminary: 预计 is about 2023,",
    ]
    write_raw(root, rows, header=header)
    found = [p for p in validate_all(root, sorted(NORMALISERS)).problems if p.file == "test.csv"]
    found = sorted(found, key=lambda p: p.row)
    assert [(p.row, p.column) for p in found] == [(3, "release"), (4, "release")]
    assert "provisional" in found[0].rule and str(found[0].year) == "2021"
    assert found[1].rule.startswith("release must be blank or 'preliminary'")
    (root / "raw" / "test.csv").write_text("\n".join([header, rows[0], rows[3]]) + "\n")
    obs = sources.load_observations(root).set_index("year")["preliminary"]
    assert obs.to_dict() == {2022: True, 2019: False}


def test_unknown_source_id(tmp_path):
    p = only(make_data_dir(tmp_path, [row(src="no-such-source")]))
    assert (p.row, p.column, p.value) == (2, "source_id", "no-such-source")
    assert p.rule == "unknown source id (not in data/sources.csv)"


def test_text_where_a_number_belongs(tmp_path):
    p = only(make_data_dir(tmp_path, [row(value="about 658")]))
    assert (p.file, p.row, p.column, p.value) == ("test.csv", 2, "value", "about 658")
    assert p.rule.startswith("value is not a number")


def test_share_above_100_percent(tmp_path):
    p = only(make_data_dir(tmp_path, [row(var="rd_intensity", value="103.4", unit="%")]))
    assert (p.row, p.column, p.rule, p.value) == (2, "value", "share outside 0-100 %", "103.4")


def test_negative_count(tmp_path):
    p = only(
        make_data_dir(tmp_path, [row(var="national_hightech_enterprises", value="-3", unit="家")])
    )
    assert (p.row, p.column, p.rule) == (2, "value", "negative count")


def test_year_out_of_range(tmp_path):
    p = only(make_data_dir(tmp_path, [row(year=1890)]))
    assert (p.row, p.column, p.value) == (2, "year", "1890")
    assert p.rule == "year must be a year between 1990 and 2035"


def test_unit_not_allowed_for_variable(tmp_path):
    p = only(make_data_dir(tmp_path, [row(var="rd_expenditure", value="20.05", unit="%")]))
    assert (p.row, p.column, p.value) == (2, "unit", "%")
    assert p.rule.startswith("unit not allowed for this variable")


def test_empty_file(tmp_path):
    root = make_data_dir(tmp_path)
    (root / "raw" / "test.csv").write_bytes(b"")
    p = only(root)
    assert (p.file, p.row, p.rule) == ("test.csv", None, "empty file: no header and no rows")


def test_gbk_file_gives_an_encoding_error_naming_the_file(tmp_path):
    root = make_data_dir(tmp_path, [])
    write_raw(root, GOOD_ROWS, name="gbk.csv", encoding="gbk")
    (root / "raw" / "test.csv").unlink()
    p = only(root)
    assert p.file == "gbk.csv" and p.row is None
    assert p.rule.startswith("encoding: file is not UTF-8 (it decodes as GBK/GB18030)")


def test_bom_is_accepted(tmp_path):
    root = make_data_dir(tmp_path, [])
    (root / "raw" / "test.csv").write_bytes(
        ("\n".join([HEADER, *GOOD_ROWS]) + "\n").encode("utf-8-sig")
    )
    obs = sources.collect_observations(root, report := sources.ValidationReport())
    assert report.ok and len(obs) == len(GOOD_ROWS)


def test_full_width_digits_are_normalised(tmp_path):
    root = make_data_dir(
        tmp_path,
        ["３３０１１２,临安区,２０１９,,rd_intensity,３.４２％,,year,seed,medium,３.４２％,"],
    )
    obs = sources.load_observations(root)
    assert obs.loc[0, ["county_code", "year", "value", "unit"]].tolist() == [
        "330112",
        2019,
        3.42,
        "%",
    ]


def test_all_problems_reported_at_once(tmp_path):
    rows = [
        row(value="x"),
        row(year=2020, var="rd_intensity", value="140", unit="%"),
        row(year=2019, src="nope"),
    ]
    found = problems(make_data_dir(tmp_path, rows))
    assert {(p.row, p.column) for p in found} == {(2, "value"), (3, "value"), (4, "source_id")}


def test_load_observations_raises_with_every_problem(tmp_path):
    root = make_data_dir(tmp_path, [row(value="x"), row(year=2020, src="nope")])
    with pytest.raises(DataValidationError) as err:
        sources.load_observations(root)
    text = str(err.value)
    assert (
        "2 problem(s)" in text
        and "test.csv:2 | column value" in text
        and "test.csv:3 | column source_id" in text
    )


def test_partial_period_and_units_in_output(tmp_path):
    rows = [
        "330112,临安区,2020,2021,hightech_industry_value_added,120.73亿元,,1~11月,seed,medium,120.73亿元,",
        "330112,临安区,2020,2021,innovation_voucher_amount,458,万元,year,seed,medium,458万元,",
    ]
    obs = sources.load_observations(make_data_dir(tmp_path, rows)).set_index("variable")
    assert obs.loc["hightech_industry_value_added", ["period", "partial", "value"]].tolist() == [
        "1-11",
        True,
        120.73,
    ]
    assert obs.loc["innovation_voucher_amount", "value"] == pytest.approx(458.0)


def test_cli_prints_each_problem_and_exits_1(tmp_path, capsys):
    root = make_data_dir(tmp_path, [row(value="x")])
    assert cli.main(["validate", "--data", str(root)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        "test.csv:2 | value | 330112 | 2021 | value is not a number (with an optional unit such as 亿元 or %) | 'x'"
    ]


def test_cli_exits_0_with_summary(tmp_path, capsys):
    assert cli.main(["validate", "--data", str(make_data_dir(tmp_path))]) == 0
    assert capsys.readouterr().out.startswith("validate: no problems")


def test_sources_csv_problems_are_reported(tmp_path):
    root = make_data_dir(tmp_path)
    src = pd.read_csv(root / "sources.csv", dtype=str, keep_default_na=False)
    src.loc[0, "kind"] = "blog"
    src.to_csv(root / "sources.csv", index=False)
    p = only(root)
    assert (p.file, p.row, p.column, p.value) == ("sources.csv", 2, "kind", "blog")


def test_targets_blank_value_only_when_missing(tmp_path):
    root = make_data_dir(tmp_path)
    tg = pd.read_csv(root / "targets.csv", dtype=str, keep_default_na=False)
    i = tg.index[tg["confidence"].ne("missing")][0]
    tg.loc[i, "target_value"] = ""
    tg.to_csv(root / "targets.csv", index=False)
    p = only(root)
    assert (p.file, p.row) == ("targets.csv", i + 2)
    assert p.rule == "target value and comparator required unless confidence is 'missing'"


def test_every_seed_article_claim_is_in_raw_with_a_quote():
    obs = sources.load_observations()
    seed = obs[obs["source_id"] == "seed"]
    assert len(seed) >= 60
    assert seed["quote"].str.len().gt(0).all()
    assert set(seed.loc[seed["partial"], "period"]) == {"1-11"}
    for claim in [
        "151.5",
        "3.42%",
        "39.77",
        "21.55",
        "120.73亿元",
        "28.33",
        "25.6",
        "8.35",
        "458",
        "1266",
    ]:
        assert claim in seed["value_as_published"].tolist(), claim


def test_computed_rows_stay_marked_and_out_of_best():
    obs = sources.load_observations()
    computed = obs[
        obs["variable"].isin(["gdp_implied", "above_scale_industry_value_added_implied"])
    ]
    # Computed by this study from two published figures: derived, with the formula in the note.
    assert set(computed["confidence"]) == {"derived"}
    assert computed["note"].str.startswith("DERIVED = ").all()
    assert computed["variable"].isin(selection.best(obs)["variable"]).sum() == 0
    candidates = selection.select(obs)
    set_aside = candidates[candidates["variable"].isin(computed["variable"])]
    assert not set_aside["used"].any()
    assert set_aside["reason"].str.contains("derived figure, not a published").all()


def test_no_number_of_the_seed_article_is_left_out():
    """Every figure printed in the seed article (years aside) stands in a seed row's quote."""
    import re

    from zjinnov.data.paths import ROOT

    text = (ROOT / "docs" / "sources" / "seed-article.txt").read_text(encoding="utf-8")
    seed = sources.load_observations().query("source_id == 'seed'")
    quoted = " ".join(seed["quote"]) + " " + " ".join(seed["value_as_published"])
    numbers = [n for n in re.findall(r"\d+(?:\.\d+)?", text) if not re.fullmatch(r"(19|20)\d\d", n)]
    assert len(numbers) > 100
    missing = sorted({n for n in numbers if n not in quoted})
    assert not missing, f"seed-article numbers without a row: {missing}"


# One malformed row per case: (row, column named in the problem, words of the rule broken).
MALFORMED = [
    (row(2019, "rd_intensity", "3.42%", "index"), "value", "do not agree"),
    (row(2019, "rd_intensity", "３.４２％", "亿元"), "value", "do not agree"),
    (row(2020, "rd_expenditure", "20.05亿元", "万元"), "value", "do not agree"),
    (row(2019, "rd_intensity", "3.42", "furlongs"), "unit", "unknown unit"),
    (row(2021, "gdp", "658.4", "%"), "unit", "unit not allowed"),
    (row(2021, "gdp", "about 600", "亿元"), "value", "not a number"),
    (row(2021, "gdp", "", "亿元"), "value", "not a number"),
    (row(2021, "gdp", "6.584e2", "亿元"), "value", "not a number"),
    (row().replace("330112", "", 1), "county_code", "6 digits"),
    (row().replace("临安区", "", 1), "county_name", "county name is empty"),
    (row(year="20x1"), "year", "year must be a year"),
    (row(year="1850"), "year", "year must be a year"),
    (row(var="gdp_in_words"), "variable", "unknown variable"),
    (row(2021, "rd_intensity", "120", "%"), "value", "share outside 0-100"),
    (row(2021, "national_hightech_enterprises", "-3", "家"), "value", "negative count"),
    (row(2021, "innovation_index_rank_zj", "2.5", "位"), "value", "whole number"),
    (row(2021, "first_tier", "2", "flag"), "value", "flag must be 0 or 1"),
    (row().replace(",year,", ",Q3,"), "period", "period not understood"),
    (row(src="no-such-source"), "source_id", "unknown source id"),
    (row(src="Bad Id"), "source_id", "lower-case"),
    (row().replace(",high,", ",sure,"), "confidence", "confidence must be one of"),
    (row().replace(",原文 658.4亿元,", ",,"), "quote", "quote required"),
    (row().replace("2021,,", "2021,abc,", 1), "report_year", "report year"),
    (row(year=2020).replace("330112", "330185", 1), "county_code", "not in the registry"),
    (row() + ",one field too many", None, "row has 13 fields"),
    (",".join(row().split(",")[:8]), None, "row has 8 fields"),
]


def test_every_malformed_row_is_reported_and_nothing_raises(tmp_path, capsys):
    rows = [r for r, _, _ in MALFORMED]
    root = make_data_dir(tmp_path, rows)
    found = problems(root)  # must not raise
    for line, (text, column, words) in enumerate(MALFORMED, start=2):
        here = [p for p in found if p.file == "test.csv" and p.row == line]
        assert any(p.column == column and words in p.rule for p in here), (line, text, here)
    # Every problem names a file and a rule, and prints what the user wrote, never a numpy repr.
    assert all(p.file and p.rule for p in found)
    assert not any("np." in str(p) for p in found)
    mismatch = next(p for p in found if p.row == 2 and p.column == "value")
    assert (mismatch.county, mismatch.year) == ("330112", "2019")
    assert mismatch.value == "3.42% (unit column: index)"
    share = next(p for p in found if p.row == 15 and p.column == "value")
    assert share.value == "120"  # as written, not the parsed float
    # The command line lists them all and exits 1, without a traceback.
    assert cli.main(["validate", "--data", str(root)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert len(captured.out.strip().splitlines()) == len(found) >= len(MALFORMED)
    # load_observations raises one error listing every problem (never a UnitError).
    with pytest.raises(DataValidationError) as err:
        sources.load_observations(root)
    assert len(err.value.report.problems) == len(found)

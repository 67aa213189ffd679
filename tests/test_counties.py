import pandas as pd
import pytest

from zjinnov.data import geography


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

import numpy as np
import pytest

from zjinnov.engine.normalise import NORMALISERS, NormalisationError, normalise_array

YEARS = np.array([2015, 2016])
# (years, units, indicators): 2 years, 3 units, 2 indicators.
X = np.array(
    [
        [[10.0, 4.0], [20.0, 2.0], [40.0, 1.0]],
        [[15.0, 5.0], [20.0, 2.0], [50.0, 0.5]],
    ]
)


def test_registry_lists_every_method_by_name():
    for name in (
        "base_ratio",
        "growth",
        "chained_growth",
        "capped_ratio",
        "minmax",
        "goalposts",
        "zscore",
        "rank",
        "percentile",
    ):
        assert name in NORMALISERS
    with pytest.raises(KeyError, match="unknown normaliser"):
        normalise_array(X, "nope")


def test_base_ratio_against_a_reference_unit():
    z = normalise_array(
        X, "base_ratio", years=YEARS, base_year=2015, ref_region=1, direction=[1, -1]
    )
    # Unit 1's base values (20, 2) map to 100; others scale by x / 20, and by 2 / x when reversed.
    assert z[0, 1].tolist() == [100.0, 100.0]
    assert z[1, 0].tolist() == pytest.approx([75.0, 40.0])
    assert z[1, 2].tolist() == pytest.approx([250.0, 400.0])


def test_base_ratio_against_own_base():
    z = normalise_array(X, "base_ratio", years=YEARS, base_year=2015)
    assert (z[0] == 100.0).all()
    assert z[1, 0].tolist() == pytest.approx([150.0, 125.0])


def test_base_ratio_refuses_a_non_positive_base():
    bad = X.copy()
    bad[0, 1, 0] = 0.0
    with pytest.raises(NormalisationError, match="base-year value") as exc:
        normalise_array(bad, "base_ratio", years=YEARS, base_year=2015, ref_region=1)
    assert exc.value.cells.tolist() == [[0, 0, 0]]
    with pytest.raises(ValueError, match="base year 2010"):
        normalise_array(X, "base_ratio", years=YEARS, base_year=2010)


def test_growth_is_year_on_year():
    z = normalise_array(X, "growth", direction=[1, -1])
    assert np.isnan(z[0]).all()
    assert z[1, 0].tolist() == pytest.approx([150.0, 80.0])


def test_capped_ratio_follows_the_monitoring_standard():
    z = normalise_array(X, "capped_ratio", standard=[25.0, 2.0], direction=[1, -1])
    # min(100, 100·x/s); reversed: min(100, 100·s/x)
    assert z[0, :, 0].tolist() == pytest.approx([40.0, 80.0, 100.0])
    assert z[0, :, 1].tolist() == pytest.approx([50.0, 100.0, 100.0])
    # No standard, no score: that indicator comes out NaN, the other is still scored.
    part = normalise_array(X, "capped_ratio", standard=[25.0, np.nan])
    assert np.isnan(part[..., 1]).all() and np.isfinite(part[..., 0]).all()
    with pytest.raises(ValueError, match="needs a monitoring standard"):
        normalise_array(X, "capped_ratio")


def test_minmax_within_each_year_and_reversed():
    z = normalise_array(X, "minmax", direction=[1, -1])
    assert z[0, :, 0].tolist() == pytest.approx([0.0, 100 / 3, 100.0])
    assert z[0, :, 1].tolist() == pytest.approx([0.0, 200 / 3, 100.0])
    assert z[1, :, 0].tolist() == pytest.approx([0.0, 100 / 7, 100.0])


def test_goalposts_fixed_over_all_years():
    z = normalise_array(X, "goalposts")
    # Min 10 and max 50 over both years: 2015's 40 is 75, not 100.
    assert z[0, 2, 0] == pytest.approx(75.0)
    assert z[1, 2, 0] == pytest.approx(100.0)
    fixed = normalise_array(X, "goalposts", lo_post=[0.0, 0.0], hi_post=[20.0, 10.0])
    assert fixed[1, 2, 0] == 100.0  # clipped at the post
    assert fixed[0, 0, 0] == pytest.approx(50.0)


def test_zscore_rank_percentile():
    z = normalise_array(X, "zscore")
    assert np.allclose(np.nanmean(z, axis=1), 0) and np.allclose(np.nanstd(z, axis=1, ddof=1), 1)
    ties = np.array([[[1.0], [3.0], [3.0], [np.nan]]])
    r = normalise_array(ties, "rank", ties="min")
    assert r[0, :3, 0].tolist() == [1.0, 2.0, 2.0] and np.isnan(r[0, 3, 0])
    assert normalise_array(ties, "rank")[0, :3, 0].tolist() == [1.0, 2.5, 2.5]
    p = normalise_array(ties, "percentile")
    assert p[0, :3, 0].tolist() == pytest.approx([0.0, 75.0, 75.0])


def test_two_d_input_is_one_year_and_missing_stays_missing():
    x2 = np.array([[1.0, np.nan], [3.0, 4.0], [5.0, 8.0]])
    z = normalise_array(x2, "minmax")
    assert z.shape == x2.shape and np.isnan(z[0, 1])
    assert z[:, 0].tolist() == pytest.approx([0.0, 50.0, 100.0])

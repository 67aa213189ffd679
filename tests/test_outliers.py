import numpy as np
import pytest
from scipy import stats

from zjinnov.engine.outliers import kurt, log_ct, passes, skew, treat_array, winsorise


def test_skew_kurt_are_e1071_type_2():
    # e1071 type 2 = the bias-corrected sample skewness G1 and excess kurtosis G2.
    rng = np.random.default_rng(7)
    x = rng.lognormal(0, 1, (40, 3))
    x[3, 1] = np.nan
    for j in range(3):
        col = x[:, j][~np.isnan(x[:, j])]
        assert skew(x)[j] == pytest.approx(stats.skew(col, bias=False))
        assert kurt(x)[j] == pytest.approx(stats.kurtosis(col, fisher=True, bias=False))


def test_pass_rule_is_skew_or_kurtosis():
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    assert not passes(x[:, None])[0]
    assert passes(np.arange(1.0, 13.0)[:, None])[0]


def test_winsorise_coinr_doc_example():
    # COINr ?winsorise example: numbers 1..10 with two outliers, 30 and 100.
    x = np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    out, n_win, flags = winsorise(x)
    # Skew 3.06, kurtosis 9.74: fails. Step 1 sets 100 -> 30 (the largest remaining value);
    # then skew 1.71 < 2: passes, one point moved.
    assert skew(x[:, None])[0] == pytest.approx(3.0632, abs=1e-4)
    assert out.tolist() == [*range(1, 11), 30.0, 30.0]
    assert n_win == 1 and list(flags[-2:]) == ["", "winhi"]
    assert passes(out[:, None])[0]


def test_low_outliers_are_winsorised_from_below():
    x = -np.r_[np.arange(1.0, 11.0), 30.0, 100.0]
    out, _, flags = winsorise(x)
    assert out.min() == -30.0 and list(flags[-2:]) == ["", "winlo"]


def test_log_fallback_when_winsorising_cannot_fix():
    # Heavy tail: after five winsorising steps six points still sit far out.
    x = np.r_[np.zeros(90), 10.0 ** np.arange(1, 11)]
    out, n_win, _ = winsorise(x)
    assert n_win == 5 and not passes(out[:, None])[0]
    treated, report = treat_array(x[:, None], names=["heavy"])
    row = report.iloc[0]
    assert row["treatment"] == "log"
    assert treated[:, 0] == pytest.approx(log_ct(x))
    assert treated[:, 0] == pytest.approx(np.log(x - 0 + 0.01 * (x.max() - 0)))


def test_treat_array_reports_each_indicator():
    rng = np.random.default_rng(3)
    x = np.column_stack([rng.normal(size=60), np.r_[rng.normal(size=59), 25.0]])
    treated, report = treat_array(x, names=["ok", "spike"])
    assert report.set_index("indicator")["treatment"].to_dict() == {
        "ok": "none",
        "spike": "winsorised",
    }
    assert (treated[:, 0] == x[:, 0]).all()
    assert treated[:, 1].max() < 25.0
    assert report.loc[1, "points_winsorised"] >= 1

import numpy as np
import pandas as pd
import pytest

from zjinnov.data.errors import DataValidationError
from zjinnov.engine import coinr
from zjinnov.engine.hierarchy import from_imeta, from_registry
from zjinnov.engine.index import IndexMethod, build_index, compare_runs

ASEM = __import__("pathlib").Path(__file__).parent / "reference" / "coinr-asem"
PROVINCE = "330000"
UNITS = [PROVINCE, "330102", "330106", "330112", "330122", "330127"]
YEARS = range(2015, 2019)


def registry():
    ind = pd.DataFrame(
        {
            "code": [f"I{k:02d}" for k in range(1, 7)],
            "name_zh": [f"指标{k}" for k in range(1, 7)],
            "domain": ["科技投入", "科技投入", "技术创新", "技术创新", "创新环境", "创新环境"],
            "direction": [1, 1, 1, -1, 1, 1],
            "weight": [0.5, 0.5, 0.7, 0.3, 1.0, 1.0],
            "normaliser": "base_ratio",
            "standard": [np.nan, np.nan, np.nan, np.nan, 2.5, 40.0],
        }
    )
    dom = pd.DataFrame(
        {
            "code": ["D1", "D2", "D5"],
            "domain": ["科技投入", "技术创新", "创新环境"],
            "weight": [0.4, 0.4, 0.2],
            "aggregation": "arithmetic",
        }
    )
    return ind, dom


def values(seed=0):
    rng = np.random.default_rng(seed)
    rows = [
        {
            "county_code": u,
            "year": y,
            "indicator": f"I{k:02d}",
            "value": float(rng.uniform(1, 50) * (1 + 0.1 * (y - 2015))),
        }
        for u in UNITS
        for y in YEARS
        for k in range(1, 7)
    ]
    return pd.DataFrame(rows)


def test_province_base_year_is_100_and_reference_is_not_ranked():
    h = from_registry(*registry())
    res = build_index(values(), h, IndexMethod(base_region=PROVINCE))
    s = res.scores
    prov = s[(s["region"] == PROVINCE) & (s["year"] == 2015)]
    assert (prov.loc[prov["level"] == 1, "score"] == 100.0).all()
    assert prov["score"].to_numpy() == pytest.approx(100.0, abs=1e-12)
    top = s[(s["node"] == "index") & (s["year"] == 2018)]
    assert top.loc[top["region"] == PROVINCE, "rank"].isna().all()
    assert sorted(top["rank"].dropna()) == [1, 2, 3, 4, 5]


def test_result_records_its_method():
    h = from_registry(*registry())
    res = build_index(values(), h, IndexMethod(label="run A", base_region=PROVINCE))
    d = res.scores.attrs["method"]
    assert d["label"] == "run A" and d["normaliser"] == "base_ratio×6"
    assert d["missing"] == "renormalise" and d["base"] == f"2015@{PROVINCE}"
    for col in (
        "method_label",
        "method_normaliser",
        "method_aggregation",
        "method_weights",
        "method_missing",
    ):
        assert res.scores[col].nunique() == 1
    # Effective weights: I01 = 0.5 within D1, D1 = 0.4 of the index.
    assert '"I01": 0.2' in d["weights"]


def test_capped_ratio_reads_the_standard_from_the_registry():
    ind, dom = registry()
    ind.loc[4:, "normaliser"] = "capped_ratio"
    res = build_index(values(), from_registry(ind, dom), IndexMethod(base_region=PROVINCE))
    s = res.scores.set_index(["region", "year", "node"])["score"]
    raw = values().set_index(["county_code", "year", "indicator"])["value"]
    expect = min(100.0, 100 * raw[("330112", 2016, "I05")] / 2.5)
    assert s[("330112", 2016, "I05")] == pytest.approx(expect)
    assert (res.scores.loc[res.scores["node"].isin(["I05", "I06"]), "score"] <= 100).all()
    ind.loc[3, "normaliser"] = "capped_ratio"  # I04 has no standard: unscored, and the run says so
    res = build_index(values(), from_registry(ind, dom), IndexMethod(base_region=PROVINCE))
    assert res.scores.loc[res.scores["node"] == "I04", "score"].isna().all()
    assert any("I04" in n and "monitoring standard" in n for n in res.notes), res.notes


def test_compare_runs_side_by_side():
    h = from_registry(*registry())
    a = build_index(values(), h, IndexMethod(label="ratio", base_region=PROVINCE))
    b = build_index(values(), h, IndexMethod(label="minmax", normaliser="minmax"))
    cmp = compare_runs(a, b)
    assert {"score_a", "score_b", "score_diff", "rank_a", "rank_b", "rank_shift"} <= set(
        cmp.columns
    )
    diffs = cmp.attrs["methods"]
    assert diffs.loc["normaliser", "differs"] and not diffs.loc["missing", "differs"]
    assert len(cmp) == len(a.scores)


def test_duplicates_and_bad_values_are_all_reported():
    v = values()
    v = pd.concat([v, v.iloc[[3]]], ignore_index=True).astype({"value": object})
    v.loc[10, "value"] = "n/a"
    with pytest.raises(DataValidationError) as exc:
        build_index(v, from_registry(*registry()))
    text = str(exc.value)
    assert "one value per region, year and indicator" in text and "county 330000" in text
    assert "finite number" in text and "'n/a'" in text


def test_geometric_refusal_names_unit_year_and_indicator():
    ind, dom = registry()
    dom["aggregation"] = ["geometric", "arithmetic", "arithmetic"]
    with pytest.raises(DataValidationError) as exc:
        build_index(values(), from_registry(ind, dom), IndexMethod(normaliser="minmax"))
    # Min-max puts the lowest unit at 0, which a geometric mean cannot take.
    text = str(exc.value)
    assert (
        "geometric mean needs values > 0" in text and "column I01" in text and "county 33" in text
    )


def test_per_node_aggregation_changes_only_that_node():
    ind, dom = registry()
    h_ar = from_registry(ind, dom)
    dom2 = dom.assign(aggregation=["geometric", "arithmetic", "arithmetic"])
    m = IndexMethod(base_region=PROVINCE)
    a, b = build_index(values(), h_ar, m), build_index(values(), from_registry(ind, dom2), m)
    cmp = compare_runs(a, b)
    changed = cmp.loc[cmp["score_diff"].abs() > 1e-9, "node"].unique()
    assert set(changed) == {"D1", "index"}


def test_chain_needs_growth_normalisers():
    h = from_registry(*registry())
    with pytest.raises(ValueError, match="chained aggregation and growth"):
        build_index(values(), h, IndexMethod(level_aggregation=((2, "chain"),)))
    res = build_index(values(), h, IndexMethod.chained())
    s = res.scores
    assert (s.loc[(s["year"] == 2015) & (s["level"] > 1), "score"] == 100.0).all()


def test_missing_values_follow_the_named_rule():
    v = values()
    gap = (v["county_code"] == "330112") & (v["year"] == 2017) & (v["indicator"] == "I02")
    v = v[~gap]
    h = from_registry(*registry())
    dropped = build_index(v, h, IndexMethod(base_region=PROVINCE))
    carried = build_index(v, h, IndexMethod(base_region=PROVINCE, impute="carry_forward"))
    assert dropped.imputed.empty
    assert carried.imputed[["region", "year", "indicator"]].values.tolist() == [
        ["330112", 2017, "I02"]
    ]
    d1 = lambda r: r.scores.set_index(["region", "year", "node"])["score"][("330112", 2017, "D1")]  # noqa: E731
    i01 = dropped.scores.set_index(["region", "year", "node"])["score"][("330112", 2017, "I01")]
    assert d1(dropped) == pytest.approx(i01)  # renormalised onto I01 alone
    assert d1(carried) != pytest.approx(i01)
    prop = build_index(v, h, IndexMethod(base_region=PROVINCE, missing="propagate"))
    assert np.isnan(
        prop.scores.set_index(["region", "year", "node"])["score"][("330112", 2017, "D1")]
    )


def test_hierarchy_problems_are_listed_together():
    ind, dom = registry()
    ind.loc[0, "direction"] = 0
    ind.loc[1, "weight"] = -1
    dom.loc[0, "aggregation"] = "median"
    with pytest.raises(DataValidationError) as exc:
        from_registry(ind, dom)
    assert len(exc.value.report.problems) == 3


def test_imeta_hierarchy_any_depth():
    _, imeta = coinr.load(ASEM)
    h = from_imeta(imeta)
    assert h.levels == [1, 2, 3, 4] and h.root == "Index"
    assert len(h.indicators) == 49
    eff = h.effective_weights()
    assert eff.sum() == pytest.approx(1.0)
    assert eff["LPI"] == pytest.approx(1 / 8 / 5 / 2)
    w = h.level_matrix(2)
    assert w.shape == (8, 49) and (w.sum(axis=1) > 0).all()

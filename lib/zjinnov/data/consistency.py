"""Recompute published ratios, shares, sums and growth rates from their published components.

Each check is one row of CHECKS: a published side and a recomputed side, both formulas over
variable names. A name ending in ``__lag1`` reads the previous year, ``__lead1`` the next year.
Results keep every attempt: consistent, inconsistent, or not checkable (with the reason), and
the raw rows each side read (`rows_published`, `rows_recomputed`, as county/year/variable@source).

A check is an identity (the figures must agree up to their rounding) unless it says
`identity=False`: then it tests an assumption (a reading of the year, a tax rate, real against
nominal growth), and its failure says the assumption fails, not that a figure is wrong.
`zjinnov.data.flagged` lists the raw rows of the identities that fail, and which of them a fit
should leave out.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from zjinnov.data import formula, geography, quotes, units

# id, description (zh), published side, recomputed side, note, scope
# scope "units": the recomputed side sums the variable over the region's county units.
CHECKS: list[dict] = [
    dict(
        id="hightech_share",
        label="高新技术产业增加值占比 = 高新增加值 / 规上工业增加值",
        published="hightech_share_of_above_scale_industry_va",
        recomputed="hightech_industry_value_added / above_scale_industry_value_added * 100",
    ),
    dict(
        id="rd_intensity",
        label="R&D强度 = R&D经费 / GDP",
        published="rd_intensity",
        recomputed="rd_expenditure / gdp * 100",
    ),
    dict(
        id="rd_intensity_next_gdp",
        label="R&D强度 = R&D经费 / 下一年GDP (若R&D数据实为下一年)",
        published="rd_intensity",
        recomputed="rd_expenditure / gdp__lead1 * 100",
        only="330112",
        note="tests the reading that the R&D figure belongs to the following year",
        identity=False,
    ),
    dict(
        id="hightech_va_prior",
        label="上年高新增加值 = 本年 / (1 + 增速)",
        published="hightech_industry_value_added__lag1",
        recomputed="hightech_industry_value_added / (1 + hightech_industry_value_added_growth / 100)",
    ),
    dict(
        id="rd_spending_prior",
        label="上年规上工业研发费用 = 本年 / (1 + 增速)",
        published="above_scale_industry_rd_spending__lag1",
        recomputed="above_scale_industry_rd_spending / (1 + above_scale_industry_rd_spending_growth / 100)",
    ),
    dict(
        id="hightech_investment_prior",
        label="上年高新投资 = 本年 / (1 + 增速)",
        published="hightech_investment__lag1",
        recomputed="hightech_investment / (1 + hightech_investment_growth / 100)",
    ),
    dict(
        id="tax_relief_parts_growth",
        label="加计扣除减免额增速(总减免额 − 国高企减免额) ≈ 加计扣除额增速",
        published="rd_tax_deduction_amount_growth",
        recomputed="((total_tax_relief - hightech_income_tax_relief) / (total_tax_relief / (1 + total_tax_relief_growth / 100) - hightech_income_tax_relief / (1 + hightech_income_tax_relief_growth / 100)) - 1) * 100",
        note="holds if the super-deduction relief is proportional to the deduction amount",
        identity=False,
    ),
    dict(
        id="tax_relief_rate",
        label="加计扣除减免额(总 − 国高企) ≈ 加计扣除额 × 25%",
        published="total_tax_relief - hightech_income_tax_relief",
        recomputed="rd_tax_deduction_amount * 0.25",
        note="assumes the 25% statutory enterprise income-tax rate on the whole deduction (an assumption)",
        identity=False,
    ),
    dict(
        id="hightech_applications_sum",
        label="申报国高企 = 新申报 + 重新申报",
        published="hightech_applications",
        recomputed="hightech_applications_new + hightech_applications_renewal",
    ),
    dict(
        id="patent_sum",
        label="专利授权 = 发明 + 实用新型 + 外观设计",
        published="patent_grants_total",
        recomputed="patent_grants_invention + patent_grants_utility_model + patent_grants_design",
    ),
    dict(
        id="census_urban_rural",
        label="七普常住人口 = 城镇 + 乡村",
        published="pop_census7_resident",
        recomputed="pop_census7_urban + pop_census7_rural",
    ),
    dict(
        id="census_sum_units",
        label="七普常住人口: 省/市 = 所辖县级单位之和",
        published="pop_census7_resident",
        recomputed="pop_census7_resident",
        scope="units",
    ),
    dict(
        id="gdp_avg_growth",
        label="2012-2021年GDP年均增速 = (GDP2021/GDP2012)^(1/9) − 1",
        published="gdp_avg_growth_2012_2021",
        recomputed="((gdp / gdp__lag9) ** (1 / 9) - 1) * 100",
        only="330112",
        note="published rate is at comparable prices (real); the recomputed one is nominal",
        identity=False,
    ),
]
COLUMNS = [
    "check",
    "label",
    "county_code",
    "year",
    "period",
    "published",
    "recomputed",
    "difference",
    "tolerance",
    "verdict",
    "source_ids",
    "note",
    "rows_published",
    "rows_recomputed",
]
_SHIFT = re.compile(r"^(?P<base>.+)__(?P<dir>lag|lead)(?P<n>\d+)$")


def _shift(name: str) -> tuple[str, int]:
    """'gdp__lead1' -> ('gdp', +1): the year offset to read."""
    m = _SHIFT.match(name)
    if not m:
        return name, 0
    n = int(m.group("n"))
    return m.group("base"), n if m.group("dir") == "lead" else -n


def _half_ulp(obs: pd.DataFrame) -> pd.Series:
    """Half a unit of the last printed digit, in the canonical unit (the rounding of a published figure)."""
    printed = obs["value_as_published"].map(units.normalise_text).str.extract(r"(\d+(?:\.(\d+))?)")
    decimals = printed[1].str.len().fillna(0)
    number = pd.to_numeric(printed[0], errors="coerce")
    scale = (obs["value"] / number).abs().replace([np.inf], np.nan).fillna(1.0)
    return 0.5 * 10.0 ** (-decimals) * scale


def _tables(obs: pd.DataFrame):
    raw = obs.assign(raw_code=obs["county_code"])
    best = raw.assign(county_code=geography.harmonise_codes(obs["county_code"]))
    best["half_ulp"] = _half_ulp(best)
    idx = ["county_code", "year", "period"]
    value = best.pivot(index=idx, columns="variable", values="value")
    ulp = best.pivot(index=idx, columns="variable", values="half_ulp")
    src = best.pivot(index=idx, columns="variable", values="source_id")
    # The raw row each value is, by its key (the code as written, before harmonising).
    best["key"] = quotes.row_keys(best, code="raw_code")
    key = best.pivot(index=idx, columns="variable", values="key")
    return value, ulp, src, key


def _inputs(expr: str, value, ulp, src, key, index: pd.MultiIndex):
    """Values, rounding, sources and row keys of every name in `expr`, aligned on `index`
    (county, year, period)."""
    vals, half, ids, keys, missing = {}, {}, [], [], {}
    for name in formula.variables(expr):
        base, offset = _shift(name)
        at = pd.MultiIndex.from_arrays(
            [
                index.get_level_values(0),
                index.get_level_values(1) + offset,
                index.get_level_values(2),
            ]
        )
        col = value[base].reindex(at) if base in value else pd.Series(np.nan, index=at)
        vals[name] = pd.Series(col.to_numpy(), index=index)
        u = ulp[base].reindex(at).to_numpy() if base in ulp else np.full(len(index), np.nan)
        half[name] = pd.Series(u, index=index).fillna(0.0)
        s = src[base].reindex(at).to_numpy() if base in src else np.full(len(index), None)
        ids.append(pd.Series(s, index=index))
        k = key[base].reindex(at).to_numpy() if base in key else np.full(len(index), None)
        keys.append(pd.Series(k, index=index))
        missing[name] = vals[name].isna()
    return vals, half, ids, keys, missing


def _strings(columns: list[pd.Series], index) -> pd.Series:
    """Per row, the non-missing strings of several aligned columns, in order."""
    if not columns:
        return pd.Series([[]] * len(index), index=index)
    return pd.concat(columns, axis=1).apply(lambda r: [x for x in r if isinstance(x, str)], axis=1)


def _side(expr: str, value, ulp, src, key, index):
    vals, half, ids, keys, missing = _inputs(expr, value, ulp, src, key, index)
    result = pd.Series(formula.evaluate(expr, vals), index=index, dtype=float)
    # Rounding band: evaluate at every corner of the inputs' +/- half-unit box (exact for
    # monotone formulas, which these are) and keep the widest deviation.
    names = list(vals)
    tol = pd.Series(0.0, index=index)
    for signs in itertools.product((-1.0, 1.0), repeat=len(names)):
        moved = {n: vals[n] + sign * half[n] for n, sign in zip(names, signs, strict=True)}
        dev = (pd.Series(formula.evaluate(expr, moved), index=index, dtype=float) - result).abs()
        tol = np.fmax(tol, dev)
    id_lists = _strings(ids, index)
    key_lists = _strings(keys, index)
    gaps = pd.DataFrame(missing).apply(lambda r: [n for n, m in r.items() if m], axis=1)
    return result, tol, id_lists, key_lists, gaps


def _units_sum(variable: str, obs: pd.DataFrame, index: pd.MultiIndex) -> pd.Series:
    """Sum of a variable over the county units (and statistical zones) of each region code."""
    table = geography.load_counties()
    best = obs
    rows = best[best["variable"].eq(variable) & ~best["county_code"].isin(geography.region_names())]
    rows = rows.merge(
        table[["code", "city_code"]].drop_duplicates("code"), left_on="county_code", right_on="code"
    )
    by_city = rows.groupby(["city_code", "year", "period"])["value"].sum()
    by_province = rows.groupby(["year", "period"])["value"].sum()
    out = []
    for code, year, period in index:
        if code == "330000":
            out.append(by_province.get((year, period), np.nan))
        else:
            out.append(by_city.get((code, year, period), np.nan))
    return pd.Series(out, index=index, dtype=float)


def consistency_table(obs: pd.DataFrame, checks: list[dict] | None = None) -> pd.DataFrame:
    """One row per check and county-year where the published side or a component exists.

    `obs`: one published figure per county, year, variable and period, chosen by the one
    selection policy (a check compares like periods, so a Jan-Nov figure stays beside its
    full-year counterpart): the Study's `selection.best_by_period`."""
    checks = CHECKS if checks is None else checks
    value, ulp, src, key = _tables(obs)
    rows = []
    for spec in checks:
        index = value.index
        if spec.get("only"):
            index = index[index.get_level_values(0) == spec["only"]]
        pub, pub_tol, pub_ids, pub_keys, pub_gaps = _side(
            spec["published"], value, ulp, src, key, index
        )
        if spec.get("scope") == "units":
            keep = pub.notna() & index.get_level_values(0).isin(["330000", *geography.CITY_CODES])
            index, pub, pub_tol, pub_ids = index[keep], pub[keep], pub_tol[keep], pub_ids[keep]
            pub_keys = pub_keys[keep]
            rec = _units_sum(spec["recomputed"], obs, index)
            rec_tol = pd.Series(0.0, index=index)
            rec_ids, rec_gaps = pub_ids, pd.Series([[]] * len(index), index=index)
            rec_keys = pd.Series([[]] * len(index), index=index)  # the units' rows: not listed
        else:
            rec, rec_tol, rec_ids, rec_keys, rec_gaps = _side(
                spec["recomputed"], value, ulp, src, key, index
            )
        any_input = rec_ids.map(len) > 0
        show = (pub.notna() & (rec.notna() | any_input)) | (rec.notna() & pub.notna())
        show |= rec.notna() & (pub_ids.map(len) == 0) & any_input
        for at in index[show.to_numpy()]:
            rows.append(
                _row(
                    spec,
                    at,
                    pub[at],
                    rec[at],
                    pub_tol[at],
                    rec_tol[at],
                    pub_ids[at] + rec_ids[at],
                    rec_gaps[at],
                    pub_gaps[at],
                    pub_keys[at],
                    rec_keys[at],
                )
            )
    table = pd.DataFrame(rows, columns=COLUMNS)
    return _period_mismatch(table, obs)


def _row(spec, at, pub, rec, pub_tol, rec_tol, ids, rec_gaps, pub_gaps, pub_keys, rec_keys):
    code, year, period = at
    # Report the year the published side refers to (the prior year for implied-prior checks).
    year = year + _shift(formula.variables(spec["published"])[0])[1]
    note = [spec.get("note", "")]
    diff = rec - pub if pd.notna(pub) and pd.notna(rec) else np.nan
    tol = np.nansum([pub_tol, rec_tol]) if pd.notna(diff) else np.nan
    if pd.isna(pub):
        verdict = "not checkable"
        note.append(
            f"no published value for {', '.join(pub_gaps) or spec['published']} (implied value shown)"
        )
    elif pd.isna(rec):
        verdict = "not checkable"
        note.append(f"not published: {', '.join(rec_gaps)}")
    else:
        verdict = "consistent" if abs(diff) <= tol + 1e-9 else "inconsistent"
    return dict(
        check=spec["id"],
        label=spec["label"],
        county_code=code,
        year=int(year),
        period=period,
        published=pub,
        recomputed=rec,
        difference=diff,
        tolerance=tol,
        verdict=verdict,
        source_ids="; ".join(dict.fromkeys(ids)),
        note="; ".join(n for n in note if n),
        rows_published="; ".join(pub_keys),
        rows_recomputed="; ".join(rec_keys),
    )


def _period_mismatch(table: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """Where a full-year implied value has only a partial-year published counterpart, show both, never as a match."""
    best = obs
    partial = best[best["partial"]].set_index(["county_code", "year", "variable"])
    for i, row in table[table["published"].isna()].iterrows():
        spec = (
            next(s for s in CHECKS if s["id"] == row["check"])
            if row["check"] in {s["id"] for s in CHECKS}
            else None
        )
        if spec is None:
            continue
        base, _ = _shift(formula.variables(spec["published"])[0])
        key = (row["county_code"], row["year"], base)
        if row["period"] == "year" and key in partial.index:
            hit = partial.loc[key]
            hit = hit.iloc[0] if isinstance(hit, pd.DataFrame) else hit
            table.loc[i, "published"] = hit["value"]
            table.loc[i, "difference"] = row["recomputed"] - hit["value"]
            table.loc[i, "note"] = (
                f"published figure covers months {hit['period']} only (source {hit['source_id']}); "
                "a full-year implied value is not comparable"
            )
    return table

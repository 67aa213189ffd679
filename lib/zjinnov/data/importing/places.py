"""Printed place names -> codes, on the geography registry (`zjinnov.data.geography`).

A county row names its unit as the table printed it (滨 江 区, 临安市, 桐庐, with a footnote
mark), or by its code; a subtotal row names a city (杭州市合计, 小计 under 杭州市, 全市) or the
province (全省). The unit must exist in the table's year: a renamed unit under its other name
(临安市 / 临安区) becomes the code valid that year; a unit abolished or not yet created, or an
unknown name, is refused with the reason (and the closest names).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from zjinnov.data import geography, units
from zjinnov.data.importing.headers import key

PROVINCE_LABELS = {"全省", "浙江省", "浙江", "全省合计", "全省平均", "总计", "全省总计"}
SUBTOTAL_LABELS = {"合计", "小计", "全市", "全市合计", "市合计"}
SUBTOTAL_SUFFIX = re.compile(r"(合计|小计|全市)$")
FOOTNOTE_MARK = re.compile(r"[*＊†①-⑩\d]+$")

PROVINCE, CITY, COUNTY = "province", "city", "county"


def clean_label(text: object) -> str:
    """A printed name as compared: folded, without spaces and footnote marks."""
    return FOOTNOTE_MARK.sub("", key(text))


def _short(name_key: str) -> str:
    return re.sub(r"(区|县|市)$", "", name_key)


@dataclass(frozen=True)
class Place:
    code: str | None
    kind: str | None  # province, city, county; None with `why` when refused, both None = skip
    why: str | None = None


class Places:
    """Lookups for one framework folder, built from the geography loaders once per import."""

    def __init__(self, framework_dir: Path):
        self.framework_dir = Path(framework_dir)
        self._years: dict[int, dict] = {}

    @cached_property
    def table(self) -> pd.DataFrame:
        t = geography.load_counties(self.framework_dir)
        t = t[t["type"] != geography.STATISTICAL_ZONE].copy()
        t["key"] = t["name"].map(key)
        t["short"] = t["key"].map(_short)
        t["current"] = geography.harmonise_codes(t["code"], self.framework_dir)
        return t

    @cached_property
    def regions(self) -> dict[str, str]:
        return geography.region_names(self.framework_dir)

    @cached_property
    def cities(self) -> dict[str, str]:
        """key(name) and key(name without 市) -> city code."""
        out = {}
        for code, name in self.regions.items():
            if code in geography.CITY_CODES:
                out[key(name)] = code
                out[key(name).removesuffix("市")] = code
        return out

    def year(self, year: int) -> dict:
        if year not in self._years:
            now = geography.units_in_year(year, self.framework_dir)
            current = geography.harmonise_codes(now["code"], self.framework_dir)
            short: dict[str, list[str]] = {}
            for code, name in zip(now["code"], now["name"], strict=True):
                short.setdefault(_short(key(name)), []).append(code)
            self._years[year] = {
                "codes": dict(zip(now["code"], now["name"], strict=True)),
                "by_key": {key(n): c for c, n in zip(now["code"], now["name"], strict=True)},
                "by_short": short,
                "by_current": dict(zip(current, now["code"], strict=True)),
                "city": dict(zip(now["code"], now["city_code"], strict=True)),
            }
        return self._years[year]

    def units(self, year: int) -> dict[str, str]:
        """code -> name of every county-level unit of `year`."""
        return self.year(year)["codes"]

    def name(self, code: str, year: int) -> str:
        return self.units(year).get(code) or self.regions[code]

    # --------------------------------------------------------------------------------- rows
    def by_code(self, text: object, year: int) -> Place:
        code = units.normalise_text(text)
        if code.endswith(".0"):  # a code typed into a number cell
            code = code[:-2]
        if not re.fullmatch(r"\d{6}", code):
            return Place(None, None, f"county code must be 6 digits, found {code!r}")
        if code == geography.ZHEJIANG:
            return Place(code, PROVINCE)
        if code in geography.CITY_CODES:
            return Place(code, CITY)
        if code in self.units(year):
            return Place(code, COUNTY)
        return Place(
            None,
            None,
            f"county code {code} not a county-level unit in {year} (data/framework/counties.csv)",
        )

    def by_label(self, label: object, city: object, year: int) -> Place:
        """A row's place from its printed label (and the city column, where there is one)."""
        clean, city_key = clean_label(label), clean_label(city)
        if not clean:
            return Place(None, None)
        if clean in PROVINCE_LABELS or (
            clean in SUBTOTAL_LABELS and not city_key and clean != "全市"
        ):
            return Place(geography.ZHEJIANG, PROVINCE)
        stem = SUBTOTAL_SUFFIX.sub("", clean)
        if stem != clean or clean in SUBTOTAL_LABELS:
            name = stem or city_key
            if name in self.cities:
                return Place(self.cities[name], CITY)
            return Place(None, None, "subtotal row of an unknown city")
        if clean in self.cities:
            return Place(self.cities[clean], CITY)
        code, why = self._county(clean, year)
        if code is None:
            return Place(None, None, why)
        if city_key:
            want = self.year(year)["city"][code]
            if self.cities.get(city_key) != want:
                return Place(None, None, f"{label} is not in {city} (registry: city {want})")
        return Place(code, COUNTY)

    def _county(self, label: str, year: int) -> tuple[str | None, str | None]:
        now = self.year(year)
        if label in now["by_key"]:
            return now["by_key"][label], None
        if len(now["by_short"].get(label, [])) == 1:
            return now["by_short"][label][0], None
        t = self.table
        anytime = t[(t["key"] == label) | (t["short"] == label)]
        if anytime.empty:
            close = difflib.get_close_matches(label, list(now["by_key"]), n=3, cutoff=0.5)
            hint = f"; close names: {'、'.join(close)}" if close else ""
            return (
                None,
                f"unknown county name (not in data/framework/counties.csv for {year}){hint}",
            )
        # A renamed unit under its other name: the unit valid this year with the same current code.
        same = anytime["current"].iloc[0]
        if same in now["by_current"]:
            return now["by_current"][same], None
        r = anytime.iloc[0]
        span = "–".join("" if pd.isna(r[c]) else str(r[c]) for c in ("valid_from", "valid_to"))
        return None, (
            f"{r['name']} ({r['code']}) is not a county-level unit in {year} (registry: in use "
            f"{span}{self._changes(r['code'])}; data/framework/counties.csv, boundary_changes.csv)"
        )

    def _changes(self, code: str) -> str:
        """'; merged into 330105 in 2021' or '; split from 330110 in 2021', from the registry."""
        words = []
        for links, way in (
            (geography.successors(code, self.framework_dir), "into"),
            (geography.predecessors(code, self.framework_dir), "from"),
        ):
            for link in links.itertuples(index=False):
                other = link.to_code if way == "into" else link.from_code
                words.append(f"{link.change} {way} {other} in {link.change_year}")
        return "; " + ", ".join(words) if words else ""

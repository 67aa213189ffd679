"""Place names in English: pinyin of the Chinese name and the word for its kind.

临安区 → Lin'an District, 磐安县 → Pan'an County, 建德市 → Jiande City, 景宁畲族自治县 →
Jingning She Autonomous County, 杭州市 → Hangzhou City, 浙江省 → Zhejiang Province. The pinyin
comes from a maintained library (pypinyin), written as place names are: syllables joined,
the first letter capitalised, an apostrophe before a syllable that starts with a, o or e
(Lin'an, Xi'an). The few names whose official spelling differs from the library's reading,
and names that are translated rather than spelled, are data:
data/framework/place_names_en.csv (name_zh → name_en, with a note saying why).
`short` is the name without its kind (Lin'an, Hangzhou), as a sentence uses it once the kind
is clear.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
from pypinyin import Style, lazy_pinyin

from zjinnov.data import geography
from zjinnov.data.paths import FRAMEWORK

EXCEPTIONS_FILE = "place_names_en.csv"
# The kind of a unit by the end of its name, longest first.
KINDS = (
    ("自治县", "Autonomous County"),
    ("区", "District"),
    ("县", "County"),
    ("市", "City"),
    ("省", "Province"),
)
_VOWEL_START = ("a", "o", "e")


@cache
def exceptions(framework_dir: Path = FRAMEWORK) -> dict[str, str]:
    """name_zh -> name_en of data/framework/place_names_en.csv (empty if the file is absent)."""
    path = Path(framework_dir) / EXCEPTIONS_FILE
    if not path.exists():
        return {}
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return dict(zip(table["name_zh"], table["name_en"], strict=True))


def pinyin(text: str, framework_dir: Path = FRAMEWORK) -> str:
    """A proper name in pinyin as places are written: 临安 → Lin'an, 嵊泗 → Shengsi."""
    known = exceptions(framework_dir)
    if text in known:
        return known[text]
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    word = syllables[0] if syllables else ""
    for s in syllables[1:]:
        word += ("'" if s.startswith(_VOWEL_START) else "") + s
    return word[:1].upper() + word[1:]


def _split(name: str, framework_dir: Path) -> tuple[str, str]:
    """(English proper name, English kind) of a Chinese place name."""
    for suffix, kind in KINDS:
        if name.endswith(suffix) and len(name) > len(suffix):
            proper = name[: -len(suffix)]
            ethnic = ""
            if suffix == "自治县" and proper.endswith("族"):
                # 景宁畲族: the people's name follows the place's (Jingning She).
                for known in exceptions(framework_dir):
                    if known.endswith("族") and proper.endswith(known):
                        ethnic = " " + exceptions(framework_dir)[known]
                        proper = proper[: -len(known)]
                        break
            return pinyin(proper, framework_dir) + ethnic, kind
    return pinyin(name, framework_dir), ""


def english(name: str, framework_dir: Path = FRAMEWORK) -> str:
    """A Chinese place name in English with its kind: 临安区 → Lin'an District."""
    known = exceptions(framework_dir)
    if name in known:
        return known[name]
    proper, kind = _split(name, framework_dir)
    return f"{proper} {kind}".strip()


def short(name: str, framework_dir: Path = FRAMEWORK) -> str:
    """The English name without its kind: 临安区 → Lin'an, 景宁畲族自治县 → Jingning She."""
    known = exceptions(framework_dir)
    if name in known:
        return known[name]
    return _split(name, framework_dir)[0]


def english_names(framework_dir: Path = FRAMEWORK) -> pd.DataFrame:
    """Every code of the county registry (units, abolished units, zones), the 11 cities,
    Zhejiang and China: code, name_zh, name_en, short_en."""
    counties = geography.load_counties(framework_dir).drop_duplicates("code", keep="last")
    names = dict(zip(counties["code"], counties["name"], strict=True))
    names.update(geography.region_names(framework_dir))
    rows = [
        (code, name, english(name, framework_dir), short(name, framework_dir))
        for code, name in names.items()
    ]
    return pd.DataFrame(rows, columns=["code", "name_zh", "name_en", "short_en"])


def name_en(code: str, framework_dir: Path = FRAMEWORK) -> str:
    """The English name of a county, city, Zhejiang (330000) or China (100000) by its code."""
    return english(geography.name_of(str(code), framework_dir=framework_dir), framework_dir)

"""Figure style: one CJK font, registered once, so Chinese labels render everywhere.

The font comes from the `pylopdf-fonts-zh-cn` wheel (Noto Sans SC, SIL Open Font Licence),
so figures look the same on every machine without system fonts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

# Colours used throughout the book: the study county stands out, comparators are muted.
COUNTY_COLOUR = "#c0392b"
CITY_COLOUR = "#2e86c1"
PROVINCE_COLOUR = "#7f8c8d"
NO_DATA_COLOUR = "#e5e5e5"
PALETTE = ["#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d68910", "#17a589", "#7f8c8d"]


@cache
def cjk_font_path() -> Path:
    import pylopdf_fonts_zh_cn

    path = Path(pylopdf_fonts_zh_cn.__file__).with_name("NotoSansSC-Regular.otf")
    if not path.exists():
        raise FileNotFoundError(f"CJK font missing from the font wheel: {path}")
    return path


@cache
def cjk_font_name() -> str:
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def setup(chapter: str | None = None) -> str:
    """Register the CJK font, set the book's matplotlib defaults and table display; returns
    the font name. `chapter` (e.g. "c03_county") makes every shown table downloadable."""
    from zjinnov.present import display

    display.register(chapter)
    name = cjk_font_name()
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [name, "DejaVu Sans"],
            # The CJK font has no U+2212 minus sign; use the hyphen so negatives render.
            "axes.unicode_minus": False,
            # Years on an axis read as years, not as offsets from 2.02e3.
            "axes.formatter.useoffset": False,
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "figure.figsize": (7.5, 4.2),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "legend.frameon": False,
        }
    )
    return name

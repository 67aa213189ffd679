"""Figure style: one CJK font, registered once, so Chinese labels render everywhere.

The font comes from the `pylopdf-fonts-zh-cn` wheel (Noto Sans SC, SIL Open Font Licence),
so figures look the same on every machine without system fonts.
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.text import Text

# Colours used throughout the book: the study county stands out, comparators are muted.
COUNTY_COLOUR = "#c0392b"
CITY_COLOUR = "#2e86c1"
PROVINCE_COLOUR = "#7f8c8d"
NO_DATA_COLOUR = "#e5e5e5"
# Text in figures is read on a phone: no smaller than the book's small print there.
MIN_TEXT_PX = 11  # CSS px, the smallest text in a figure as drawn at either width
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
    shell = _shell()
    if shell is not None:
        _register_png(shell)
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


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


# --- what each figure tells the layout check ----------------------------------------------
# Every figure a notebook shows is written as PNG by `_png` below (in place of the inline
# backend's writer) with three facts in its text chunks: the smallest font it drew (points),
# the text drawn at that size, and its resolution. With the image's pixel width these give the
# figure's width in inches, so the layout check can compute the size of its smallest text in
# CSS pixels from the width the browser draws it at: points × drawn width ÷ (72 × inches).
FACT_MIN_FONT = "zjinnov:min-font-pt"
FACT_MIN_TEXT = "zjinnov:min-font-text"
FACT_DPI = "zjinnov:dpi"


@contextmanager
def _texts_drawn(found: list[tuple[float, str]]):
    """Record (size in points, text) of every text matplotlib draws inside the block."""
    original = Text.draw

    def draw(self, renderer):
        text = self.get_text()
        if self.get_visible() and text.strip():
            found.append((float(self.get_fontsize()), text))
        return original(self, renderer)

    Text.draw = draw
    try:
        yield found
    finally:
        Text.draw = original


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_facts(png: bytes, facts: dict[str, str]) -> bytes:
    """`png` with each fact as an international text chunk (UTF-8), placed before IEND."""
    chunks = b"".join(
        _chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8"))
        for key, value in facts.items()
    )
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunks + png[end:]


def png_facts(png: bytes) -> dict[str, str]:
    """The text chunks of a PNG (tEXt and iTXt), by key; the layout check's reader."""
    out: dict[str, str] = {}
    pos = 8
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = data.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = data.partition(b"\0")
            # compression flag, method, language\0, translated keyword\0, text
            _, _, rest = rest[2:].partition(b"\0")
            _, _, text = rest.partition(b"\0")
            out[key.decode("latin-1")] = text.decode("utf-8")
        elif kind == b"IHDR":
            out["width_px"], out["height_px"] = (str(v) for v in struct.unpack(">II", data[:8]))
        pos += 12 + length
    return out


def png(fig) -> tuple[bytes, float, str]:
    """The figure as the book shows it (tight bounding box), with its smallest text."""
    found: list[tuple[float, str]] = []
    buffer = io.BytesIO()
    with _texts_drawn(found):
        fig.canvas.print_figure(
            buffer,
            format="png",
            dpi=fig.dpi,
            bbox_inches="tight",
            facecolor=fig.get_facecolor(),
            edgecolor=fig.get_edgecolor(),
        )
    size, text = min(found) if found else (0.0, "")
    facts = {FACT_MIN_FONT: f"{size:g}", FACT_MIN_TEXT: text[:40], FACT_DPI: f"{fig.dpi:g}"}
    return with_facts(buffer.getvalue(), facts), size, text


def _register_png(shell) -> None:
    """Show every figure through `png`: the inline backend's own writer knows no facts."""
    from matplotlib.figure import Figure

    # Loading the inline backend wires it into IPython (it closes and shows figures after
    # each cell); our writer is set after that, so the backend cannot set its own over it.
    if "inline" in mpl.get_backend():
        import matplotlib_inline.backend_inline  # noqa: F401

    for formatter in shell.display_formatter.formatters.values():
        formatter.pop(Figure, None)
    shell.display_formatter.formatters["image/png"].for_type(
        Figure, lambda fig: base64.b64encode(png(fig)[0]).decode("ascii")
    )

"""Figure style: one CJK font, figure sizes and type sizes read on a phone, and the writer
that shows each figure in the book with the facts the layout check needs.

The font comes from the `pylopdf-fonts-zh-cn` wheel (Noto Sans SC, SIL Open Font Licence),
so figures look the same on every machine without system fonts.

Sizes. A figure is a PNG drawn at the width of the text column, at most: 342 CSS px on a
phone (390 px wide), its natural width on a desktop (the column there is 672 px). A text of
`p` points in a figure `w` inches wide drawn `r` CSS px wide is p × r ÷ (72 × w) px tall; the
phone's 342 px is the narrowest `r`, so text stays at least MIN_TEXT_PX (11 px, the book's
small print) when p ≥ 11 × 72 × w ÷ 342, about 2.3 points per inch of width. Hence one
width for the book's figures, WIDTH = 4.8 in, and no text under SMALL = 11.5 points; on a
desktop the same figure shows at its natural width (SCREEN_DPI CSS px an inch: 480 px) with
that text at 16 px. A figure that needs more room grows taller, never wider (panels one
under another). `min_font` gives the limit for any width.
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
from matplotlib.figure import Figure
from matplotlib.text import Text

# Colours used throughout the book: the study county stands out, comparators are muted.
COUNTY_COLOUR = "#c0392b"
CITY_COLOUR = "#2e86c1"
PROVINCE_COLOUR = "#7f8c8d"
NO_DATA_COLOUR = "#e5e5e5"
PALETTE = ["#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d68910", "#17a589", "#7f8c8d"]

# Screens (measured in headless Chromium on the built book, sphinx-book-theme 1.3).
PHONE_COLUMN_PX = 342  # the article's width on a 390 px phone
DESKTOP_COLUMN_PX = 672  # the article's width at 1280 px
MIN_TEXT_PX = 11  # CSS px: the smallest text in a figure as drawn, at either width
SCREEN_DPI = 100  # CSS px per inch of figure at its natural width (desktop)
PNG_DPI = 2 * SCREEN_DPI  # pixels per inch in the PNG: sharp on screens of 2× and more

WIDTH = 4.8  # inches: every figure of the book
FONT = 12.0  # points: titles, axis labels
SMALL = 11.5  # points: ticks, legends, notes, annotations; the smallest text in a figure


def min_font(width: float = WIDTH) -> float:
    """The smallest font (points) readable on a phone in a figure `width` inches wide."""
    return MIN_TEXT_PX * 72 * width / PHONE_COLUMN_PX


def size(height: float, width: float = WIDTH) -> tuple[float, float]:
    """A figure size for the book (inches): its width and the `height` it needs."""
    return (width, height)


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
            "figure.dpi": SCREEN_DPI,
            "savefig.dpi": PNG_DPI,
            "figure.figsize": (WIDTH, 3.4),
            "font.size": FONT,
            "axes.titlesize": FONT,
            "axes.labelsize": FONT,
            "figure.titlesize": FONT,
            "xtick.labelsize": SMALL,
            "ytick.labelsize": SMALL,
            "legend.fontsize": SMALL,
            "legend.title_fontsize": SMALL,
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
FACT_HAS_DATA = "zjinnov:has-data"  # "no" for a figure that draws only words


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


def png(fig, dpi: float = PNG_DPI) -> tuple[bytes, float, str]:
    """The figure as the book shows it (tight bounding box), with its smallest text."""
    found: list[tuple[float, str]] = []
    buffer = io.BytesIO()
    with _texts_drawn(found):
        fig.canvas.print_figure(
            buffer,
            format="png",
            dpi=dpi,
            bbox_inches="tight",
            facecolor=fig.get_facecolor(),
            edgecolor=fig.get_edgecolor(),
        )
    points, text = min(found) if found else (0.0, "")
    facts = {
        FACT_MIN_FONT: f"{points:g}",
        FACT_MIN_TEXT: text[:40],
        FACT_DPI: f"{dpi:g}",
        FACT_HAS_DATA: "yes" if any(ax.has_data() for ax in fig.axes) else "no",
    }
    return with_facts(buffer.getvalue(), facts), points, text


def _shown(fig):
    """The PNG and its natural width in CSS px (the <img> width: half its pixels)."""
    data = png(fig)[0]
    (width_px,) = struct.unpack(">I", data[16:20])
    width = round(width_px * SCREEN_DPI / PNG_DPI)
    return base64.b64encode(data).decode("ascii"), {"width": width}


# --- a figure with nothing to draw -------------------------------------------------------
class NoteFigure(Figure):
    """A figure with no data: the book shows its note, one line, in place of an image; the
    book's extension then drops the figure's box and caption (book/_ext/zjbook.py). Outside
    a notebook it is an ordinary figure that writes the note in its middle."""

    note: str = ""


def no_data(note: str, width: float = WIDTH):
    """The figure a chart returns when there is nothing to draw: it says why, in one line."""
    import matplotlib.pyplot as plt

    fig = plt.figure(FigureClass=NoteFigure, figsize=(width, 0.8))
    fig.note = note
    fig.text(0.5, 0.5, note, ha="center", va="center", fontsize=FONT, wrap=True)
    return fig


def note_html(note: str) -> str:
    import html

    return f'<p class="zj-figure-note">{html.escape(note)}</p>'


def _register_png(shell) -> None:
    """Show every figure through `png`: the inline backend's own writer knows no facts."""
    # Loading the inline backend wires it into IPython (it closes and shows figures after
    # each cell); our writer is set after that, so the backend cannot set its own over it.
    if "inline" in mpl.get_backend():
        import matplotlib_inline.backend_inline  # noqa: F401

    formatters = shell.display_formatter.formatters
    for formatter in formatters.values():
        formatter.pop(Figure, None)
    formatters["image/png"].for_type(Figure, _shown)
    formatters["image/png"].for_type(NoteFigure, lambda fig: None)
    formatters["text/html"].for_type(NoteFigure, lambda fig: note_html(fig.note))


# --- layout helpers the charts share -----------------------------------------------------
def wrap(text: str, width: float) -> str:
    """Break a label into lines about `width` Chinese characters wide. Chinese breaks between
    any two characters; a run of Latin letters or digits (GDP, R&D, 2015) stays whole and
    counts about half a character a letter."""
    import re

    lines, line, used = [], "", 0.0
    for token in re.findall(r"[A-Za-z0-9&.,%+\-/=×·:]+\s?|\s|.", str(text)):
        size = 0.55 * len(token) if token.isascii() else float(len(token))
        # Closing punctuation never starts a line (it stays with what it closes).
        if (
            line
            and used + size > width + 0.01
            and not token.isspace()
            and token not in "，。、）：；"
        ):
            # An opening bracket goes to the next line with what it opens.
            carry = line[-1] if line[-1] in "（《“" else ""
            lines.append(line[: len(line) - len(carry)].rstrip())
            line, used = carry, float(len(carry))
        line += token
        used += size
    lines.append(line.rstrip())
    return "\n".join(x for x in lines if x) or str(text)


def legend_below(fig, axes=None, *, ncol: int = 2, handles=None, labels=None) -> None:
    """One legend for the figure, under its panels, with the room it needs reserved (a
    legend beside a panel would make the figure wider than the book's width)."""
    if handles is None:
        found: dict = {}
        for ax in axes if axes is not None else fig.axes:
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                found.setdefault(lab, h)
        handles, labels = list(found.values()), list(found)
    if not handles:
        fig.tight_layout()
        return
    fig.legend(handles, labels, loc="lower center", ncol=ncol, frameon=False)
    rows = -(-len(handles) // ncol)
    lines = sum(
        max(str(lab).count("\n") + 1 for lab in labels[i : i + ncol])
        for i in range(0, len(labels), ncol)
    )
    height = 0.26 * max(rows, lines) + 0.12
    fig.tight_layout(rect=(0, height / fig.get_figheight(), 1, 1))

"""The book's Chinese font for printing: Noto Sans SC cut to the characters the PDF uses, with
TrueType outlines.

Chromium embeds the web font as it is (CFF outlines) in dozens of unnamed Type 3 fonts, which
some PDF readers render poorly and which PDF checkers cannot name. The same font with TrueType
(quadratic) outlines is embedded as one named CID TrueType subset. Cutting it to the characters
on the page first keeps the conversion to a few seconds. (Bold is synthesised by Chromium from
the regular face, the wheel having no bold, and those glyphs still go in as Type 3.)
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

# Characters Chromium draws itself (page numbers "n / N", the contents' numbers).
ALWAYS = "0123456789 /·.…-"
# Largest distance (font units) between a cubic curve and its quadratic replacement.
MAX_ERROR = 1.0


def source_font() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.__file__).with_name("NotoSansSC-Regular.otf")


def _to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines with TrueType ones, in place (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    unused = ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs")
    unused += ("maxStackElements", "maxSizeOfInstructions", "maxComponentElements")
    for field in unused:
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, None
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def truetype_subset(text: str, dest: Path, source: Path | None = None) -> Path:
    """Write the font cut to `text` (plus page-number characters) with TrueType outlines."""
    options = subset.Options()
    options.desubroutinize = True
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(source or source_font())
    cutter = subset.Subsetter(options)
    cutter.populate(text=text + ALWAYS)
    cutter.subset(font)
    _to_truetype(font)
    dest.parent.mkdir(parents=True, exist_ok=True)
    font.save(dest)
    return dest

"""Convert a CFF-flavoured OpenType font to TrueType outlines, once, at set-up.

WeasyPrint subsets TrueType (glyf) fonts several times faster than CFF ones, and the PDFs stay small;
the 仿宋 face Debian ships free (FandolFang, in texlive-lang-chinese) is CFF. After fontTools' otf2ttf
snippet: cubic curves become quadratic within a tolerance of 1 unit (of 1000 per em).

    .venv/bin/python scripts/otf_to_ttf.py SOURCE.otf TARGET.ttf
"""

import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERROR = 1.0  # font units
POST_FORMAT = 2.0


def glyphs_to_quadratic(glyph_set, max_error=MAX_ERROR, reverse_direction=True):
    quadratic = {}
    for name in glyph_set:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_error, reverse_direction=reverse_direction))
        quadratic[name] = pen.glyph()
    return quadratic


def otf_to_ttf(source, target):
    font = TTFont(source)
    if font.sfntVersion != "OTTO":
        raise SystemExit(f"{source} is not a CFF OpenType font")
    glyph_order = font.getGlyphOrder()

    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs_to_quadratic(font.getGlyphSet())
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    font["head"].glyphDataFormat = 0

    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.recalc(font)

    post = font["post"]
    post.formatType = POST_FORMAT
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = glyph_order
    font.sfntVersion = "\000\001\000\000"
    font.save(target)


if __name__ == "__main__":
    otf_to_ttf(*sys.argv[1:3])

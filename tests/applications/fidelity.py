"""Reading issued PDFs back as the receiving office reads paper: text, boxes, glyphs, seals and QR codes.

Every check returns what it found wrong (an empty list when the paper is right), so a failing test names
the page and the text concerned.
"""

import io
import re
import subprocess
from collections import defaultdict
from functools import cached_property

import pdfplumber
import zxingcpp
from fontTools.ttLib import TTFont
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from PIL import Image

MM = 72 / 25.4
FOOTER = 30 * MM  # page number, QR code and 核验码 sit below this line; the body ends 35 mm above the edge
TOLERANCE = 1.0  # points: anti-aliasing, rounding of the font's bounding box
LINE_TOLERANCE = 4.0  # points: characters of one line whose fonts (a fallback's, an emoji's) sit a little apart


def squeezed(text):
    return re.sub(r"\s", "", text or "")


def overlaps(a, b):
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def inside(box, frame, tolerance=TOLERANCE):
    return (
        box["x0"] >= frame["x0"] - tolerance
        and box["x1"] <= frame["x1"] + tolerance
        and box["top"] >= frame["top"] - tolerance
        and box["bottom"] <= frame["bottom"] + tolerance
    )


def _box(bbox):
    x0, top, x1, bottom = bbox
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom}


class Paper:
    """One PDF, read with pdfplumber (boxes), pdfminer (glyph ids) and pypdf (embedded fonts)."""

    def __init__(self, data):
        self.data = data
        self.pdf = pdfplumber.open(io.BytesIO(data))
        self.pages = self.pdf.pages

    def close(self):
        self.pdf.close()

    def body_chars(self, page):
        return [c for c in page.chars if c["top"] < page.height - FOOTER]

    @cached_property
    def rules(self):
        """{page number: (vertical rules, horizontal rules)}: the ruling of tables. A row split by a page
        break has no top (or bottom) rule on that page, so cells are found from the rules around a
        character rather than as closed rectangles."""
        found = {}
        for page in self.pages:
            vertical, horizontal = [], []
            for line in page.lines + [r for r in page.rects if min(r["width"], r["height"]) < 2]:
                if line["width"] < 2:
                    vertical.append(((line["x0"] + line["x1"]) / 2, line["top"], line["bottom"]))
                elif line["height"] < 2:
                    horizontal.append(((line["top"] + line["bottom"]) / 2, line["x0"], line["x1"]))
            found[page.page_number] = vertical, horizontal
        return found

    def _cell_of(self, page, char):
        """The box between the rules nearest the character's centre, or None outside tables."""
        vertical, horizontal = self.rules[page.page_number]
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        left = [vx for vx, top, bottom in vertical if vx <= x and top <= y <= bottom]
        right = [vx for vx, top, bottom in vertical if vx >= x and top <= y <= bottom]
        if not left or not right:
            return None
        x0, x1 = max(left), min(right)
        above = [hy for hy, hx0, hx1 in horizontal if hy <= y and hx0 <= x <= hx1]
        below = [hy for hy, hx0, hx1 in horizontal if hy >= y and hx0 <= x <= hx1]
        return {"x0": x0, "x1": x1, "top": max(above, default=0), "bottom": min(below, default=page.height)}

    @cached_property
    def texts(self):
        """The running text outside tables, and each table column's text read down the column across
        pages (a row split by a page break continues on the next page): a value printed whole is a
        substring of one of them."""
        flow, columns = [], defaultdict(list)
        for page in self.pages:
            running = []
            for char in self.body_chars(page):
                cell = self._cell_of(page, char)
                if cell is None:
                    running.append(char)
                else:
                    columns[(round(cell["x0"]), round(cell["x1"]))].append(char["text"])
            flow += [char["text"] for char in _reading_order(running)]
        return [squeezed("".join(flow)), *(squeezed("".join(chars)) for chars in columns.values())]

    def missing_values(self, values):
        """Values not printed whole, shown by their length and first characters."""
        missing = [value for value in values if squeezed(value) and not any(squeezed(value) in t for t in self.texts)]
        return [f"{len(value)} characters: {value[:30]}…" for value in missing]

    def chars_out_of_place(self):
        """Characters that stick out of the page or out of the table cell they are printed in."""
        wrong = []
        for page in self.pages:
            frame = {"x0": 0, "top": 0, "x1": page.width, "bottom": page.height}
            for char in page.chars:
                cell = self._cell_of(page, char) if char["top"] < page.height - FOOTER else None
                if not inside(char, frame) or (cell is not None and not inside(char, cell)):
                    wrong.append(f"p.{page.page_number} {char['text']!r} at ({char['x0']:.0f}, {char['top']:.0f})")
        return wrong

    def missing_glyphs(self):
        """Characters drawn with .notdef or with an empty outline (tofu, or nothing at all)."""
        wrong = []
        for number, chars in enumerate(self._glyph_ids(), start=1):
            for text, fontname, font, cid in chars:
                if not text.strip():
                    continue
                if font is None:
                    wrong.append(f"p.{number} {text!r}: font {fontname} not embedded as TrueType")
                    continue
                order = font.getGlyphOrder()
                glyph = font["glyf"][order[cid]] if 0 < cid < len(order) else None
                if glyph is None or glyph.numberOfContours == 0:
                    wrong.append(f"p.{number} {text!r} (U+{ord(text[0]):04X}) has no glyph in {fontname}")
        return wrong

    def _glyph_ids(self):
        manager = PDFResourceManager()
        device = _GlyphRecorder(manager, laparams=LAParams())
        interpreter = PDFPageInterpreter(manager, device)
        for page in PDFPage.get_pages(io.BytesIO(self.data)):
            device.recorded = []
            interpreter.process_page(page)
            yield device.recorded

    def seal_images(self, page, seal_size):
        return [image for image in page.images if tuple(image["srcsize"]) == tuple(seal_size)]

    def seal_problems(self, seal_size, signatures, pages=None):
        """Each seal must cover one of its `signatures` (署名, date) and no other words; [] and the count."""
        wrong, seals = [], 0
        for page in self.pages if pages is None else [self.pages[n - 1] for n in pages]:
            words = page.extract_words(x_tolerance=1.5, y_tolerance=2)
            for seal in self.seal_images(page, seal_size):
                seals += 1
                covered = [w["text"] for w in words if overlaps(w, seal)]
                own = [w for w in covered if any(w in s or s in w for s in signatures)]
                if not own:
                    wrong.append(f"p.{page.page_number}: a seal covers none of {signatures} (covers {covered})")
                foreign = [w for w in covered if w not in own]
                if foreign:
                    wrong.append(f"p.{page.page_number}: a seal covers {foreign}")
        return wrong, seals

    def qr_payloads(self, tmp_path, pages=None):
        """What the QR code of every page (or of the `pages` numbered) decodes to (None where none decodes)."""
        found = []
        for number in pages or range(1, len(self.pages) + 1):
            target = tmp_path / f"qr-{number}"
            subprocess.run(
                ["pdftoppm", "-r", "150", "-gray", "-f", str(number), "-l", str(number), "-png", "-singlefile"]
                + ["-", str(target)],
                input=self.data,
                check=True,
            )
            with Image.open(f"{target}.png") as image:
                width, height = image.size
                corner = image.crop((width // 2, height * 3 // 4, width, height))
                codes = zxingcpp.read_barcodes(corner)
            found.append(codes[0].text if codes else None)
        return found


def _reading_order(chars):
    """Line by line from the top, each line from the left: the order a reader reads the page in, not the order it
    was painted in (WeasyPrint paints positioned boxes such as a letter's 发文机关标志 after the running text)."""
    lines = []
    for char in sorted(chars, key=_middle):
        if lines and _middle(char) - _middle(lines[-1][0]) < LINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [char for line in lines for char in sorted(line, key=lambda c: c["x0"])]


def _middle(char):
    return (char["top"] + char["bottom"]) / 2


class _GlyphRecorder(PDFPageAggregator):
    """pdfminer's aggregator, also keeping (text, font name, embedded TrueType font, glyph id) of every
    character drawn. The embedded file is told apart by its object, not by its name: pages rendered apart
    embed different subsets of one face under one subset name."""

    recorded = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.embedded = {}

    def _embedded(self, font):
        stream = getattr(font, "fontfile", None)
        if stream is None or "FontFile2" not in font.descriptor:
            return None
        if id(stream) not in self.embedded:
            self.embedded[id(stream)] = (stream, TTFont(io.BytesIO(stream.get_data())))
        return self.embedded[id(stream)][1]

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        advance = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
        char = self.cur_item._objs[-1]
        if isinstance(char, LTChar):
            self.recorded.append((char.get_text(), char.fontname, self._embedded(font), cid))
        return advance

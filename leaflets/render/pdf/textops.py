"""The PDF text operators of shaped glyphs (Arabic, Devanagari, Bengali, Nastaliq), written in one pass.

ReportLab's `PDFTextObject._formatText` writes a shaped string as Tj/TJ operators: per glyph,
its HarfBuzz offsets as kerning numbers and its one-byte code in the font subset, grouped until the
glyph's rise changes. It builds a list of three values per glyph and then regroups it with
itertools: the largest single cost of a warm Arabic leaflet under cProfile. `format_shaped` writes the same
operators, byte for byte (tests/test_text_operators.py compares the two on every shaped leaflet),
folding the values into strings and sums as it goes (a warm Arabic leaflet: 44 -> 41 ms, timed
without a profiler). Other text goes to ReportLab's own code.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import ShapedStr, _sdGuardL
from reportlab.pdfgen.textobject import PDFTextObject

reportlab_format_text = PDFTextObject._formatText


def format_text(self: PDFTextObject, text) -> str:
    font = getFont(self._fontname)
    if not (font._dynamicFont and font.shapable and isinstance(text, ShapedStr)):
        return reportlab_format_text(self, text)
    state = (self._code, self._x, self._y)
    try:
        self._code = []
        format_shaped(self, font, text)
        return " ".join(self._code)
    finally:
        self._code, self._x, self._y = state


def format_shaped(self: PDFTextObject, font, text: ShapedStr) -> None:
    """ReportLab's operators for a shaped string, appended to self._code.

    As ReportLab: a font subset change sets the font; each glyph contributes -x_offset, its code,
    and width - x_advance + x_offset; zeros are left out, adjacent codes form one string, adjacent
    numbers one sum (in order), a sum that prints as "0" is left out; a group of one string is shown
    with Tj, any other with TJ; the rise is set (and set back) around each group of one rise, and
    a guard glyph (cluster -1) closes the last group. `self._rise` is read each time, as ReportLab
    does: its setRise may leave it unchanged.
    """
    canv = self._canvas
    escape = canv._escape
    template = None
    rise0 = self._rise
    shape_data = text.__shapeData__
    size = self._fontsize
    start = 0
    for subset, chars in font.splitString(text, canv._doc):
        if subset != self._curSubset:
            if not template:
                template = f"{fp_str(size)} Tf {fp_str(self._leading)} TL"
            self._code.append(f"{font.getSubsetInternalName(subset, canv._doc)} {template}")
            self._curSubset = subset
        end = start + len(chars)
        glyphs = shape_data[start:end] + _sdGuardL
        start = end
        items: list[str] | None = None   # the open group's strings and sums, None before the first
        run = b""                        # the codes since the last number
        total = None                     # the sum of the numbers since the last code
        for index, data in enumerate(glyphs):
            rise = rise0 + size * data.y_offset / 1000
            if items is None or data.cluster < 0 or rise != self._rise:
                if items is not None:
                    _close(self, items, run, total, escape)
                    if self._rise != rise0:
                        self.setRise(rise0)
                    if data.cluster < 0:
                        break
                if rise != self._rise:
                    self.setRise(rise)
                items, run, total = [], b"", None
            number = -data.x_offset
            if number:
                if run:
                    items.append(f"({escape(run)})")
                    run = b""
                total = number if total is None else total + number
            if total is not None:
                items.append(fp_str(total))
                total = None
            run += chars[index:index + 1]
            number = data.width - data.x_advance + data.x_offset
            if number:
                items.append(f"({escape(run)})")
                run, total = b"", number
    if self._rise != rise0:
        self.setRise(rise0)


def _close(self, items: list[str], run: bytes, total, escape) -> None:
    if run:
        items.append(f"({escape(run)})")
    if total is not None:
        items.append(fp_str(total))
    items = [item for item in items if item != "0"]
    if len(items) == 1 and items[0].startswith("("):
        self._code.append(f"{items[0]} Tj")
    else:
        self._code.append(f"[{' '.join(items)}] TJ")


PDFTextObject._formatText = format_text

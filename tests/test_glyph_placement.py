"""Shaped glyphs sit where HarfBuzz placed them, and text inside a box stays inside it.

Read from the PDF with pdfminer (each glyph's text rise, from the content stream) and with
fontTools (each glyph's outline box, from the font subset embedded in the PDF), and compared with
HarfBuzz's own shaping of the same words, or with the boxes' backgrounds and borders as drawn.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pikepdf
import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTCurve, LTLine, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from leaflets.fonts import font_file_of, fonts_for
from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
from leaflets.render.pdf import PrintOptions, render_pdf
from tests.test_languages import translated


class _Glyphs(PDFPageAggregator):
    """pdfminer's layout device, also noting each glyph as the content stream draws it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.glyphs: list[tuple[str, int, tuple, float, float]] = []

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        self.glyphs.append((font.fontname, cid, matrix, fontsize, rise))
        return super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)


def read_pages(pdf: Path):
    """Per page: its glyphs (font, code, matrix, size, rise) and its drawn shapes, as pdfminer reads them."""
    manager = PDFResourceManager()
    with pdf.open("rb") as handle:
        for page in PDFPage.get_pages(handle):
            device = _Glyphs(manager, laparams=None)
            PDFPageInterpreter(manager, device).process_page(page)
            yield device.glyphs, list(device.get_result())


def outline_boxes(pdf: Path) -> dict[str, dict[int, tuple[float, float, float, float]]]:
    """Each embedded font subset's glyph boxes by character code, in ems, read with fontTools."""
    boxes: dict[str, dict[int, tuple[float, float, float, float]]] = {}
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                name = str(font.BaseFont).lstrip("/")
                descriptor = font.get("/FontDescriptor")
                if name in boxes or descriptor is None or "/FontFile2" not in descriptor:
                    continue
                face = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
                glyf, em = face["glyf"], face["head"].unitsPerEm
                codes: dict[int, tuple[float, float, float, float]] = {}
                for table in face["cmap"].tables:
                    for code, glyph_name in table.cmap.items():
                        glyph = glyf[glyph_name]
                        if glyph.isComposite() or getattr(glyph, "numberOfContours", 0) > 0:
                            glyph.recalcBounds(glyf)
                            codes[code & 0xFF] = (glyph.xMin / em, glyph.yMin / em, glyph.xMax / em, glyph.yMax / em)
                boxes[name] = codes
    return boxes


def _words(language: str, limit: int = 400) -> list[str]:
    seen: dict[str, None] = {}
    for text in translated(language).values():
        for word in text.split():
            word = word.strip("().,:;!?«»\"'،؛۔")
            if word and any(unicodedata.bidirectional(c) in ("AL", "R") or unicodedata.category(c) == "Mc"
                            or unicodedata.category(c) == "Mn" for c in word):
                seen.setdefault(word)
    return list(seen)[:limit]


@pytest.mark.parametrize("language", ["ur", "ar", "hi", "bn"])
def test_each_shaped_glyph_is_raised_as_harfbuzz_placed_it(tmp_path, language):
    """A word per line, as the leaflet's paragraphs draw it; pdfminer's text rise for each glyph is
    HarfBuzz's vertical offset for it. ReportLab 5.1 lost track of the rise when two raised glyphs
    followed each other, and drew the next glyphs, meant for the baseline, at the second one's height."""
    fonts = fonts_for(language)
    words = _words(language)
    size = 12
    checked = 0
    for face_name in (fonts.regular, fonts.bold):
        style = ParagraphStyle("word", fontName=face_name, fontSize=size, leading=size * 2.5,
                               wordWrap="RTL" if fonts.rtl else None, shaping=1)
        pdf = tmp_path / f"{face_name}.pdf"
        SimpleDocTemplate(str(pdf)).build([Paragraph(word, style) for word in words])
        font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_file_of(face_name)))))
        lines: dict[tuple[int, float], list[float]] = {}
        for number, (glyphs, _) in enumerate(read_pages(pdf)):
            for _, _, matrix, _, rise in glyphs:
                lines.setdefault((number, round(matrix[5], 2)), []).append(round(rise, 2))
        drawn = [rises for _, rises in sorted(lines.items(), key=lambda item: (item[0][0], -item[0][1]))]
        assert len(drawn) == len(words)
        for word, rises in zip(words, drawn):
            buffer = hb.Buffer()
            buffer.add_str(word)
            buffer.guess_segment_properties()
            hb.shape(font, buffer)
            expected = [round(size * position.y_offset / font.face.upem, 2) for position in buffer.glyph_positions]
            assert rises == expected, (face_name, word)
            checked += len(rises)
    assert checked > 1000

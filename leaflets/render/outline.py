"""Text drawn as filled shapes, for marks that must be seen but never read as text.

A DRAFT watermark written as PDF text would be mixed into the leaflet's words
by text extraction, screen readers and copy-and-paste; drawn as glyph outlines
(shaped by HarfBuzz, read with fontTools) it is only a picture.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from threading import Lock

import uharfbuzz
from fontTools.pens.basePen import BasePen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

_lock = Lock()  # fontTools reads glyphs lazily; one reader at a time


@lru_cache(maxsize=4)
def _font(file: Path) -> TTFont:
    return TTFont(str(file))


def outline_width(text: str, font_file: Path, size: float) -> float:
    segments, advance, units_per_em = _outline(text, font_file)
    return advance * size / units_per_em


def draw_outlined(canv: Canvas, text: str, font_file: Path, size: float, x: float, y: float) -> None:
    """Fill the outlines of text with the current fill colour, baseline starting at (x, y)."""
    _, _, units_per_em = _outline(text, font_file)
    scale = size / units_per_em
    canv.saveState()
    canv.translate(x, y)
    canv.scale(scale, scale)
    canv.drawPath(_path(text, font_file), stroke=0, fill=1, fillMode=1)
    canv.restoreState()


@lru_cache(maxsize=16)
def _path(text: str, font_file: Path) -> PDFPathObject:
    """The outlines as a PDF path in font units, written once: a canvas only reads its code (saves a
    millisecond of number formatting per leaflet)."""
    segments, _, _ = _outline(text, font_file)
    path = PDFPathObject()
    for operator, points in segments:
        if operator == "moveTo":
            path.moveTo(*points[0])
        elif operator == "lineTo":
            path.lineTo(*points[0])
        elif operator == "curveTo":
            path.curveTo(*points[0], *points[1], *points[2])
        elif operator == "closePath":
            path.close()
    return path


@lru_cache(maxsize=16)
def _outline(text: str, font_file: Path) -> tuple[tuple, int, int]:
    """The text shaped by HarfBuzz (joined Arabic, conjuncts, right-to-left order) as outlines in
    font units: read once, drawn on every page. Returns segments, total advance, units per em."""
    blob = uharfbuzz.Blob.from_file_path(str(font_file))
    hb_font = uharfbuzz.Font(uharfbuzz.Face(blob))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, {"kern": True, "liga": True})
    with _lock:
        font = _font(font_file)
        glyphs, order = font.getGlyphSet(), font.getGlyphOrder()
        recorder = _Recorder(glyphs)
        advance = 0
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions):
            offset = (1, 0, 0, 1, advance + position.x_offset, position.y_offset)
            glyphs[order[info.codepoint]].draw(TransformPen(recorder, offset))
            advance += position.x_advance
        return tuple(recorder.segments), advance, font["head"].unitsPerEm


class _Recorder(BasePen):
    """Records outlines as moveTo/lineTo/curveTo/closePath (quadratic curves become cubic)."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.segments: list[tuple[str, tuple]] = []

    def _moveTo(self, point):
        self.segments.append(("moveTo", (point,)))

    def _lineTo(self, point):
        self.segments.append(("lineTo", (point,)))

    def _curveToOne(self, p1, p2, p3):
        self.segments.append(("curveTo", (p1, p2, p3)))

    def _closePath(self):
        self.segments.append(("closePath", ()))

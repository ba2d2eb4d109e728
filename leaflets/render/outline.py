"""Text drawn as filled shapes, for marks that must be seen but never read as text.

A DRAFT watermark written as PDF text would be mixed into the leaflet's words
by text extraction, screen readers and copy-and-paste; drawn as glyph outlines
(read with fontTools) it is only a picture.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from threading import Lock

from fontTools.pens.basePen import BasePen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from reportlab.pdfgen.canvas import Canvas

_lock = Lock()  # fontTools reads glyphs lazily; one reader at a time


@lru_cache(maxsize=4)
def _font(file: Path) -> TTFont:
    return TTFont(str(file))


class _PathPen(BasePen):
    """Feeds glyph outlines into a ReportLab path (quadratic curves become cubic)."""

    def __init__(self, glyph_set, path):
        super().__init__(glyph_set)
        self.path = path

    def _moveTo(self, point):
        self.path.moveTo(*point)

    def _lineTo(self, point):
        self.path.lineTo(*point)

    def _curveToOne(self, p1, p2, p3):
        self.path.curveTo(*p1, *p2, *p3)

    def _closePath(self):
        self.path.close()


def outline_width(text: str, font_file: Path, size: float) -> float:
    with _lock:
        font = _font(font_file)
        cmap, metrics = font.getBestCmap(), font["hmtx"]
        units = sum(metrics[cmap.get(ord(char), ".notdef")][0] for char in text)
        return units * size / font["head"].unitsPerEm


def draw_outlined(canv: Canvas, text: str, font_file: Path, size: float, x: float, y: float) -> None:
    """Fill the outlines of text with the current fill colour, baseline starting at (x, y)."""
    with _lock:
        font = _font(font_file)
        cmap, glyphs, metrics = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
        path = canv.beginPath()
        pen = _PathPen(glyphs, path)
        advance = 0
        for char in text:
            name = cmap.get(ord(char), ".notdef")
            glyphs[name].draw(TransformPen(pen, (1, 0, 0, 1, advance, 0)))
            advance += metrics[name][0]
        scale = size / font["head"].unitsPerEm
    canv.saveState()
    canv.translate(x, y)
    canv.scale(scale, scale)
    canv.drawPath(path, stroke=0, fill=1, fillMode=1)
    canv.restoreState()

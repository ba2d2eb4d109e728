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


def outline_width(text: str, font_file: Path, size: float) -> float:
    with _lock:
        font = _font(font_file)
        cmap, metrics = font.getBestCmap(), font["hmtx"]
        units = sum(metrics[cmap.get(ord(char), ".notdef")][0] for char in text)
        return units * size / font["head"].unitsPerEm


def draw_outlined(canv: Canvas, text: str, font_file: Path, size: float, x: float, y: float) -> None:
    """Fill the outlines of text with the current fill colour, baseline starting at (x, y)."""
    segments, units_per_em = _outline(text, font_file)
    path = canv.beginPath()
    for operator, points in segments:
        if operator == "moveTo":
            path.moveTo(*points[0])
        elif operator == "lineTo":
            path.lineTo(*points[0])
        elif operator == "curveTo":
            path.curveTo(*points[0], *points[1], *points[2])
        elif operator == "closePath":
            path.close()
    scale = size / units_per_em
    canv.saveState()
    canv.translate(x, y)
    canv.scale(scale, scale)
    canv.drawPath(path, stroke=0, fill=1, fillMode=1)
    canv.restoreState()


@lru_cache(maxsize=16)
def _outline(text: str, font_file: Path) -> tuple[tuple, int]:
    """The text's outline in font units, as cubic segments: read once, drawn on every page."""
    with _lock:
        font = _font(font_file)
        cmap, glyphs, metrics = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
        recorder = _Recorder(glyphs)
        advance = 0
        for char in text:
            name = cmap.get(ord(char), ".notdef")
            glyphs[name].draw(TransformPen(recorder, (1, 0, 0, 1, advance, 0)))
            advance += metrics[name][0]
        return tuple(recorder.segments), font["head"].unitsPerEm


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

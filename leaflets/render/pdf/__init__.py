"""Render a resolved Leaflet as a print-ready PDF with ReportLab's platypus.

One module per concern: `styles` (paper, colours, paragraph styles), `lines`
(markup, scripts, line breaking), `flowables` (tagged paragraphs, tick boxes,
tables), `layout` (what one build shares), `page` (header, footer, page
numbers, DRAFT mark, logo), `story` (blocks to flowables), `qr` (the QR code to
the web version), `textcache` (caches of text already set), `textops` (the text
operators of shaped glyphs), `fontfiles` (font subsets embedded before), `filewriting`
(the file's bytes written by shorter paths), `ink` (how far letters reach above and below their line)
and `document` (the page templates and the build). Output is byte-for-byte reproducible
(ReportLab's invariant mode; no clock is read).

Content text met once is kept for the next leaflet (parsed markup, broken lines, bidi levels,
shaped words, font subsets; never a patient's details): `forget_cached_text` empties those caches.
"""

from __future__ import annotations

from . import lines
from .document import RenderedPdf, render_pdf
from .styles import PAPER_SIZES, PrintOptions
from .textcache import forget_all

__all__ = ["PAPER_SIZES", "PrintOptions", "RenderedPdf", "forget_cached_text", "render_pdf"]


def forget_cached_text() -> None:
    """Empty the caches of content text, so the next leaflet is set as if met for the first time
    (benchmarks measure both; a long-running process may also free the memory). Fonts stay loaded."""
    forget_all()
    lines.markup.cache_clear()

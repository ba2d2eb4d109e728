"""Render a resolved Leaflet as a print-ready PDF with ReportLab's platypus.

One module per concern: `styles` (paper, colours, paragraph styles), `lines`
(markup, scripts, line breaking), `flowables` (tagged paragraphs, tick boxes,
tables), `layout` (what one build shares), `page` (header, footer, page
numbers, DRAFT mark, logo), `story` (blocks to flowables), `qr` (the QR code to
the web version) and `document` (the page templates and the build). Output is byte-for-byte reproducible
(ReportLab's invariant mode; no clock is read).
"""

from __future__ import annotations

from .document import RenderedPdf, render_pdf
from .styles import PAPER_SIZES, PrintOptions

__all__ = ["PAPER_SIZES", "PrintOptions", "RenderedPdf", "render_pdf"]

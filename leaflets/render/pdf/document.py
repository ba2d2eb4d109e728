"""The build of one PDF: page templates and frames, the story laid into them, the structure tree added."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from ... import __version__
from ...fonts import check_coverage, fonts_for
from ...leaflet import Leaflet, texts
from .layout import Layout
from .lines import recording_glyph_texts
from .page import PageFurniture, numbered_canvas
from .story import Story
from .styles import MARGIN, PAPER_SIZES, PrintOptions


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def render_pdf(leaflet: Leaflet, paper: str = "a4", options: PrintOptions = PrintOptions()) -> RenderedPdf:
    """The leaflet as PDF bytes and its page count; nothing is written to disk here."""
    buffer = io.BytesIO()
    fonts = fonts_for(leaflet.language)
    check_coverage(texts(leaflet), fonts)
    layout = Layout(leaflet, PAPER_SIZES[paper], fonts, options)
    with recording_glyph_texts():  # what shaped glyphs stand for, for this document's ToUnicode maps
        pages = build(layout, buffer)
    return RenderedPdf(layout.tagger.finish(buffer.getvalue(), leaflet.title), pages)


def build(layout: Layout, buffer: io.BytesIO) -> int:
    """Lay out and write the PDF; return the number of pages."""
    leaflet = layout.leaflet
    page_w, page_h = layout.pagesize
    first = Frame(MARGIN, layout.footer, layout.width, page_h - layout.footer - layout.first_band - 8 * mm,
                  id="first", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(MARGIN, layout.footer, layout.width, page_h - layout.footer - layout.later_band - 6 * mm,
                  id="later", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc = BaseDocTemplate(
        buffer, pagesize=layout.pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=layout.footer, title=leaflet.title, author=leaflet.author, subject=leaflet.subtitle,
        creator=f"leaflets {__version__}", producer=f"leaflets {__version__} (ReportLab)",
        keywords=[leaflet.handout_id, *leaflet.profiles, leaflet.language],
        lang=leaflet.language, displayDocTitle=1, invariant=1, pageCompression=1,
        initialFontName=layout.fonts.regular, initialFontSize=11.5 * layout.k,
    )
    furniture = PageFurniture(layout)
    doc.addPageTemplates([
        PageTemplate("first", [first], onPage=furniture.first_page),
        PageTemplate("later", [later], onPage=furniture.later_page),
    ])
    doc.build(Story(layout).flowables(), canvasmaker=numbered_canvas(furniture))
    return doc.page

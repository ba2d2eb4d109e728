"""Page furniture: the brand's header band, the footer, "Page X of Y", the DRAFT mark and the logo.

All of it repeats on every page, so it is drawn as artifacts for screen readers,
except on the first page the logo (a Figure with the brand's alt text) and the
clinic's name and department, which are content.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as RLParagraph

from ...fonts import drawn, font_file_of
from ...substitute import fill
from ..logo import load_svg
from ..outline import draw_outlined, outline_width
from .filewriting import DEFLATED_ONCE
from .layout import Layout
from .styles import DRAFT_MARK, MARGIN


class PageFurniture:
    """Draws what surrounds the story on each page."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self._lines: dict[tuple, RLParagraph] = {}   # this document's band and footer lines, by text and look

    def size(self, points: float) -> float:
        return self.layout.furniture_size(points)

    def first_page(self, canv: Canvas, doc) -> None:
        """The header band and footer are artifacts (repeated furniture); the logo is a Figure, and the
        clinic's name and department are read as paragraphs."""
        lay = self.layout
        page_w, page_h = lay.pagesize
        text_x, text_w = MARGIN, lay.width
        logo = lay.leaflet.look.logo
        with lay.tagger.artifact(canv):
            self.watermark(canv)
            canv.saveState()
            canv.setFillColor(lay.primary)
            canv.rect(0, page_h - lay.first_band, page_w, lay.first_band, stroke=0, fill=1)
            canv.restoreState()
        if logo is not None:
            logo_w = self._logo_width(42 * mm, lay.first_band - 10 * mm)
            logo_x = page_w - MARGIN - logo_w if lay.fonts.rtl else MARGIN  # the logo leads the band
            with lay.tagger.mark(canv, lay.logo_tag):
                self._draw_logo(canv, logo_x, page_h - lay.first_band + 5 * mm, 42 * mm, lay.first_band - 10 * mm)
            text_w -= logo_w + 6 * mm
            text_x = MARGIN if lay.fonts.rtl else MARGIN + logo_w + 6 * mm
        look = lay.leaflet.look
        lines = [(look.clinic_name, lay.masthead_baselines[0], lay.fonts.bold, 16),
                 (look.department, lay.masthead_baselines[1], lay.fonts.regular, 11.5)]
        for (text, baseline, font, size), tag in zip([line for line in lines if line[0]], lay.masthead_tags):
            with lay.tagger.mark(canv, tag):
                self.line(canv, text, text_x, page_h - baseline, text_w, font, self.size(size), lay.on_primary)
        with lay.tagger.artifact(canv):
            self.footer(canv)

    def later_page(self, canv: Canvas, doc) -> None:
        with self.layout.tagger.artifact(canv):
            self._later_band(canv)

    def _later_band(self, canv: Canvas) -> None:
        lay = self.layout
        self.watermark(canv)
        page_w, page_h = lay.pagesize
        canv.saveState()
        canv.setFillColor(lay.primary)
        canv.rect(0, page_h - lay.later_band + 3 * mm, page_w, lay.later_band - 3 * mm, stroke=0, fill=1)
        # The clinic's name takes what it needs (up to half), the leaflet's title the rest: in large
        # print a title held to half the width would wrap out of the band.
        size = self.size(10)
        name = lay.leaflet.look.clinic_name
        name_w = min(canv.stringWidth(name, lay.fonts.bold, size) + 2 * mm, lay.width / 2)
        title_w = lay.width - name_w - 4 * mm
        start, end = (MARGIN + lay.width - name_w, MARGIN) if lay.fonts.rtl else (MARGIN, MARGIN + lay.width - title_w)
        baseline = page_h - lay.later_baseline
        self.line(canv, name, start, baseline, name_w, lay.fonts.bold, size, lay.on_primary)
        self.line(canv, lay.leaflet.title, end, baseline, title_w, lay.fonts.regular, size, lay.on_primary,
                  at_end=True)
        canv.restoreState()
        self.footer(canv)

    def footer(self, canv: Canvas) -> None:
        lay = self.layout
        page_w, _ = lay.pagesize
        canv.saveState()
        canv.setStrokeColor(lay.primary)
        canv.setLineWidth(0.8)
        canv.line(MARGIN, lay.footer_rule, page_w - MARGIN, lay.footer_rule)
        number_w = lay.page_number_width
        start = MARGIN + number_w if lay.fonts.rtl else MARGIN
        self.line(canv, lay.footer_text, start, lay.footer_baseline, lay.width - number_w,
                  lay.fonts.regular, self.size(9), lay.muted)
        canv.restoreState()

    def page_number(self, canv: Canvas, total: int) -> None:
        lay = self.layout
        label = fill(lay.leaflet.page_of, {"page": canv.getPageNumber(), "pages": total})
        number_w = lay.page_number_width
        end = MARGIN if lay.fonts.rtl else MARGIN + lay.width - number_w
        with lay.tagger.artifact(canv, "Pagination"):
            self.line(canv, label, end, lay.footer_baseline, number_w, lay.fonts.bold, self.size(9),
                      lay.muted, at_end=True)

    def line(self, canv: Canvas, text: str, x: float, baseline: float, width: float, font: str, size: float,
             colour, at_end: bool = False) -> None:
        """One line of text in a band, or the footer's lines (broken at "\\n"), set like the body (fallback
        faces, shaping, direction).

        It starts at the reading start of its box, or ends at its reading end with at_end.
        """
        lay = self.layout
        rtl = lay.fonts.rtl
        simple = not (rtl or lay.fonts.shaping) and "\n" not in text and drawn(lay.fonts.regular).issuperset(text)
        if simple and canv.stringWidth(text, font, size) <= width:  # the common case, drawn directly: faster
            canv.saveState()
            canv.setFillColor(colour)
            canv.setFont(font, size)
            if at_end:
                canv.drawRightString(x + width, baseline, text)
            else:
                canv.drawString(x, baseline, text)
            canv.restoreState()
            return
        align = TA_LEFT if (rtl == at_end) else TA_RIGHT
        key = (text, font, size, str(colour), align, width)
        paragraph = self._lines.get(key)
        if paragraph is None:  # the same band and footer on every page: set once per document
            style = ParagraphStyle("band", parent=lay.styles.body, fontName=font, fontSize=size,
                                   leading=size * lay.furniture_leading,
                                   textColor=colour, alignment=align, spaceAfter=0)
            paragraph = self._lines[key] = lay.para(text, style, bold=font == lay.fonts.bold)
            paragraph.wrap(width, size * 3)
        # ReportLab puts a paragraph's first baseline one font size under its top: here 0.05 of it under
        # `baseline`, whatever the line spacing.
        paragraph.drawOn(canv, x, baseline - paragraph.height + 0.95 * size)

    def watermark(self, canv: Canvas) -> None:
        """Draft content: a pale mark across the page, under the text (drawn before it)."""
        lay = self.layout
        text = lay.leaflet.watermark
        if not text:
            return
        if not canv.hasForm("DraftMark"):  # drawn once, placed on every page
            page_w, page_h = lay.pagesize
            face = next((f for f in (lay.fonts.regular, *lay.fonts.fallback) if drawn(f).issuperset(text)), None)
            if face is None:
                return  # no one face draws the whole mark: the notice under the title says it in words
            font_file = font_file_of(f"{face}-Bold")
            diagonal = (page_w ** 2 + page_h ** 2) ** 0.5
            size = min(64, 0.8 * diagonal / outline_width(text, font_file, 1))
            canv.beginForm("DraftMark")
            canv.setFillColor(DRAFT_MARK)
            canv.translate(page_w / 2, page_h / 2)
            canv.rotate(math.degrees(math.atan2(page_h, page_w)))
            draw_outlined(canv, text, font_file, size, -outline_width(text, font_file, size) / 2, -size / 3)
            canv.endForm()
            _deflated_once(canv, "DraftMark")
        canv.doForm("DraftMark")

    def _logo_width(self, max_w: float, max_h: float) -> float:
        logo = self.layout.leaflet.look.logo
        if logo.suffix.lower() == ".svg":
            drawing = load_svg(logo)
            return drawing.width * min(max_w / drawing.width, max_h / drawing.height)
        img_w, img_h = ImageReader(str(logo)).getSize()
        return img_w * min(max_w / img_w, max_h / img_h)

    def _draw_logo(self, canv: Canvas, x: float, y: float, max_w: float, max_h: float) -> float:
        """Draw the logo inside the box, keeping its shape; return the width used."""
        logo = self.layout.leaflet.look.logo
        if logo.suffix.lower() == ".svg":
            drawing = load_svg(logo)
            # Without this, ReportLab's graphics start from Helvetica and put an
            # unembedded standard font into the PDF even when the logo has no text.
            drawing.initialFontName = self.layout.fonts.regular
            scale = min(max_w / drawing.width, max_h / drawing.height)
            canv.saveState()
            canv.translate(x, y + (max_h - drawing.height * scale) / 2)
            canv.scale(scale, scale)
            renderPDF.draw(drawing, canv, 0, 0)
            canv.restoreState()
            return drawing.width * scale
        image = ImageReader(str(logo))
        img_w, img_h = image.getSize()
        scale = min(max_w / img_w, max_h / img_h)
        canv.drawImage(image, x, y + (max_h - img_h * scale) / 2, img_w * scale, img_h * scale, mask="auto")
        return img_w * scale


def _deflated_once(canv: Canvas, name: str) -> None:
    """The form's drawing is deflated once per process, not once per document: the DRAFT mark's
    outlines are the same on every page of every draft on one paper (half a millisecond a leaflet)."""
    form = canv._doc.idToObject[pdfdoc.xObjectName(name)]
    if form.compression and form.stream and not form.Contents:
        form.Contents = pdfdoc.PDFStream(content=form.stream, filters=[DEFLATED_ONCE])
        form.compression = 0  # ReportLab would set its own filter again


def numbered_canvas(furniture: PageFurniture):
    """A canvas class that holds pages back until the end, so each can say 'Page X of Y'."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            with _flate_alone():
                for state in self._pages:
                    self.__dict__.update(state)
                    furniture.page_number(self, total)
                    super().showPage()
                self.showOutline()
                super().save()

    return NumberedCanvas


@contextmanager
def _flate_alone():
    """While the file is written, streams are deflated only, not also ASCII85-encoded (ReportLab's
    default): the tagging pass then copies them as they are instead of decoding and deflating them
    again (see filewriting._one_filter_named). Not while pages are drawn: ReportLab writes an inline
    image (a PNG inside an SVG logo) as binary bytes it cannot join into the page when ASCII85 is off."""
    before, rl_config.useA85 = rl_config.useA85, 0
    try:
        yield
    finally:
        rl_config.useA85 = before

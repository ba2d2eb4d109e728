"""Render a resolved Leaflet as a print-ready PDF with ReportLab's platypus.

Owns everything visual: page sizes, the brand header band, the footer with
"Page X of Y", fonts, and how each block kind looks. Output is byte-for-byte
reproducible (ReportLab's invariant mode; no clock is read).
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame,
                                NextPageTemplate, PageTemplate, Spacer)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import paragraph as _paragraph_module
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from .. import __version__
from ..colour import BLACK, WHITE, contrast, keep_if_contrast
from ..fonts import BIDI_CONTROLS, FontSet, check_coverage, draws, face_for, font_file_of, fonts_for
from ..leaflet import (BulletList, Checklist, Entry, Faq, Leaflet, LeafletSection, Paragraph, References, Table,
                       texts)
from ..substitute import fill
from .logo import load_svg
from .outline import draw_outlined, outline_width
from .tagging import Element, Tagger

# Chinese line breaking: ReportLab's table of characters that may not start a line is the Japanese
# one; Chinese also never starts a line with these full-width marks (W3C clreq, GB/T 15834).
_paragraph_module.ALL_CANNOT_START += "\uff0c\uff1a\uff1b\uff1f\uff01\u201d\u2019\u300b\u3009\u2026\u2014"

# ReportLab 5.1 reads the last operator of a text object before raising a shaped glyph (an Arabic
# mark with a vertical offset), and fails when the text object has none yet; an empty one is harmless.
_set_rise = PDFTextObject.setRise


def _safe_set_rise(self, rise):
    if not self._code:
        self._code.append("")
    _set_rise(self, rise)


PDFTextObject.setRise = _safe_set_rise

PAPER_SIZES = {"a4": A4, "letter": LETTER}
MARGIN = 18 * mm
FIRST_BAND = 30 * mm
LATER_BAND = 12 * mm
FOOTER = 16 * mm
INK = colors.HexColor("#1A1A1A")
BULLET = "\u2022"
MUTED = colors.HexColor("#4D4D4D")
DRAFT_MARK = colors.HexColor("#F1D8D7")  # the emergency red at 18% on white: visible, never in the way

# Callout boxes: background, border, title colour. Emergency is the loudest.
TONES = {
    "emergency": ("#FDECEA", "#B3261E", "#8C1D18", 2.0),
    "warning": ("#FFF4E0", "#A65A00", "#6E3B00", 1.5),
}


@dataclass(frozen=True)
class PrintOptions:
    """How a leaflet is printed for readers with low vision: the content is always the same."""

    large_print: bool = False     # body 16 pt, headings larger, more space
    high_contrast: bool = False   # black on white; brand colours only where they keep 7:1

    @property
    def scale(self) -> float:
        return LARGE_BODY / BODY if self.large_print else 1.0

    @property
    def suffix(self) -> str:
        return "".join(("-large" if self.large_print else "", "-contrast" if self.high_contrast else ""))


BODY, LARGE_BODY = 11.5, 16.0   # points


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def render_pdf(leaflet: Leaflet, paper: str = "a4", options: PrintOptions = PrintOptions()) -> RenderedPdf:
    """The leaflet as PDF bytes and its page count; nothing is written to disk here."""
    buffer = io.BytesIO()
    fonts = fonts_for(leaflet.language)
    check_coverage(texts(leaflet), fonts)
    layout = _Layout(leaflet, PAPER_SIZES[paper], fonts, options)
    pages = layout.build(buffer)
    return RenderedPdf(layout.tagger.finish(buffer.getvalue(), leaflet.title), pages)


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    written_for: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    entry: ParagraphStyle
    bullet: ParagraphStyle
    question: ParagraphStyle
    answer: ParagraphStyle
    checklist: ParagraphStyle
    cell: ParagraphStyle
    header_cell: ParagraphStyle
    small: ParagraphStyle
    reference: ParagraphStyle


def _styles(fonts: FontSet, primary: colors.Color, on_primary: colors.Color, ink=None, muted=None,
            scale: float = 1.0) -> _Styles:
    """The paragraph styles; scale > 1 for large print (every size, space and indent grows)."""
    ink, muted = ink or INK, muted or MUTED
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=11.5, leading=15.2, textColor=ink,
                          spaceAfter=4, alignment=TA_RIGHT if fonts.rtl else TA_LEFT,
                          wordWrap="RTL" if fonts.rtl else ("CJK" if fonts.cjk else None),
                          shaping=1 if fonts.shaping else 0)
    styles = _latin_styles(body, fonts, primary, on_primary, muted)
    if scale != 1.0:
        styles = _Styles(**{name: _scaled(style, scale) for name, style in vars(styles).items()})
    if fonts.rtl:  # indents are measured from the start of the line, which is on the right
        return _Styles(**{name: _mirrored(style) for name, style in vars(styles).items()})
    return styles


def _scaled(style: ParagraphStyle, scale: float) -> ParagraphStyle:
    """Large print: everything grows, and no text is smaller than the 16 pt body."""
    scaled = ParagraphStyle(style.name + "-large", parent=style)
    for name in ("fontSize", "leading", "spaceAfter", "spaceBefore", "leftIndent", "rightIndent", "bulletIndent",
                 "bulletFontSize"):
        setattr(scaled, name, getattr(style, name) * scale)
    scaled.fontSize = max(scaled.fontSize, LARGE_BODY)
    scaled.bulletFontSize = max(scaled.bulletFontSize, LARGE_BODY)
    scaled.leading = max(scaled.leading, scaled.fontSize * 1.35)  # a little more air between lines
    return scaled


def _mirrored(style: ParagraphStyle) -> ParagraphStyle:
    mirrored = ParagraphStyle(style.name + "-rtl", parent=style)
    mirrored.leftIndent, mirrored.rightIndent = style.rightIndent, style.leftIndent
    return mirrored


def _latin_styles(body: ParagraphStyle, fonts: FontSet, primary: colors.Color, on_primary: colors.Color,
                  muted: colors.Color) -> _Styles:
    marks = f"{face_for(BULLET, fonts) or fonts.regular}-Bold"  # bullets and numbers may need a fallback face
    return _Styles(
        title=ParagraphStyle("title", parent=body, fontName=fonts.bold, fontSize=23, leading=28,
                             textColor=primary, spaceAfter=4),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=14, leading=19, spaceAfter=6),
        written_for=ParagraphStyle("written_for", parent=body, fontName=fonts.bold, fontSize=12, leading=16,
                                   spaceAfter=8),
        heading=ParagraphStyle("heading", parent=body, fontName=fonts.bold, fontSize=15.5, leading=20,
                               textColor=primary, spaceAfter=5, keepWithNext=1),
        body=body,
        entry=ParagraphStyle("entry", parent=body, spaceAfter=3),
        bullet=ParagraphStyle("bullet", parent=body, spaceAfter=3, leftIndent=15, bulletIndent=3,
                              bulletFontName=marks, bulletFontSize=11.5, bulletColor=primary),
        question=ParagraphStyle("question", parent=body, fontName=fonts.bold, fontSize=12.5, leading=17,
                                spaceAfter=2, keepWithNext=1),
        answer=ParagraphStyle("answer", parent=body),
        checklist=ParagraphStyle("checklist", parent=body, leftIndent=5 * mm + 5 * mm, spaceAfter=6),
        cell=ParagraphStyle("cell", parent=body, fontSize=11, leading=14.5, spaceAfter=0),
        header_cell=ParagraphStyle("header_cell", parent=body, fontName=fonts.bold, fontSize=11, leading=14.5,
                                   textColor=on_primary, spaceAfter=0),
        small=ParagraphStyle("small", parent=body, fontSize=9, leading=12, textColor=muted, spaceAfter=4),
        reference=ParagraphStyle("reference", parent=body, fontSize=10, leading=13, spaceAfter=3,
                                 leftIndent=18, bulletIndent=0, bulletFontName=marks, bulletFontSize=10),
    )


@lru_cache(maxsize=8192)
def _markup(text: str, fonts: FontSet) -> str:
    """Plain text made safe for ReportLab's paragraph markup (<, & and > print as themselves), with
    runs the main face cannot draw set in a fallback face; spaces and punctuation stay in their run."""
    parts: list[str] = []
    current, run = fonts.regular, ""
    for char in text:
        face = face_for(char, fonts) or fonts.regular
        if face != current and not (draws(current, char) and not char.isalpha()):
            parts.append(_run(run, current, fonts))
            current, run = face, ""
        run += char
    parts.append(_run(run, current, fonts))
    return "".join(parts).replace("\n", "<br/>")


def _plain(entry: Entry) -> str:
    return f"{entry.lead} {entry.text}" if entry.lead else entry.text


def _run(text: str, face: str, fonts: FontSet) -> str:
    if not text:
        return ""
    return escape(text) if face == fonts.regular else f'<font face="{face}">{escape(text)}</font>'


class _Bookmark(Flowable):
    """An invisible mark that adds a section to the PDF outline where it lands."""

    def __init__(self, key: str, title: str):
        super().__init__()
        self.key, self.title = key, title
        self.width = self.height = 0
        self.keepWithNext = 1

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=0)


class _SpokenParagraph(RLParagraph):
    """A paragraph that is tagged for screen readers and tells them its words in reading order.

    Its content is marked with its structure element (P, H2, LBody, TD ...); a
    list item also draws its label (bullet, number or tick box) as Lbl. Shaped
    and right-to-left text is drawn as glyphs in visual order, some with no
    Unicode value of their own (Devanagari conjuncts, joined Arabic forms), so it
    also carries an ActualText span; without it, extracted text comes out scrambled.
    """

    spoken: str = ""          # the logical text of this paragraph, or of this part of a split one
    tagger: Tagger | None = None
    tag: Element | None = None
    label: str = ""           # bullet or number, drawn as the item's Lbl
    label_tag: Element | None = None
    label_colour = colors.black
    continued = False         # the second part of a split paragraph: no second label
    _marked = False           # drawn once already: a repeated table header is an artifact

    def split(self, available_width, available_height):
        if not getattr(self, "allowSplitting", 1):
            return []  # moved whole to the next page
        parts = super().split(available_width, available_height)
        if len(parts) == 2:
            for part in parts:
                for name in ("tagger", "tag", "label", "label_tag", "label_colour"):
                    setattr(part, name, getattr(self, name))
            parts[1].continued = True
            if self.spoken:
                words = self.spoken.split()
                count = _word_count(parts[0])
                parts[0].spoken, parts[1].spoken = " ".join(words[:count]), " ".join(words[count:])
        return parts

    def draw(self):
        canv, tagger = self.canv, self.tagger
        if tagger is None or self.tag is None:
            return self._draw_text()
        if self._marked:
            with tagger.artifact(canv, "Pagination"):
                self._draw_label()
                self._draw_text()
            return
        self._marked = True
        if self.label_tag is not None and not self.continued:
            with tagger.mark(canv, self.label_tag):
                self._draw_label()
        with tagger.mark(canv, self.tag):
            self._draw_text()

    def _draw_text(self):
        if not self.spoken:
            return super().draw()
        self.canv.addLiteral(f"/Span <</ActualText {_pdf_text(self.spoken)}>> BDC")
        super().draw()
        self.canv.addLiteral("EMC")

    def _draw_label(self):
        if not self.label or self.continued:
            return
        style = self.style
        font, size = style.bulletFontName, style.bulletFontSize
        ascent = pdfmetrics.getAscentDescent(style.fontName, style.fontSize)[0]
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.label_colour)
        canv.setFont(font, size)
        if style.wordWrap == "RTL":
            canv.drawRightString(self.width - style.bulletIndent, self.height - ascent, self.label)
        else:
            canv.drawString(style.bulletIndent, self.height - ascent, self.label)
        canv.restoreState()


def _word_count(paragraph: RLParagraph) -> int:
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:  # one font: (extra space, [words]) per line
        return sum(len(words) for _, words in lines)
    return sum(len(line.words) for line in lines)


def _pdf_text(text: str) -> str:
    """A PDF text string (UTF-16BE, hex) without bidi control characters."""
    clean = "".join(c for c in text if c not in BIDI_CONTROLS)
    return "<FEFF" + clean.encode("utf-16-be").hex().upper() + ">"


class _TickedParagraph(_SpokenParagraph):
    """A checklist entry: an empty square to tick with a pen, level with its first line, as its label."""

    @property
    def box(self) -> float:
        """5 mm beside body text, growing with the text in large print."""
        return 5 * mm * self.style.fontSize / BODY

    def _draw_label(self):
        if self.continued:
            return
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(self.label_colour)
        canv.setLineWidth(1.4)
        start = self.width - self.box if self.style.wordWrap == "RTL" else 0  # the box leads the line
        canv.translate(start, self.height - self.box - 1)
        canv.rect(0, 0, self.box, self.box, stroke=1, fill=0)
        canv.restoreState()


class _TaggedTable(RLTable):
    """A table whose backgrounds and rules are artifacts; its cells' paragraphs carry the tags."""

    tagger: Tagger | None = None

    def _drawBkgrnd(self):
        if self.tagger is None:
            return super()._drawBkgrnd()
        with self.tagger.artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self):
        if self.tagger is None:
            return super()._drawLines()
        with self.tagger.artifact(self.canv):
            super()._drawLines()


class _Layout:
    """One build of one leaflet: page templates, story and page decorations."""

    def __init__(self, leaflet: Leaflet, pagesize: tuple[float, float], fonts: FontSet,
                 options: PrintOptions = PrintOptions()):
        self.leaflet = leaflet
        self.pagesize = pagesize
        self.fonts = fonts
        self.options = options
        self.k = options.scale
        self.first_band, self.later_band, self.footer = FIRST_BAND * self.k, LATER_BAND * self.k, FOOTER * self.k
        look = leaflet.look
        if options.high_contrast:
            # Black on white. The brand colour stays where it keeps 7:1 (WCAG AAA): on white for
            # headings, and behind the band's text; tinted backgrounds become white.
            primary = keep_if_contrast(look.primary, WHITE, 7.0, BLACK)
            on_primary = keep_if_contrast(look.text_on_primary, primary, 7.0,
                                          WHITE if contrast(WHITE, primary) >= contrast(BLACK, primary) else BLACK)
            self.primary, self.on_primary = colors.HexColor(primary), colors.HexColor(on_primary)
            self.accent = colors.white
            self.ink = self.muted = colors.black
            self.tones = {tone: ("#FFFFFF", keep_if_contrast(border, WHITE, 7.0, BLACK),
                                 keep_if_contrast(title, WHITE, 7.0, BLACK), weight * 1.5)
                          for tone, (_, border, title, weight) in TONES.items()}
        else:
            self.primary = colors.HexColor(look.primary)
            self.accent = colors.HexColor(look.accent)
            self.on_primary = colors.HexColor(look.text_on_primary)
            self.ink, self.muted, self.tones = INK, MUTED, TONES
        self.styles = _styles(fonts, self.primary, self.on_primary, self.ink, self.muted, self.k)
        self.width = pagesize[0] - 2 * MARGIN
        self.tagger = Tagger(leaflet.language)
        self.logo_tag: Element | None = None

    def _m(self, text: str) -> str:
        return _markup(text, self.fonts)

    def _para(self, text: str, style: ParagraphStyle, tag: Element | None = None, bold: bool = False,
              markup: str | None = None, cls=None, **options) -> RLParagraph:
        """A paragraph of plain text, tagged as `tag`; shaped or right-to-left scripts also carry
        their reading order."""
        body = markup if markup is not None else self._m(text)
        paragraph = (cls or _SpokenParagraph)(f"<b>{body}</b>" if bold else body, style, **options)
        if self.fonts.shaping or self.fonts.rtl:
            paragraph.spoken = " ".join(text.split())
        if tag is not None:
            paragraph.tagger, paragraph.tag = self.tagger, tag
        return paragraph

    def _item(self, parent: Element, text: str, style: ParagraphStyle, label: str = "", markup: str | None = None,
              cls=None) -> RLParagraph:
        """A list item: LI with its label (Lbl) and its body (LBody)."""
        item = parent.child("LI")
        label_tag = item.child("Lbl")
        paragraph = self._para(text, style, item.child("LBody"), markup=markup, cls=cls)
        paragraph.label, paragraph.label_tag, paragraph.label_colour = label, label_tag, self.primary
        return paragraph

    def _entry(self, entry: Entry) -> str:
        if self.fonts.rtl:
            # ReportLab orders right-to-left words correctly within one run of one font; a bold lead
            # would be a second run, and its words would come out in the wrong order.
            return self._m(f"{entry.lead} {entry.text}" if entry.lead else entry.text)
        lead = f"<b>{self._m(entry.lead)}</b> " if entry.lead else ""
        return lead + self._m(entry.text)

    # --- document --------------------------------------------------------------
    def build(self, buffer: io.BytesIO) -> int:
        """Lay out and write the PDF; return the number of pages."""
        leaflet = self.leaflet
        page_w, page_h = self.pagesize
        first = Frame(MARGIN, self.footer, self.width, page_h - self.footer - self.first_band - 8 * mm, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(MARGIN, self.footer, self.width, page_h - self.footer - self.later_band - 6 * mm, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc = BaseDocTemplate(
            buffer, pagesize=self.pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=self.footer, title=leaflet.title, author=leaflet.author, subject=leaflet.subtitle,
            creator=f"leaflets {__version__}", producer=f"leaflets {__version__} (ReportLab)",
            keywords=[leaflet.handout_id, *leaflet.profiles, leaflet.language],
            lang=leaflet.language, displayDocTitle=1, invariant=1, pageCompression=1,
            initialFontName=self.fonts.regular, initialFontSize=11.5 * self.k,
        )
        doc.addPageTemplates([
            PageTemplate("first", [first], onPage=self._first_page),
            PageTemplate("later", [later], onPage=self._later_page),
        ])
        doc.build(self.story(), canvasmaker=self._canvas_class())
        return doc.page

    def _canvas_class(self):
        layout = self

        class NumberedCanvas(Canvas):
            """Holds pages back until the end, so each can say 'Page X of Y'."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self):
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for state in self._pages:
                    self.__dict__.update(state)
                    layout._page_number(self, total)
                    super().showPage()
                self.showOutline()
                super().save()

        return NumberedCanvas

    # --- page decorations ----------------------------------------------------------
    def _first_page(self, canv: Canvas, doc) -> None:
        """The header band and footer are artifacts (repeated furniture); the logo is a Figure."""
        page_w, page_h = self.pagesize
        text_x, text_w = MARGIN, self.width
        logo = self.leaflet.look.logo
        with self.tagger.artifact(canv):
            self._watermark(canv)
            canv.saveState()
            canv.setFillColor(self.primary)
            canv.rect(0, page_h - self.first_band, page_w, self.first_band, stroke=0, fill=1)
            canv.restoreState()
        if logo is not None:
            logo_w = self._logo_width(42 * mm, self.first_band - 10 * mm)
            logo_x = page_w - MARGIN - logo_w if self.fonts.rtl else MARGIN  # the logo leads the band
            with self.tagger.mark(canv, self.logo_tag):
                self._draw_logo(canv, logo_x, page_h - self.first_band + 5 * mm, 42 * mm, self.first_band - 10 * mm)
            text_w -= logo_w + 6 * mm
            text_x = MARGIN if self.fonts.rtl else MARGIN + logo_w + 6 * mm
        with self.tagger.artifact(canv):
            self._line(canv, self.leaflet.look.clinic_name, text_x, page_h - self.first_band / 2 + 1.5 * mm * self.k, text_w,
                       self.fonts.bold, 16 * self.k, self.on_primary)
            if self.leaflet.look.department:
                self._line(canv, self.leaflet.look.department, text_x, page_h - self.first_band / 2 - 5 * mm * self.k, text_w,
                           self.fonts.regular, 11.5 * self.k, self.on_primary)
            self._footer(canv)

    def _later_page(self, canv: Canvas, doc) -> None:
        with self.tagger.artifact(canv):
            self._later_band(canv)

    def _later_band(self, canv: Canvas) -> None:
        self._watermark(canv)
        page_w, page_h = self.pagesize
        canv.saveState()
        canv.setFillColor(self.primary)
        canv.rect(0, page_h - self.later_band + 3 * mm, page_w, self.later_band - 3 * mm, stroke=0, fill=1)
        half = self.width / 2
        start, end = (MARGIN + half, MARGIN) if self.fonts.rtl else (MARGIN, MARGIN + half)
        self._line(canv, self.leaflet.look.clinic_name, start, page_h - self.later_band + 6 * mm * self.k, half,
                   self.fonts.bold, 10 * self.k, self.on_primary)
        self._line(canv, self.leaflet.title, end, page_h - self.later_band + 6 * mm * self.k, half, self.fonts.regular, 10 * self.k,
                   self.on_primary, at_end=True)
        canv.restoreState()
        self._footer(canv)

    def _footer(self, canv: Canvas) -> None:
        page_w, _ = self.pagesize
        canv.saveState()
        canv.setStrokeColor(self.primary)
        canv.setLineWidth(0.8)
        canv.line(MARGIN, self.footer - 5 * mm * self.k, page_w - MARGIN, self.footer - 5 * mm * self.k)
        start = MARGIN + 0.25 * self.width if self.fonts.rtl else MARGIN
        self._line(canv, self.leaflet.footer, start, self.footer - 9.5 * mm * self.k, 0.75 * self.width, self.fonts.regular, 9 * self.k, self.muted)
        canv.restoreState()

    def _page_number(self, canv: Canvas, total: int) -> None:
        label = fill(self.leaflet.page_of, {"page": canv.getPageNumber(), "pages": total})
        end = MARGIN if self.fonts.rtl else MARGIN + 0.75 * self.width
        with self.tagger.artifact(canv, "Pagination"):
            self._line(canv, label, end, self.footer - 9.5 * mm * self.k, 0.25 * self.width, self.fonts.bold, 9 * self.k, self.muted, at_end=True)

    def _line(self, canv: Canvas, text: str, x: float, baseline: float, width: float, font: str, size: float,
              colour, at_end: bool = False) -> None:
        """One line of text in a band, set like the body (fallback faces, shaping, direction).

        It starts at the reading start of its box, or ends at its reading end with at_end.
        """
        rtl = self.fonts.rtl
        simple = not (rtl or self.fonts.shaping) and all(draws(self.fonts.regular, c) for c in text)
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
        style = ParagraphStyle("band", parent=self.styles.body, fontName=font, fontSize=size, leading=size * 1.2,
                               textColor=colour, alignment=align, spaceAfter=0)
        paragraph = self._para(text, style, bold=font == self.fonts.bold)
        paragraph.wrap(width, size * 3)
        paragraph.drawOn(canv, x, baseline - size * 0.25 - (paragraph.height - style.leading))

    def _watermark(self, canv: Canvas) -> None:
        """Draft content: a pale mark across the page, under the text (drawn before it)."""
        text = self.leaflet.watermark
        if not text:
            return
        if not canv.hasForm("DraftMark"):  # drawn once, placed on every page
            page_w, page_h = self.pagesize
            face = next((f for f in (self.fonts.regular, *self.fonts.fallback) if all(draws(f, c) for c in text)), None)
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
        canv.doForm("DraftMark")

    def _logo_width(self, max_w: float, max_h: float) -> float:
        logo = self.leaflet.look.logo
        if logo.suffix.lower() == ".svg":
            drawing = load_svg(logo)
            return drawing.width * min(max_w / drawing.width, max_h / drawing.height)
        from reportlab.lib.utils import ImageReader
        img_w, img_h = ImageReader(str(logo)).getSize()
        return img_w * min(max_w / img_w, max_h / img_h)

    def _draw_logo(self, canv: Canvas, x: float, y: float, max_w: float, max_h: float) -> float:
        """Draw the logo inside the box, keeping its shape; return the width used."""
        logo = self.leaflet.look.logo
        if logo.suffix.lower() == ".svg":
            drawing = load_svg(logo)
            # Without this, ReportLab's graphics start from Helvetica and put an
            # unembedded standard font into the PDF even when the logo has no text.
            drawing.initialFontName = self.fonts.regular
            scale = min(max_w / drawing.width, max_h / drawing.height)
            canv.saveState()
            canv.translate(x, y + (max_h - drawing.height * scale) / 2)
            canv.scale(scale, scale)
            renderPDF.draw(drawing, canv, 0, 0)
            canv.restoreState()
            return drawing.width * scale
        from reportlab.lib.utils import ImageReader
        image = ImageReader(str(logo))
        img_w, img_h = image.getSize()
        scale = min(max_w / img_w, max_h / img_h)
        canv.drawImage(image, x, y + (max_h - img_h * scale) / 2, img_w * scale, img_h * scale, mask="auto")
        return img_w * scale

    # --- story --------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        """The flowables in reading order; the structure elements are made in the same order."""
        leaflet, s = self.leaflet, self.styles
        root = self.tagger.root
        if leaflet.look.logo is not None:
            self.logo_tag = root.child("Figure", alt=leaflet.look.logo_alt)
        story: list[Flowable] = [NextPageTemplate("later"), _Bookmark("title", leaflet.title),
                                 self._para(leaflet.title, s.title, root.child("H1"))]
        if leaflet.subtitle:
            story.append(self._para(leaflet.subtitle, s.subtitle, root.child("P")))
        if leaflet.written_for:
            story.append(self._para(leaflet.written_for, s.written_for, root.child("P")))
        # The watermark is a picture; the draft status is also said once in words.
        for notice, tone in ((leaflet.watermark, "emergency"), *((n, "warning") for n in leaflet.notices)):
            if notice:
                background, border, _, weight = self.tones[tone]
                box = self._box([self._para(notice, s.written_for, root.child("P"))], colors.HexColor(background),
                                colors.HexColor(border), weight, padding=3 * mm)
                story += [Spacer(0, 1 * mm), box, Spacer(0, 2 * mm)]
        if leaflet.for_you:
            story += [Spacer(0, 2 * mm), self._for_you(), Spacer(0, 2 * mm)]
        for section in leaflet.sections:
            story += self._section(section, root.child("Sect"))
        return story

    def _for_you(self) -> Flowable:
        s = self.styles
        table = self.tagger.root.child("Table")
        rows = [[self._para(self.leaflet.for_you_title, s.header_cell,
                            table.child("TR").child("TH", attributes={"O": "Table", "Scope": "Column", "ColSpan": 2})), ""]]
        for label, value in self.leaflet.for_you:
            row = table.child("TR")
            rows.append([self._para(label, s.cell, row.child("TH", attributes={"O": "Table", "Scope": "Row"}), bold=True),
                         self._para(value, s.cell, row.child("TD"))])
        widths = [0.3 * self.width, 0.7 * self.width]
        if self.fonts.rtl:  # labels on the right, where reading starts (the title row spans both)
            rows = [rows[0]] + [row[::-1] for row in rows[1:]]
            widths = widths[::-1]
        table = self._tagged(_TaggedTable(rows, colWidths=widths))
        table.setStyle(self._table_style([
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), self.primary),
            ("BOX", (0, 0), (-1, -1), 1.2, self.primary),
            ("LINEBELOW", (0, 1), (-1, -2), 0.4, self.accent),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ]))
        return table

    def _tagged(self, table: _TaggedTable) -> _TaggedTable:
        table.tagger = self.tagger
        return table

    def _section(self, section: LeafletSection, tag: Element) -> list[Flowable]:
        s = self.styles
        mark = _Bookmark(f"s-{section.id}", section.title)
        heading_tag = tag.child("H2")

        def note() -> list[Flowable]:  # made after the blocks, so it is read after them
            return [self._para(section.sources_note, s.small, tag.child("P"))] if section.sources_note else []
        # Space above a heading is a Spacer outside the keep-with-next chain: ReportLab
        # leaves the first item's spaceBefore out when it measures a chain, and a
        # heading could then be stranded at the foot of a page.
        gap = Spacer(0, 10)
        if section.tone is None or section.tone == "info":
            content = [self._para(section.title, s.heading, heading_tag)]
            for block in section.blocks:
                content += self._block(block, self.width, tag)
            if section.tone == "info":
                return [gap, mark, self._box(content, self.accent, self.primary, 1.0), *note()]
            return [gap, mark, *content, *note()]
        background, border, title_colour, weight = self.tones[section.tone]
        heading = ParagraphStyle("callout_heading", parent=s.heading, textColor=colors.HexColor(title_colour),
                                 spaceBefore=0, fontSize=(17 if section.tone == "emergency" else 15.5) * self.k,
                                 leading=(22 if section.tone == "emergency" else 20) * self.k)
        content = [self._para(section.title, heading, heading_tag)]
        for block in section.blocks:
            content += self._block(block, self.width - 14 * mm, tag)
        box = self._box(content, colors.HexColor(background), colors.HexColor(border), weight)
        return [gap, mark, box, *note()]

    def _table_style(self, commands: list) -> TableStyle:
        # Every cell holds a Paragraph, but a table still sets its own default
        # font (Helvetica) unless told otherwise, which would put an unembedded
        # standard font into the PDF.
        return TableStyle([("FONT", (0, 0), (-1, -1), self.fonts.regular, 11), *commands])

    def _box(self, content: list[Flowable], background, border, weight: float, padding: float = 7 * mm) -> Flowable:
        box = self._tagged(_TaggedTable([[content]], colWidths=[self.width]))
        box.setStyle(self._table_style([
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("BOX", (0, 0), (-1, -1), weight, border),
            ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), min(padding, 4 * mm)), ("BOTTOMPADDING", (0, 0), (-1, -1), min(padding, 3 * mm)),
        ]))
        return box

    def _block(self, block, width: float, tag: Element) -> list[Flowable]:
        s = self.styles
        if isinstance(block, Paragraph):
            return [self._para(block.text, s.body, tag.child("P"))]
        # Lists are single flowables per entry (not ListFlowable or one big table) so a
        # heading can keep with the first entry and long lists still flow across pages.
        if isinstance(block, BulletList):
            items = tag.child("L", attributes={"O": "List", "ListNumbering": "Disc"})
            return [self._item(items, _plain(e), s.bullet, BULLET, self._entry(e)) for e in block.entries]
        if isinstance(block, References):
            # Sources are cited as published, mostly in English, whatever the leaflet's language.
            items = tag.child("L", lang="en" if self.leaflet.language != "en" else None,
                              attributes={"O": "List", "ListNumbering": "Decimal"})
            references = [self._item(items, f"{r.text} {r.url}".strip(), s.reference, f"{r.number}.")
                          for r in block.entries]
            for reference in references:
                # A few lines each, often with a long unbreakable web address: moved whole to the next
                # page rather than split, which ReportLab can get wrong for shaped text at large sizes.
                reference.allowSplitting = 0
            return references
        if isinstance(block, Checklist):
            items = tag.child("L", attributes={"O": "List", "ListNumbering": "None"})
            return [self._item(items, _plain(e), s.checklist, markup=self._entry(e), cls=_TickedParagraph)
                    for e in block.entries]
        if isinstance(block, Table):
            return [self._table(block, width, tag.child("Table"))]
        if isinstance(block, Faq):
            # A question and its answer form one keep-with-next chain, which ReportLab moves
            # to the next page whole rather than split; the space between questions is a
            # Spacer outside the chain so that the chain's height is measured exactly.
            items: list[Flowable] = []
            for q in block.questions:
                question = self._para(q.question, s.question, tag.child("H3"))
                answers = [self._para(a, s.answer, tag.child("P")) for a in q.answer]
                for answer in answers[:-1]:
                    answer.keepWithNext = 1
                items += [question, *answers, Spacer(0, 5)]
            return items[:-1]
        raise TypeError(f"no PDF layout for {type(block).__name__}")

    def _table(self, block: Table, width: float, tag: Element) -> Flowable:
        s = self.styles
        count = len(block.columns)
        first = 0.34 if count == 2 else 1 / count
        widths = [width * first] + [width * (1 - first) / (count - 1)] * (count - 1)
        header = tag.child("THead").child("TR")
        rows = [[self._para(c, s.header_cell, header.child("TH", attributes={"O": "Table", "Scope": "Column"}))
                 for c in block.columns]]
        body = tag.child("TBody")
        for cells in block.rows:
            row = body.child("TR")
            rows.append([self._para(c, s.cell, row.child("TH", attributes={"O": "Table", "Scope": "Row"}) if i == 0
                                    else row.child("TD"), bold=i == 0) for i, c in enumerate(cells)])
        if self.fonts.rtl:  # the first column on the right
            rows = [row[::-1] for row in rows]
            widths = widths[::-1]
        table = self._tagged(_TaggedTable(rows, colWidths=widths, repeatRows=1))
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), self.primary),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#BFBFBF")),
            ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
        style += [("BACKGROUND", (0, r), (-1, r), self.accent) for r in range(2, len(rows), 2)]
        table.setStyle(self._table_style(style))
        return table

"""The build of one PDF: page templates and frames, the story laid into them, the structure tree added."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus import flowables as _rl_flowables
from reportlab.platypus.doctemplate import LayoutError

from ... import __version__
from ...errors import LeafletError
from ...fonts import check_coverage, fonts_for
from ...leaflet import Leaflet, texts
from .layout import Layout
from .flowables import FirstPageEnd
from .fontfiles import keeping_subsets
from .lines import recording_glyph_texts
from .page import PageFurniture, numbered_canvas
from .story import Story
from . import textops  # noqa: F401  (shaped glyphs' text operators, written in one pass)
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
    # what shaped glyphs stand for, for this document's ToUnicode maps; font subsets kept unless a patient's
    with recording_glyph_texts(), keeping_subsets(not leaflet.for_you):
        layout, story = fitting_layout(leaflet, PAPER_SIZES[paper], fonts, options)
        try:
            pages = build(layout, story, buffer)
        except LayoutError:  # something taller than a page that cannot be split: never a crash
            if any(s.first_page for s in leaflet.sections) and layout.first_page_end == 0:  # a safety box taller than a page
                raise FirstPageOverflow(leaflet, paper, options) from None
            if leaflet.for_you:
                raise LeafletError("the 'For you' box cannot be laid out on the page",
                                   hint="shorten the notes or the follow-up details: fewer or shorter lines") from None
            raise LeafletError("a part of the leaflet is taller than a page and cannot be split",
                               hint="shorten the longest section or its items") from None
    if layout.first_page_end > 1:
        raise FirstPageOverflow(leaflet, paper, options)
    return RenderedPdf(layout.tagger.finish(buffer.getvalue(), leaflet.title), pages)


class FirstPageOverflow(LeafletError):
    """The safety sections do not fit on page 1: the leaflet is refused rather than printed without them."""

    def __init__(self, leaflet: Leaflet | str, paper: str = "", options: PrintOptions = PrintOptions(),
                 hint: str | None = None):
        if isinstance(leaflet, str):  # rebuilt from its message when it crosses a process boundary
            super().__init__(leaflet, hint=hint)
            return
        first = [section.id for section in leaflet.sections if section.first_page]
        variant = ", ".join(v for v, on in (("large print", options.large_print),
                                            ("high contrast", options.high_contrast)) if on) or "standard print"
        super().__init__(
            f"the safety sections ({', '.join(first)}) do not fit on page 1 of the "
            f"'{'+'.join(leaflet.profiles)}' leaflet in '{leaflet.language}' on {paper} paper ({variant})",
            hint="shorten the sections marked 'first_page: true' in handout.yaml (and the profiles' changes to "
                 "them) or the translation of their texts; safety text is never printed smaller than the body text, nor after page 1")

    def __reduce__(self):
        return type(self), (self.message, "", PrintOptions(), self.hint)


def fitting_layout(leaflet: Leaflet, pagesize: tuple[float, float], fonts,
                   options: PrintOptions) -> tuple[Layout, list[Flowable]]:
    """The layout whose first page holds the safety sections, and its story: the usual one when they
    fit, else the least compact one that makes room (see Layout.compact), with the 'written for' line
    still under the title where page 1 has room for it too. The story that was measured is the one
    built (saves a second story and a second wrap of page 1: a fifth of an English render)."""
    if not any(section.first_page for section in leaflet.sections):  # nothing must be on page 1
        layout = Layout(leaflet, pagesize, fonts, options)
        return layout, Story(layout).flowables()
    for compact in (0, 1, 2, 3):
        layout = Layout(leaflet, pagesize, fonts, options, compact)
        story = Story(layout).flowables()
        height, room = first_page_height(layout, story), first_frame_height(layout)
        if height <= room:
            break
    if layout.compact and leaflet.written_for and height + _written_for_height(layout) <= room:
        # the same page 1 with the line above the safety sections: built only when it fits
        keeping = Layout(leaflet, pagesize, fonts, options, layout.compact, written_for_first=True)
        kept = Story(keeping).flowables()
        if first_page_height(keeping, kept) <= room:
            return keeping, kept
    return layout, story


def _written_for_height(layout: Layout) -> float:
    """What the 'written for' line adds to page 1 when it moves from after the safety sections to under
    the title: its height and spaces (first_page_height counts them so)."""
    line = layout.para(layout.leaflet.written_for, layout.styles.written_for)
    return line.wrap(layout.width, 1e6)[1] + line.getSpaceBefore() + line.getSpaceAfter()


def first_frame_height(layout: Layout) -> float:
    return layout.pagesize[1] - layout.footer - layout.first_band - layout.first_gap


def first_page_height(layout: Layout, story: list[Flowable]) -> float:
    """An upper bound of the height the story takes up to the end of the safety sections
    (ReportLab lets one flowable's space after and the next one's space before overlap)."""
    total = 0.0
    for flowable in story:
        if isinstance(flowable, FirstPageEnd):
            return total
        total += flowable.wrap(layout.width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def build(layout: Layout, story: list[Flowable], buffer: io.BytesIO) -> int:
    """Lay out and write the PDF; return the number of pages."""
    leaflet = layout.leaflet
    page_w, page_h = layout.pagesize
    first = Frame(MARGIN, layout.footer, layout.width, first_frame_height(layout),
                  id="first", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(MARGIN, layout.footer, layout.width, page_h - layout.footer - layout.later_band - layout.later_gap,
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
    doc.build(story, canvasmaker=numbered_canvas(furniture))
    return doc.page


def _frame_copy(thing, memo=None):
    """ReportLab measures a KeepTogether (or a list) in a deep copy of the page's frame, so what the
    measuring adds to it is thrown away: a frame's values are numbers and strings but for a list or
    two, so a copy of its values with its lists copied deeply is the same copy, at a third of an
    Arabic leaflet's millisecond of deep copies. Anything else is deep-copied as before."""
    if type(thing) is not Frame:
        return copy.deepcopy(thing, memo)
    twin = copy.copy(thing)
    for name, value in thing.__dict__.items():
        if not isinstance(value, (int, float, str)):
            setattr(twin, name, copy.deepcopy(value, memo))
    return twin


_rl_flowables.deepcopy = _frame_copy

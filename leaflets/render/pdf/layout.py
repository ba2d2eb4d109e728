"""One build of one leaflet: what the page furniture and the story share (paper, fonts, colours, styles,
the structure tree), and the one way a piece of text becomes a tagged paragraph."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph as RLParagraph

from ...fonts import FontSet, for_any_script
from ...leaflet import Entry, Leaflet
from ..tagging import Element, Tagger
from .flowables import SpokenParagraph
from .lines import any_script_markup, has_rtl, markup, words
from .styles import (COMPACT_BAND, FIRST_BAND, FOOTER, LATER_BAND, MARGIN, Palette, PrintOptions, compact_styles,
                     make_styles, tight_styles)


class Layout:
    """The settings of one leaflet's build, fixed before the first page is drawn."""

    def __init__(self, leaflet: Leaflet, pagesize: tuple[float, float], fonts: FontSet,
                 options: PrintOptions = PrintOptions(), compact: int = 0):
        self.leaflet = leaflet
        self.pagesize = pagesize
        self.fonts = fonts
        self.options = options
        self.k = options.scale
        self.first_band, self.later_band, self.footer = FIRST_BAND * self.k, LATER_BAND * self.k, FOOTER * self.k
        # Compact (1, 2): the first page makes room for the safety sections when they would not fit
        # otherwise. 1: a narrower header band, a smaller title, the subtitle after them; 2: also
        # tighter boxes and smaller box headings. The text itself never gets smaller.
        self.compact = compact
        self.first_gap = 4 * mm if compact else 8 * mm   # between the header band and the title
        if compact:
            self.first_band = COMPACT_BAND
        self.first_page_end = 0   # the page the safety sections end on, once drawn
        palette = Palette(leaflet.look, options.high_contrast)
        self.primary, self.accent, self.on_primary = palette.primary, palette.accent, palette.on_primary
        self.ink, self.muted, self.tones = palette.ink, palette.muted, palette.tones
        self.styles = make_styles(fonts, self.primary, self.on_primary, self.ink, self.muted, self.k)
        if compact:
            self.styles = compact_styles(self.styles, compact)
        self.tight_styles = tight_styles(self.styles)   # the safety sections' text at compact level 2
        self.width = pagesize[0] - 2 * MARGIN
        self.tagger = Tagger(leaflet.language)
        self.logo_tag: Element | None = None
        self.masthead_tags: list[Element] = []   # the clinic's name and department on the first page

    def markup(self, text: str) -> str:
        return markup(text, self.fonts)

    def para(self, text: str, style: ParagraphStyle, tag: Element | None = None, bold: bool = False,
             markup: str | None = None, cls=None, **options) -> RLParagraph:
        """A paragraph of plain text, tagged as `tag`; shaped or right-to-left scripts also carry
        their reading order."""
        body = markup if markup is not None else self.markup(text)
        paragraph = (cls or SpokenParagraph)(f"<b>{body}</b>" if bold else body, style, **options)
        if self.fonts.shaping or self.fonts.rtl or style.shaping:
            # Shaped and right-to-left glyphs are drawn in display order (a Devanagari vowel sign before
            # its consonant, Arabic from the right), so the paragraph also says its words in reading
            # order for screen readers. Readers that ignore the span still get real letters from each
            # glyph (lines.to_unicode_cmap).
            paragraph.spoken = " ".join(words(text))
        paragraph.bidi = self.fonts.rtl or has_rtl(text)
        if tag is not None:
            paragraph.tagger, paragraph.tag = self.tagger, tag
        return paragraph

    def detail(self, text: str, style: ParagraphStyle, tag: Element) -> RLParagraph:
        """A discharge detail typed by a nurse, in any script: letters the language's faces lack are
        set in another shipped face, shaped, and ordered by their direction. Never cached."""
        fonts = for_any_script(self.fonts, text)
        if fonts is not self.fonts and not style.shaping:
            style = ParagraphStyle(style.name + "-any-script", parent=style, shaping=1)
        return self.para(text, style, tag, markup=any_script_markup(text, fonts), private=True)

    def item(self, parent: Element, text: str, style: ParagraphStyle, label: str = "", markup: str | None = None,
             cls=None) -> RLParagraph:
        """A list item: LI with its label (Lbl) and its body (LBody)."""
        item = parent.child("LI")
        label_tag = item.child("Lbl")
        paragraph = self.para(text, style, item.child("LBody"), markup=markup, cls=cls)
        paragraph.label, paragraph.label_tag, paragraph.label_colour = label, label_tag, self.primary
        return paragraph

    def entry(self, entry: Entry) -> str:
        lead = f"<b>{self.markup(entry.lead)}</b> " if entry.lead else ""
        return lead + self.markup(entry.text)

"""One build of one leaflet: what the page furniture and the story share (paper, fonts, colours, styles,
the structure tree), and the one way a piece of text becomes a tagged paragraph."""

from __future__ import annotations

from functools import cached_property

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as RLParagraph

from ...fonts import FontSet, draws, for_any_script
from ...leaflet import Entry, Leaflet
from ...substitute import fill
from ...typography import NBSP
from ..tagging import Element, Tagger
from .flowables import SpokenParagraph
from .lines import any_script_markup, has_rtl, markup, words
from . import ink
from .styles import (COMPACT_BAND, EDGE, FIRST_BAND, FOOTER_ABOVE_RULE, FOOTER_BASELINE, FOOTER_LEADING,
                     FOOTER_RULE_GAP, LARGE_BODY, LATER_BAND, MARGIN, Palette, PrintOptions, compact_styles,
                     make_styles, tight_styles)


def _above(text: str, font: str, size: float) -> float:
    """How far a line's letters reach above its baseline, in points."""
    return ink.reach(font, text)[0] * size if text else 0.0


def _below(text: str, font: str, size: float) -> float:
    return ink.reach(font, text)[1] * size if text else 0.0


class Layout:
    """The settings of one leaflet's build, fixed before the first page is drawn."""

    def __init__(self, leaflet: Leaflet, pagesize: tuple[float, float], fonts: FontSet,
                 options: PrintOptions = PrintOptions(), compact: int = 0, written_for_first: bool = False):
        self.leaflet = leaflet
        self.pagesize = pagesize
        self.fonts = fonts
        self.options = options
        self.k = options.scale
        self.width = pagesize[0] - 2 * MARGIN
        # Compact (1, 2, 3): the first page makes room for the safety sections when they would not fit
        # otherwise. 1: a narrower header band, a smaller title, the subtitle after them; 2: also
        # tighter boxes and smaller box headings; 3: also the notices about this copy (a draft) and
        # the safety sections' sources line after them, on page 1 if there is room (the DRAFT mark is
        # on every page); Urdu in large print needs it, as Nastaliq keeps its line spacing. The text
        # itself never gets smaller. written_for_first: a compact layout keeps the 'written for' line (whom
        # the leaflet is for) under the title, the subtitle alone moving after the safety sections.
        self.compact = compact
        self.written_for_first = written_for_first and compact > 0
        self.first_gap = 4 * mm if compact else 8 * mm   # between the header band and the title
        self._place_furniture(COMPACT_BAND if compact else FIRST_BAND * self.k, LATER_BAND * self.k)
        self.first_page_end = 0   # the page the safety sections end on, once drawn
        palette = Palette(leaflet.look, options.high_contrast)
        self.primary, self.accent, self.on_primary = palette.primary, palette.accent, palette.on_primary
        self.ink, self.muted, self.tones = palette.ink, palette.muted, palette.tones
        self.styles = make_styles(fonts, self.primary, self.on_primary, self.ink, self.muted, self.k)
        if compact:
            self.styles = compact_styles(self.styles, compact, fonts.leading)
        self.tight_styles = tight_styles(self.styles, fonts.tight_leading)   # the safety sections' text at compact 2
        self.tagger = Tagger(leaflet.language)
        self.logo_tag: Element | None = None
        self.masthead_tags: list[Element] = []   # the clinic's name and department on the first page

    def _place_furniture(self, first_band: float, later_band: float) -> None:
        """Where the bands and the footer go: as designed, moved away from the paper's edge (and the
        bands and footer grown) where their letters would reach within EDGE of it, which printers
        leave blank (Nastaliq climbs high, large print is large), and the footer grown upwards by a
        line for each line its text wraps to, so its last line stays where a one-line footer sits.

        Sets first_band, later_band (their heights), later_gap (from the later band to the story),
        masthead_baselines and later_baseline (down from the top of the page), footer (where the
        story ends), footer_rule and footer_baseline (its first line), all in points."""
        k, look, fonts = self.k, self.leaflet.look, self.fonts
        self.furniture_leading = FOOTER_LEADING * fonts.tight_leading   # a wrapped footer's line spacing
        name = (look.clinic_name, fonts.bold, self.furniture_size(16))
        department = (look.department, fonts.regular, self.furniture_size(11.5))
        name_baseline = max(first_band / 2 - 1.5 * mm * k, EDGE + _above(*name))
        department_baseline = name_baseline + 6.5 * mm * k
        self.masthead_baselines = (name_baseline, department_baseline)
        self.first_band = max(first_band, department_baseline + _below(*department) + 2 * mm)
        heading = [(look.clinic_name, fonts.bold, self.furniture_size(10)),
                   (self.leaflet.title, fonts.regular, self.furniture_size(10))]
        self.later_baseline = max(later_band - 6 * mm * k, EDGE + max(_above(*line) for line in heading))
        # The band is drawn from 3 mm under its top (see page.py). What it grows by comes out of the
        # 6 mm gap under it first, down to 3 mm.
        self.later_band = max(later_band, self.later_baseline + max(_below(*line) for line in heading) + 5 * mm)
        self.later_gap = 6 * mm - min(3 * mm, self.later_band - later_band)
        size = self.furniture_size(9)
        footer = [(self.leaflet.footer, fonts.regular, size), (self._widest_page_label, fonts.bold, size)]
        last = max(FOOTER_BASELINE * k, EDGE + max(_below(*line) for line in footer))
        self.footer_baseline = last + (self.footer_lines() - 1) * size * self.furniture_leading
        rule_gap = max(FOOTER_RULE_GAP * k, max(_above(*line) for line in footer) + 1.5 * mm)
        self.footer_rule = self.footer_baseline + rule_gap
        # What the rule rises by for tall letters comes out of the gap over it first, down to 3 mm.
        self.footer = self.footer_rule + FOOTER_ABOVE_RULE - min(2 * mm, rule_gap - FOOTER_RULE_GAP * k)

    def furniture_size(self, points: float) -> float:
        """A furniture type size: scaled with the print, and never under the body size in large print
        (clear-print guidance holds page numbers and footers to it too)."""
        return max(points * self.k, LARGE_BODY) if self.options.large_print else points

    @cached_property
    def _widest_page_label(self) -> str:
        """"Page X of Y" with two-digit numbers: the total is not known until the last page.
        (This and the footer's measures are the same on every page: worked out once per build.)"""
        return fill(self.leaflet.page_of, {"page": 88, "pages": 88})

    @cached_property
    def page_number_width(self) -> float:
        """Room for "Page X of Y" beside the footer, so the footer can use the rest and keep to one line."""
        return max(stringWidth(self._widest_page_label, self.fonts.bold, self.furniture_size(9)) + 6 * mm,
                   0.2 * self.width)

    @cached_property
    def footer_text(self) -> str:
        """The footer, its parts kept whole when it is too long for one line (never a date broken), and
        its lines broken between parts, where the " · " between them is left out: no line ends or starts
        with a separator standing alone."""
        text, size, font = self.leaflet.footer, self.furniture_size(9), self.fonts.regular
        room = self.width - self.page_number_width
        if stringWidth(text, font, size) <= room or not draws(font, NBSP):
            return text
        rows: list[str] = []
        for part in (part.replace(" ", NBSP) for part in text.split(" · ")):
            if rows and stringWidth(f"{rows[-1]} · {part}", font, size) <= room:
                rows[-1] = f"{rows[-1]} · {part}"
            else:
                rows.append(part)
        return "\n".join(rows)

    def footer_lines(self) -> int:
        """How many lines the footer takes beside the page number: its lines' words packed as ReportLab
        packs them. (A single word wider than the room, which ReportLab would cut, is counted as one line:
        the footers the content and brands give are far shorter.)"""
        room, size, font = self.width - self.page_number_width, self.furniture_size(9), self.fonts.regular
        space, lines = stringWidth(" ", font, size), 0
        for row in self.footer_text.split("\n"):
            lines, used = lines + 1, None
            for word in row.split(" "):
                width = stringWidth(word, font, size)
                if used is not None and used + space + width > room:
                    lines, used = lines + 1, width
                else:
                    used = width if used is None else used + space + width
        return lines

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
        lead = f"<b>{self.markup(entry.lead)}</b>{entry.gap}" if entry.lead else ""
        return lead + self.markup(entry.text)

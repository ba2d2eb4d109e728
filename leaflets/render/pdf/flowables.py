"""The leaflet's own flowables: tagged paragraphs, list items with labels, tick boxes, tagged tables, bookmarks.

Each knows how to carry its structure element (and its spoken text) across a
page break, so the tagged PDF stays whole when ReportLab splits it.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from copy import copy
import itertools

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from ..tagging import Element, Tagger
from . import ink
from .lines import (glyph_notes_journal, not_cached, paragraph_context, pdf_text, replay_glyph_notes, visual_line,
                    words as line_words)
from .styles import BODY
from .textcache import TextCache


class Bookmark(Flowable):
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


class FirstPageEnd(Flowable):
    """An invisible mark after the safety sections: it notes the page it lands on, so a build
    whose safety text spilled past page 1 can be refused."""

    def __init__(self, layout):
        super().__init__()
        self.layout = layout
        self.width = self.height = 0

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.layout.first_page_end = self.canv.getPageNumber()


# Parsed paragraph markup by text and style (see SpokenParagraph._setup), and the lines it was broken
# into by width, with the glyph notes its shaping made (see SpokenParagraph._broken_once); bounded.
_parsed = TextCache("parsed markup", 20_000)
_broken_lines = TextCache("broken lines", 20_000)
# A number for each set of style values met (never reused), and the number of each style object seen
# lately: a paragraph's cache key holds its style's number, not its forty values, whose colours hash and
# compare in Python (hashing them for every paragraph was a tenth of an English leaflet's time).
# By the values; emptied when full, and no stale key can match, as numbers are never reused.
_style_numbers = TextCache("style numbers", 20_000)
_numbering = itertools.count()
_styles_seen = TextCache("numbered styles", 2_000)   # by id(style): (style, its values then, number)


def _style_number(style) -> int | None:
    """The number of the style's values (equal values, equal numbers); None if one cannot be a key.
    A style object seen before keeps its number while its values are the same objects (a C-speed check)."""
    seen = _styles_seen.get(id(style))
    if seen is not None and seen[0] is style and seen[1] == style.__dict__:
        return seen[2]
    values = dict(style.__dict__)
    values.pop("parent", None)
    values.pop("name", None)
    try:
        key = tuple(values.items())
        number = _style_numbers.get(key)
    except TypeError:
        return None
    if number is None:
        number = _style_numbers.put(key, next(_numbering))
    _styles_seen.put(id(style), (style, dict(style.__dict__), number))
    return number


def _copied(frag):
    """A frag's copy, as ReportLab's ABag.clone makes it (a new object of its class with its values) but
    without a call through __init__."""
    twin = object.__new__(type(frag))
    twin.__dict__.update(frag.__dict__)
    return twin


class SpokenParagraph(RLParagraph):
    """A paragraph that is tagged for screen readers and tells them its words in reading order.

    Its content is marked with its structure element (P, H2, LBody, TD ...); a
    list item also draws its label (bullet, number or tick box) as Lbl. Shaped
    and right-to-left text is drawn as glyphs in visual order, some with no
    Unicode value of their own (Devanagari conjuncts, joined Arabic forms), so it
    also carries an ActualText span; without it, extracted text comes out scrambled.
    Other text gets a space drawn at the end of each line, so that the words either side
    of a line break stay two words for screen readers and text extraction.
    """

    spoken: str = ""          # the logical text of this paragraph, or of this part of a split one
    tagger: Tagger | None = None
    tag: Element | None = None
    label: str = ""           # bullet or number, drawn as the item's Lbl
    label_tag: Element | None = None
    label_colour = colors.black
    link = ""                 # where the paragraph leads (https:, tel:); its tag is then a Link element
    continued = False         # the second part of a split paragraph: no second label
    continues = False         # the first part of a split paragraph: its last word is not the paragraph's
    bidi = False              # has right-to-left words: each line's words are put in display order
    private = False           # patient details: its words are never kept in the renderer's caches
    _marked = False           # drawn once already: a repeated table header is an artifact
    _broken = None            # (widths, style, frags, lines): the last breaking of this paragraph
    _parse_key = None         # ((markup, style number), frags) when parsed from markup that is not a patient's

    def __init__(self, text, style=None, *args, private: bool = False, **kwargs):
        self.private = private
        super().__init__(text, style, *args, **kwargs)

    def _setup(self, text, style, bulletText, frags, cleaner):
        """Markup met before in the same style is not parsed again: its frags are copied (parsing is an
        eighth of an English leaflet's time). Patient details are parsed afresh and never kept."""
        if frags is not None or bulletText is not None or self.private:
            return super()._setup(text, style, bulletText, frags, cleaner)
        number = _style_number(style)
        if number is None:  # a style with a value that cannot be a key
            return super()._setup(text, style, bulletText, frags, cleaner)
        key = (text, number)
        known = _parsed.get(key)
        if known is None:
            super()._setup(text, style, bulletText, frags, cleaner)
            if self.style is style and self.bulletText is None and not any(hasattr(f, "cbDefn") for f in self.frags):
                _parsed.put(key, (self.text, [_copied(frag) for frag in self.frags]))
                self._parse_key = key, self.frags
            return
        self.text, self.frags = known[0], [_copied(frag) for frag in known[1]]
        self.style, self.bulletText, self.debug = style, None, 0
        self._parse_key = key, self.frags

    def breakLines(self, width):
        return self._broken_once(width, self._break_lines)

    def breakLinesCJK(self, width):
        return self._broken_once(width, super().breakLinesCJK)

    def _break_lines(self, width):
        text = "".join(getattr(frag, "text", "") for frag in self.frags)
        private = not_cached() if self.private else nullcontext()
        with private, paragraph_context(text, self.style.wordWrap == "RTL"):
            return super().breakLines(width)

    def _broken_once(self, width, breaking):
        """A paragraph is measured two or three times at the same width (page 1's height, its frame,
        its table or KeepTogether), and most paragraphs recur in the next leaflet: the same markup in
        the same style is broken once per width (a third of a shaped leaflet's time). The lines are
        only read afterwards (drawing swaps in display-order copies and puts them back)."""
        widths = tuple(width) if isinstance(width, (list, tuple)) else width
        if self._broken is not None:
            known, style, frags, lines = self._broken
            if known == widths and style is self.style and frags is self.frags:
                return lines
        parsed = self._parse_key
        shared = (parsed[0], widths) if parsed is not None and parsed[1] is self.frags else None
        known = _broken_lines.get(shared) if shared is not None else None
        if known is None:
            before = dict(self.__dict__)
            with glyph_notes_journal() as notes:
                lines = breaking(width)
            # What breaking set on the paragraph: its widest line (tables size their columns by it) and,
            # for lines of several frags, its frags turned into the words of those lines.
            measures = {k: v for k, v in self.__dict__.items() if k not in before or before[k] is not v}
            if shared is not None and not {"style", "text"} & measures.keys():
                _broken_lines.put(shared, (lines, notes, measures))
        else:
            lines, notes, measures = known
            self.__dict__.update(measures)
            if "frags" in measures:
                self.frags = list(measures["frags"])  # a list of its own, as each breaking makes one
            replay_glyph_notes(notes)  # this document's ToUnicode maps need what the shaping noted
        self._broken = (widths, self.style, self.frags, lines)
        return lines

    def split(self, available_width, available_height):
        if not getattr(self, "allowSplitting", 1):
            return []  # moved whole to the next page
        parts = super().split(available_width, available_height)
        if len(parts) == 2:
            for part in parts:
                for name in ("tagger", "tag", "label", "label_tag", "label_colour", "bidi", "link", "private"):
                    setattr(part, name, getattr(self, name))
            parts[1].continued = True
            parts[0].continues = True
            if self.spoken:
                words = line_words(self.spoken)
                count = _word_count(parts[0])
                # The first part ends with a space, so the two parts read as two words, not one.
                parts[0].spoken, parts[1].spoken = " ".join(words[:count]) + " ", " ".join(words[count:])
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
        with tagger.mark(canv, self.tag), self._line_end_spaces():
            self._draw_text()
        if self.link:
            tagger.link(canv, self.tag, self.width, self.height, self.link, self.spoken or self.getPlainText())

    def _draw_text(self):
        if not self.spoken:
            return self._draw_lines()
        self.canv.addLiteral(f"/Span <</ActualText {pdf_text(self.spoken)}>> BDC")
        self._draw_lines()
        self.canv.addLiteral("EMC")

    def _draw_lines(self):
        """ReportLab draws the words of a line in the order they are stored; a line with right-to-left
        words is drawn from a copy in display order, so splitting still sees reading order."""
        broken = self.blPara
        if not self.bidi or broken.kind != 1:
            return super().draw()
        base = 1 if self.style.wordWrap == "RTL" else 0
        # In display order once per breaking (a warm Arabic leaflet: 53 -> 43 ms).
        visual = _once_per_breaking(broken, "_visual", base, lambda: [visual_line(line, base) for line in broken.lines])
        self.blPara = copy(broken)  # the broken lines may be shared with other paragraphs: never changed
        self.blPara.lines = [copy(line) for line in visual]  # ReportLab reverses a right-to-left line's words
        try:
            super().draw()
        finally:
            self.blPara = broken

    @contextmanager
    def _line_end_spaces(self):
        """While drawn, a line that breaks where the text has a space ends with one (invisible past its
        last word), so its marked content reads "can start" where a line breaks between "can" and
        "start", and a split paragraph's two parts read as separate words. Where the text has no
        space (between Chinese characters) none is added. Shaped or right-to-left text says its words
        in an ActualText span instead."""
        para = getattr(self, "blPara", None)
        if self.spoken or self.bidi or para is None:
            yield
            return
        spaced = _once_per_breaking(para, "_spaced", self.continues, lambda: self._spaced_lines(para.lines))
        self.blPara = copy(para)  # the broken lines may be shared with other paragraphs: never changed
        self.blPara.lines = spaced
        try:
            yield
        finally:
            self.blPara = para

    def _spaced_lines(self, lines: list) -> list:
        texts = [" ".join(line[1]) if isinstance(line, tuple)
                 else "".join(getattr(frag, "text", "") for frag in line.words) for line in lines]
        spaced = []
        for line, space in zip(lines, self._spaces_after(texts)):
            if not space:
                spaced.append(line)
            elif isinstance(line, tuple):   # one font: (extra space, [words])
                words = line[1]
                spaced.append((line[0], [*words[:-1], words[-1] + " "] if words else words))
            else:
                frags = list(line.words)
                last = frags[-1] if frags else None
                if last is not None and isinstance(getattr(last, "text", None), str) and not getattr(last, "cbDefn", None):
                    last = copy(last)
                    last.text += " "
                    frags[-1] = last
                line = copy(line)
                line.words = frags
                spaced.append(line)
        return spaced

    def _spaces_after(self, texts: list[str]) -> list[bool]:
        """For each drawn line, whether the paragraph's text has a space where it ends; after the last
        line of the first part of a split paragraph, there always is one."""
        source = self.getPlainText()
        if not source:  # the parts of a split paragraph keep lines but not their text
            # One-font lines are words split at spaces; Chinese ones are not.
            spaces = [isinstance(line, tuple) and self.style.wordWrap != "CJK" for line in self.blPara.lines]
            if spaces and self.continues:
                spaces[-1] = True
            return spaces
        position, spaces = 0, []
        for text in texts:
            for char in text:
                if char.isspace():
                    continue
                found = source.find(char, position)
                position = found + 1 if found >= 0 else position
            spaces.append(position < len(source) and source[position].isspace())
        if spaces and self.continues:
            spaces[-1] = True
        return spaces

    def _draw_label(self):
        if not self.label or self.continued:
            return
        style = self.style
        font, size = style.bulletFontName, style.bulletFontSize
        # the first line's baseline, as ReportLab places it (a font's ascent can be twice its size: Nastaliq)
        baseline = style.fontSize if rl_config.paraFontSizeHeightOffset else \
            pdfmetrics.getAscentDescent(style.fontName, style.fontSize)[0]
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.label_colour)
        canv.setFont(font, size)
        if style.wordWrap == "RTL":
            canv.drawRightString(self.width - style.bulletIndent, self.height - baseline, self.label)
        else:
            canv.drawString(style.bulletIndent, self.height - baseline, self.label)
        canv.restoreState()


def _once_per_breaking(broken, name: str, key, make):
    """What make() derives from a paragraph's broken lines for key, kept on them: the same lines recur
    in every leaflet that has the paragraph (see SpokenParagraph._broken_once). Never changes them."""
    known = broken.__dict__.get(name)
    if known is None or known[0] != key:
        known = (key, make())
        setattr(broken, name, known)
    return known[1]


def _word_count(paragraph: RLParagraph) -> int:
    # One font: (extra space, [words]) per line; several: lines with frags. The first part of a split
    # one-font paragraph is marked kind 1 but keeps its one-font lines.
    return sum(len(line[1]) if isinstance(line, tuple)
               else len(line_words("".join(frag.text for frag in line.words if hasattr(frag, "text"))))
               for line in paragraph.blPara.lines)


class TickedParagraph(SpokenParagraph):
    """A checklist entry: an empty square to tick with a pen, level with its first line, as its label."""

    SPOKEN = "\u2610"   # BALLOT BOX: how the label is announced, a to-do item not yet done

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


INK_CLEARANCE = 1.0  # points between the tallest or deepest letter and a border or background edge


def line_spread(weight: float, count: int, space: float) -> float:
    """How far a line drawn `count` times (a double border) reaches beyond a single one, on each side
    of the edge it is drawn astride (ReportLab's _multiLine)."""
    return 0.5 * (count - 1) * (weight + space)


def _ends(cell) -> tuple:
    """The flowables a table cell starts and ends with (its value may be a list of them, or a string)."""
    if isinstance(cell, (list, tuple)):
        return (cell[0], cell[-1]) if cell else (None, None)
    return cell, cell


def ink_beyond(flowable) -> tuple[float, float]:
    """How far a flowable's ink reaches above its top and below its bottom, in points (negative:
    it stays inside). ReportLab puts a paragraph's first baseline one font size under its top and
    its last one the leading less the font size over its bottom."""
    if isinstance(flowable, TaggedTable):
        return flowable.ink_beyond()
    if not isinstance(flowable, RLParagraph):
        return 0.0, 0.0
    frags = [frag for frag in flowable.frags if getattr(frag, "text", "")]
    if not frags:
        return 0.0, 0.0
    size = max(frag.fontSize for frag in frags)
    keep = not getattr(flowable, "private", False)  # a patient's details: never kept
    above = below = 0.0
    for frag in frags:
        tallest, deepest = ink.bounds(frag.fontName)
        if tallest * frag.fontSize > size or deepest * frag.fontSize > flowable.style.leading - size:
            tallest, deepest = ink.reach(frag.fontName, frag.text, keep)  # shaped only where it could matter
        above, below = max(above, tallest * frag.fontSize), max(below, deepest * frag.fontSize)
    return above - size, below - (flowable.style.leading - size)


class TaggedTable(RLTable):
    """A table whose backgrounds and rules are artifacts; its cells' paragraphs carry the tags.

    Split across pages only with at least two rows on each side (the header row repeated), so a
    page never holds a single row carried over or left behind."""

    tagger: Tagger | None = None
    MIN_ROWS = 2

    def wrap(self, available_width, available_height):
        self._room_for_tall_letters()
        return super().wrap(available_width, available_height)

    def _room_for_tall_letters(self):
        """Letters that reach past a cell's first or last line (Nastaliq's climb, Arabic and Devanagari
        descenders in large print) stay inside the border or background around them: the padding
        grows by what they would cross, plus INK_CLEARANCE. At the top every cell of the row gets
        the same, so the row's baselines stay level. Measured against the current padding, so a
        second call (or a split part) adds nothing."""
        for row, (cells, styles) in enumerate(zip(self._cellvalues, self._cellStyles)):
            top, bottom = self._border_depth(row, "top"), self._border_depth(row, "bottom")
            need = 0.0
            for column, (cell, style) in enumerate(zip(cells, styles)):
                # Where no edge is drawn, what reaches out is for the enclosing box to make room for.
                background = self._has_background(column, row)
                above = row > 0 and self._has_background(column, row - 1)  # the edge of the row over it shows
                first, final = _ends(cell)
                if top or background or above:
                    need = max(need, ink_beyond(first)[0] + INK_CLEARANCE + top - style.topPadding)
                under = ink_beyond(final)[1] + INK_CLEARANCE + bottom - style.bottomPadding
                if (bottom or background) and under > 0:
                    style.bottomPadding += under
            if need > 0:
                for style in styles:
                    style.topPadding += need

    def ink_beyond(self) -> tuple[float, float]:
        """How far the ink of the first row reaches above the table, and of the last row below it."""
        if not self._cellvalues:
            return 0.0, 0.0
        over = max(ink_beyond(_ends(cell)[0])[0] - style.topPadding
                   for cell, style in zip(self._cellvalues[0], self._cellStyles[0]))
        under = max(ink_beyond(_ends(cell)[1])[1] - style.bottomPadding
                    for cell, style in zip(self._cellvalues[-1], self._cellStyles[-1]))
        return over, under

    def _border_depth(self, row: int, edge: str) -> float:
        """How far the lines drawn along a row's top or bottom edge reach into it (double lines: both)."""
        depth = 0.0
        for op, (sc, sr), (ec, er), weight, _colour, _cap, _dash, _join, count, space in self._linecmds:
            sc, ec, sr, er = self.normCellRange(sc, ec, sr, er)
            if edge == "bottom":  # the line under this row is the one over the next
                on_edge = (op in ("BOX", "OUTLINE", "GRID") and row == er or op == "LINEBELOW" and sr <= row <= er
                           or op == "LINEABOVE" and sr <= row + 1 <= er or op in ("INNERGRID", "GRID") and sr <= row < er)
            else:
                on_edge = (op in ("BOX", "OUTLINE", "GRID") and row == sr or op == "LINEABOVE" and sr <= row <= er
                           or op == "LINEBELOW" and sr <= row - 1 <= er or op in ("INNERGRID", "GRID") and sr < row <= er)
            if on_edge:
                depth = max(depth, line_spread(weight, count, space) + weight / 2)
        return depth

    def _has_background(self, column: int, row: int) -> bool:
        for _op, (sc, sr), (ec, er), *_ in self._bkgrndcmds:
            sc, ec, sr, er = self.normCellRange(sc, ec, sr, er)
            if sc <= column <= ec and sr <= row <= er:
                return True
        return False

    def split(self, available_width, available_height):
        # ReportLab builds the parts with self.__class__(...), which knows nothing of the tagger:
        # without this, a table broken across pages draws its backgrounds and rules untagged.
        parts = self._split_keeping_rows(available_width, available_height)
        for part in parts:
            if isinstance(part, TaggedTable):
                part.tagger = self.tagger
        return parts

    def _split_keeping_rows(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        if len(parts) != 2 or not self.repeatRows:  # the rule is for data tables, with a header row
            return parts
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        first, second = len(parts[0]._cellvalues) - head, len(parts[1]._cellvalues) - head
        if first < self.MIN_ROWS:
            return []  # moved whole to the next page
        if second < self.MIN_ROWS:  # leave the last rows of this page for the next one
            keep = len(parts[0]._cellvalues) - (self.MIN_ROWS - second)
            if keep - head < self.MIN_ROWS:
                return []
            parts = super().split(available_width, sum(self._rowHeights[:keep]) + 0.01)
            if len(parts) != 2 or len(parts[0]._cellvalues) != keep:
                return []
        return parts

    def _drawBkgrnd(self):
        if self.tagger is None:
            return super()._drawBkgrnd()
        with self.tagger.artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self):
        if self.tagger is None:
            return self._draw_lines()
        with self.tagger.artifact(self.canv):
            self._draw_lines()

    def _draw_lines(self):
        """ReportLab's lines, but a solid BOX of two or more lines (the emergency box's double border) drawn
        as closed frames one inside the other, where ReportLab would draw each side's lines separately at
        the length of the side: its outer lines stopped short of each other at the corners."""
        frames = [command for command in self._linecmds if command[0] == "BOX" and command[8] > 1 and not command[6]]
        drawn_by_reportlab = self._linecmds
        self._linecmds = [command for command in drawn_by_reportlab if command not in frames]
        try:
            super()._drawLines()
        finally:
            self._linecmds = drawn_by_reportlab
        canv = self.canv
        for _op, (sc, sr), (ec, er), weight, colour, _cap, _dash, _join, count, space in frames:
            sc, ec, sr, er = self.normCellRange(sc, ec, sr, er)
            left, right = self._colpositions[sc], self._colpositions[ec + 1]
            top, bottom = self._rowpositions[sr], self._rowpositions[er + 1]
            canv.saveState()
            canv.setLineWidth(weight)
            canv.setStrokeColor(colour)
            canv.setLineJoin(0)  # mitred: square corners
            for line in range(count):  # astride the edge, where ReportLab puts them
                out = line_spread(weight, count, space) - line * (weight + space)
                canv.rect(left - out, bottom - out, right - left + 2 * out, top - bottom + 2 * out, stroke=1, fill=0)
            canv.restoreState()

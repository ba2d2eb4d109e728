"""The story: a Leaflet's blocks turned into flowables in reading order, with their structure elements.

Adding a block kind means one more branch in `Story.block` (and the model and
the other renderers); the rest of the PDF renderer does not change.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, NextPageTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as RLParagraph

from ...leaflet import BulletList, Checklist, Faq, LeafletSection, Paragraph, References, Table
from ..tagging import Element
from .flowables import INK_CLEARANCE, Bookmark, FirstPageEnd, TaggedTable, TickedParagraph, ink_beyond, line_spread
from .layout import Layout
from .lines import is_latin, plain
from .qr import OnlineCopy
from .styles import BORDERS, BULLET


TAIL = 3  # flowables kept with the last section
TABLE_GAP = 4  # points at least between a table's or box's last rule and the text under it


class Story:
    """Builds the flowables of one leaflet; structure elements are made in the same order."""

    def __init__(self, layout: Layout):
        self.layout = layout

    def flowables(self) -> list[Flowable]:
        """The flowables in reading order; the structure elements are made in the same order.

        The sections marked first_page (what to do in an emergency) come right after the title
        and the notices about this copy, before anything else, so that they land on page 1; a
        compact layout also moves the subtitle and the 'written for' line after them (and, at its
        last level, the notices, and lets their sources line follow them onto page 2), but keeps the
        'written for' line under the title where page 1 still has room for it (Layout.written_for_first).
        The patient's "For you" box follows them.
        """
        lay = self.layout
        leaflet, s = lay.leaflet, lay.styles
        root = lay.tagger.root
        if leaflet.look.logo is not None:
            lay.logo_tag = root.child("Figure", alt=leaflet.look.logo_alt, lang=leaflet.look.lang("logo_alt") or None)
        # The clinic's name and department in the first page's band are read; on later pages they repeat
        # as artifacts.
        lay.masthead_tags = [root.child("P", lang=leaflet.look.lang(name) or None)
                             for name in ("clinic_name", "department") if getattr(leaflet.look, name)]
        story: list[Flowable] = [NextPageTemplate("later"), Bookmark("title", leaflet.title),
                                 lay.para(leaflet.title, s.title, root.child("H1"))]
        if not lay.compact:
            story += self.title_lines()
        elif lay.written_for_first:
            story += self.title_lines(subtitle=False)
        notices_last = lay.compact >= 3
        if not notices_last:
            story += self.notices()
        first = [section for section in leaflet.sections if section.first_page]
        for section in first:
            sect = root.child("Sect")
            story += self.section(section, sect)
        if first:
            sources = [lay.para(leaflet.first_page_sources, s.small, sect.child("P"))] \
                if leaflet.first_page_sources else []  # one line for the whole safety block: lighter than one per box
            # At the last compact level it need not fit on page 1 with the safety text it cites.
            story += [FirstPageEnd(lay), *sources] if notices_last else [*sources, FirstPageEnd(lay)]
        if notices_last:
            story += self.notices()
        if lay.compact:
            story += [Spacer(0, 2 * mm), *self.title_lines(written_for=not lay.written_for_first)]
        if leaflet.for_you:  # whole on one page when it fits on one: on page 1 if there is room left
            story += [Spacer(0, 2 * mm), KeepTogether([self.for_you()]), Spacer(0, 2 * mm)]
        last = len(story)
        for section in leaflet.sections:
            if not section.first_page:
                last = len(story)
                story += self.section(section, root.child("Sect"))
        if leaflet.online_url:  # kept with the last section below
            story += [Spacer(0, 4 * mm), OnlineCopy(lay, root)]
        # The last section, whole, with the three flowables before it (the last sources, most often): it
        # moves to a new page as one, so that a leaflet does not end on a page of two or three lines.
        _space_after_tables(story)
        tail = max(last - TAIL, 0)
        return story[:tail] + [KeepTogether(story[tail:])] if tail > 0 else story

    def title_lines(self, subtitle: bool = True, written_for: bool = True) -> list[Flowable]:
        lay = self.layout
        leaflet, s, root = lay.leaflet, lay.styles, lay.tagger.root
        lines = []
        if leaflet.subtitle and subtitle:
            lines.append(lay.para(leaflet.subtitle, s.subtitle, root.child("P")))
        if leaflet.written_for and written_for:
            lines.append(lay.para(leaflet.written_for, s.written_for, root.child("P")))
        if len(lines) == 2:  # read together: never the subtitle at a page's foot and its 'written for' over
            lines[0].keepWithNext = 1
        return lines

    def notices(self) -> list[Flowable]:
        """The draft status and other notices about this copy, said once in words (the watermark is a
        picture), in one box with the tone of the loudest."""
        lay = self.layout
        leaflet, s, root = lay.leaflet, lay.styles, lay.tagger.root
        notices = [n for n in (leaflet.watermark, *leaflet.notices) if n]
        if not notices:
            return []
        background, border, _, weight = lay.tones["emergency" if leaflet.watermark else "warning"]
        box = self.box([lay.para(notice, s.written_for, root.child("P")) for notice in notices],
                       colors.HexColor(background), colors.HexColor(border), weight,
                       padding=2 * mm if lay.compact else 3 * mm)
        return [Spacer(0, 1 * mm), box, Spacer(0, 2 * mm)]

    def for_you(self) -> Flowable:
        lay = self.layout
        s = lay.styles
        table = lay.tagger.root.child("Table")
        # The title row names the table (its Caption) rather than heading a column of it.
        rows = [[lay.para(lay.leaflet.for_you_title, s.header_cell, table.child("Caption")), ""]]
        for label, value in lay.leaflet.for_you:
            row = table.child("TR")
            rows.append([lay.para(label, s.cell, row.child("TH", attributes={"O": "Table", "Scope": "Row"}), bold=True),
                         # typed by the nurse, in whatever language: said to be unknown
                         lay.detail(value, s.cell, row.child("TD", lang=""))])
        widths = [0.3 * lay.width, 0.7 * lay.width]
        if lay.fonts.rtl:  # labels on the right, where reading starts (the title row spans both)
            rows = [rows[0]] + [row[::-1] for row in rows[1:]]
            widths = widths[::-1]
        # Long notes may run on to the next page: a row splits between its lines (splitInRow).
        table = self._tagged(TaggedTable(rows, colWidths=widths, splitInRow=1))
        table.setStyle(self._table_style([
            ("SPAN", (0, 0), (-1, 0)),
            ("BACKGROUND", (0, 0), (-1, 0), lay.primary),
            ("BOX", (0, 0), (-1, -1), 1.2, lay.primary),
            ("LINEBELOW", (0, 1), (-1, -2), 0.4, lay.accent),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ]))
        return table

    def _tagged(self, table: TaggedTable) -> TaggedTable:
        table.tagger = self.layout.tagger
        return table

    def section(self, section: LeafletSection, tag: Element) -> list[Flowable]:
        lay = self.layout
        s = lay.styles
        mark = Bookmark(f"s-{section.id}", section.title)
        label_tag = tag.child("P") if section.label else None  # read before the heading: "EMERGENCY", then what to do
        heading_tag = tag.child("H2")

        def note() -> list[Flowable]:  # made after the blocks, so it is read after them
            if not section.sources_note or section.first_page:  # the safety block has one line for all
                return []
            return [lay.para(section.sources_note, s.small, tag.child("P"))]
        # Space above a heading is a Spacer outside the keep-with-next chain: ReportLab
        # leaves the first item's spaceBefore out when it measures a chain, and a
        # heading could then be stranded at the foot of a page.
        tight = section.first_page and lay.compact >= 2
        gap = Spacer(0, 4 if tight else 10)
        padding = 5 * mm if tight else 7 * mm
        if tight:  # the safety boxes' headings: bold, a little larger than the text, set close
            size = s.body.fontSize * 1.1
            heading = ParagraphStyle("tight_heading", parent=s.heading, spaceBefore=0, fontSize=size,
                                     leading=size * 1.2 * lay.fonts.tight_leading, spaceAfter=2)
        else:
            heading = s.heading
        if section.tone is None:
            content = [lay.para(section.title, heading, heading_tag)]
            start: list[Flowable] = []  # what must fit under the heading for it to stay on this page
            for block, following in zip(section.blocks, (*section.blocks[1:], None)):
                flowables = self.block(block, lay.width, tag)
                if isinstance(block, Paragraph) and following is not None and not isinstance(following, Paragraph):
                    if isinstance(following, Table):
                        start = content[1:] + flowables
                    else:
                        flowables[-1].keepWithNext = 1  # a lead-in ("Tick each tip ...") stays with its list
                elif isinstance(block, Table) and len(content) == len(start) + 1:
                    start.append(_table_start(flowables[0], lay.width))
                content += flowables
            if all(isinstance(block, Paragraph) for block in section.blocks) and all(
                    f.wrap(lay.width, 1e6)[1] <= f.style.leading + 0.01 for f in content[1:]):
                for line in content[1:-1]:  # lines read as one (an address, phone numbers): on one page
                    line.keepWithNext = 1
            sources = note()
            if sources:
                content[-1].keepWithNext = 1  # "Sources: 1, 4" never alone at the top of a page
            if start:  # a heading and lead-in over a table: on this page only with the table's first rows
                return [CondPageBreak(_height([gap, *content[:1], *start], lay.width)), gap, mark, *content, *sources]
            return [gap, mark, *content, *sources]
        background, border, title_colour, weight = lay.tones[section.tone]
        if section.tone != "info":
            size = heading.fontSize if tight else (17 if section.tone == "emergency" else 15.5) * lay.k
            heading = ParagraphStyle("callout_heading", parent=heading, textColor=colors.HexColor(title_colour),
                                     spaceBefore=0, fontSize=size, leading=heading.leading if tight else size * 1.3)
        inner = lay.width - 2 * padding
        title = lay.para(section.title, heading, heading_tag)
        content = [self.labelled(title, section.label, label_tag, colors.HexColor(border), inner)
                   if section.label else title]
        for block in section.blocks:
            content += self.block(block, inner, tag, lay.tight_styles if tight else None)
        if section.label and len(content) > 1:  # the first line's tall letters stay under the dark tab
            content[0].spaceAfter = max(content[0].spaceAfter, ink_beyond(content[1])[0] + INK_CLEARANCE)
        box = self.box(content, colors.HexColor(background), colors.HexColor(border), weight, padding, tight,
                       BORDERS[section.tone])
        return [gap, mark, box, *note()]

    def labelled(self, heading: Flowable, label: str, tag: Element, fill, width: float) -> Flowable:
        """The box's heading with its tone in words on a dark tab before it ("EMERGENCY"): urgency
        that survives a black-and-white printer and colour blindness, and costs no extra line."""
        lay = self.layout
        size = lay.styles.body.fontSize
        style = ParagraphStyle("callout_label", parent=lay.styles.body, fontName=lay.fonts.bold, fontSize=size,
                               leading=size * 1.2, textColor=colors.white, spaceAfter=0, alignment=TA_CENTER)
        badge = lay.para(label, style, tag, bold=True)
        badge_width = min(pdfmetrics.stringWidth(label, lay.fonts.bold, size) * 1.1 + 3 * mm, width / 3)
        cells, widths = [badge, heading], [badge_width, width - badge_width]
        if lay.fonts.rtl:  # the tab leads the line, on the right
            cells, widths = cells[::-1], widths[::-1]
        badge_column = 1 if lay.fonts.rtl else 0
        row = self._tagged(TaggedTable([cells], colWidths=widths))
        row.spaceAfter = heading.getSpaceAfter()
        row.setStyle(self._table_style([
            ("BACKGROUND", (badge_column, 0), (badge_column, 0), fill),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (badge_column, 0), (badge_column, 0), 1.5),
            ("BOTTOMPADDING", (badge_column, 0), (badge_column, 0), 1.5),
            ("LEFTPADDING", (1 - badge_column, 0), (1 - badge_column, 0), 0 if lay.fonts.rtl else 2.5 * mm),
            ("RIGHTPADDING", (1 - badge_column, 0), (1 - badge_column, 0), 2.5 * mm if lay.fonts.rtl else 0),
        ]))
        return row

    def _table_style(self, commands: list) -> TableStyle:
        # Every cell holds a Paragraph, but a table still sets its own default
        # font (Helvetica) unless told otherwise, which would put an unembedded
        # standard font into the PDF.
        return TableStyle([("FONT", (0, 0), (-1, -1), self.layout.fonts.regular, 11), *commands])

    def box(self, content: list[Flowable], background, border, weight: float, padding: float = 7 * mm,
            tight: bool = False, line: tuple = ()) -> Flowable:
        """A boxed block; `line` is the border's (dash, count) when it is not a plain line."""
        box = self._tagged(TaggedTable([[content]], colWidths=[self.layout.width]))
        dash, count = line or (None, 1)
        space = weight * 1.2  # between the lines of a double border
        box.setStyle(self._table_style([
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("BOX", (0, 0), (-1, -1), weight, border, None, dash, None, count, space),
            ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), min(padding, 2.5 * mm if tight else 4 * mm)),
            ("BOTTOMPADDING", (0, 0), (-1, -1), min(padding, 1.5 * mm if tight else 3 * mm)),
        ]))
        # A double border is drawn astride the box's edge: what it reaches beyond a single line is kept
        # clear of the box's neighbours (in large print it touched the next box).
        box.spaceBefore = box.spaceAfter = line_spread(weight, count, space)
        return box

    def block(self, block, width: float, tag: Element, styles=None) -> list[Flowable]:
        lay = self.layout
        s = styles or lay.styles
        if isinstance(block, Paragraph):
            element = tag.child("P", lang=block.lang or None)
            if block.link:  # printed as plain text; read and followed as a link
                paragraph = lay.para(block.text, s.body, element.child("Link"))
                paragraph.link = block.link
                return [paragraph]
            return [lay.para(block.text, s.body, element)]
        # Lists are single flowables per entry (not ListFlowable or one big table) so a
        # heading can keep with the first entry and long lists still flow across pages.
        if isinstance(block, BulletList):
            items = tag.child("L", attributes={"O": "List", "ListNumbering": "Disc"})
            return _in_pairs([lay.item(items, plain(e), s.bullet, BULLET, lay.entry(e)) for e in block.entries])
        if isinstance(block, References):
            # Sources are cited as published, mostly in English, whatever the leaflet's language.
            items = tag.child("L", lang="en" if lay.leaflet.language != "en" else None,
                              attributes={"O": "List", "ListNumbering": "Decimal"})
            # One in Latin letters is set unshaped in the Latin face: ReportLab can then break its web
            # address after a slash (shaped text hides it: "htt" | "ps://" in Arabic or Hindi), and its
            # full stops are Latin ones, not the Arabic face's, set low.
            unshaped = ParagraphStyle(s.reference.name + "-latin", parent=s.reference, shaping=0,
                                      fontName=lay.fonts.latin_face, bulletFontName=f"{lay.fonts.latin_face}-Bold")
            references = [lay.item(items, text, unshaped if s.reference.shaping and is_latin(text) else s.reference,
                                   f"{r.number}.")
                          for r in block.entries for text in [f"{r.text} {r.url}".strip()]]
            for reference in references:
                # A few lines each, often with a long unbreakable web address: moved whole to the next
                # page rather than split, which ReportLab can get wrong for shaped text at large sizes.
                reference.allowSplitting = 0
            return _in_pairs(references)
        if isinstance(block, Checklist):
            items = tag.child("L", attributes={"O": "List", "ListNumbering": "None"})
            entries = [lay.item(items, plain(e), s.checklist, markup=lay.entry(e), cls=TickedParagraph)
                       for e in block.entries]
            for entry in entries:  # the drawn square, said as the character for an empty ballot box
                entry.label_tag.actual_text = TickedParagraph.SPOKEN
                entry.allowSplitting = 0  # a tip to tick is read whole: never half on the next page
            return _in_pairs(entries)
        if isinstance(block, Table):
            return [self.table(block, width, tag.child("Table"))]
        if isinstance(block, Faq):
            # A question and its answer form one keep-with-next chain, which ReportLab moves
            # to the next page whole rather than split; the space between questions is a
            # Spacer outside the chain so that the chain's height is measured exactly.
            flowables: list[Flowable] = []
            for q in block.questions:
                question = lay.para(q.question, s.question, tag.child("H3"))
                answers = [lay.para(a, s.answer, tag.child("P")) for a in q.answer]
                for answer in answers[:-1]:
                    answer.keepWithNext = 1
                flowables += [question, *answers, Spacer(0, 5)]
            return flowables[:-1]
        raise TypeError(f"no PDF layout for {type(block).__name__}")

    def table(self, block: Table, width: float, tag: Element) -> Flowable:
        lay = self.layout
        s = lay.styles
        count = len(block.columns)
        first = 0.34 if count == 2 else 1 / count
        widths = [width * first] + [width * (1 - first) / (count - 1)] * (count - 1)
        header = tag.child("THead").child("TR")
        rows = [[lay.para(c, s.header_cell, header.child("TH", attributes={"O": "Table", "Scope": "Column"}))
                 for c in block.columns]]
        body = tag.child("TBody")
        for cells in block.rows:
            row = body.child("TR")
            rows.append([lay.para(c, s.cell, row.child("TH", attributes={"O": "Table", "Scope": "Row"}) if i == 0
                                  else row.child("TD"), bold=i == 0) for i, c in enumerate(cells)])
        if lay.fonts.rtl:  # the first column on the right
            rows = [row[::-1] for row in rows]
            widths = widths[::-1]
        table = self._tagged(TaggedTable(rows, colWidths=widths, repeatRows=1))
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), lay.primary),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#BFBFBF")),
            ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
        style += [("BACKGROUND", (0, r), (-1, r), lay.accent) for r in range(2, len(rows), 2)]
        table.setStyle(self._table_style(style))
        return table


def _space_after_tables(story: list[Flowable]) -> None:
    """Text right after a table or box keeps clear of its last rule: its tallest letters (Devanagari's
    vowel signs, Nastaliq's climb) stood on it, and Latin ones sat close under it. A spacer between
    them counts towards the room."""
    drawn = [flowable for flowable in story if not isinstance(flowable, (Bookmark, FirstPageEnd))]  # marks
    for at, table in enumerate(drawn):
        if not isinstance(table, TaggedTable):
            continue
        spaced = 0.0
        for following in drawn[at + 1:]:
            if isinstance(following, Spacer):
                spaced += following.height
                continue
            if isinstance(following, RLParagraph):
                climb = ink_beyond(following)[0] + TABLE_GAP / 2 - spaced
                table.spaceAfter = max(table.getSpaceAfter(), climb, 0 if spaced else TABLE_GAP)
            break


def _in_pairs(items: list[Flowable]) -> list[Flowable]:
    """A list's items, broken across pages only between its second and its second-to-last: never one
    item alone at the foot of a page under its heading, or at the top of the next one."""
    if len(items) >= 2:
        items[0].keepWithNext = items[-2].keepWithNext = 1
    return items


def _table_start(table: TaggedTable, width: float) -> Spacer:
    """The height of a table's header and first two rows: the least of it a page may start with."""
    table.wrap(width, 1e6)
    return Spacer(0, sum(table._rowHeights[:1 + TaggedTable.MIN_ROWS]))


def _height(flowables: list[Flowable], width: float) -> float:
    return sum(f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)

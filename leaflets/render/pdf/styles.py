"""How a leaflet looks on paper: page geometry, colours, callout tones and paragraph styles.

Large print and high contrast are print options over the same content: they
change sizes and colours here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from ...colour import BLACK, WHITE, contrast, keep_if_contrast
from ...fonts import FontSet, face_for
from ...leaflet import Look

PAPER_SIZES = {"a4": A4, "letter": LETTER}
MARGIN = 18 * mm
FIRST_BAND = 30 * mm
COMPACT_BAND = 20 * mm   # the first page's header band when the safety sections need the room
LATER_BAND = 12 * mm
# The footer, from the foot of the page up (times the print's scale): its last baseline, the gap to the
# rule over it, the gap from the rule to the text above; 16 mm in all for one line of Latin. Each grows
# where the footer's letters need it (Layout._place_furniture).
FOOTER_BASELINE, FOOTER_RULE_GAP, FOOTER_ABOVE_RULE = 6.5 * mm, 4.5 * mm, 5 * mm
EDGE = 5.5 * mm   # office printers leave the outer 4-5 mm of a sheet blank: letters keep further in
FOOTER_LEADING = 1.2   # the footer's line spacing, as a multiple of its type size (times FontSet.tight_leading)
INK = colors.HexColor("#1A1A1A")
BULLET = "\u2022"
MUTED = colors.HexColor("#4D4D4D")
DRAFT_MARK = colors.HexColor("#F1D8D7")  # the emergency red at 18% on white: visible, never in the way
BODY, LARGE_BODY = 11.5, 16.0   # points

# Callout boxes: background, border, title colour, border weight. Emergency is the loudest.
TONES = {
    "emergency": ("#FDECEA", "#B3261E", "#8C1D18", 2.0),
    "warning": ("#FFF4E0", "#A65A00", "#6E3B00", 1.5),
}
# Each tone's border also differs in shape, so a grey print tells them apart: (dash, lines).
BORDERS = {
    "emergency": (None, 2),      # a heavy double line
    "warning": ((6, 3), 1),      # dashed
    "info": (None, 1),           # a plain line
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


class Palette:
    """The colours of one leaflet: the brand's, or black on white for high contrast."""

    def __init__(self, look: Look, high_contrast: bool):
        if high_contrast:
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
            self.tones["info"] = ("#FFFFFF", primary, primary, 1.5)
        else:
            self.primary = colors.HexColor(look.primary)
            self.accent = colors.HexColor(look.accent)
            self.on_primary = colors.HexColor(look.text_on_primary)
            self.ink, self.muted = INK, MUTED
            self.tones = {**TONES, "info": (look.accent, look.primary, look.primary, 1.0)}  # the clinic's colours


@dataclass(frozen=True)
class Styles:
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


def make_styles(fonts: FontSet, primary: colors.Color, on_primary: colors.Color, ink=None, muted=None,
                scale: float = 1.0) -> Styles:
    """The paragraph styles; scale > 1 for large print (every size, space and indent grows)."""
    ink, muted = ink or INK, muted or MUTED
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=11.5, leading=15.2, textColor=ink,
                          spaceAfter=4, alignment=TA_RIGHT if fonts.rtl else TA_LEFT,
                          wordWrap="RTL" if fonts.rtl else ("CJK" if fonts.cjk else None),
                          shaping=1 if fonts.shaping else 0,
                          allowWidows=0, allowOrphans=0)  # never one line of a paragraph alone at a page edge
    styles = _latin_styles(body, fonts, primary, on_primary, muted)
    if fonts.leading != 1.0:
        styles = Styles(**{name: _spaced(style, fonts.leading) for name, style in vars(styles).items()})
    if scale != 1.0:
        styles = Styles(**{name: _scaled(style, scale) for name, style in vars(styles).items()})
    if fonts.rtl:  # indents are measured from the start of the line, which is on the right
        mirrored = Styles(**{name: _mirrored(style) for name, style in vars(styles).items()})
        # Sources are cited as published, in English: left to right, number on the left, whatever
        # the leaflet's direction (a web address set right to left comes out scrambled).
        return replace(mirrored, reference=ParagraphStyle(styles.reference.name + "-ltr", parent=styles.reference,
                                                          alignment=TA_LEFT, wordWrap=None))
    return styles


def compact_styles(styles: Styles, level: int, spacing: float = 1.0) -> Styles:
    """A smaller title and closer notices, for a first page that needs room for its safety sections;
    the title stays larger than the body text. `spacing`: the script's own (FontSet.leading)."""
    title = ParagraphStyle(styles.title.name + "-compact", parent=styles.title)
    title.fontSize = (max(styles.title.fontSize * 0.8, styles.body.fontSize * 1.4) if level < 2
                      else styles.body.fontSize * 1.25)
    title.leading = title.fontSize * 1.2 * spacing
    written_for = ParagraphStyle(styles.written_for.name + "-compact", parent=styles.written_for)
    written_for.spaceAfter = min(written_for.spaceAfter, 2)
    return replace(styles, title=title, written_for=written_for)


def tight_styles(styles: Styles, spacing: float = 1.0) -> Styles:
    """The safety sections' text set closer (line spacing 1.2, times the script's own `spacing`,
    FontSet.tight_leading: Nastaliq's lines would run into each other; less space between items), same size."""
    def tight(style: ParagraphStyle) -> ParagraphStyle:
        closer = ParagraphStyle(style.name + "-tight", parent=style)
        closer.leading = min(style.leading, style.fontSize * 1.2 * spacing)
        closer.spaceAfter = min(style.spaceAfter, 2)
        return closer
    return replace(styles, body=tight(styles.body), bullet=tight(styles.bullet))


def _scaled(style: ParagraphStyle, scale: float) -> ParagraphStyle:
    """Large print: everything grows, and no text is smaller than the 16 pt body."""
    scaled = ParagraphStyle(style.name + "-large", parent=style)
    for name in ("fontSize", "leading", "spaceAfter", "spaceBefore", "leftIndent", "rightIndent", "bulletIndent",
                 "bulletFontSize"):
        setattr(scaled, name, getattr(style, name) * scale)
    scaled.fontSize = max(scaled.fontSize, LARGE_BODY)
    scaled.bulletFontSize = max(scaled.bulletFontSize, LARGE_BODY)
    # A size raised to LARGE_BODY keeps its lines as far apart, for its size, as before (Nastaliq's
    # notes and table cells too, not Latin spacing); and a little more air between lines
    scaled.leading = max(style.leading * scaled.fontSize / style.fontSize, scaled.fontSize * 1.35)
    return scaled


def _spaced(style: ParagraphStyle, factor: float) -> ParagraphStyle:
    """A script taller than Latin (Nastaliq) needs its lines further apart."""
    spaced = ParagraphStyle(style.name + "-spaced", parent=style)
    spaced.leading = style.leading * factor
    return spaced


def _mirrored(style: ParagraphStyle) -> ParagraphStyle:
    mirrored = ParagraphStyle(style.name + "-rtl", parent=style)
    mirrored.leftIndent, mirrored.rightIndent = style.rightIndent, style.leftIndent
    return mirrored


def _latin_styles(body: ParagraphStyle, fonts: FontSet, primary: colors.Color, on_primary: colors.Color,
                  muted: colors.Color) -> Styles:
    marks = f"{face_for(BULLET, fonts) or fonts.regular}-Bold"  # bullets and numbers may need a fallback face
    return Styles(
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
        # A web address longer than a whole line is broken after one of its slashes, never inside a
        # word ("htt" | "ps://"); a shorter one moves whole to the next line (uriWasteReduce is the
        # part of a line ReportLab may leave empty rather than break one: all of it).
        reference=ParagraphStyle("reference", parent=body, fontSize=10, leading=13, spaceAfter=3,
                                 leftIndent=18, bulletIndent=0, bulletFontName=marks, bulletFontSize=10,
                                 uriWasteReduce=1.0),
    )

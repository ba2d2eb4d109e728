"""The same leaflet for the engines bench.py compares with: a Typst document and WeasyPrint's input.

A comparison is only fair if each engine sets the same words in the same fonts, so both peers start
from the resolved Leaflet the project prints (title, sections, lists, the causes table, FAQ, boxes,
sources, footer) and get the very font files the project embeds, never system fonts.
"""

from __future__ import annotations

import re
import tempfile
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from leaflets.fonts import font_file_of, font_set
from leaflets.leaflet import BulletList, Checklist, Entry, Faq, Leaflet, LeafletSection, Paragraph, References, Table
from leaflets.render.pdf.styles import MUTED, TONES

STYLES = ("", "-Bold")  # the leaflets use regular and bold faces only


def font_files(language: str) -> list[Path]:
    """The .ttf files the project embeds for a language: main family first, then its fallbacks."""
    fonts = font_set(language)
    files = [font_file_of(family + style) for family in (fonts.regular, *fonts.fallback) for style in STYLES]
    return list(dict.fromkeys(files))


@lru_cache(maxsize=32)
def family_name(path: Path) -> str:
    """The family name written in the font file (name ID 1): what Typst and CSS select a face by."""
    font = TTFont(str(path), lazy=True)
    try:
        return font["name"].getDebugName(1)
    finally:
        font.close()


def families(language: str) -> list[str]:
    """The language's families by their names inside the files, in the order the project tries them."""
    fonts = font_set(language)
    return list(dict.fromkeys(family_name(font_file_of(family)) for family in (fonts.regular, *fonts.fallback)))


# --- Typst -------------------------------------------------------------------------------------------

def typst_string(text: str) -> str:
    """A Typst string literal: text in it is data, never markup (no *, _, #, $, @ or < is read)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _hex(colour) -> str:
    return colour if isinstance(colour, str) else "#" + colour.hexval()[2:]


# Page geometry and type sizes follow leaflets/render/pdf/styles.py (A4, 18 mm margins, 11.5 pt body,
# 30 mm first band, 12 mm band on later pages); the boxes use the same tone colours and border weights.
_PREAMBLE = """\
#let primary = rgb({primary})
#let accent = rgb({accent})
#let on-primary = rgb({on_primary})
#let muted = rgb({muted})
#let leaflet-title = {title}
#let clinic = {clinic}
#let page-of(page, pages) = {page_of}
#set document(title: leaflet-title, author: {author})
#set text(font: ({fonts}), fallback: false, size: 11.5pt{nudge}, fill: rgb("#1A1A1A"), dir: {direction}{lang})
// Lines 15.2 pt apart and 4 pt between paragraphs, as the project's body style.
#set text(top-edge: 0.8em, bottom-edge: -0.2em)
#set par(leading: 0.32em, spacing: 0.32em + 4pt)
#set page(
  paper: "a4",
  margin: (x: 18mm, top: 20mm, bottom: 24mm),
  header: context if here().page() > 1 {{
    set text(size: 10pt, fill: on-primary)
    place(top, dy: 3.5mm, grid(columns: (auto, 1fr), column-gutter: 4mm, text(weight: "bold"{clinic_lang}, clinic),
      align(end, leaflet-title)))
  }},
  background: context {{
    place(top, rect(width: 100%, height: if here().page() == 1 {{ 30mm }} else {{ 9mm }}, fill: primary))
    {watermark}
  }},
  footer: context {{
    line(length: 100%, stroke: 0.8pt + primary)
    set text(size: 9pt, fill: muted)
    grid(columns: (1fr, auto), column-gutter: 4mm, {footer},
      text(weight: "bold", page-of(str(here().page()), str(counter(page).final().first()))))
  }},
)
#show heading: set block(sticky: true)
#show heading.where(level: 1): set text(size: 23pt, fill: primary)
#show heading.where(level: 1): set block(above: 4mm, below: 3mm)
#show heading.where(level: 2): set text(size: 15.5pt, fill: primary)
#show heading.where(level: 2): set block(above: 5mm, below: 2.5mm)
#show heading.where(level: 3): set text(size: 12.5pt)
#set list(marker: text(fill: primary, weight: "bold", "\\u{{2022}}"), spacing: 0.5em)
#let tick = box(width: 0.8em, height: 0.8em, stroke: 0.8pt + primary, baseline: 0.1em)
#let small(body) = text(size: 9pt, fill: muted, body)
#let callout(background, border, title-colour, label, title, body) = block(
  width: 100%, fill: rgb(background), stroke: border, inset: (x: 7mm, top: 4mm, bottom: 3mm), {{
    set text(fill: rgb("#1A1A1A"))
    if label != none {{
      grid(columns: (auto, 1fr), column-gutter: 2.5mm, align: horizon,
        box(fill: border.paint, inset: (x: 1.5mm, y: 1.5pt), text(fill: white, weight: "bold", label)),
        text(fill: rgb(title-colour), heading(level: 2, title)))
    }} else {{
      text(fill: rgb(title-colour), heading(level: 2, title))
    }}
    body
  }})
"""

# The first page's band, as content (read by screen readers, like the project's masthead): the logo
# leading the line, the clinic's name and department beside it.
_MASTHEAD = """\
#place(top + left, dx: -18mm, dy: -20mm, block(width: 210mm, height: 30mm, inset: (x: 18mm, y: 5mm),
  grid(columns: ({logo_column}1fr), column-gutter: 6mm, align: horizon,
    {logo}
    {{
      set text(fill: on-primary)
      text(size: 16pt, weight: "bold"{clinic_lang}, clinic)
      linebreak()
      text(size: 11.5pt{department_lang}, {department})
    }})))
#v(12mm)
"""

_BORDERS = {  # Typst has no double line: the emergency box gets a heavier one instead
    "emergency": "{weight}pt * 1.6 + rgb({colour})",
    "warning": '(paint: rgb({colour}), thickness: {weight}pt, dash: "dashed")',
    "info": "{weight}pt + rgb({colour})",
}


def _page_of(template: str) -> str:
    """'Page {{ page }} of {{ pages }}' as a Typst expression of `page` and `pages` (strings)."""
    parts = re.split(r"\{\{\s*(page|pages)\s*\}\}", template)
    terms = [typst_string(part) if i % 2 == 0 else part for i, part in enumerate(parts) if part or i % 2]
    return " + ".join(terms) or '""'


def _lang(code: str) -> str:
    """Typst's lang is the language subtag alone ("zh" for zh-Hans); "" keeps the surrounding one."""
    return f", lang: {typst_string(code.split('-')[0].lower())}" if code else ""


def typst_source(leaflet: Leaflet, nonce: int = 0) -> str:
    """A Typst document of the resolved leaflet: every text as a string literal, A4, tagged when compiled.

    Typst keeps the layout of what it compiled before (its memo cache) and hands it back when the same
    document comes again: a repeated compile then costs a tenth of a real one. A nonzero nonce changes
    the body size by a billionth of a point, so every paragraph is laid out anew, as the project does
    on every render; the fonts stay loaded, and the page looks the same.
    """
    look = leaflet.look
    rtl = font_set(leaflet.language).rtl
    tones = {**TONES, "info": (look.accent, look.primary, look.primary, 1.0)}
    watermark = ""
    if leaflet.watermark:
        watermark = (f'place(center + horizon, rotate(-55deg, reflow: false, text(size: 46pt, weight: "bold", '
                     f'fill: rgb("#F1D8D7"), {typst_string(leaflet.watermark)})))')
    parts = [_PREAMBLE.format(
        primary=typst_string(look.primary), accent=typst_string(look.accent),
        on_primary=typst_string(look.text_on_primary), muted=typst_string(_hex(MUTED)),
        title=typst_string(leaflet.title), clinic=typst_string(look.clinic_name),
        clinic_lang=_lang(look.lang("clinic_name")), page_of=_page_of(leaflet.page_of),
        author=typst_string(leaflet.author), fonts=", ".join(typst_string(f) for f in families(leaflet.language)) + ",",
        nudge=f" + {nonce} * 1e-9pt" if nonce else "", lang=_lang(leaflet.language), direction="rtl" if rtl else "ltr", watermark=watermark,
        footer=typst_string(leaflet.footer))]
    logo = ""
    if look.logo is not None and look.logo.suffix.lower() == ".svg":
        logo = (f"image(bytes({typst_string(look.logo.read_text(encoding='utf-8'))}), format: \"svg\", "
                f"height: 20mm, alt: {typst_string(look.logo_alt)}),")
    parts.append(_MASTHEAD.format(logo_column="auto, " if logo else "", logo=logo,
                                  clinic_lang=_lang(look.lang("clinic_name")),
                                  department_lang=_lang(look.lang("department")),
                                  department=typst_string(look.department)))
    parts.append(f"#heading(level: 1, {typst_string(leaflet.title)})\n")
    if leaflet.subtitle:
        parts.append(f"#text(size: 14pt, {typst_string(leaflet.subtitle)})\n")
    if leaflet.written_for:
        parts.append(f'#text(size: 12pt, weight: "bold", {typst_string(leaflet.written_for)})\n')
    notices = [n for n in (leaflet.watermark, *leaflet.notices) if n]
    if notices:
        background, border, _, weight = tones["emergency" if leaflet.watermark else "warning"]
        body = "; linebreak(); ".join(f'text(size: 12pt, weight: "bold", {typst_string(n)})' for n in notices)
        parts.append(f"#block(width: 100%, fill: rgb({typst_string(background)}), inset: 3mm, "
                     f"stroke: {weight}pt + rgb({typst_string(border)}), {{ {body} }})\n")
    first = [s for s in leaflet.sections if s.first_page]
    for section in first:
        parts.append(_section(section, tones, leaflet.language))
    if first and leaflet.first_page_sources:
        parts.append(f"#small({typst_string(leaflet.first_page_sources)})\n")
    if leaflet.for_you:
        cells = ", ".join(f"text(weight: \"bold\", {typst_string(label)}), {typst_string(value)}"
                          for label, value in leaflet.for_you)
        parts.append(f"#table(columns: (30%, 70%), stroke: (x, y) => (bottom: 0.4pt + accent), "
                     f"table.header(table.cell(colspan: 2, fill: primary, text(weight: \"bold\", fill: on-primary, "
                     f"{typst_string(leaflet.for_you_title)}))), {cells})\n")
    for section in leaflet.sections:
        if not section.first_page:
            parts.append(_section(section, tones, leaflet.language))
    return "\n".join(parts)


def _section(section: LeafletSection, tones: dict, language: str) -> str:
    blocks = "\n".join(_block(block, language) for block in section.blocks)
    note = f"#small({typst_string(section.sources_note)})\n" if section.sources_note and not section.first_page else ""
    if section.tone is None:
        return f"#heading(level: 2, {typst_string(section.title)})\n\n{blocks}\n{note}"
    background, border, title_colour, weight = tones[section.tone]
    stroke = _BORDERS[section.tone].format(weight=weight, colour=typst_string(border))
    label = typst_string(section.label) if section.label else "none"
    return (f"#callout({typst_string(background)}, {stroke}, {typst_string(title_colour)}, {label}, "
            f"{typst_string(section.title)}, [\n{blocks}\n])\n{note}")


def _entry(entry: Entry) -> str:
    lead = f"#strong({typst_string(entry.lead)}){entry.gap}" if entry.lead else ""
    return f"[{lead}#{typst_string(entry.text)}]"


def _block(block, language: str) -> str:
    """One block as Typst markup; each text goes in as a string literal."""
    if isinstance(block, Paragraph):
        text = typst_string(block.text)
        if block.link:
            text = f"link({typst_string(block.link)}, {text})"
        if block.lang:
            text = f"text({text}{_lang(block.lang)})"
        return f"#{text}\n"
    if isinstance(block, BulletList):
        return "#list(" + ", ".join(_entry(e) for e in block.entries) + ")\n"
    if isinstance(block, Checklist):
        return "#list(marker: tick, spacing: 0.8em, " + ", ".join(_entry(e) for e in block.entries) + ")\n"
    if isinstance(block, Table):
        columns = "(34%, " + ", ".join(["1fr"] * (len(block.columns) - 1)) + ")" if len(block.columns) > 1 else "(1fr,)"
        header = ", ".join(f'text(weight: "bold", fill: on-primary, {typst_string(c)})' for c in block.columns)
        rows = ", ".join(", ".join(f'text(weight: "bold", {typst_string(c)})' if i == 0 else typst_string(c)
                                   for i, c in enumerate(row)) for row in block.rows)
        return (f"#table(columns: {columns}, inset: (x: 5pt, top: 4pt, bottom: 5pt), "
                f"stroke: (x, y) => (bottom: 0.5pt + rgb(\"#BFBFBF\")), "
                f"fill: (x, y) => if y == 0 {{ primary }} else if calc.even(y) {{ accent }}, "
                f"table.header({header}), {rows})\n")
    if isinstance(block, Faq):
        items = []
        for q in block.questions:  # a question and its answers move to the next page as one
            answers = " parbreak(); ".join(typst_string(a) for a in q.answer)
            items.append(f"#block(breakable: false, {{ heading(level: 3, {typst_string(q.question)}); "
                         f"parbreak(); {answers} }})\n")
        return "\n".join(items)
    if isinstance(block, References):
        # Sources are cited as published, mostly in English: left to right, as the project sets them.
        entries = ", ".join(f"enum.item({r.number}, {typst_string(f'{r.text} {r.url}'.strip())})" for r in block.entries)
        direction = ', dir: ltr' if language.split("-")[0] != "en" else ""
        return f'#text(size: 10pt, lang: "en"{direction}, enum(numbering: "1.", {entries}))\n'
    raise TypeError(f"no Typst layout for {type(block).__name__}")


_font_folders: dict[str, tempfile.TemporaryDirectory] = {}


def typst_compiler(language: str):
    """A Typst compiler that sees the project's font files for the language and no other font.

    Typst reads fonts from folders only, so the language's files are linked into a folder of their
    own; its embedded fonts (Libertinus, New Computer Modern) and the system's are left out.
    """
    import typst

    if language not in _font_folders:
        folder = _font_folders[language] = tempfile.TemporaryDirectory(prefix=f"typst-fonts-{language}-")
        for path in font_files(language):
            (Path(folder.name) / path.name).symlink_to(path)
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                        font_paths=[_font_folders[language].name])
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True)


def described(pdf: bytes) -> str:
    """"6 pages, tagged": read with pikepdf, not with the engine that wrote the file. Tagged means a
    structure tree and MarkInfo /Marked true, so the engines compared all do the work of tagging."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        marked = document.Root.get("/MarkInfo", {}).get("/Marked", False)
        tagged = "/StructTreeRoot" in document.Root and bool(marked)
        return f"{len(document.pages)} pages, {'tagged' if tagged else 'NOT tagged'}"


# --- ReportLab alone ---------------------------------------------------------------------------------

_bare_faces: dict[str, str] = {}


def _bare_face(name: str) -> str:
    """ReportLab's own TTFont for the file of face `name`, registered once under a name of its own: none
    of the project's font classes, shaping or caches comes with it."""
    if name not in _bare_faces:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont as ReportLabTTFont

        _bare_faces[name] = f"bare-{name}"
        pdfmetrics.registerFont(ReportLabTTFont(_bare_faces[name], str(font_file_of(name))))
    return _bare_faces[name]


def reportlab_alone(leaflet: Leaflet):
    """A function that sets the leaflet's words as ReportLab's stock paragraphs, one after another on A4
    pages, in the language's main faces, and returns the PDF: no tables, boxes, bands, tags, bidi
    ordering, fallback faces or caches. The project's leaflet does all of this work and more, so its time
    with its caches emptied (render anew) cannot be below this one's: a floor for the library the project
    is built on, to read a target against (the same words shaped, broken into lines, subset and written)."""
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as ReportLabParagraph
    from reportlab.platypus import SimpleDocTemplate

    from leaflets.leaflet import texts

    fonts = font_set(leaflet.language)
    body = ParagraphStyle("body", fontName=_bare_face(fonts.regular), fontSize=11.5, leading=15,
                          shaping=int(fonts.shaping), wordWrap="CJK" if fonts.cjk else None, spaceAfter=4)
    heading = ParagraphStyle("heading", parent=body, fontName=_bare_face(fonts.bold), fontSize=15, leading=19)
    headings = {leaflet.title, *(section.title for section in leaflet.sections)}
    words = [(escape(text), heading if text in headings else body) for _, text in texts(leaflet) if text]

    def write() -> bytes:
        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=A4, invariant=1, pageCompression=1).build(
            [ReportLabParagraph(text, style) for text, style in words])
        return out.getvalue()
    return write


# --- WeasyPrint -------------------------------------------------------------------------------------

def weasyprint_css(language: str) -> str:
    """@font-face rules for the project's font files, under names no system font has, and A4 pages.

    The HTML twin asks for "Atkinson Hyperlegible", then system-ui: for Arabic, Hindi or Chinese that
    would be whatever the machine has. This stylesheet makes every text use the project's faces, on
    A4 pages with the project's margins and body size; the rest is the web page's own style.
    """
    fonts = font_set(language)
    faces, names = [], []
    for family in (fonts.regular, *fonts.fallback):
        name = f"leaflet {family}"
        names.append(f'"{name}"')
        for weight, style in ((400, ""), (700, "-Bold")):
            uri = font_file_of(family + style).as_uri()
            faces.append(f'@font-face {{ font-family: "{name}"; font-weight: {weight}; src: url("{uri}"); }}')
    return "\n".join([*faces, f"body {{ font-family: {', '.join(names)} !important; }}",
                      # the page's sizes are in rem, its body 1.125rem: 11.5 pt, the project's body size
                      "html { font-size: 10.2pt; }", "@page { size: A4; margin: 18mm; }"])

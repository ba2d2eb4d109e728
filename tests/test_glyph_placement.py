"""Shaped glyphs sit where HarfBuzz placed them, and text inside a box stays inside it.

Read from the PDF with pdfminer (each glyph's text rise, from the content stream) and with
fontTools (each glyph's outline box, from the font subset embedded in the PDF), and compared with
HarfBuzz's own shaping of the same words, or with the boxes' backgrounds and borders as drawn.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Iterator

import pikepdf
import pytest
import uharfbuzz as hb
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTCurve, LTLine, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from PIL import Image, ImageChops, ImageDraw
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from leaflets.fonts import font_file_of, fonts_for
from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
from leaflets.render.pdf import PrintOptions, render_pdf
from tests.test_languages import translated


class _Glyphs(PDFPageAggregator):
    """pdfminer's layout device, also noting each glyph as the content stream draws it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.glyphs: list[tuple[str, int, tuple, float, float]] = []

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):
        self.glyphs.append((font.fontname, cid, matrix, fontsize, rise))
        return super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)


def read_pages(pdf: Path):
    """Per page: its glyphs (font, code, matrix, size, rise) and its drawn shapes, as pdfminer reads them."""
    manager = PDFResourceManager()
    with pdf.open("rb") as handle:
        for page in PDFPage.get_pages(handle):
            device = _Glyphs(manager, laparams=None)
            PDFPageInterpreter(manager, device).process_page(page)
            yield device.glyphs, list(device.get_result())


def embedded_faces(pdf: Path) -> Iterator[tuple[str, TTFont]]:
    """Each TrueType subset embedded in the PDF, once, with its name, read with fontTools."""
    seen = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                name, descriptor = str(font.BaseFont).lstrip("/"), font.get("/FontDescriptor")
                if name in seen or descriptor is None or "/FontFile2" not in descriptor:
                    continue
                seen.add(name)
                yield name, TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))


def outline_boxes(pdf: Path) -> dict[str, dict[int, tuple[float, float, float, float]]]:
    """Each embedded font subset's glyph boxes by character code, in ems."""
    boxes: dict[str, dict[int, tuple[float, float, float, float]]] = {}
    for name, face in embedded_faces(pdf):
        glyf, em = face["glyf"], face["head"].unitsPerEm
        codes: dict[int, tuple[float, float, float, float]] = {}
        for table in face["cmap"].tables:
            for code, glyph_name in table.cmap.items():
                glyph = glyf[glyph_name]
                if glyph.isComposite() or getattr(glyph, "numberOfContours", 0) > 0:
                    glyph.recalcBounds(glyf)
                    codes[code & 0xFF] = (glyph.xMin / em, glyph.yMin / em, glyph.xMax / em, glyph.yMax / em)
        boxes[name] = codes
    return boxes


def _words(language: str, limit: int = 400) -> list[str]:
    seen: dict[str, None] = {}
    for text in translated(language).values():
        for word in text.split():
            word = word.strip("().,:;!?«»\"'،؛۔")
            if word and any(unicodedata.bidirectional(c) in ("AL", "R") or unicodedata.category(c) == "Mc"
                            or unicodedata.category(c) == "Mn" for c in word):
                seen.setdefault(word)
    return list(seen)[:limit]


@pytest.mark.parametrize("language", ["ur", "ar", "hi", "bn"])
def test_each_shaped_glyph_is_raised_as_harfbuzz_placed_it(tmp_path, language):
    """A word per line, as the leaflet's paragraphs draw it; pdfminer's text rise for each glyph is
    HarfBuzz's vertical offset for it. ReportLab 5.1 lost track of the rise when two raised glyphs
    followed each other, and drew the next glyphs, meant for the baseline, at the second one's height."""
    fonts = fonts_for(language)
    words = _words(language)
    size = 12
    checked = 0
    for face_name in (fonts.regular, fonts.bold):
        style = ParagraphStyle("word", fontName=face_name, fontSize=size, leading=size * 2.5,
                               wordWrap="RTL" if fonts.rtl else None, shaping=1)
        pdf = tmp_path / f"{face_name}.pdf"
        SimpleDocTemplate(str(pdf)).build([Paragraph(word, style) for word in words])
        font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_file_of(face_name)))))
        lines: dict[tuple[int, float], list[float]] = {}
        for number, (glyphs, _) in enumerate(read_pages(pdf)):
            for _, _, matrix, _, rise in glyphs:
                lines.setdefault((number, round(matrix[5], 2)), []).append(round(rise, 2))
        drawn = [rises for _, rises in sorted(lines.items(), key=lambda item: (item[0][0], -item[0][1]))]
        assert len(drawn) == len(words)
        for word, rises in zip(words, drawn):
            buffer = hb.Buffer()
            buffer.add_str(word)
            buffer.guess_segment_properties()
            hb.shape(font, buffer)
            expected = [round(size * position.y_offset / font.face.upem, 2) for position in buffer.glyph_positions]
            assert rises == expected, (face_name, word)
            checked += len(rises)
    assert checked > 1000


def _inner_edges(rect, shapes) -> tuple[float, float, float, float]:
    """A filled rectangle's inside, less the lines drawn along its edges (a double border: both)."""
    x0, y0, x1, y1 = rect.x0, rect.y0, rect.x1, rect.y1
    for shape in shapes:
        if not isinstance(shape, (LTLine, LTRect, LTCurve)) or not shape.stroke:
            continue
        half = (shape.linewidth or 0) / 2
        horizontal = shape.height < 0.5 and shape.x0 < rect.x1 and shape.x1 > rect.x0
        vertical = shape.width < 0.5 and shape.y0 < rect.y1 and shape.y1 > rect.y0
        if horizontal and rect.y1 - 8 < shape.y0 < rect.y1 + 8:
            y1 = min(y1, shape.y0 - half)
        if horizontal and rect.y0 - 8 < shape.y0 < rect.y0 + 8:
            y0 = max(y0, shape.y0 + half)
        if vertical and rect.x0 - 8 < shape.x0 < rect.x0 + 8:
            x0 = max(x0, shape.x0 + half)
        if vertical and rect.x1 - 8 < shape.x0 < rect.x1 + 8:
            x1 = min(x1, shape.x0 - half)
    return x0, y0, x1, y1


def ink_outside_boxes(pdf: Path, clearance: float = 0.9) -> list[str]:
    """Glyphs whose baseline lies on a background (a box, a badge, a header row) but whose outline
    reaches within `clearance` points of its edge or border, or past it; and glyphs from outside a
    background whose outline reaches into it (a tall letter of the line under a badge)."""
    boxes = outline_boxes(pdf)
    found = []
    for number, (glyphs, shapes) in enumerate(read_pages(pdf), start=1):
        backgrounds = [shape for shape in shapes if isinstance(shape, LTRect) and shape.fill]
        for font, code, (a, b, c, d, e, f), size, rise in glyphs:
            box = boxes.get(font.lstrip("/"), {}).get(code)
            if box is None:
                continue
            xs = [a * gx * size + c * (gy * size + rise) + e for gx in (box[0], box[2]) for gy in (box[1], box[3])]
            ys = [b * gx * size + d * (gy * size + rise) + f for gx in (box[0], box[2]) for gy in (box[1], box[3])]
            middle = (min(xs) + max(xs)) / 2
            for rect in backgrounds:
                outside = not (rect.x0 <= middle <= rect.x1 and rect.y0 <= f <= rect.y1)
                if outside and min(xs) < rect.x1 - 1 and rect.x0 + 1 < max(xs) and \
                        min(ys) < rect.y1 - 0.5 and rect.y0 + 0.5 < max(ys):
                    found.append(f"page {number}: a glyph of {font} at ({e:.0f}, {f:.0f}), outside the box at "
                                 f"({rect.x0:.0f}, {rect.y0:.0f})-({rect.x1:.0f}, {rect.y1:.0f}), reaches into it")
                if not outside:
                    x0, y0, x1, y1 = _inner_edges(rect, shapes)
                    over = max(max(ys) - (y1 - clearance), (y0 + clearance) - min(ys),
                               (x0 + clearance) - min(xs), max(xs) - (x1 - clearance))
                    if over > 0:
                        found.append(f"page {number}: a glyph of {font} at ({e:.0f}, {f:.0f}) crosses the edge "
                                     f"of the box at ({rect.x0:.0f}, {rect.y0:.0f})-({rect.x1:.0f}, {rect.y1:.0f}) "
                                     f"by {over:.1f} pt")
    return found


@pytest.fixture(scope="module")
def boxed_leaflets(tmp_path_factory):
    """Femoral + flyer (every safety box, the causes table) in scripts of every height, standard and large print."""
    folder = tmp_path_factory.mktemp("boxed")
    library, brand = open_library().load("dvt-walking"), open_brand()
    made = {}
    for language in ("ur", "ar", "hi", "bn", "vi", "zh-Hans", "en"):
        for large in (False, True):
            options = PrintOptions(large_print=large)
            request = LeafletRequest("dvt-walking", ("femoral", "flyer"), language, allow_overdue=True,
                                     print_options=options)
            pdf = folder / f"{language}{'-large' if large else ''}.pdf"
            pdf.write_bytes(render_pdf(resolve_request(library, request, brand), "a4", options).data)
            made[pdf.stem] = pdf
    return made


@pytest.mark.parametrize("name", ["ur", "ur-large", "ar", "ar-large", "hi", "hi-large", "bn", "vi", "zh-Hans", "en"])
def test_letters_stay_inside_their_boxes(boxed_leaflets, name):
    """Nastaliq letters climb up to twice the type size above the baseline: the first line of a box,
    a badge or a table's header row crossed the border or background edge over it (found: 'اہم' and
    the emergency heading through the double border, the causes table's headings through their row)."""
    assert ink_outside_boxes(boxed_leaflets[name]) == []


def _characters(pdf: Path, page: int | None = None) -> list:
    """pdfminer's characters in drawing order (text, font, size, width), on one page (from 0) or all."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    found = []

    def walk(item):
        if isinstance(item, LTChar):
            found.append(item)
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    for layout in extract_pages(str(pdf), page_numbers=None if page is None else [page]):
        walk(layout)
    return found


@pytest.mark.parametrize("name", ["zh-Hans", "ur"])
def test_numbers_in_a_bold_heading_are_bold(boxed_leaflets, name):
    """'999' in the emergency heading, set in a face other than the language's own (Latin digits
    beside Chinese; Noto Sans in Urdu), was drawn regular in a bold heading: ReportLab reads
    <font face="..."> as the family's regular face."""
    characters = _characters(boxed_leaflets[name], 0)
    heading = max(char.size for char in characters if char.get_text() == "9")
    nines = [char for char in characters if char.get_text() == "9" and char.size == heading]
    assert len(nines) >= 3
    assert all("Bold" in char.fontname for char in nines), {char.fontname for char in nines}


def test_latin_words_in_urdu_are_spaced_as_latin(boxed_leaflets):
    """Nastaliq's space is half as wide as Noto Sans's: the English contact details and sources of an
    Urdu leaflet ran together ('020 7946 0321' read as one number). Latin words, and the spaces
    between them, are set in Noto Sans."""
    characters = _characters(boxed_leaflets["ur"])
    latin = [(before, space, after) for before, space, after in zip(characters, characters[1:], characters[2:])
             if space.get_text() == " " and before.get_text().isascii() and before.get_text().isalnum()
             and after.get_text().isascii() and after.get_text().isalnum()]
    assert len(latin) > 100  # the sources, the contact details, the phone numbers
    narrow = [f"{before.get_text()} {after.get_text()}" for before, space, after in latin
              if space.width / space.size < 0.2]
    assert narrow == []
    phone = "".join(char.get_text() for char in characters)
    assert "020 7946 0321" in phone


def _text_lines(pdf: Path) -> list[str]:
    """Each page's lines of text as pdfminer groups them, top to bottom, page after page."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextLine

    lines = []

    def walk(item, found):
        if isinstance(item, LTTextLine):
            found.append((-item.y0, item.x0, item.get_text().strip()))
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child, found)

    for layout in extract_pages(str(pdf)):
        found: list = []
        walk(layout, found)
        lines += [text for _, _, text in sorted(found)]
    return lines


@pytest.mark.parametrize("language", ["en", "ar", "hi", "bn", "ko", "ur", "zh-Hans", "ru", "en-large", "ar-large",
                                      "ur-large"])
def test_web_addresses_break_only_after_a_slash(tmp_path, language):
    """A source's web address too long for its line broke wherever the line ended, 'htt' | 'ps://...'
    or '...limit-activ' | 'ity' (Arabic, Hindi, Bengali, Korean, Urdu, Russian; English in large
    print): it is broken after a slash, as often as it takes."""
    language, large, _ = language.partition("-large")
    options = PrintOptions(large_print=bool(large))
    library = open_library().load("dvt-walking")
    leaflet = resolve_request(library, LeafletRequest("dvt-walking", ("femoral", "flyer"), language,
                                                      allow_overdue=True, print_options=options), open_brand())
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(render_pdf(leaflet, "a4", options).data)
    lines = _text_lines(pdf)
    addresses = [entry.url for section in leaflet.sections for block in section.blocks
                 if getattr(block, "kind", "") == "references" for entry in block.entries if entry.url]
    assert addresses
    for address in addresses:
        # Where it starts (the end of a line), then each whole line that continues it.
        for at, line in enumerate(lines):
            words = line.split()
            if words and len(words[-1]) > 3 and address.startswith(words[-1]):
                parts = [words[-1]]
                for following in lines[at + 1:]:
                    rest = address[len("".join(parts)):]
                    piece = following.split()[0] if following.split() else ""
                    if not rest or not rest.startswith(piece):
                        break
                    parts.append(piece)
                if "".join(parts) == address:
                    break
        else:
            raise AssertionError(f"{address} is not on the page")
        assert all(part.endswith("/") and not part.endswith("://") for part in parts[:-1]), (address, parts)


@pytest.mark.parametrize("name", ["ur", "ur-large"])
def test_nastaliq_lines_keep_their_spacing_in_the_safety_boxes(boxed_leaflets, name):
    """Nastaliq needs more line spacing than Latin (fonts.py). The safety boxes' text, set closer
    when page 1 is short of room, was set at 1.2 times the type size whatever the script: in large
    print the Urdu emergency signs ran into each other. Now at least 1.5 times (1.2 x 1.25). Read
    with pdfminer: the baselines of page 1."""
    characters = [char for char in _characters(boxed_leaflets[name], 0) if "Nastaliq" in char.fontname]
    for size in {round(char.size, 1) for char in characters}:
        baselines = sorted({round(char.matrix[5], 1) for char in characters if round(char.size, 1) == size})
        close = [(upper, lower) for lower, upper in zip(baselines, baselines[1:])
                 if 0.4 * size < upper - lower < 1.25 * 1.2 * size - 0.1]
        assert close == [], f"{size} pt lines only {[round(u - l, 1) for u, l in close]} pt apart"


class _Polygons(BasePen):
    """A glyph's outline as polygons (curves cut into short straight pieces), for Pillow to fill."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.contours: list[list[tuple[float, float]]] = []

    def _moveTo(self, point):
        self.contours.append([point])

    def _lineTo(self, point):
        self.contours[-1].append(point)

    def _curveToOne(self, p1, p2, p3):
        (x0, y0), steps = self.contours[-1][-1], 8
        for step in range(1, steps + 1):
            t = step / steps
            u = 1 - t
            self.contours[-1].append((u ** 3 * x0 + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t ** 3 * p3[0],
                                      u ** 3 * y0 + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t ** 3 * p3[1]))

    def _qCurveToOne(self, p1, p2):
        (x0, y0), steps = self.contours[-1][-1], 6
        for step in range(1, steps + 1):
            t = step / steps
            u = 1 - t
            self.contours[-1].append((u * u * x0 + 2 * u * t * p1[0] + t * t * p2[0],
                                      u * u * y0 + 2 * u * t * p1[1] + t * t * p2[1]))


def _outlines(pdf: Path) -> dict[str, dict[int, list[list[tuple[float, float]]]]]:
    """Each embedded subset's glyph outlines by character code, in ems."""
    shapes: dict[str, dict[int, list]] = {}
    for name, face in embedded_faces(pdf):
        glyph_set, em = face.getGlyphSet(), face["head"].unitsPerEm
        shapes[name] = {}
        for table in face["cmap"].tables:
            for code, glyph_name in table.cmap.items():
                pen = _Polygons(glyph_set)
                glyph_set[glyph_name].draw(pen)
                shapes[name][code] = [[(x / em, y / em) for x, y in c] for c in pen.contours if len(c) > 2]
    return shapes


def touching_lines(pdf: Path, dpi: int = 150, first_page: int = 1) -> tuple[list[str], int]:
    """Pairs of neighbouring lines whose letters touch: each line's glyph outlines (from the embedded
    fonts, placed where pdfminer reads each glyph) filled into a bitmap of its own with Pillow, even-odd
    so that a letter's counter stays open; a pixel inked in both bitmaps is a touch. Also how many
    pairs of neighbouring lines (baselines under 2.5 type sizes apart) there were."""
    shapes, scale, found, pairs = _outlines(pdf), dpi / 72, [], 0
    for number, (glyphs, _) in enumerate(read_pages(pdf), start=1):
        if number < first_page:
            continue
        lines: dict[float, list] = {}
        for font, code, matrix, size, rise in glyphs:
            if shapes.get(font.lstrip("/"), {}).get(code):
                lines.setdefault(round(matrix[5], 1), []).append((shapes[font.lstrip("/")][code], matrix, size, rise))
        baselines = sorted(lines, reverse=True)
        for upper, lower in zip(baselines, baselines[1:]):
            if upper - lower > 2.5 * max(size for _, _, size, _ in lines[upper]):
                continue
            pairs += 1
            bitmaps = []
            for baseline in (upper, lower):
                bitmap = Image.new("1", (round(700 * scale), round(900 * scale)), 0)
                for contours, (a, b, c, d, e, f), size, rise in lines[baseline]:
                    polygons = [[((a * x * size + c * (y * size + rise) + e) * scale,
                                  (900 - (b * x * size + d * (y * size + rise) + f)) * scale) for x, y in contour]
                                for contour in contours]
                    left = int(min(x for polygon in polygons for x, _ in polygon)) - 1
                    top = int(min(y for polygon in polygons for _, y in polygon)) - 1
                    width = int(max(x for polygon in polygons for x, _ in polygon)) + 2 - left
                    height = int(max(y for polygon in polygons for _, y in polygon)) + 2 - top
                    glyph = Image.new("1", (width, height), 0)
                    for polygon in polygons:
                        contour = Image.new("1", (width, height), 0)
                        ImageDraw.Draw(contour).polygon([(x - left, y - top) for x, y in polygon], fill=1)
                        glyph = ImageChops.logical_xor(glyph, contour)
                    bitmap.paste(1, (left, top), glyph)
                bitmaps.append(bitmap)
            touch = ImageChops.logical_and(*bitmaps).getbbox()
            if touch:
                found.append(f"page {number}: the lines at {upper} and {lower} pt touch near x = {touch[0] / scale:.0f} pt")
    return found, pairs


@pytest.mark.parametrize("name", ["ur", "ur-large"])
def test_nastaliq_lines_after_page_one_rarely_touch(boxed_leaflets, name):
    """Nastaliq's tall words climb into the line above (a reader saw مستحکم, ٹخنوں and گھنٹے run into
    it): at 1.3 times Latin line spacing one pair of neighbouring lines in five or six touched. At twice
    the type size one in twenty to forty still does (the tallest word over the deepest would need 2.6
    times); fewer than one in fifteen may. Page 1's safety boxes are set closer when room is short (the
    test above), so the pages after it are counted."""
    touching, pairs = touching_lines(boxed_leaflets[name], first_page=2)
    assert pairs > 100
    assert len(touching) < pairs / 15, (len(touching), pairs, touching)


@pytest.mark.parametrize("language", ["en", "zh-Hans", "ar", "ur", "hi"])
def test_no_letter_is_printed_where_printers_leave_the_paper_blank(tmp_path, language):
    """Office printers leave the outer 4-5 mm of a sheet blank. In large print the footer's second line
    (the review date) sat 2 mm from the foot of the page and the clinic's name 2.4 mm from its top;
    the running header of every later page reached 3.5 mm from the top. Each glyph's outline, read
    from the embedded font, stays 5 mm from the top and bottom edges (pages, both papers, large print)."""
    library, brand = open_library().load("dvt-walking"), open_brand()
    edge = 5 * 72 / 25.4
    for paper in ("a4", "letter"):
        for profiles in (("general",), ("femoral", "flyer")):
            for large in (False, True):
                options = PrintOptions(large_print=large)
                request = LeafletRequest("dvt-walking", profiles, language, paper, allow_overdue=True,
                                         print_options=options)
                pdf = tmp_path / f"{paper}-{'+'.join(profiles)}-{large}.pdf"
                pdf.write_bytes(render_pdf(resolve_request(library, request, brand), paper, options).data)
                boxes = outline_boxes(pdf)
                height = 842 if paper == "a4" else 792
                for number, (glyphs, _) in enumerate(read_pages(pdf), start=1):
                    for font, code, (a, b, c, d, e, f), size, rise in glyphs:
                        box = boxes.get(font.lstrip("/"), {}).get(code)
                        if box is None or not 0 <= f <= height:
                            continue
                        top, bottom = f + d * (box[3] * size + rise), f + d * (box[1] * size + rise)
                        assert edge <= bottom and top <= height - edge, (
                            f"{pdf.stem} page {number}: a glyph of {font} reaches "
                            f"{min(bottom, height - top) / 72 * 25.4:.1f} mm from the edge")


def letters_on_rules(pdf: Path, clearance: float = 1.0) -> list[str]:
    """Glyphs of the line next to a horizontal rule (a table's lines, a box's border), over or under
    it, whose outline comes within `clearance` points of it. (A Nastaliq word on a second line can
    climb through the first: that is the line spacing's to answer for, not the rule's.)"""
    boxes = outline_boxes(pdf)
    found = []
    for number, (glyphs, shapes) in enumerate(read_pages(pdf), start=1):
        rules = [shape for shape in shapes if isinstance(shape, LTLine) and shape.height < 0.5 and shape.width > 50]
        for font, code, (a, b, c, d, e, f), size, rise in glyphs:
            box = boxes.get(font.lstrip("/"), {}).get(code)
            if box is None:
                continue
            left, right = e + box[0] * size, e + box[2] * size
            bottom, top = f + d * (box[1] * size + rise), f + d * (box[3] * size + rise)
            for rule in rules:
                half = (rule.linewidth or 0) / 2
                next_line = -0.8 * size < rule.y0 - f < 1.5 * size
                if next_line and rule.x0 < right and left < rule.x1 and bottom - clearance < rule.y0 + half and \
                        rule.y0 - half < top + clearance:
                    found.append(f"page {number}: a glyph of {font} at ({e:.0f}, {f:.0f}) touches the rule at "
                                 f"y {rule.y0:.1f}")
    return found


@pytest.mark.parametrize("language", ["en", "bn", "ur", "hi", "ar"])
def test_the_text_after_a_table_is_clear_of_its_last_rule(tmp_path, language):
    """The paragraph after the causes table sat right on the table's bottom rule: a Bengali chandrabindu
    and tall Nastaliq letters touched it. No letter comes within 1 pt of a rule (tables' lines)."""
    library, brand = open_library().load("dvt-walking"), open_brand()
    for large in (False, True):
        options = PrintOptions(large_print=large)
        request = LeafletRequest("dvt-walking", ("general",), language, "a4", allow_overdue=True,
                                 print_options=options)
        pdf = tmp_path / f"{large}.pdf"
        pdf.write_bytes(render_pdf(resolve_request(library, request, brand), "a4", options).data)
        assert letters_on_rules(pdf) == []


@pytest.mark.parametrize("name", ["en", "ur", "ar", "hi", "zh-Hans", "ur-large", "ar-large", "hi-large"])
def test_boxes_do_not_touch(boxed_leaflets, name):
    """The emergency box's double border reaches outside the box: in large print its outer line sat
    0.3 pt from the next box's border. Borders of different colours (different boxes) keep 2 pt apart."""
    for number, (_, shapes) in enumerate(read_pages(boxed_leaflets[name]), start=1):
        rules = [shape for shape in shapes if isinstance(shape, LTLine) and shape.height < 0.5 and shape.width > 300]
        for upper in rules:
            for lower in rules:
                gap = (upper.y0 - upper.linewidth / 2) - (lower.y0 + lower.linewidth / 2)
                if upper.stroking_color != lower.stroking_color and 0 <= upper.y0 - lower.y0 and gap < 2:
                    raise AssertionError(f"{name} page {number}: borders {gap:.1f} pt apart at y {lower.y0:.0f}")

"""Page breaks a typesetter would sign off, read back line by line with poppler's pdftotext -bbox-layout.

Shipped combinations in the Latin-script languages: every paper, standard and large print, the default
profile and all profiles together.
"""

from __future__ import annotations

import html
import re
import subprocess

import pytest

from leaflets.content import load_strings
from leaflets.paths import strings_dir
from leaflets.pipeline import LeafletRequest, build_pdf, open_brand, open_library
from leaflets.render.pdf import PrintOptions
from leaflets.resolve import resolve

MM = 72 / 25.4
LANGUAGES = ("en", "es", "fr", "pl", "vi")
CAUSES = ["Injury to a", "Sitting still", "Pregnancy", "The contraceptive", "Being overweight", "Family history",
          "Cancer and", "Smoking", "Heart disease", "Inflamed or"]  # the start of each row's first cell


def body_lines(pdf, scale: float) -> list[list[tuple[float, str]]]:
    """Each page's lines of text between the header band and the footer, top to bottom."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for n, (height, content) in enumerate(re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S)):
        top = (20 if n == 0 else 12 * scale) * MM  # below the header band (page 1's may be narrower)
        bottom = float(height) - 11 * scale * MM  # above the footer rule
        lines = []
        for y_min, y_max, words in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>',
                                              content, re.S):
            text = " ".join(html.unescape(w) for w in re.findall(r">([^<]*)</word>", words))
            if float(y_min) > top and float(y_max) < bottom:
                lines.append((float(y_min), text))
        pages.append([text for _, text in sorted(lines)])
    return pages


@pytest.fixture(scope="module")
def library():
    return open_library(), open_brand()


def builds(library, tmp_path):
    lib, clinic = library
    loaded = lib.load("dvt-walking")
    for language in LANGUAGES:
        version = loaded.in_language(language)
        for profiles in (("general",), ("calf", "femoral", "flyer")):
            leaflet = resolve(version, profiles, clinic, load_strings(strings_dir(), language))
            for paper in ("a4", "letter"):
                for large in (False, True):
                    request = LeafletRequest("dvt-walking", profiles, language, paper, allow_overdue=True,
                                             print_options=PrintOptions(large_print=large))
                    pdf = tmp_path / f"{language}-{'+'.join(profiles)}-{paper}-{large}.pdf"
                    pdf.write_bytes(build_pdf(loaded, request, clinic).data)
                    yield f"{pdf.stem}", leaflet, body_lines(pdf, 16 / 11.5 if large else 1.0)


@pytest.fixture(scope="module")
def shipped(library, tmp_path_factory):
    return list(builds(library, tmp_path_factory.mktemp("breaks")))


def test_no_heading_is_the_last_line_of_a_page(shipped):
    for name, leaflet, pages in shipped:
        titles = {s.title for s in leaflet.sections}
        for number, lines in enumerate(pages, start=1):
            assert lines and lines[-1] not in titles, f"{name}: '{lines[-1]}' ends page {number}"


def test_no_sources_line_tops_a_page(shipped):
    for name, leaflet, pages in shipped:
        notes = {s.sources_note for s in leaflet.sections} | {leaflet.first_page_sources}
        for number, lines in enumerate(pages[1:], start=2):
            assert lines[0] not in notes, f"{name}: '{lines[0]}' tops page {number}"


def test_phone_numbers_and_durations_are_never_broken(shipped):
    for name, leaflet, pages in shipped:
        for number, lines in enumerate(pages, start=1):
            for line in lines:
                if re.search(r"\b020\b|\b7946\b|\b0321\b", line):
                    assert "020 7946 0321" in line, f"{name}, page {number}: '{line}'"
                if name.startswith("en-") and re.search(r"\b10 to\b|^to 15|\b15 minutes", line):
                    assert "10 to 15 minutes" in line, f"{name}, page {number}: '{line}'"


def test_a_table_splits_with_at_least_two_rows_on_each_page(shipped):
    for name, leaflet, pages in shipped:
        if not name.startswith("en-"):
            continue
        counts = [sum(1 for cause in CAUSES if any(line.startswith(cause) for line in page)) for page in pages]
        assert sum(counts) == len(CAUSES), (name, counts)
        for number, count in enumerate(counts, start=1):
            assert count == 0 or count >= 2, f"{name}: {count} row(s) of the table on page {number}"


def test_table_split_keeps_two_rows_on_each_side():
    """ReportLab alone would carry one row over, or leave one behind; the leaflet's tables do not."""
    from reportlab.platypus import Paragraph
    from reportlab.lib.styles import ParagraphStyle

    from leaflets.render.pdf.flowables import TaggedTable

    style = ParagraphStyle("cell", fontName="Helvetica", fontSize=10, leading=12)
    rows = [[Paragraph(f"row {n}", style), Paragraph("text", style)] for n in range(11)]  # header + 10

    def table():
        made = TaggedTable(rows, colWidths=[100, 100], repeatRows=1)
        made.wrap(200, 1000)
        return made

    height = table()._rowHeights[0]
    assert table().split(200, height * 2.5) == []  # room for the header and one row: moved whole
    first, second = table().split(200, height * 10.5)  # room for the header and nine rows: one would be left
    assert len(first._cellvalues) - 1 == 8 and len(second._cellvalues) - 1 == 2
    first, second = table().split(200, height * 6.5)
    assert len(first._cellvalues) - 1 == 5 and len(second._cellvalues) - 1 == 5


def test_the_last_page_is_not_a_page_of_a_few_lines(shipped):
    for name, leaflet, pages in shipped:
        assert len(pages[-1]) >= 8, f"{name}: {len(pages[-1])} lines on the last page"


def structure_lists(pdf) -> list[tuple[str, list[list[int]]]]:
    """Each list (L) in the structure tree, read with pikepdf: its ListNumbering, and for each of its
    items (LI) the pages its content lies on, in reading order."""
    import pikepdf

    lists: list[tuple[str, list[list[int]]]] = []
    with pikepdf.open(pdf) as document:
        page_index = {page.obj.objgen: n for n, page in enumerate(document.pages)}

        def kids(element) -> list:
            found = element.get("/K")
            return list(found) if isinstance(found, pikepdf.Array) else ([] if found is None else [found])

        def pages_of(element) -> list[int]:
            pages: list[int] = []
            for kid in kids(element):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
                    pages.append(page_index[kid.Pg.objgen])
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    pages += pages_of(kid)
                elif "/Pg" in element:
                    pages.append(page_index[element.Pg.objgen])
            return list(dict.fromkeys(pages))

        def walk(element):
            if element.get("/S") == pikepdf.Name.L:
                attributes = element.get("/A")
                numbering = str(attributes.get("/ListNumbering", "")) \
                    if isinstance(attributes, pikepdf.Dictionary) else ""
                lists.append((numbering.lstrip("/"), [pages_of(item) for item in kids(element)
                                                      if isinstance(item, pikepdf.Dictionary)
                                                      and item.get("/S") == pikepdf.Name.LI]))
            for kid in kids(element):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    walk(kid)

        walk(document.Root.StructTreeRoot)
    return lists


def list_item_pages(pdf) -> list[list[int | None]]:
    """For each list, the page each of its items starts on."""
    return [[pages[0] if pages else None for pages in items] for _, items in structure_lists(pdf)]

def built(library, tmp_path, language: str, papers: tuple[str, ...]):
    """The leaflet in a language, for the default profile, two and all three profiles, on each paper,
    in standard and large print, each written into tmp_path: their paths."""
    lib, clinic = library
    loaded = lib.load("dvt-walking")
    for profiles in (("general",), ("femoral", "flyer"), ("calf", "femoral", "flyer")):
        for paper in papers:
            for large in (False, True):
                request = LeafletRequest("dvt-walking", profiles, language, paper, allow_overdue=True,
                                         print_options=PrintOptions(large_print=large))
                pdf = tmp_path / f"{'+'.join(profiles)}-{paper}-{large}.pdf"
                pdf.write_bytes(build_pdf(loaded, request, clinic).data)
                yield pdf


EVERY_LANGUAGE = ("en", "es", "fr", "pl", "pt", "vi", "ru", "zh-Hans", "ko", "ar", "ur", "hi", "bn")


@pytest.mark.parametrize("language", EVERY_LANGUAGE)
def test_a_list_breaks_with_at_least_two_items_on_each_page(library, tmp_path, language):
    """A list broken across pages left its last key point alone at the top of a page (Arabic), or a
    heading with one source at the foot of one (Bengali): a list breaks only between its second and
    second-to-last items."""
    checked = 0
    for pdf in built(library, tmp_path, language, ("a4",)):
        for pages in list_item_pages(pdf):
            assert None not in pages, (pdf.stem, pages)
            counts = [pages.count(page) for page in sorted(set(pages))]
            assert len(counts) == 1 or min(counts) >= 2, f"{language} {pdf.stem}: items per page {counts}"
            checked += len(counts) > 1
    assert checked  # some lists do break across pages



def checklist_items_pages(pdf) -> list[list[int]]:
    """The pages each tick-box item's content lies on (a list whose ListNumbering is None)."""
    return [sorted(pages) for numbering, items in structure_lists(pdf) if numbering == "None" for pages in items]


@pytest.mark.parametrize("language", ("en", "fr", "ar", "ur", "hi"))
def test_contact_details_and_checklist_tips_stay_on_one_page(library, tmp_path, language):
    """Large print put the clinic's phone numbers at the foot of one page and its address at the top of
    the next, and carried half a checklist tip over ('... Wear' | 'them only if ...')."""
    tips = 0
    for pdf in built(library, tmp_path, language, ("a4", "letter")):
        items = checklist_items_pages(pdf)
        tips += len(items)
        assert all(len(pages) == 1 for pages in items), (pdf.stem, items)
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        contact = [n for n, text in enumerate(pages)
                   for line in ("www.example.org/vascular", "Level 2", "Exampletown EX1 2AB") if line in text]
        assert len(contact) == 3 and len(set(contact)) == 1, (pdf.stem, contact)
    assert tips

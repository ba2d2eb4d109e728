"""Accessible leaflets: tagged PDF checked by an independent PDF/UA checker, the structure tree read
back with pikepdf and compared with the leaflet's content, large print and high contrast."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from leaflets.leaflet import BulletList, Checklist, Faq, Paragraph, References, Table
from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
from leaflets.leaflet import PatientDetails
from tests.conftest import run_generate
from tests.pdfcheck import pdfinfo, pdftotext, structure

PDFUA = Path(sys.executable).parent / "pdfua"
LANGUAGES = ["en", "es", "fr", "pl", "vi", "zh-Hans", "ar", "hi", "pt", "ru", "ko", "bn", "ur"]


def build(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / f"leaflet-{abs(hash(args))}.pdf"
    result = run_generate("build", *args, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def pdfua(pdf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(PDFUA), "check", str(pdf)], capture_output=True, text=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_passes_the_pdfua_checker_and_is_tagged(tmp_path, language):
    pdf = build(tmp_path, "--lang", language, "--profile", "femoral", "--profile", "flyer",
                "--patient-name", "Sam Example", "--follow-up", "3 December, 10:00")
    result = pdfua(pdf)
    assert result.returncode == 0 and "PASS (no findings)" in result.stdout and "[skip" not in result.stdout, result.stdout
    assert pdfinfo(pdf)["Tagged"] == "yes"


def expected_structure(leaflet, title_lines_after_safety: bool = False,
                       written_for_first: bool = False) -> list[tuple[str, str]]:
    """What a screen reader should meet, in order, built from the resolved leaflet itself: the title, the
    notices, the safety sections (one sources line for all), the For-you box, then the other sections.
    A first page short of room moves the subtitle and 'written for' line after the safety sections, or
    the subtitle alone where the 'written for' line still fits under the title."""
    items: list[tuple[str, str]] = []
    if leaflet.look.logo is not None:
        items.append(("Figure", ""))
    items += [("P", text) for text in (leaflet.look.clinic_name, leaflet.look.department) if text]
    items.append(("H1", leaflet.title))
    title_lines = [("P", text) for text in (leaflet.subtitle, leaflet.written_for) if text]
    if written_for_first and leaflet.written_for:
        items.append(("P", leaflet.written_for))
        title_lines = [("P", text) for text in (leaflet.subtitle,) if text]
    if not title_lines_after_safety:
        items += title_lines
    items += [("P", notice) for notice in (leaflet.watermark, *leaflet.notices) if notice]
    first = [section for section in leaflet.sections if section.first_page]
    for section in first:
        items += _section_items(section, sources=False)
    if first and leaflet.first_page_sources:
        items.append(("P", leaflet.first_page_sources))
    if title_lines_after_safety:
        items += title_lines
    if leaflet.for_you:
        items.append(("Caption", leaflet.for_you_title))
        for label, value in leaflet.for_you:
            items += [("TH", label), ("TD", value)]
    for section in leaflet.sections:
        if not section.first_page:
            items += _section_items(section)
    return items


def _section_items(section, sources: bool = True) -> list[tuple[str, str]]:
    items = [("P", section.label)] if section.label else []  # a box's tone in words, read before its heading
    items.append(("H2", section.title))
    for block in section.blocks:
        if isinstance(block, Paragraph):
            items.append(("Link" if block.link else "P", block.text))
        elif isinstance(block, (BulletList, Checklist)):
            for entry in block.entries:
                items += [("Lbl", "•" if isinstance(block, BulletList) else ""),
                          ("LBody", f"{entry.lead}{entry.gap}{entry.text}")]
        elif isinstance(block, References):
            for reference in block.entries:
                items += [("Lbl", f"{reference.number}."), ("LBody", f"{reference.text} {reference.url}".strip())]
        elif isinstance(block, Table):
            items += [("TH", column) for column in block.columns]
            for row in block.rows:
                items += [("TH", row[0]), *(("TD", cell) for cell in row[1:])]
        elif isinstance(block, Faq):
            for question in block.questions:
                items.append(("H3", question.question))
                items += [("P", answer) for answer in question.answer]
    if sources and section.sources_note:
        items.append(("P", section.sources_note))
    return items


def squash(items):
    """Whitespace (line breaks) and bidi marks do not count."""
    return [(role, re.sub(r"[\s\u200e\u200f\u202a-\u202e]+", "", text)) for role, text in items]


def spaced(items):
    """Bidi marks do not count, and any run of spaces is one space; but a space may not go missing."""
    return [(role, " ".join(re.sub(r"[\u200e\u200f\u202a-\u202e]+", "", text).split())) for role, text in items]


@pytest.mark.parametrize("language", ["en", "ar", "zh-Hans", "hi", "ur", "bn", "ko"])
def test_the_structure_tree_reads_the_leaflet_in_order(tmp_path, language):
    profiles = ("calf", "flyer")
    details = PatientDetails(name="Sam Example", notes="Walk every day")
    pdf = build(tmp_path, "--lang", language, "--profile", "calf", "--profile", "flyer",
                "--patient-name", details.name, "--notes", details.notes)
    library = open_library()
    leaflet = resolve_request(library.load("dvt-walking"), LeafletRequest(
        "dvt-walking", profiles, language, "a4", details), open_brand())
    assert spaced(structure(pdf)) in (spaced(expected_structure(leaflet)),
                                      spaced(expected_structure(leaflet, title_lines_after_safety=True)),
                                      spaced(expected_structure(leaflet, True, written_for_first=True)))


@pytest.mark.parametrize("variant", ["--large-print", "--high-contrast"])
def test_words_keep_their_space_at_line_breaks_in_the_structure_text(tmp_path, variant):
    pdf = build(tmp_path, "--profile", "femoral", variant)
    leaflet = resolve_request(open_library().load("dvt-walking"), LeafletRequest("dvt-walking", ("femoral",)),
                              open_brand())
    words = {word for _, text in expected_structure(leaflet) for word in text.split()}
    joined = [word for _, text in structure(pdf) for word in text.split() if word not in words]
    assert joined == [], "words run together where a line broke"


def test_tick_boxes_are_announced_as_empty_boxes(tmp_path):
    pdf = build(tmp_path, "--profile", "calf")
    with pikepdf.open(pdf) as document:
        labels = []

        def walk(element):
            if element.get("/S") == pikepdf.Name.L:
                labels.extend(str(li.K[0].get("/ActualText", "")) for li in element.K
                              if li.K[0].get("/S") == pikepdf.Name.Lbl and "/ListNumbering" in element.get("/A", {})
                              and element.A.ListNumbering == pikepdf.Name("/None"))
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
                    walk(kid)
        walk(document.Root.StructTreeRoot.K[0])
    assert labels and set(labels) == {"\u2610"}


def test_the_clinics_department_is_read_and_for_you_is_a_caption(tmp_path):
    pdf = build(tmp_path, "--patient-name", "Sam Example")
    roles = structure(pdf)
    look = open_brand().brand
    assert ("P", look.department) in roles and ("P", look.clinic_name) in roles
    assert ("Caption", "For you") in roles and ("TH", "For you") not in roles


@pytest.mark.parametrize("language", ["en", "ar"])
def test_contact_numbers_and_web_address_are_tagged_links_that_print_as_plain_text(tmp_path, language):
    pdf = build(tmp_path, "--lang", language)
    brand = open_brand().brand
    with pikepdf.open(pdf) as document:
        parents = document.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
        links = {}
        for page in document.pages:
            for annotation in page.get("/Annots", []):
                element = parents[int(annotation.StructParent)]
                assert element.S == pikepdf.Name.Link and element.P.S == pikepdf.Name.P
                assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.OBJR
                           and k.Obj.objgen == annotation.objgen for k in element.K)
                assert list(annotation.Border) == [0, 0, 0]
                links[str(annotation.A.URI)] = str(annotation.Contents)
    phone = "tel:+44-20-7946-0321"   # RFC 3966, dialable from abroad: 020 7946 0321 in the UK
    assert brand.phone == "020 7946 0321" and brand.country == "GB"
    assert set(links) == {phone, f"tel:{brand.emergency_number}", f"https://{brand.website}"}
    assert brand.phone.replace(" ", "") in "".join(c for c in links[phone] if c.isdigit())
    text = pdftotext(pdf)
    assert brand.website in text and f"https://{brand.website}" not in text and "tel:" not in text


def test_document_language_title_and_pdfua_identification(tmp_path):
    pdf = build(tmp_path, "--lang", "fr")
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "fr"
        assert document.Root.ViewerPreferences.DisplayDocTitle is True
        assert document.Root.MarkInfo.Marked is True
        with document.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"] == "Marcher après un caillot de sang dans la jambe"


def test_the_logo_is_a_figure_with_the_brands_alternative_text(tmp_path):
    pdf = build(tmp_path)
    with pikepdf.open(pdf) as document:
        document_element = document.Root.StructTreeRoot.K[0]
        figure = document_element.K[0]
        assert figure.S == pikepdf.Name.Figure
        assert str(figure.Alt) == open_brand().brand.logo_alt


def test_sources_in_a_translated_leaflet_are_marked_as_english(tmp_path):
    pdf = build(tmp_path, "--lang", "es")
    with pikepdf.open(pdf) as document:
        langs = []

        def walk(element):
            if "/Lang" in element:
                langs.append((str(element.S), str(element.Lang)))
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
                    walk(kid)
        walk(document.Root.StructTreeRoot.K[0])
    # the sources, and the example brand's texts, which are in English only
    assert langs[0] == ("/Document", "es") and ("/L", "en") in langs
    assert {lang for _, lang in langs[1:]} == {"en"}
    assert sorted(role for role, _ in langs[1:]) == ["/Figure", "/L", "/P", "/P", "/P", "/P", "/P"]


def brand_languages(pdf: Path) -> list[tuple[str, str, str]]:
    """(role, /Lang or "", text or /Alt) of the Figure and the paragraphs before the title."""
    with pikepdf.open(pdf) as document:
        found = []
        for element in document.Root.StructTreeRoot.K[0].K:
            if element.S == pikepdf.Name.H1:
                break
            found.append((str(element.S), str(element.get("/Lang", "")), str(element.get("/Alt", ""))))
    return found


def test_brand_texts_per_language_fall_back_to_the_clinics_language_with_its_lang(tmp_path, brand_copy):
    brand = brand_copy / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    text = text.replace("logo_alt: Riverside Example Hospital logo, a white wave inside a circle\n",
                        "logo_alt:\n  en: Riverside Example Hospital logo, a white wave inside a circle\n"
                        "  ar: شعار مستشفى ريفرسايد، موجة بيضاء داخل دائرة\n")
    text = text.replace("clinic_name: Riverside Example Hospital\n",
                        "clinic_name:\n  en: Riverside Example Hospital\n  ar: مستشفى ريفرسايد\n")
    brand.write_text(text, encoding="utf-8")
    arabic = brand_languages(build(tmp_path, "--lang", "ar", "--brand", str(brand_copy)))
    assert arabic[0] == ("/Figure", "", "شعار مستشفى ريفرسايد، موجة بيضاء داخل دائرة")
    assert arabic[1][:2] == ("/P", "") and arabic[2][:2] == ("/P", "en")   # the department: English only
    hindi = brand_languages(build(tmp_path, "--lang", "hi", "--brand", str(brand_copy)))
    assert hindi[0] == ("/Figure", "en", "Riverside Example Hospital logo, a white wave inside a circle")
    texts = [text for _, text in structure(build(tmp_path, "--lang", "ar", "--brand", str(brand_copy)))]
    assert sum("مستشفى ريفرسايد" in text for text in texts) >= 2   # the band and the contact block


def test_a_brand_text_per_language_must_include_the_clinics_language(tmp_path, brand_copy):
    brand = brand_copy / "brand.yaml"
    text = brand.read_text(encoding="utf-8").replace(
        "logo_alt: Riverside Example Hospital logo, a white wave inside a circle\n",
        "logo_alt:\n  ar: شعار مستشفى ريفرسايد\n")
    brand.write_text(text, encoding="utf-8")
    result = run_generate("build", "--brand", str(brand_copy), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and "brand.yaml" in result.stderr and "'en:'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.pdf").exists()


def test_a_paragraph_split_across_pages_stays_one_element(tmp_path, content_copy):
    handout = content_copy / "dvt-walking" / "handout.yaml"
    text = handout.read_text(encoding="utf-8")
    long = "Clotting is how your body stops bleeding. " * 150  # longer than a page
    handout.write_text(text.replace("intro: Clotting is how your body stops bleeding.", f"intro: {long}"), encoding="utf-8")
    pdf = build(tmp_path, "--content", str(content_copy))
    with pikepdf.open(pdf) as document:
        split = []

        def walk(element):
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            pages = {kid.Pg.objgen for kid in kids if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR}
            if pages and "/Pg" in element and element.Pg.objgen not in pages:
                split.append(str(element.S))
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
                    walk(kid)
        walk(document.Root.StructTreeRoot.K[0])
    assert split == ["/P"], "the long paragraph continues on the next page, in the same P element"
    texts = [" ".join(text.split()) for role, text in structure(pdf) if role == "P"]
    assert any(text.startswith(" ".join(long.split())) for text in texts), "its words read whole across the break"


# --- large print and high contrast ---------------------------------------------------------------

def text_runs(pdf: Path) -> list[tuple[float, tuple[float, ...], bool]]:
    """(font size, fill colour, inside tagged content) of every text-showing operator, via pikepdf."""
    runs = []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            size, colour, stack = 0.0, (0.0, 0.0, 0.0), []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "Tf":
                    size = float(operands[1])
                elif op == "rg":
                    colour = tuple(round(float(v), 3) for v in operands)
                elif op == "g":
                    colour = (round(float(operands[0]), 3),) * 3
                elif op in ("BDC", "BMC"):
                    props = operands[1] if op == "BDC" else None
                    stack.append(isinstance(props, pikepdf.Dictionary) and "/MCID" in props)
                elif op == "EMC" and stack:
                    stack.pop()
                elif op in ("Tj", "TJ") and any(stack):
                    runs.append((size, colour, True))
    return runs


@pytest.mark.parametrize("language", ["en", "ar", "zh-Hans"])
def test_large_print_is_at_least_16_point_with_larger_headings_and_the_same_content(tmp_path, language):
    standard = build(tmp_path, "--lang", language, "--profile", "femoral")
    large = build(tmp_path, "--lang", language, "--profile", "femoral", "--large-print")
    sizes = [size for size, _, tagged in text_runs(large) if tagged]
    assert min(sizes) >= 16, f"smallest text {min(sizes)} pt"
    headings = {role: text for role, text in structure(large) if role in ("H1", "H2")}
    # Section headings grow with the text (15.5 pt x 16/11.5); the title may be set smaller, never below
    # 1.25 x the body, when page 1 needs the room for the safety sections.
    assert headings and max(sizes) >= 21.5
    # The same content, sections in the same order (a large-print first page may move the subtitle
    # after the safety sections to make room for them)
    assert sorted(squash(structure(large))) == sorted(squash(structure(standard)))
    assert [item for item in squash(structure(large)) if item[0] == "H2"] == \
        [item for item in squash(structure(standard)) if item[0] == "H2"]
    assert int(pdfinfo(large)["Pages"]) > int(pdfinfo(standard)["Pages"])


def _contrast(rgb: tuple[float, ...]) -> float:
    from leaflets.colour import contrast
    return contrast("#%02X%02X%02X" % tuple(round(c * 255) for c in rgb), "#FFFFFF")


def test_high_contrast_text_keeps_7_to_1_and_drops_tinted_backgrounds(tmp_path):
    pdf = build(tmp_path, "--high-contrast", "--profile", "femoral", "--patient-name", "Sam Example")
    colours = {colour for _, colour, tagged in text_runs(pdf) if tagged}
    on_white = [c for c in colours if c != (1.0, 1.0, 1.0)]
    assert on_white and all(_contrast(c) >= 7 for c in on_white), sorted((c, round(_contrast(c), 1)) for c in colours)
    standard_colours = {colour for _, colour, tagged in text_runs(build(tmp_path, "--profile", "femoral")) if tagged}
    assert any(_contrast(c) < 7 for c in standard_colours), "the standard leaflet uses the brand blue (6.9:1)"
    # no light tint is left behind text: every large filled area is white or dark
    page = subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                           str(tmp_path / "hc")], check=True)
    from PIL import Image
    image = Image.open(tmp_path / "hc.png").convert("RGB")
    tints = sum(1 for r, g, b in image.get_flattened_data() if (r, g, b) == (0xE8, 0xF0, 0xF8))
    assert tints == 0, "the accent tint (#E8F0F8) is not used in high contrast"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("variant", ["--large-print", "--high-contrast"])
def test_every_language_and_variant_passes_the_pdfua_checker(tmp_path, language, variant):
    pdf = build(tmp_path, "--lang", language, variant, "--profile", "calf")
    result = pdfua(pdf)
    assert result.returncode == 0 and "PASS (no findings)" in result.stdout, result.stdout
    assert pdfinfo(pdf)["Tagged"] == "yes"


def test_large_print_and_high_contrast_in_the_batch_matrix(tmp_path):
    import json
    site = tmp_path / "site"
    result = run_generate("batch", "-o", str(site), "--lang", "en", "--profile", "calf", "--paper", "a4",
                          "--variant", "standard", "--variant", "large-print", "--variant", "high-contrast")
    assert result.returncode == 0, result.stderr
    entries = json.loads((site / "manifest.json").read_text())["leaflets"]
    assert {(e["pdf"], e["variant"]) for e in entries} == {
        ("en/dvt-walking-calf-a4.pdf", "standard"), ("en/dvt-walking-calf-a4-large.pdf", "large-print"),
        ("en/dvt-walking-calf-a4-contrast.pdf", "high-contrast")}
    page = (site / "en" / "index.html").read_text()
    assert "Large print" in page and "High contrast" in page

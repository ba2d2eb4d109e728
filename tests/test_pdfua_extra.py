"""PDF/UA beyond `pdfua check`: every shipped language x variant x paper, read back by tests/pdfua_extra.py.

Each combination is rendered once per module (with patient details, so the
"For you" table is there too) and checked once; each test then asserts one
checkpoint, so a failure names what is wrong and where.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.leaflet import PatientDetails
from leaflets.pipeline import LeafletRequest, build_pdf, open_brand, open_library
from leaflets.render.pdf.styles import PrintOptions
from tests.pdfua_extra import Report, check

LANGUAGES = sorted(open_library().load("dvt-walking").languages)   # every shipped language
VARIANTS = {"standard": PrintOptions(), "large-print": PrintOptions(large_print=True),
            "high-contrast": PrintOptions(high_contrast=True)}
PAPERS = ["a4", "letter"]
COMBINATIONS = [(language, variant, paper) for language in LANGUAGES for variant in VARIANTS for paper in PAPERS]
DETAILS = PatientDetails(name="Sam Example", follow_up="3 December, 10:00",
                         notes="Walk a little every hour. " * 12)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Render and check each combination once, on first use."""
    folder = tmp_path_factory.mktemp("pdfua-extra")
    library, clinic = open_library(), open_brand()
    loaded = library.load("dvt-walking")
    cache: dict[tuple[str, str, str], Report] = {}

    def report(language: str, variant: str, paper: str) -> Report:
        key = (language, variant, paper)
        if key not in cache:
            request = LeafletRequest(profiles=("femoral", "flyer"), language=language, paper=paper,
                                     patient=DETAILS, print_options=VARIANTS[variant])
            pdf = folder / f"{language}-{variant}-{paper}.pdf"
            pdf.write_bytes(build_pdf(loaded, request, clinic).data)
            cache[key] = check(pdf, min_size=16 if variant == "large-print" else None)
        return cache[key]
    return report


def _ids(combination) -> str:
    return "-".join(combination)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_every_painting_operator_is_tagged_content_or_an_artifact(reports, combination):
    assert reports(*combination).untagged == []


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_every_glyph_maps_to_text_without_private_use_code_points(reports, combination):
    assert reports(*combination).unicode == []


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_widths_match_the_embedded_fonts(reports, combination):
    assert reports(*combination).widths == []


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_link_annotations_are_in_the_structure_tree(reports, combination):
    report = reports(*combination)
    assert report.links == [] and report.link_count >= 3, "the contact block's phone numbers and web address"


def test_the_check_sees_untagged_graphics(tmp_path):
    """The helper itself: a path painted outside marked content is found, one inside an Artifact is not."""
    import pikepdf
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(b"/Artifact BMC 0 0 10 10 re f EMC 0 0 10 10 re f")
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    pdf.Root.Lang = pikepdf.String("en")
    pdf.save(tmp_path / "one.pdf")
    assert check(Path(tmp_path / "one.pdf")).untagged == ["page 1: 'f' outside marked content and artifacts"]


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_graphics_without_text_have_words_for_screen_readers(reports, combination):
    """Tick boxes and the logo: drawn content with no text of its own needs /Alt or /ActualText."""
    assert reports(*combination).wordless == []


@pytest.mark.parametrize("combination", [c for c in COMBINATIONS if c[1] == "large-print"], ids=_ids)
def test_large_print_sets_every_text_at_16_points_or_more(reports, combination):
    """Footer, page numbers, running header and review date included (RNIB clear print, UKAAF)."""
    assert reports(*combination).small_text == []


@pytest.mark.parametrize("combination", COMBINATIONS, ids=_ids)
def test_text_in_another_language_says_which(reports, combination):
    """The brand's English name, logo text and address in an Arabic, Hindi or Chinese leaflet carry /Lang."""
    assert reports(*combination).language == []

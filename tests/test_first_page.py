"""The safety block (sections marked first_page) is on page 1 of every leaflet, or the leaflet is refused.

Pages are read back with pypdf (the outline's destinations) and poppler's pdftotext, not with the
code that laid them out.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from pypdf import PdfReader

from leaflets.content import load_strings
from leaflets.leaflet import PatientDetails
from leaflets.paths import strings_dir
from leaflets.pipeline import LeafletRequest, build_pdf, open_brand, open_library
from leaflets.render.pdf import PrintOptions
from leaflets.resolve import resolve

from .conftest import HANDOUTS, edit

HANDOUT = "dvt-walking/handout.yaml"
LANGUAGES = ("en", "es", "fr", "pl", "vi", "zh-Hans", "ar", "hi", "bn", "ko", "pt", "ru", "ur")
SAFETY = ("emergency", "medicine", "when-to-call")
DETAILS = PatientDetails(name="Sam Example", date="26 November 2026", clinician="Dr A. Example",
                         follow_up="Vascular clinic, 3 December 2026 at 10:30", notes="Walk every day.")


def outline_pages(pdf) -> dict[str, int]:
    """Each outline entry's title and the page (1-based) it points to."""
    reader = PdfReader(pdf)
    return {item.title: reader.get_destination_page_number(item) + 1 for item in reader.outline
            if not isinstance(item, list)}


def page_text(pdf, page: int) -> str:
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


@pytest.fixture(scope="module")
def library():
    return open_library(), open_brand()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("large", [False, True], ids=["standard", "large"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_safety_sections_on_page_one(library, tmp_path, language, large, paper):
    """The longest profile combination, with patient details, high contrast: still page 1."""
    lib, clinic = library
    loaded = lib.load("dvt-walking")
    for profiles, patient, contrast in ((("calf", "femoral", "flyer"), DETAILS, True), (("general",), None, False)):
        request = LeafletRequest("dvt-walking", profiles, language, paper, patient or PatientDetails(),
                                 allow_overdue=True, print_options=PrintOptions(large, contrast))
        pdf = tmp_path / f"{language}.pdf"
        pdf.write_bytes(build_pdf(loaded, request, clinic).data)
        version = loaded.in_language(language)
        titles = {s.id: s.title for s in version.handout.sections}
        pages = outline_pages(pdf)
        leaflet = resolve(version, profiles, clinic, load_strings(strings_dir(), language))
        printed = {s.id: s.title for s in leaflet.sections}  # titles as printed, variables filled in
        for section in SAFETY:
            assert section in titles
            assert pages[printed[section]] == 1, (section, profiles, language, paper, large)
        if language == "en":
            first = page_text(pdf, 1)
            assert "unusual for you" in first  # the last words of the last safety box
            assert "Sources: 4, 8, 9, 10" in first
            if patient:  # the For-you box follows the safety block, here on page 1 or 2
                assert first.index("Call your care team") < (first + "Sam Example").index("Sam Example")


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_page_one_says_whom_the_leaflet_is_for_in_large_print(library, tmp_path, paper):
    """Large print makes room on page 1 for the safety boxes by moving the subtitle after them; the
    'written for' line (whom this copy is for: the patient's clot and travel) stays under the title,
    where it fits. It went to page 2 with the subtitle, so page 1 did not say whom it was for."""
    lib, clinic = library
    request = LeafletRequest("dvt-walking", ("femoral", "flyer"), "en", paper, allow_overdue=True,
                             print_options=PrintOptions(large_print=True))
    pdf = tmp_path / "large.pdf"
    pdf.write_bytes(build_pdf(lib.load("dvt-walking"), request, clinic).data)
    first = page_text(pdf, 1)
    assert "Written for: Clot in the thigh (femoral or proximal DVT); Long journeys and flying" in first
    assert first.index("Written for") < first.index("Get emergency help now")


def test_safety_block_comes_before_about_this_leaflet(library, tmp_path):
    lib, clinic = library
    pdf = tmp_path / "en.pdf"
    pdf.write_bytes(build_pdf(lib.load("dvt-walking"), LeafletRequest(allow_overdue=True), clinic).data)
    first = page_text(pdf, 1)
    assert first.index("Get emergency help now") < first.index("Keep taking your blood thinner") \
        < first.index("Call your care team") < (first + "About this leaflet").index("About this leaflet")


def _overflowing(content) -> None:
    items = "".join(f"      - id: extra-{n}\n        text: An extra warning sign number {n}, written out at "
                    f"some length so that it takes up a full line or two of the box.\n" for n in range(40))
    edit(content / HANDOUT, "      - id: faint\n", items + "      - id: faint\n")


def test_a_safety_block_that_cannot_fit_is_refused_with_exit_2(cli, content_copy, tmp_path):
    _overflowing(content_copy)
    out = tmp_path / "leaflet.pdf"
    result = cli("build", "--content", str(content_copy), "-o", str(out))
    assert result.code == 2
    assert "do not fit on page 1" in result.err and "emergency, medicine, when-to-call" in result.err
    assert "first_page" in result.err and "Traceback" not in result.err
    assert not out.exists()


def test_check_reports_each_combination_that_cannot_fit(cli, content_copy):
    _overflowing(content_copy)
    result = cli("check", "--content", str(content_copy), "--lang", "en", "--format", "json")
    report = json.loads(result.out)
    messages = [f["message"] for f in report["findings"] if "do not fit on page 1" in f["message"]]
    for paper in ("a4", "letter"):
        for variant in ("standard print", "large print"):
            assert any(f"on {paper} paper ({variant})" in m and "'general'" in m for m in messages), (paper, variant)
    assert result.code == 1


def test_first_page_is_in_the_published_schema():
    schema = json.loads((HANDOUTS.parent / "schemas" / "handout.schema.json").read_text())
    assert "first_page" in json.dumps(schema)

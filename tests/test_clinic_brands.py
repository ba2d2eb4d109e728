"""A clinic outside the UK with its own handout: phone numbers as its country writes them.

Each test builds a handout on another topic than the shipped one, from a temporary folder, with a
US, a French or a German brand, and reads the PDF back with pdftotext (poppler), not with the code
that wrote it.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pikepdf
import pytest

HANDOUT = """\
title: Coming to your clinic appointment
language: {language}
reference: TEST-VISIT-001
version: "1.0"
published: 2026-11-01
review_by: 2028-11-01
status: draft
sources:
  - id: clinic
    text: The clinic's own appointment guide, 2026.
sections:
  - id: before
    kind: paragraphs
    title: {title}
    paragraphs:
      - "{call}"
  - id: help
    kind: callout
    tone: emergency
    title: "{emergency}"
    paragraphs:
      - "{feel}"
"""
ENGLISH = dict(language="en", title="Before you come", call="To change your appointment, call {{ brand.phone }}.",
               emergency="In an emergency call {{ brand.emergency_number }}",
               feel="If you feel very unwell, do not wait for your appointment.")
FRENCH = dict(language="fr", title="Avant de venir", call="Pour changer de rendez-vous, appelez le {{ brand.phone }}.",
              emergency="En cas d'urgence, appelez le {{ brand.emergency_number }}",
              feel="Si vous vous sentez très mal, n'attendez pas votre rendez-vous.")

US_BRAND = """\
clinic_name: Lakeside Example Medical Center
country: US
colours: {primary: "#1F5C99", accent: "#E8F0F8"}
phone: (555) 010-4477
phones:
  - label: Toll-free
    number: 1-800-555-0199
  - label: Anticoagulation nurse
    number: +1 555 010 4477 ext. 12
  - label: Our London office
    number: +44 (0)20 7946 0321
emergency_number: "911"
address: [100 Example Avenue, Springfield, IL 62701]
"""
FR_BRAND = """\
language: fr
clinic_name: Hôpital Exemple de la Rivière
country: FR
colours: {primary: "#1F5C99", accent: "#E8F0F8"}
phone: 01 23 45 67 89
phones:
  - label: {fr: Infirmière d'anticoagulation, en: Anticoagulation nurse}
    number: 04 72 00 00 00
emergency_number: "15"
"""
DE_BRAND = """\
clinic_name: Beispielklinik am Fluss
country: DE
colours: {primary: "#1F5C99", accent: "#E8F0F8"}
phones:
  - label: Gefäßambulanz
    number: (030) 901820-0
  - label: Out of hours
    number: +49 30 12345678
emergency_number: "112"
"""


def _folder(tmp_path: Path, texts: dict, brand: str) -> tuple[Path, Path]:
    handout = tmp_path / "content" / "clinic-visit"
    handout.mkdir(parents=True)
    (handout / "handout.yaml").write_text(HANDOUT.format(**texts), encoding="utf-8")
    (tmp_path / "brand.yaml").write_text(brand, encoding="utf-8")
    return tmp_path / "content", tmp_path / "brand.yaml"


def _text(pdf: Path) -> str:
    """The PDF's text as poppler reads it, no-break spaces as plain spaces."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.replace("\u00a0", " ").replace("\u202f", " ")


def _links(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        return [str(annot.A.URI) for page in document.pages for annot in page.get("/Annots", [])
                if "/A" in annot and "/URI" in annot.A]


def _build(cli, content, brand, out, *extra) -> str:
    result = cli("build", "--content", str(content), "--handout", "clinic-visit", "--brand", str(brand),
                 "-o", str(out), *extra)
    assert result.code == 0, result.err
    return _text(out)


def test_us_clinic_on_letter_paper_prints_its_numbers_as_typed(cli, tmp_path):
    content, brand = _folder(tmp_path, ENGLISH, US_BRAND)
    text = _build(cli, content, brand, tmp_path / "us.pdf", "--paper", "letter")
    for number in ("(555) 010-4477", "1-800-555-0199", "+1 555 010 4477 ext. 12", "+44 (0)20 7946 0321"):
        assert number in text, number
    assert "To change your appointment, call (555) 010-4477." in " ".join(text.split())
    assert "call 911" in text
    assert "Anticoagulation nurse: +1 555 010 4477 ext. 12" in text
    assert "Toll-free: 1-800-555-0199" in text
    links = _links(tmp_path / "us.pdf")
    assert {"tel:+1-555-010-4477", "tel:+1-800-555-0199", "tel:+1-555-010-4477;ext=12",
            "tel:+44-20-7946-0321", "tel:911"} <= set(links)


def test_french_clinic_prints_its_numbers_as_typed(cli, tmp_path):
    content, brand = _folder(tmp_path, FRENCH, FR_BRAND)
    text = _build(cli, content, brand, tmp_path / "fr.pdf")
    assert "appelez le 01 23 45 67 89" in " ".join(text.split())
    assert "Infirmière d’anticoagulation : 04 72 00 00 00" in text   # French colon spacing
    assert "appelez le 15" in text
    assert "tel:+33-4-72-00-00-00" in _links(tmp_path / "fr.pdf")


def test_german_clinic_with_labelled_numbers_only(cli, tmp_path):
    content, brand = _folder(tmp_path, ENGLISH, DE_BRAND)
    text = _build(cli, content, brand, tmp_path / "de.pdf")
    assert "call (030) 901820-0." in " ".join(text.split())     # the first labelled number is {{ brand.phone }}
    assert "Gefäßambulanz: (030) 901820-0" in text
    assert "Out of hours: +49 30 12345678" in text
    assert "call 112" in text
    assert {"tel:+49-30-9018200", "tel:+49-30-12345678"} <= set(_links(tmp_path / "de.pdf"))


def test_a_phone_number_never_breaks_across_lines(cli, tmp_path):
    long_line = ("To change your appointment or ask about anything in this leaflet at all, "
                 "please call the main desk on {{ brand.phone }}.")
    content, brand = _folder(tmp_path, {**ENGLISH, "call": long_line}, US_BRAND.replace(
        "phone: (555) 010-4477", "phone: +1 555 010 4477 ext. 12"))
    text = _build(cli, content, brand, tmp_path / "us.pdf")
    assert all("+1 555 010 4477 ext. 12" in line or "4477" not in line or "Anticoagulation" in line
               for line in text.splitlines()), text


@pytest.mark.parametrize("country, number, why", [
    ("FR", "01 23 45", "too few digits"),
    ("US", "(555) 010-44771", "too many digits"),
    ("GB", "020 7946 03211", "too many digits"),
])
def test_a_number_impossible_in_the_country_is_refused_with_its_line(cli, tmp_path, country, number, why):
    brand = US_BRAND.replace("country: US", f"country: {country}").replace("phone: (555) 010-4477", f"phone: {number}")
    content, brand_file = _folder(tmp_path, ENGLISH, brand)
    result = cli("build", "--content", str(content), "--handout", "clinic-visit", "--brand", str(brand_file),
                 "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2
    assert f"brand.yaml, line 4, column 8: phone: the phone number '{number}' has {why}" in result.err
    assert "write the whole number as it is dialled in" in result.err
    assert not (tmp_path / "x.pdf").exists()


def test_web_page_links_every_number(tmp_path):
    from leaflets.content import load_strings
    from leaflets.paths import strings_dir
    from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
    from leaflets.render.html import render_html
    content, brand = _folder(tmp_path, ENGLISH, US_BRAND)
    leaflet = resolve_request(open_library(content).load("clinic-visit"), LeafletRequest("clinic-visit"),
                              open_brand(brand))
    page = render_html(leaflet, load_strings(strings_dir(), "en"))
    assert '<a href="tel:+1-555-010-4477;ext=12">Anticoagulation nurse: +1\u00a0555\u00a0010\u00a04477\u00a0ext.\u00a012</a>' in page
    assert '<a href="tel:+1-800-555-0199">Toll-free: 1-800-555-0199</a>' in page


# --- the shared wording: a clinic's own, and the "other languages and formats" sentence ---------------

OTHER_FORMATS = "This leaflet is available in other languages and formats"


def test_other_formats_sentence_only_when_true(cli, tmp_path):
    content, brand = _folder(tmp_path, ENGLISH, US_BRAND)
    assert OTHER_FORMATS not in " ".join(_build(cli, content, brand, tmp_path / "one.pdf").split())
    brand.write_text(US_BRAND + "other_formats: true\n", encoding="utf-8")
    assert OTHER_FORMATS in " ".join(_build(cli, content, brand, tmp_path / "formats.pdf").split())


def test_other_formats_sentence_when_the_handout_has_other_languages(cli):
    from tests.conftest import BRAND, HANDOUTS
    from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
    leaflet = resolve_request(open_library(HANDOUTS).load("dvt-walking"), LeafletRequest(), open_brand(BRAND))
    about = next(s for s in leaflet.sections if s.id == "about")
    assert any(OTHER_FORMATS in block.text for block in about.blocks)


def test_a_clinic_overrides_shared_wording_next_to_its_handouts_and_its_brand(cli, tmp_path):
    content, brand = _folder(tmp_path, ENGLISH, US_BRAND + "other_formats: true\n")
    (content / "strings").mkdir()
    (content / "strings" / "en.yaml").write_text(textwrap.dedent("""\
        contact_title: How to reach us
        other_formats: "Ask us for large print or Braille on {{ brand.phone }}."
        """), encoding="utf-8")
    (tmp_path / "strings").mkdir()
    (tmp_path / "strings" / "en.yaml").write_text("contact_title: Call us\n", encoding="utf-8")
    text = " ".join(_build(cli, content, brand, tmp_path / "own.pdf").split())
    assert "Ask us for large print or Braille on (555) 010-4477." in text and OTHER_FORMATS not in text
    assert "Call us" in text and "How to reach us" not in text and "Contact us" not in text  # the brand's wins


def test_a_misspelt_key_in_a_clinics_wording_names_its_file_and_line(cli, tmp_path):
    content, brand = _folder(tmp_path, ENGLISH, US_BRAND)
    (content / "strings").mkdir()
    (content / "strings" / "en.yaml").write_text("contact_title: Reach us\ncontact_titel: Reach us\n", encoding="utf-8")
    result = cli("build", "--content", str(content), "--handout", "clinic-visit", "--brand", str(brand),
                 "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2
    assert f"{content / 'strings' / 'en.yaml'}, line 2, column 16: contact_titel: unknown key 'contact_titel'" in result.err
    assert "did you mean 'contact_title'?" in result.err


def test_check_reports_mistakes_in_a_clinics_own_wording_with_its_file(cli, tmp_path):
    content, brand = _folder(tmp_path, ENGLISH, US_BRAND)
    (content / "strings").mkdir()
    own = content / "strings" / "en.yaml"
    own.write_text('contact_title: Reach us\nother_formats: "Ask us on {{ brand.phnoe }}."\n', encoding="utf-8")
    result = cli("check", "--content", str(content), "--brand", str(brand), "--lang", "en")
    assert result.code == 1
    assert f"{own}, line 2, column 16: other_formats: error [template] '{{{{ brand.phnoe }}}}'" in result.out
    assert "did you mean `brand.phone`?" in result.out
    own.write_text('contact_title: Reach us\nother_formats: "Ask us on {{ brand.phone }}."\n', encoding="utf-8")
    fixed = cli("check", "--content", str(content), "--brand", str(brand), "--lang", "en")
    assert str(own) not in fixed.out and "phnoe" not in fixed.out


def test_a_brand_without_any_phone_number_is_refused(cli, tmp_path):
    content, brand = _folder(tmp_path, ENGLISH, DE_BRAND.split("phones:")[0] + 'emergency_number: "112"\n')
    result = cli("build", "--content", str(content), "--brand", str(brand), "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2 and "brand.yaml, line 1" in result.err
    assert "the brand gives no phone number: add 'phone:'" in result.err and not (tmp_path / "x.pdf").exists()

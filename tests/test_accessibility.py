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
from tests.pdfcheck import pdfinfo, structure

PDFUA = Path(sys.executable).parent / "pdfua"
LANGUAGES = ["en", "es", "fr", "pl", "vi", "zh-Hans", "ar", "hi"]


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


def expected_structure(leaflet) -> list[tuple[str, str]]:
    """What a screen reader should meet, in order, built from the resolved leaflet itself."""
    items: list[tuple[str, str]] = []
    if leaflet.look.logo is not None:
        items.append(("Figure", ""))
    items.append(("H1", leaflet.title))
    items += [("P", text) for text in (leaflet.subtitle, leaflet.written_for) if text]
    items += [("P", notice) for notice in (leaflet.watermark, *leaflet.notices) if notice]
    if leaflet.for_you:
        items.append(("TH", leaflet.for_you_title))
        for label, value in leaflet.for_you:
            items += [("TH", label), ("TD", value)]
    for section in leaflet.sections:
        items.append(("H2", section.title))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                items.append(("P", block.text))
            elif isinstance(block, (BulletList, Checklist)):
                for entry in block.entries:
                    items += [("Lbl", "•" if isinstance(block, BulletList) else ""),
                              ("LBody", f"{entry.lead} {entry.text}".strip())]
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
        if section.sources_note:
            items.append(("P", section.sources_note))
    return items


def squash(items):
    """Whitespace (line breaks) and bidi marks do not count."""
    return [(role, re.sub(r"[\s\u200e\u200f\u202a-\u202e]+", "", text)) for role, text in items]


@pytest.mark.parametrize("language", ["en", "ar", "zh-Hans", "hi"])
def test_the_structure_tree_reads_the_leaflet_in_order(tmp_path, language):
    profiles = ("calf", "flyer")
    details = PatientDetails(name="Sam Example", notes="Walk every day")
    pdf = build(tmp_path, "--lang", language, "--profile", "calf", "--profile", "flyer",
                "--patient-name", details.name, "--notes", details.notes)
    library = open_library()
    leaflet = resolve_request(library.load("dvt-walking"), LeafletRequest(
        "dvt-walking", profiles, language, "a4", details), open_brand())
    assert squash(structure(pdf)) == squash(expected_structure(leaflet))


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
    assert langs == [("/Document", "es"), ("/L", "en")]


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

"""The QR code to a leaflet's web version: decoded from a poppler render by zxing-cpp, tagged, vector only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
import yaml
import zxingcpp

from .conftest import BRAND, ROOT, edit, run_generate
from .pdfcheck import pdfinfo, pdftotext, render_page, structure

SITE = "https://leaflets.example.org/"
PDFUA = Path(sys.executable).parent / "pdfua"


@pytest.fixture(scope="module")
def brand(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("brand") / "brand"
    shutil.copytree(BRAND, folder)
    edit(folder / "brand.yaml", "website: www.example.org/vascular\n",
         f"website: www.example.org/vascular\nsite_url: {SITE}\n")
    return folder


def build(tmp_path: Path, *args: str) -> Path:
    tmp_path.mkdir(exist_ok=True)
    out = tmp_path / "leaflet.pdf"
    result = run_generate("build", *args, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def codes_on_pages(pdf: Path, tmp_path: Path) -> list[str]:
    """Every QR code a phone's decoder finds on the pages, rendered by pdftoppm at 150 dpi."""
    found = []
    for page in range(1, int(pdfinfo(pdf)["Pages"]) + 1):
        image = render_page(pdf, page, tmp_path / f"page{page}", dpi=150)
        found += [(r.format, r.text) for r in zxingcpp.read_barcodes(image)]
    assert all(kind == zxingcpp.BarcodeFormat.QRCode for kind, _ in found)
    return [text for _, text in found]


def alt_texts(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        alts = []

        def walk(element):
            if element.get("/S") == pikepdf.Name.Figure:
                alts.append(str(element.get("/Alt", "")))
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
                    walk(kid)
        for element in document.Root.StructTreeRoot.K:
            walk(element)
        return alts


def wording(language: str) -> dict:
    return yaml.safe_load((ROOT / "templates" / "strings" / f"{language}.yaml").read_text(encoding="utf-8"))


def test_the_code_decodes_to_the_leaflets_web_version_printed_beside_it(tmp_path, brand):
    pdf = build(tmp_path, "--brand", str(brand), "--profile", "femoral")
    url = "https://leaflets.example.org/en/dvt-walking-femoral.html"
    assert codes_on_pages(pdf, tmp_path) == [url]
    assert url in pdftotext(pdf) and wording("en")["online_copy"] in pdftotext(pdf)
    # the same leaflet for a clinic without a download site has no code, and no second Figure
    plain = build(tmp_path / "plain", "--profile", "femoral")
    assert codes_on_pages(plain, tmp_path) == [] and alt_texts(plain) == [open_logo_alt()]
    assert "leaflets.example.org" not in pdftotext(plain)


@pytest.mark.parametrize("language", ["es", "ar"])
def test_a_translation_points_at_its_own_language_and_says_so_in_it(tmp_path, brand, language):
    pdf = build(tmp_path, "--brand", str(brand), "--profile", "calf", "--lang", language)
    assert codes_on_pages(pdf, tmp_path) == [f"{SITE}{language}/dvt-walking-calf.html"]
    assert alt_texts(pdf) == [open_logo_alt(), wording(language)["qr_alt"]]
    result = subprocess.run([str(PDFUA), "check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0 and "PASS (no findings)" in result.stdout, result.stdout


def open_logo_alt() -> str:
    return yaml.safe_load((BRAND / "brand.yaml").read_text())["logo_alt"]


def test_the_code_and_its_words_are_read_after_the_leaflet(tmp_path, brand):
    pdf = build(tmp_path, "--brand", str(brand))
    roles = structure(pdf)
    figure = next(i for i, (role, _) in enumerate(roles) if role == "Figure" and i > 0)
    assert roles[figure + 1][0] == "P" and SITE in roles[figure + 1][1]
    assert figure + 2 == len(roles)


def test_several_profiles_point_at_the_languages_list_of_leaflets(tmp_path, brand):
    pdf = build(tmp_path, "--brand", str(brand), "--profile", "femoral", "--profile", "flyer", "--lang", "fr")
    assert codes_on_pages(pdf, tmp_path) == [f"{SITE}fr/index.html"]


def test_the_code_is_drawn_as_vectors_not_an_image(tmp_path, brand):
    pdf = build(tmp_path, "--brand", str(brand))
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(listing.strip().splitlines()) == 2, listing  # the header lines only: no images at all
    assert len(alt_texts(pdf)) == 2  # the logo and the code, both drawn as vectors


def test_a_site_url_that_is_not_an_address_is_refused(tmp_path, brand):
    bad = tmp_path / "bad"
    shutil.copytree(brand, bad)
    edit(bad / "brand.yaml", f"site_url: {SITE}", "site_url: leaflets.example.org")
    result = run_generate("build", "--brand", str(bad), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and "brand.yaml, line" in result.stderr and "https://" in result.stderr
    assert not (tmp_path / "x.pdf").exists()

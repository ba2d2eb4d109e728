"""The page budget holds where leaflets are made: build, batch and the desk refuse a leaflet longer than its
handout allows (large print: twice), unless asked only to warn. Pages are counted with poppler's pdfinfo."""

from __future__ import annotations

import json

from leaflets.desk.app import create_app

from .conftest import edit
from .pdfcheck import pdfinfo

HANDOUT = "dvt-walking/handout.yaml"


def test_build_refuses_a_leaflet_over_budget_naming_the_pages(cli, content_copy, tmp_path):
    edit(content_copy / HANDOUT, "max_pages: 8", "max_pages: 2")
    out = tmp_path / "leaflet.pdf"
    result = cli("build", "--content", str(content_copy), "-o", str(out))
    assert result.code == 2 and not out.exists()
    assert "over the page budget of 2" in result.err and "max_pages" in result.err
    pages = int(result.err.split("the leaflet takes ")[1].split(" pages")[0])
    assert pages > 2
    result = cli("build", "--content", str(content_copy), "--large-print", "-o", str(out))
    assert result.code == 2 and "over the page budget of 4 (twice max_pages (2) for large print" in result.err


def test_build_with_allow_over_budget_writes_it_with_a_warning(cli, content_copy, tmp_path):
    edit(content_copy / HANDOUT, "max_pages: 8", "max_pages: 2")
    out = tmp_path / "leaflet.pdf"
    result = cli("build", "--content", str(content_copy), "--allow-over-budget", "-o", str(out))
    assert result.code == 0 and out.exists()
    pages = int(pdfinfo(out)["Pages"])
    assert result.err.startswith("warning: ") and f"the leaflet takes {pages} pages" in result.err
    assert "over the page budget of 2" in result.err


def test_the_shipped_leaflets_are_within_budget(cli, tmp_path):
    result = cli("build", "--profile", "calf", "--profile", "femoral", "--profile", "flyer", "--lang", "fr",
                 "--paper", "letter", "-o", str(tmp_path / "x.pdf"))
    assert result.code == 0 and "warning" not in result.err


def test_batch_refuses_over_budget_leaflets_and_builds_them_with_the_flag(cli, content_copy, tmp_path):
    edit(content_copy / HANDOUT, "max_pages: 8", "max_pages: 2")
    site = tmp_path / "site"
    args = ("batch", "--content", str(content_copy), "-o", str(site), "--lang", "en", "--profile", "general",
            "--paper", "a4", "--jobs", "1")
    result = cli(*args)
    assert result.code == 1 and "over the page budget of 2" in result.err and "a4, standard" in result.err
    assert not list(site.rglob("*.pdf"))
    result = cli(*args, "--allow-over-budget")
    assert result.code == 0 and "warning:" in result.err and "over the page budget of 2" in result.err
    manifest = json.loads((site / "manifest.json").read_text())
    assert manifest


def test_the_desk_refuses_with_a_400_that_keeps_the_form(content_copy):
    edit(content_copy / HANDOUT, "max_pages: 8", "max_pages: 2")
    client = create_app(content=content_copy, workers=0).test_client()
    page = client.get("/")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/leaflet", data={"csrf_token": token, "handout": "dvt-walking", "language": "en",
                                             "paper": "a4", "name": "Sam Example", "notes": "Walk daily."})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "over the page budget of 2" in response.text and "shorten the notes" in response.text
    assert 'value="Sam Example"' in response.text and "Walk daily." in response.text


def test_a_script_set_with_its_lines_further_apart_gets_pages_in_proportion(cli, content_copy, tmp_path):
    """Urdu's Nastaliq is set 1.5 times as far apart as Latin, so that its tall words do not run into the
    line above: the same content takes more pages, and the budget (which is there to keep the content
    short) grows with it. English keeps the handout's max_pages."""
    from leaflets.budget import page_budget

    assert page_budget(8, False, "en") == 8 and page_budget(8, True, "en") == 16
    assert page_budget(8, False, "ur") == 12 and page_budget(8, True, "ur") == 24
    edit(content_copy / HANDOUT, "max_pages: 8", "max_pages: 2")
    result = cli("build", "--content", str(content_copy), "--lang", "ur", "-o", str(tmp_path / "ur.pdf"))
    assert result.code == 2
    assert "over the page budget of 3 (max_pages of handout 'dvt-walking', times 1.5 for the script's line spacing)" \
        in result.err, result.err

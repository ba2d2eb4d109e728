"""The discharge desk: form, PDF, validation, security headers, privacy, concurrency and a real browser."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

import leaflets.desk.app as desk_app
from leaflets.desk.app import create_app
from leaflets.leaflet import PatientDetails
from leaflets.pipeline import LeafletRequest, build_pdf, open_brand, open_library
from tests.conftest import ROOT, run_generate
from tests.pdfcheck import normalise, pdftotext


def pdf_text(data: bytes) -> str:
    return normalise(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def token(client, **headers) -> str:
    page = client.get("/", headers=headers)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def submit(client, **fields):
    data = {"csrf_token": token(client), "handout": "dvt-walking", "language": "en", "paper": "a4", **fields}
    return client.post("/leaflet", data=data)


# --- the form -------------------------------------------------------------------------------

def test_form_offers_every_profile_language_and_paper_with_labels(client):
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.text
    for profile in ("calf", "femoral", "flyer"):
        assert f'value="{profile}"' in html
    assert 'value="general"' not in html  # the default: nothing ticked
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids and set(ids) <= labelled, set(ids) - labelled
    assert '<form method="post" action="/leaflet" autocomplete="off">' in html
    assert '<html lang="en"' in html


def test_every_response_carries_security_headers(client):
    for response in (client.get("/"), client.get("/health"), submit(client), client.get("/nowhere")):
        headers = response.headers
        assert headers["Cache-Control"] == "no-store"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src" not in headers["Content-Security-Policy"]  # default-src 'none': no scripts at all
    cookie = client.get("/").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.json["status"] == "ok"
    assert response.json["handouts"] == ["dvt-walking"]


# --- the leaflet ----------------------------------------------------------------------------

def test_submitting_gives_the_chosen_leaflet_inline_ready_to_print(client):
    response = submit(client, profile=["femoral", "flyer"], name="Sam Example", follow_up="Clinic, 3 Dec, 10:00")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="dvt-walking-femoral+flyer-en-a4.pdf"'
    text = pdf_text(response.data)
    assert "Written for: Clot in the thigh (femoral or proximal DVT); Long journeys and flying" in text
    assert "Build up over the first 1 to 2 weeks." in text and "Sam Example" in text


def test_download_button_gives_an_attachment_without_patient_details_in_its_name(client):
    response = submit(client, name="Sam Example", action="download")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "Sam" not in disposition


def test_typed_markup_and_template_syntax_print_literally(client):
    name = "<b>Sam</b> & {{ brand.phone }} {% if %}"
    text = pdftotext_bytes(submit(client, name=name).data)
    assert name in text


def pdftotext_bytes(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return normalise(out.stdout.decode("utf-8"))


def test_the_same_request_gives_the_same_pdf_as_the_command_line(client):
    library, clinic = open_library(), open_brand()
    expected = build_pdf(library.load("dvt-walking"), LeafletRequest(
        "dvt-walking", ("calf",), "en", "letter", PatientDetails(name="Sam Example")), clinic).data
    assert submit(client, profile="calf", paper="letter", name="Sam Example").data == expected


# --- bad requests ----------------------------------------------------------------------------

@pytest.mark.parametrize("fields, message", [
    ({"profile": "../../etc/passwd"}, "Who is it for?: please choose one of the options shown."),
    ({"language": "xx"}, "Language of the leaflet: please choose one of the options shown."),
    ({"paper": "a3"}, "Paper size: please choose one of the options shown."),
    ({"name": "x" * 101}, "Name is too long: at most 100 characters."),
    ({"notes": "x" * 801}, "Notes is too long: at most 800 characters."),
    ({"clinician": "Dr\x1bA"}, "Your clinician contains characters that cannot be printed."),
], ids=["profile", "language", "paper", "name", "notes", "control"])
def test_bad_fields_get_a_clear_400_page_and_keep_what_was_typed(client, fields, message):
    response = submit(client, **fields, follow_up="<script>alert(1)</script>")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert message in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text and "<script>" not in response.text


def test_unknown_handout_is_refused(client):
    response = submit(client, handout="../../etc")
    assert response.status_code == 400 and "please choose one of the options" in response.text


@pytest.mark.parametrize("how", ["no-token", "wrong-token", "no-cookie", "other-server"])
def test_csrf_a_post_needs_the_form_token_and_its_cookie(app, client, how):
    data = {"handout": "dvt-walking", "name": "Sam Example", "csrf_token": token(client)}
    if how == "no-token":
        del data["csrf_token"]
    elif how == "wrong-token":
        data["csrf_token"] = data["csrf_token"][:-4] + "AAAA"
    elif how == "no-cookie":
        client = app.test_client()
    else:
        other = create_app(workers=0, secret=b"another server").test_client()
        data["csrf_token"] = token(other)
    response = client.post("/leaflet", data=data)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "This form has expired" in response.text


def test_leaflets_are_post_only_so_details_never_reach_a_url(client):
    response = client.get("/leaflet?name=Sam+Example")
    assert response.status_code == 405 and "Sam" not in response.text
    assert "This page cannot be used that way." in response.text


def test_an_oversized_request_is_refused(client):
    response = submit(client, notes="x" * 40_000)
    assert response.status_code == 413 and "Shorten the notes" in response.text


def test_an_internal_error_is_a_plain_page_and_the_log_has_no_details(client, app, monkeypatch, caplog):
    def broken(request):
        raise RuntimeError(f"failed for {request.patient.name}")
    monkeypatch.setattr(app.extensions["desk"].pool, "render", broken)
    response = submit(client, name="Zed Quartermaine")
    assert response.status_code == 500 and "Something went wrong" in response.text
    assert "Traceback" not in response.text and "Zed" not in response.text
    assert "internal error (RuntimeError)" in caplog.text and "Zed" not in caplog.text


def test_form_language_follows_the_browser(tmp_path, monkeypatch):
    strings = tmp_path / "strings"
    strings.mkdir()
    english = (ROOT / "templates" / "strings" / "en.yaml").read_text(encoding="utf-8")
    (strings / "en.yaml").write_text(english, encoding="utf-8")
    german = english.replace("language: en", "language: de").replace("title: Print a leaflet",
                                                                     "title: Merkblatt drucken")
    (strings / "de.yaml").write_text(german, encoding="utf-8")
    monkeypatch.setattr(desk_app, "strings_dir", lambda: strings)
    client = create_app(workers=0).test_client()
    german_page = client.get("/", headers={"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"}).text
    assert '<html lang="de"' in german_page and "<h1>Merkblatt drucken</h1>" in german_page
    english_page = client.get("/", headers={"Accept-Language": "fr, en;q=0.8"}).text
    assert '<html lang="en"' in english_page and "<h1>Print a leaflet</h1>" in english_page


def test_the_download_site_can_be_served_too(tmp_path):
    site = tmp_path / "site"
    assert run_generate("batch", "-o", str(site), "--profile", "calf", "--paper", "a4").returncode == 0
    client = create_app(workers=0, site=site).test_client()
    assert client.get("/site/").status_code == 200
    assert client.get("/site/en/dvt-walking-calf-a4.pdf").data[:5] == b"%PDF-"
    assert client.get("/site/../../etc/passwd").status_code == 404
    assert client.get("/site/%2e%2e/manifest.json").status_code == 404


def test_bad_content_stops_the_server_at_start(tmp_path):
    result = run_generate("serve", "--content", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "content folder not found" in result.stderr and "Traceback" not in result.stderr


# --- the real server -------------------------------------------------------------------------

class Server:
    """generate.py serve in its own process, as a clinic runs it."""

    def __init__(self, cwd: Path, *args: str):
        env = {**os.environ, "HOME": str(cwd), "TMPDIR": str(cwd / "tmp")}
        (cwd / "tmp").mkdir(exist_ok=True)
        self.process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0", *args],
                                        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"(http://[\d.]+:\d+/)", line)
        assert match, line + self.process.stderr.read()
        self.url = match.group(1)
        self.first_line = line

    def stop(self) -> tuple[str, str]:
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=30)
        return self.first_line + out, err


class Nurse:
    """A browser without a browser: cookies, the form's token, POST."""

    def __init__(self, url: str):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        page = self.opener.open(url).read().decode()
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def leaflet(self, **fields) -> bytes:
        data = {"csrf_token": self.token, "handout": "dvt-walking", "language": "en", "paper": "a4", **fields}
        body = urllib.parse.urlencode(data, doseq=True).encode()
        with self.opener.open(self.url + "leaflet", data=body, timeout=60) as response:
            assert response.headers["Content-Type"] == "application/pdf"
            return response.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk")
    running = Server(folder, "--workers", "2")
    yield running
    running.stop()


def test_server_binds_to_this_computer_only_by_default(server):
    assert server.url.startswith("http://127.0.0.1:")


def test_concurrent_leaflets_are_identical_to_serial_ones(server):
    library, clinic = open_library(), open_brand()
    loaded = library.load("dvt-walking")
    cases = [dict(profile=p, paper=paper, name=f"Patient {i}", notes=f"Note {i} " * (i + 1))
             for i, (p, paper) in enumerate((p, paper) for p in ("general", "calf", "femoral", "flyer")
                                            for paper in ("a4", "letter"))] * 2
    expected = [build_pdf(loaded, LeafletRequest("dvt-walking", (c["profile"],), "en", c["paper"], PatientDetails(
        name=c["name"], notes=c["notes"].strip())), clinic).data for c in cases]
    results: list[bytes | None] = [None] * len(cases)
    nurses = [Nurse(server.url) for _ in range(8)]

    def work(n: int) -> None:
        for i in range(n, len(cases), len(nurses)):
            results[i] = nurses[n].leaflet(**cases[i])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(nurses))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in results)
    mismatched = [i for i, (got, want) in enumerate(zip(results, expected)) if got != want]
    assert not mismatched, f"{len(mismatched)} of {len(cases)} concurrent leaflets differ from serial ones"


def _files_containing(folder: Path, needles: list[bytes], since: float) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime >= since:
                data = path.read_bytes()
                found += [f"{path}: {n!r}" for n in needles if n in data]
        except OSError:
            continue
    return found


def test_nothing_typed_reaches_the_log_or_the_disk(tmp_path):
    started = time.time() - 1
    server = Server(tmp_path, "--workers", "1")
    secrets = {"name": "Quillon Zebedee-Marsh", "notes": "Xylophage notes 7731", "follow_up": "Ward Vortigern 4",
               "clinician": "Dr Ptolemy Snodgrass", "date": "31 Smarch 2026"}
    nurse = Nurse(server.url)
    pdf = nurse.leaflet(profile="calf", **secrets)
    too_long = urllib.parse.urlencode({"csrf_token": nurse.token, "handout": "dvt-walking",
                                       "name": secrets["name"], "notes": "y" * 900}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        nurse.opener.open(server.url + "leaflet", data=too_long)
    assert refused.value.code == 400
    out, err = server.stop()

    assert secrets["name"] in pdftotext_bytes(pdf)  # it was printed...
    log = out + err
    assert "POST /leaflet 200" in log and "POST /leaflet 400" in log  # ...the requests were logged...
    for value in secrets.values():  # ...but nothing that was typed
        assert value not in log, value
        for word in value.split():
            if len(word) > 6:
                assert word not in log, word
    needles = [v.encode() for v in secrets.values()] + [v.encode("utf-16-le") for v in secrets.values()]
    leftovers = _files_containing(tmp_path, needles, started) + _files_containing(Path("/tmp"), needles, started)
    assert not leftovers, leftovers
    key = tmp_path / ".local" / "state" / "leaflets" / "desk-secret"  # its CSRF key, made once: the only file
    assert [p for p in tmp_path.rglob("*") if p.is_file()] in ([], [key]), "the server wrote files"


# --- a real browser ---------------------------------------------------------------------------

def test_a_nurse_fills_the_form_in_chromium_and_gets_the_leaflet(server, tmp_path, chromium):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900},
                                      java_script_enabled=False)  # the desk must work without JavaScript
        page = context.new_page()
        page.goto(server.url)
        assert page.title() == "Print a leaflet - Riverside Example Hospital"
        page.get_by_label("Clot in the thigh").check()
        page.get_by_label("Name").fill("Sam <Example> & {{ x }}")
        page.get_by_label("Follow-up appointment").fill("Vascular clinic, 3 December, 10:00")
        page.get_by_label("US Letter").check()

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download PDF").click()
        download = download_info.value
        assert download.suggested_filename == "dvt-walking-femoral-en-letter.pdf"
        saved = tmp_path / "leaflet.pdf"
        download.save_as(saved)
        text = pdftotext(saved)
        assert "Sam <Example> & {{ x }}" in text and "Vascular clinic, 3 December, 10:00" in text
        assert "Written for: Clot in the thigh (femoral or proximal DVT)" in text
        assert "Build up over the first 1 to 2 weeks." in text

        page.goto(server.url)
        with page.expect_response(lambda r: r.url.endswith("/leaflet")) as opened:
            try:
                page.get_by_role("button", name="Create leaflet to print").click(no_wait_after=True)
            except Exception:
                pass  # headless Chromium may hand an inline PDF to its download manager instead
        response = opened.value
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("inline;")
        browser.close()


def test_the_form_is_usable_by_keyboard_with_large_targets(server, chromium):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server.url)
        reached = []
        for _ in range(16):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        for target in ("profile-calf", "profile-femoral", "profile-flyer", "language", "name", "notes",
                       "Create leaflet to print"):
            assert target in reached, (target, reached)
        page.keyboard.press("Shift+Tab")
        small = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
            .map(e => { const target = e.closest('.choice') || e; const r = target.getBoundingClientRect();
                        return [e.id || e.textContent.trim(), Math.round(r.height)]; })
            .filter(([, h]) => h < 44)""")
        assert not small, f"touch targets under 44 px high: {small}"
        browser.close()


def test_the_form_warns_the_nurse_about_draft_and_overdue_content(client, content_copy):
    assert "a draft that a clinical reviewer has not yet approved" in client.get("/").text
    handout = content_copy / "dvt-walking" / "handout.yaml"
    text = handout.read_text().replace("review_by: 2028-11-01", "review_by: 2026-11-02")
    handout.write_text(text.replace("published: 2026-11-01", "published: 2024-11-01"))
    page = create_app(content_copy, workers=0).test_client().get("/").text
    assert "This leaflet was due for review on 2 November 2026." in page


def test_the_form_speaks_the_browser_language_and_offers_every_translation(client):
    page = client.get("/", headers={"Accept-Language": "ar, en;q=0.5"}).text
    assert '<html lang="ar" dir="rtl"' in page and "طباعة نشرة" in page
    assert '<option value="ar" lang="ar" selected>العربية</option>' in page
    for code in ("en", "es", "fr", "pl", "vi", "zh-Hans", "hi", "pt", "ru", "ko", "bn", "ur"):
        assert f'<option value="{code}" lang="{code}"' in page
    spanish = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).text
    assert '<html lang="es"' in spanish and "Imprimir un folleto" in spanish


def test_a_leaflet_in_another_language_from_the_desk(client):
    response = submit(client, language="es", profile="calf", name="Ana Pérez")
    text = pdf_text(response.data)
    assert "Coágulo en la pantorrilla" in text and "Ana Pérez" in text
    assert response.headers["Content-Disposition"] == 'inline; filename="dvt-walking-calf-es-a4.pdf"'


def test_large_print_and_high_contrast_from_the_desk(client):
    page = client.get("/").text
    assert 'name="large_print"' in page and "<label for=\"large_print\">Large print</label>" in page
    standard = submit(client, profile="calf")
    large = submit(client, profile="calf", large_print="yes", high_contrast="yes")
    assert large.headers["Content-Disposition"] == 'inline; filename="dvt-walking-calf-en-a4-large-contrast.pdf"'
    from pypdf import PdfReader
    assert len(PdfReader(io.BytesIO(large.data)).pages) > len(PdfReader(io.BytesIO(standard.data)).pages)


def test_a_character_no_font_can_print_is_a_clear_400_that_keeps_the_form(client, caplog):
    response = submit(client, name="Sam \U0001F600 Example")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "contains a character the leaflet&#39;s font cannot print" in response.text
    assert 'value="Sam \U0001F600 Example"' in response.text  # what was typed is kept in the form
    assert "Sam" not in caplog.text


def test_a_refused_leaflet_comes_back_whole_from_a_render_process(server):
    nurse = Nurse(server.url)
    body = urllib.parse.urlencode({"csrf_token": nurse.token, "handout": "dvt-walking", "language": "en",
                                   "paper": "a4", "name": "Sam \U0001F600"}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        nurse.opener.open(server.url + "leaflet", data=body)
    assert refused.value.code == 400 and "cannot print" in refused.value.read().decode()


def test_sixty_lines_of_notes_print_and_notes_too_long_for_the_budget_keep_the_form(client):
    notes = "\n".join(f"Note {n:02d} ok" for n in range(60))
    response = submit(client, notes=notes, paper="letter", large_print="yes")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Note 59 ok" in pdf_text(response.data)
    response = submit(client, name="Sam Example", notes="x\n" * 399, large_print="yes")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "shorten the notes" in response.text and 'value="Sam Example"' in response.text

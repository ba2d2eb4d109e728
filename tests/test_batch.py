"""Batch builds: the whole matrix, incremental reruns, failures, interruption, and the download site."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from tests.conftest import ROOT, edit, run_generate
from tests.pdfcheck import pdftotext

PROFILES = ["general", "calf", "femoral", "flyer"]
LANGUAGES = ["en", "ar", "bn", "es", "fr", "hi", "ko", "pl", "pt", "ru", "ur", "vi", "zh-Hans"]
ENGLISH = ["--lang", "en"]  # tests of the batch machinery need only the English leaflets


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = run_generate("batch", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["leaflets"]


def test_default_matrix_is_every_profile_language_and_paper(site):
    out, result = site
    entries = manifest(out)
    expected = {(p, lang, paper) for p in PROFILES for lang in LANGUAGES for paper in ("a4", "letter")}
    assert {(e["profiles"][0], e["language"], e["paper"]) for e in entries} == expected
    assert f"built {len(expected)}, skipped 0, failed 0" in result.stdout


def test_manifest_tells_the_truth_about_every_file(site):
    out, _ = site
    for entry in manifest(out):
        pdf = out / entry["pdf"]
        data = pdf.read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        assert entry["pages"] == len(PdfReader(pdf).pages)
        assert entry["handout"] == "dvt-walking" and entry["content_version"] == "1.0"
        assert entry["brand"]["clinic_name"] == "Riverside Example Hospital"
        assert entry["translation_status"] == ("source" if entry["language"] == "en" else "draft")
        assert (out / entry["html"]).is_file()


def test_each_pdf_is_the_leaflet_it_claims_to_be(site):
    out, _ = site
    for entry in [e for e in manifest(out) if e["language"] == "en"]:
        text = pdftotext(out / entry["pdf"])
        if entry["profiles"] == ["flyer"]:
            assert "Travelling and long journeys" in text
        else:
            assert "Travelling and long journeys" not in text
        size = PdfReader(out / entry["pdf"]).pages[0].mediabox
        assert round(float(size.width)) == (595 if entry["paper"] == "a4" else 612)


def test_progress_is_plain_lines_when_not_on_a_terminal(site):
    _, result = site
    lines = result.stderr.strip().splitlines()
    total = len(PROFILES) * len(LANGUAGES) * 2
    assert lines[-1].startswith(f"[{total}/{total}] built ")
    assert all(line.startswith("[") for line in lines)


def test_rerun_with_nothing_changed_builds_nothing(tmp_path):
    out = tmp_path / "site"
    assert run_generate("batch", "-o", str(out), *ENGLISH).returncode == 0
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    again = run_generate("batch", "-o", str(out), *ENGLISH)
    assert again.returncode == 0 and "built 0, skipped 8, failed 0" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == before
    forced = run_generate("batch", "-o", str(out), "--force", *ENGLISH)
    assert "built 8, skipped 0" in forced.stdout


def test_a_changed_input_or_a_deleted_file_is_rebuilt(tmp_path, content_copy, brand_copy):
    out = tmp_path / "site"
    args = ["batch", "-o", str(out), "--content", str(content_copy), "--brand", str(brand_copy), "--jobs", "1", *ENGLISH]
    assert "built 8" in run_generate(*args).stdout
    (out / "en" / "dvt-walking-calf-a4.pdf").unlink()
    assert "built 2, skipped 6" in run_generate(*args).stdout  # a unit is one variant, both paper sizes
    edit(brand_copy / "brand.yaml", "phone: 020 7946 0321", "phone: 020 7946 0999")
    assert "built 8, skipped 0" in run_generate(*args).stdout
    assert "020 7946 0999" in pdftotext(out / "en" / "dvt-walking-general-a4.pdf")
    edit(content_copy / "dvt-walking" / "handout.yaml", "Keep active every day.", "Stay active every day.")
    assert "built 8, skipped 0" in run_generate(*args).stdout


def test_one_bad_leaflet_does_not_stop_the_others(tmp_path, content_copy):
    edit(content_copy / "dvt-walking" / "profiles.yaml", "It is best not to.", "It is best not to. {{ brand.fax }}")
    out = tmp_path / "site"
    result = run_generate("batch", "-o", str(out), "--content", str(content_copy), *ENGLISH)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "built 6, skipped 0, failed 1" in result.stdout
    assert "failed: en/dvt-walking-flyer:" in result.stderr and "brand.fax" not in result.stdout
    assert "variable that does not exist" in result.stderr
    assert not list((out / "en").glob("dvt-walking-flyer*"))
    assert {e["profiles"][0] for e in manifest(out)} == {"general", "calf", "femoral"}


def test_a_broken_translation_fails_its_leaflets_alone_in_a_parallel_batch(tmp_path, content_copy):
    """The languages are read before the workers start; a translation that cannot be read is still
    reported by the leaflets that need it, not as a stop of the whole batch."""
    edit(content_copy / "dvt-walking" / "translations" / "es.yaml", "status: draft", "status: [draft")
    result = run_generate("batch", "-o", str(tmp_path / "site"), "--content", str(content_copy), "--jobs", "2",
                          "--lang", "en", "--lang", "es", "--profile", "general", "--profile", "calf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "built 4, skipped 0, failed 2" in result.stdout
    assert "failed: es/dvt-walking-general: " in result.stderr and "es.yaml, line 4" in result.stderr
    assert {(e["language"], e["profiles"][0]) for e in manifest(tmp_path / "site")} == {
        ("en", "general"), ("en", "calf")}


@pytest.mark.parametrize("how, jobs, exit_code", [
    (signal.SIGKILL, "1", -signal.SIGKILL),   # killed: no chance to clean up
    (signal.SIGINT, "1", 130),                # Ctrl-C
    (signal.SIGINT, "2", 130),                # Ctrl-C with worker processes
])
def test_an_interrupted_batch_leaves_no_partial_pdf_and_the_next_run_finishes(tmp_path, how, jobs, exit_code):
    out = tmp_path / "site"
    specs = [a for p in PROFILES + ["calf+flyer", "femoral+flyer"] for a in ("--profile", p)]
    command = [sys.executable, str(ROOT / "generate.py"), "batch", "-o", str(out), "--jobs", jobs, *specs, *ENGLISH]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                               start_new_session=True)
    first = process.stderr.readline()
    assert "built" in first
    os.killpg(process.pid, how)  # the whole process group, as a terminal's Ctrl-C does
    rest = process.stderr.read()
    process.wait(timeout=30)
    assert process.returncode == exit_code
    if how == signal.SIGINT:
        assert "interrupted" in rest and "Traceback" not in rest

    for pdf in out.rglob("*.pdf"):  # whatever exists is complete
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF") and len(PdfReader(pdf).pages) > 0
    recorded = len(manifest(out))
    assert recorded >= 2, "leaflets finished before the kill are in the manifest"

    result = run_generate("batch", "-o", str(out), "--jobs", jobs, *specs, *ENGLISH)
    assert result.returncode == 0
    assert f"skipped {recorded}" in result.stdout and "failed 0" in result.stdout
    assert len(manifest(out)) == 12
    assert not list(out.rglob("*.part"))


def test_two_batches_cannot_write_into_one_folder(tmp_path):
    import fcntl
    out = tmp_path / "site"
    out.mkdir()
    with open(out / ".batch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = run_generate("batch", "-o", str(out))
    assert result.returncode == 1 and "another batch is writing to this folder" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--profile", "calf+nope"], "unknown profile 'nope'"),
    (["--lang", "xx"], "has no 'xx' version"),
    (["--handout", "nope"], "unknown handout 'nope'"),
    (["--jobs", "0"], "expected a whole number of 1 or more"),
])
def test_bad_batch_choices_are_refused_up_front(tmp_path, args, message):
    result = run_generate("batch", "-o", str(tmp_path / "site"), *args)
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "site" / "manifest.json").exists()


def test_parallel_and_serial_batches_write_identical_files(tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    languages = ["--lang", "en", "--lang", "ar", "--lang", "zh-Hans"]
    assert run_generate("batch", "-o", str(serial), "--jobs", "1", *languages).returncode == 0
    assert run_generate("batch", "-o", str(parallel), "--jobs", "2", *languages).returncode == 0
    files = sorted(p.relative_to(serial) for p in serial.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(parallel) for p in parallel.rglob("*") if p.is_file())
    for name in files:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


class _Recorder:
    """Stands in for batch.ProcessPoolExecutor, noting the order in which units are handed to the workers."""

    submitted: list = []

    def __init__(self, pool_class):
        self.pool_class = pool_class

    def __call__(self, *args, **kwargs):
        pool = self.pool_class(*args, **kwargs)
        submit = pool.submit

        def noting(function, unit, *rest):
            _Recorder.submitted.append(unit)
            return submit(function, unit, *rest)
        pool.submit = noting
        return pool


def test_parallel_batch_hands_out_the_costliest_leaflets_first_and_still_records_all(tmp_path, monkeypatch):
    """Urdu and Hindi take several times an English leaflet: given last, one worker would finish them
    alone while the other waits. The manifest keeps its order whatever the order of the work."""
    import gc
    from leaflets import batch
    monkeypatch.setattr(batch, "ProcessPoolExecutor", _Recorder(batch.ProcessPoolExecutor))
    _Recorder.submitted = []
    messages = []

    class Progress:
        def advance(self, count, message):
            messages.append(message)

        def close(self):
            pass
    summary = batch.run_batch(tmp_path / "site", jobs=2, profiles=["general"], languages=["en", "hi", "ur"],
                              papers=["a4"], variants=["standard", "large-print"], progress=Progress())
    assert summary.built == 6 and not summary.failed
    assert [u.language for u in _Recorder.submitted] == ["ur", "hi", "en"]
    built = sorted(m for m in messages if not m.startswith("skipped"))
    assert built == [f"built {lang}/dvt-walking-general" for lang in ("en", "hi", "ur")]
    pdfs = [e["pdf"] for e in manifest(tmp_path / "site")]
    assert pdfs == sorted(pdfs) and len(pdfs) == 6
    assert gc.get_freeze_count() == 0, "objects frozen for the workers are handed back to the collector"


def test_large_print_and_slow_scripts_count_as_costlier():
    from leaflets.batch import Unit, costliest_first
    units = [Unit("h", ("general",), "en", ("a4",)), Unit("h", ("general",), "en", ("a4-large",)),
             Unit("h", ("general",), "zh-Hans", ("a4",)), Unit("h", ("calf",), "en", ("a4",)),
             Unit("h", ("general",), "ur", ("a4", "letter")), Unit("h", ("general",), "ar", ("a4",))]
    assert [(u.language, u.profiles, u.papers) for u in costliest_first(units)] == [
        ("ur", ("general",), ("a4", "letter")), ("ar", ("general",), ("a4",)), ("zh-Hans", ("general",), ("a4",)),
        ("en", ("general",), ("a4-large",)), ("en", ("general",), ("a4",)), ("en", ("calf",), ("a4",))]


def test_a_worker_keeps_to_one_language_until_it_is_done_then_helps_with_the_biggest_left():
    """Each worker caches the words it has shaped: two workers on one language would shape them twice."""
    from leaflets.batch import Schedule, Unit
    units = [Unit("h", (p,), lang, ("a4",)) for lang in ("en", "ar", "ur", "fr") for p in ("general", "calf", "flyer")]
    schedule = Schedule(units)
    first = schedule.next(None)
    second = schedule.next(None, [first.language])
    assert (first.language, second.language) == ("ur", "ar")     # the two costliest languages, one each
    assert schedule.next("ur", ["ar"]).language == "ur"          # the same worker stays with Urdu
    assert schedule.next("ar", ["ur"]).language == "ar"
    assert [schedule.next("ar", ["ur"]).language for _ in range(2)] == ["ar", "en"]  # Arabic done: a fresh one
    assert schedule.next("ur", ["en"]).language == "ur"
    assert schedule.next("ur", ["en"]).language == "fr"          # not the English the other worker is on
    left = [schedule.next("fr", ["en"]) for _ in range(5)]
    assert [u.language for u in left[:4]] == ["fr", "fr", "en", "en"] and left[4] is None  # then shares English


def test_languages_several_workers_share_have_their_fonts_and_draft_mark_read_before_the_fork(tmp_path):
    """With fewer languages than workers, each language is built by several: the parent reads its
    fonts and the DRAFT mark's glyph outlines (Chinese: the glyph table of a 28,000-glyph font) once,
    instead of each worker reading them again."""
    from leaflets import batch
    from leaflets.pipeline import open_brand, open_library
    from leaflets.render import outline
    library, clinic = open_library(), open_brand()
    languages = ["en", "ar", "hi", "zh-Hans", "ko"]
    units, loaded = batch.plan(library, [], ["general"], languages, ["a4"])
    outline._outline.cache_clear()
    batch._prepare(library, clinic, loaded, False, False, languages=languages, shared=languages)
    read = outline._outline.cache_info().misses
    drafts = [lang for lang in languages if loaded["dvt-walking"].in_language(lang).handout.status == "draft"]
    assert read == len(drafts), "one mark per language of draft content"
    for unit in units:
        batch._build_unit(unit, tmp_path)
    assert outline._outline.cache_info().misses == read, "each in the face the page draws it with"


def test_a_single_language_batch_reads_its_fonts_before_the_fork_and_a_many_language_one_does_not(
        tmp_path, monkeypatch):
    from leaflets import batch
    seen = []
    real = batch._prepare
    monkeypatch.setattr(batch, "_prepare", lambda *args, **kwargs: (seen.append(set(kwargs["shared"])),
                                                                       real(*args, **kwargs)))
    for languages in (["zh-Hans"], ["zh-Hans", "en", "ko"]):
        summary = batch.run_batch(tmp_path / "-".join(languages), jobs=2, profiles=["general", "calf"],
                                  languages=languages, papers=["a4"], progress=Quiet())
        assert summary.built == 2 * len(languages) and not summary.failed
    assert seen == [{"zh-Hans"}, set()]


class Quiet:
    def advance(self, count, message):
        pass

    def close(self):
        pass


# --- the site -----------------------------------------------------------------------------

class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.tags, self.attrs = [], [], {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "html":
            self.attrs = attrs
        for key in ("href", "src"):
            if key in attrs:
                self.links.append(attrs[key])


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def local_links(out: Path) -> dict[Path, list[str]]:
    return {page: [link for link in parse(page).links if not link.startswith(("http", "data:", "tel:", "#"))]
            for page in out.rglob("*.html")}


def test_every_link_of_the_site_points_at_a_file_that_exists(site):
    out, _ = site
    pages = local_links(out)
    assert out / "index.html" in pages and out / "en" / "index.html" in pages
    for page, links in pages.items():
        for link in links:
            assert (page.parent / link).resolve().is_file(), f"{page}: broken link {link}"
    listed = set(parse(out / "en" / "index.html").links)
    for entry in manifest(out):
        assert Path(entry["pdf"]).name in listed and Path(entry["html"]).name in listed


def test_pages_declare_language_and_direction_and_use_real_headings_lists_and_tables(site):
    out, _ = site
    page = parse(out / "en" / "dvt-walking-general.html")
    assert page.attrs == {"lang": "en", "dir": "ltr"}
    tags = [tag for tag, _ in page.tags]
    assert tags.count("h1") == 1 and tags.count("h2") >= 10 and "h3" in tags
    assert "ul" in tags and "ol" in tags
    headers = [attrs.get("scope") for tag, attrs in page.tags if tag == "th"]
    assert headers.count("col") == 2 and headers.count("row") == 10
    assert sum(1 for tag, attrs in page.tags if tag == "input" and attrs.get("type") == "checkbox") == 6
    assert not [link for link in page.links if link.startswith("http") and "example" not in link
                and link not in _reference_urls()], "pages load nothing from the internet"


def _reference_urls():
    import yaml
    handout = yaml.safe_load((ROOT / "handouts/dvt-walking/handout.yaml").read_text(encoding="utf-8"))
    return {s["url"] for s in handout["sources"] if "url" in s}


def test_html_version_has_the_same_content_as_the_pdf(site):
    out, _ = site
    html = (out / "en" / "dvt-walking-flyer.html").read_text(encoding="utf-8")
    for phrase in ["Get emergency help now: call 999", "Travelling and long journeys", "Should I wear flight socks?",
                   "Inflamed or varicose veins", "VASC-DVT-001 · Version 1.0 · Review by\u00a01\u00a0November\u00a02028"]:  # a date never breaks
        assert phrase in html


def test_site_works_from_any_static_web_server(site):
    out, _ = site
    handler = partial(SimpleHTTPRequestHandler, directory=str(out))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        for page, links in local_links(out).items():
            page_url = base + page.relative_to(out).as_posix()
            with urllib.request.urlopen(page_url, timeout=10) as response:
                assert response.status == 200
            for link in links:
                url = urllib.parse.urljoin(page_url, link)
                with urllib.request.urlopen(url, timeout=10) as response:
                    assert response.status == 200, url
                    if link.endswith(".pdf"):
                        assert response.read(5) == b"%PDF-"
    finally:
        server.shutdown()
        server.server_close()


def test_site_opens_in_a_browser_with_every_link_working(site, tmp_path, chromium):
    out, _ = site
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 400, "height": 800})
        failed = []
        # A request cancelled because the test navigated on (net::ERR_ABORTED) is not a broken
        # link; each page's typeface is checked to have loaded below.
        page.on("requestfailed", lambda request: request.failure == "net::ERR_ABORTED"
                or failed.append((request.url, request.failure)))
        page.goto((out / "index.html").as_uri())
        page.click("text=English")
        assert page.url.endswith("/en/index.html")
        links = [link for link in page.eval_on_selector_all("main a", "links => links.map(a => a.href)")
                 if "/en/dvt-walking" in link]
        assert len(links) == 12  # 4 leaflets: one web page and two PDFs each
        for link in [l for l in links if l.endswith(".html")]:
            page.goto(link)
            assert page.locator("h1").inner_text() == "Walking after a blood clot in the leg"
            assert page.evaluate("document.fonts.ready.then(() => document.fonts.check('700 16px \"Atkinson Hyperlegible\"'))")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
                f"{link} scrolls sideways on a phone"
            page.click("text=All leaflets")
            assert page.url.endswith("/en/index.html")
        page.goto(next(l for l in links if l.endswith(".html")))
        page.screenshot(path=str(tmp_path / "leaflet.png"))
        for link in [l for l in links if l.endswith(".pdf")]:
            assert Path(urllib.request.url2pathname(urllib.parse.urlparse(link).path)).read_bytes()[:5] == b"%PDF-"
        assert not failed, failed
        browser.close()

"""The web pages pass axe-core at WCAG 2.1 AA, in English and Arabic: the download site (index, language
pages, every HTML twin) and the discharge desk's form, message and error pages.

axe-core is the `axe-core` npm package pinned in package.json (install it with `npm ci`; .ci/run does),
injected with Playwright into Debian's Chromium. The desk forbids scripts in its pages
(Content-Security-Policy); the test's browser context bypasses that policy for axe alone.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import ROOT, run_generate
from tests.test_desk import Server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def browser():
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` in {ROOT} (the tests' browser tools, package.json)"
    with sync_playwright() as p:
        running = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield running
        running.close()


def violations(page) -> list[str]:
    """axe's WCAG 2.1 A and AA violations on the page as it is now: rule, impact and where."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
        .then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`))""",
                          WCAG_21_AA)
    return [f"{page.url}: {v}" for v in found]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("axe") / "site"
    result = run_generate("batch", "-o", str(out), "--lang", "en", "--lang", "ar", "--paper", "a4", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return out


def test_the_download_site_passes_axe_in_english_and_arabic(site, browser):
    pages = [site / "index.html", site / "en" / "index.html", site / "ar" / "index.html",
             *sorted(site.glob("en/*.html")), *sorted(site.glob("ar/*.html"))]
    twins = [p for p in pages if p.name != "index.html"]
    assert len(twins) >= 8, "every HTML twin of both languages"
    page = browser.new_page()
    found = []
    for file in dict.fromkeys(pages):
        page.goto(file.as_uri())
        found += violations(page)
    assert found == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_html_twin_has_lang_dir_one_h1_landmarks_and_a_skip_link(site, browser, language):
    page = browser.new_page()
    for twin in sorted(site.glob(f"{language}/dvt-walking-*.html")):
        page.goto(twin.as_uri())
        html = page.locator("html")
        assert html.get_attribute("lang") == language
        assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        assert page.locator("h1").count() == 1
        assert page.locator("header").count() >= 1 and page.locator("main").count() == 1
        assert page.locator("footer, [role=contentinfo]").count() >= 1
        skip = page.locator("a").first
        target = skip.get_attribute("href")
        assert target and target.startswith("#") and page.locator(target).count() == 1, "the first link skips to the content"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == target
        assert skip.is_visible(), "the skip link shows when it has the focus"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("desk-axe"), "--workers", "1")
    yield running
    running.stop()


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_the_desks_form_message_and_error_pages_pass_axe(desk, browser, locale):
    context = browser.new_context(locale=locale, bypass_csp=True)
    page = context.new_page()
    found = []
    page.goto(desk.url)
    assert page.locator("html").get_attribute("lang") == locale.split("-")[0]
    found += violations(page)
    # a leaflet refused for its input: the form again, with the error beside the field
    page.goto(desk.url)
    page.evaluate("""() => { const notes = document.querySelector('textarea[name=notes]');
                             notes.removeAttribute('maxlength'); notes.value = 'x'.repeat(900); }""")
    page.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true], .error").count() >= 1, page.content()[:2000]
    found += violations(page)
    # a message page: a page that does not exist
    response = page.goto(desk.url + "no-such-page")
    assert response.status == 404
    found += violations(page)
    context.close()
    assert found == []


def test_axe_finds_what_it_is_there_to_find(browser):
    """The check itself: an image without alternative text and an unlabelled field are violations."""
    page = browser.new_page()
    page.set_content('<!DOCTYPE html><html lang="en"><title>t</title><main><h1>t</h1>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></html>')
    rules = {v.split(": ")[1].split(" ")[0] for v in violations(page)}
    assert {"image-alt", "label"} <= rules

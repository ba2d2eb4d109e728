"""Discharge details: printed literally in the 'For you' box, and nowhere else."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.conftest import run_generate
from tests.pdfcheck import page_texts, pdffonts, pdfinfo, pdftotext

HOSTILE_NAME = 'Zoë <b>O’Brien</b> & {{ brand.phone }} <img src="x.png"/>'
NOTES = "Line one <i>not italic</i>\nLine two &amp; more"


def test_details_print_whole_in_a_for_you_box_right_after_the_safety_block(built):
    """Page 1 holds the safety block first; the box follows it, whole, on page 1 or at the top of page 2."""
    pdf = built("--patient-name", "Sam Example", "--date", "24 November 2026", "--clinician", "Dr Rivera",
                "--follow-up", "Clinic B, 3 December 10:30", "--notes", "Walk twice a day.")
    pages = page_texts(pdf)
    box = next(n for n, text in enumerate(pages) if "For you" in text)
    assert box in (0, 1)
    for expected in ["For you", "Name Sam Example", "Date 24 November 2026", "Your clinician Dr Rivera",
                     "Follow-up appointment Clinic B, 3 December 10:30", "Notes Walk twice a day."]:
        assert expected in pages[box]
    assert "Call your care team" in pages[0]
    if box == 0:
        assert pages[0].index("Call your care team") < pages[0].index("For you")
    else:
        assert pages[1].index("For you") < pages[1].index("About this leaflet")


def test_markup_and_template_syntax_in_details_print_literally(built):
    pdf = built("--patient-name", HOSTILE_NAME, "--notes", NOTES)
    text = pdftotext(pdf)
    assert HOSTILE_NAME in text
    assert "Line one <i>not italic</i> Line two &amp; more" in text
    assert "020 7946 0321 <img" not in text, "{{ brand.phone }} in a name must not be filled in"
    for page in PdfReader(pdf).pages:  # '<img src=...>' must not have become a picture
        xobjects = page["/Resources"].get("/XObject", {})
        assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]


def test_no_box_without_details(built):
    assert "For you" not in page_texts(built())[0]


def test_details_stay_out_of_metadata_file_names_and_messages(tmp_path):
    result = run_generate("build", "--patient-name", "Sam Secretname", "--notes", "Allergic to Secretnote",
                          cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Secret" not in result.stdout + result.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [p.name for p in files] == ["dvt-walking-default-en-a4.pdf"]
    info = pdfinfo(files[0])
    assert not any("Secret" in value for value in info.values())
    assert "Sam Secretname" in pdftotext(files[0])


def test_standard_output_mode_writes_no_file(tmp_path):
    result = subprocess_bytes(tmp_path, "build", "--patient-name", "Sam Example", "-o", "-")
    assert result.returncode == 0
    assert result.stdout.startswith(b"%PDF-") and result.stdout.rstrip().endswith(b"%%EOF")
    assert not any(tmp_path.iterdir())


def test_too_long_details_are_refused_before_anything_is_written(tmp_path):
    result = run_generate("build", "--notes", "x" * 801, cwd=tmp_path)
    assert result.returncode == 2
    assert "--notes is 801 characters long; the limit is 800" in result.stderr
    assert not any(tmp_path.iterdir())


def test_unprintable_characters_are_refused_without_repeating_them(tmp_path):
    result = run_generate("build", "--patient-name", "\U0001F642 Secret", cwd=tmp_path)  # no shipped font has it
    assert result.returncode == 2
    assert "'Name' in the 'For you' box contains a character the leaflet's font cannot print" in result.stderr
    assert "Secret" not in result.stderr and "\U0001F642" not in result.stderr
    assert not any(tmp_path.iterdir())


def subprocess_bytes(cwd, *args):
    import subprocess
    import sys
    from tests.conftest import ROOT
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=cwd, capture_output=True,
                          timeout=120)


def test_names_in_any_script_print_on_an_english_leaflet(built):
    """A nurse in London prints an English leaflet for 王芳, Nguyễn Thị Hương or محمد علي: each name is
    set in a shipped face that has its letters, shaped, Arabic read from the right; nothing is a box."""
    from tests.reading import glyph_lines, plain_words, read_right_to_left
    pdf = built("--patient-name", "王芳 / Nguyễn Thị Hương / محمد علي", "--clinician", "डॉ. शर्मा")
    fonts = " ".join(font["name"] for font in pdffonts(pdf))
    for face in ("DroidSansFallback", "NotoSans-Regular", "NotoNaskhArabic", "NotoSansDevanagari"):
        assert face in fonts
    lines = [plain_words(read_right_to_left(line)) for line in glyph_lines(pdf, 0)]
    name = next(line for line in lines if "王芳" in line)
    assert "محمد علي" in name and "Nguyễn Thị Hương" in name, name
    from pdfminer.high_level import extract_text
    text = extract_text(str(pdf), page_numbers=[0])
    assert "डॉ" in text and not any(0xE000 <= ord(c) <= 0xF8FF for c in text)


def test_invisible_format_characters_in_details_are_left_out(built):
    """A right-to-left override, a byte-order mark or a zero-width space never prints as a box or
    turns the words round."""
    pdf = built("--notes", "Walk \u202edaily\u202c with\ufeff care\u200b now")
    assert "Walk daily with care now" in pdftotext(pdf)


SIXTY_LINES = "\n".join(f"Note {n:02d} ok" for n in range(60))  # 659 characters, within the limit


@pytest.mark.parametrize("variant", [(), ("--large-print",), ("--large-print", "--paper", "letter")])
def test_sixty_short_lines_of_notes_continue_on_the_next_page(cli, tmp_path, variant):
    out = tmp_path / "notes.pdf"
    result = cli("build", *variant, "--notes", SIXTY_LINES, "--follow-up", "Clinic B, " * 18, "-o", str(out))
    assert result.code == 0, result.err
    text = pdftotext(out)
    assert all(f"Note {n:02d} ok" in text for n in range(60))
    pages = [n for n, page in enumerate(page_texts(out)) if "Note " in page]
    assert len(pages) >= 2 and pages == list(range(pages[0], pages[-1] + 1)), "the box continues page after page"


def test_notes_that_would_break_the_page_budget_are_refused_saying_what_to_shorten(cli, tmp_path):
    out = tmp_path / "notes.pdf"
    result = cli("build", "--large-print", "--notes", "x\n" * 399, "-o", str(out))
    assert result.code == 2 and not out.exists()
    assert "over the page budget" in result.err and "shorten the notes" in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err


@pytest.mark.parametrize("language", ["ar", "hi", "en"])
def test_details_never_enter_the_renderers_caches(language):
    """Parsed paragraphs, bidi levels and shaped words are kept between leaflets for speed; what a
    nurse typed never is (in an English leaflet too, where a name in Arabic is shaped in a fallback face)."""
    from leaflets.leaflet import PatientDetails
    from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
    from leaflets.render.pdf import forget_cached_text, lines, render_pdf
    from leaflets.render.pdf.textcache import TextCache

    details = PatientDetails(name="زبرجدة قرنفلية Quillon", clinician="डॉ॰ झिलमिल", notes="Ørkenvandring 蜻蛉",
                             follow_up="ख़ुशबूदार क़िस्सा")
    forget_cached_text()
    leaflet = resolve_request(open_library().load("dvt-walking"),
                              LeafletRequest("dvt-walking", ("femoral",), language, patient=details,
                                             allow_overdue=True), open_brand())
    render_pdf(leaflet, "a4")
    # Every cache of content text, keys and values, as text (a key or value holding a typed word shows it).
    cached = " ".join(repr(list(cache.items())) for cache in TextCache.every)
    assert len(TextCache.every) >= 4 and any(TextCache.every), "the caches hold the leaflet's own text"
    if language != "en":  # English is not shaped: only the Arabic and Hindi details would be
        assert lines._shaped_words, "the leaflet's own words are cached"
    typed = [word for value in (details.name, details.clinician, details.notes, details.follow_up)
             for word in value.split()]
    assert not [word for word in typed if word in cached]

"""Right-to-left leaflets read as a native reader reads them, checked from the glyphs on the page.

Nothing here asks the code that wrote the PDF: pdfminer reads glyph positions and their ToUnicode
text (ActualText ignored), and Pillow with libraqm sets the reference lines.
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from leaflets.paths import FONTS_DIR
from tests.conftest import run_generate
from tests.reading import ink_runs, page_reading, plain_words
from tests.test_languages import translated

RTL_LANGUAGES = ["ar"]
SHAPED_LANGUAGES = ["ar", "hi", "ur", "bn"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rtl")
    made = {}
    for name, options in {
        "ar": ["--lang", "ar"],
        "ar-large-contrast": ["--lang", "ar", "--large-print", "--high-contrast", "--paper", "letter"],
        "ar-for-you": ["--lang", "ar", "--patient-name", "محمد علي حسن", "--notes", "امش كل يوم 10 دقائق"],
        "hi": ["--lang", "hi"],
        "ur": ["--lang", "ur"],
        "bn": ["--lang", "bn"],
    }.items():
        out = folder / f"{name}.pdf"
        result = run_generate("build", *options, "--allow-overdue", "-o", str(out))
        assert result.returncode == 0, result.stderr
        made[name] = out
    return made


def reading(pdf: Path) -> str:
    pages = int(subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
                .stdout.split("Pages:")[1].split()[0])
    return " ".join(page_reading(pdf, page) for page in range(pages))


def filled(text: str) -> str:
    return text.replace("{{ brand.emergency_number }}", "999")


@pytest.mark.parametrize("variant", ["ar", "ar-large-contrast"])
def test_each_line_reads_from_its_right_edge(built, variant):
    """Title, emergency box, a paragraph of several lines, a tick-box item with its bold lead, footer."""
    text = reading(built[variant])
    arabic = translated("ar")
    for key in ("title", "emergency.title", "intro.paragraphs.1", "emergency.breathless.text"):
        assert plain_words(filled(arabic[key])) in text, key
    tick = f"{arabic['tips.start-gently.lead']} {arabic['tips.start-gently.text']}"
    assert plain_words(tick) in text, "tick-box item"
    if "large" in variant:  # two lines: broken between parts, without the separator at the break
        assert plain_words("VASC-DVT-001 · الإصدار 1.0") in text, "footer"
        assert plain_words("المراجعة قبل 1 نوفمبر 2028") in text, "footer"
        assert plain_words("VASC-DVT-001 · الإصدار 1.0 · المراجعة") not in text, "a separator at the break"
    else:
        assert plain_words("VASC-DVT-001 · الإصدار 1.0 · المراجعة قبل 1 نوفمبر 2028") in text, "footer"
    assert plain_words("صفحة 1 من") in text, "page number"


def test_the_for_you_box_reads_right_to_left(built):
    text = reading(built["ar-for-you"])
    assert "محمد علي حسن" in text
    assert plain_words("امش كل يوم 10 دقائق") in text, "numbers stay left to right inside Arabic"


@pytest.mark.parametrize("language", SHAPED_LANGUAGES)
def test_text_without_actualtext_has_no_private_use_characters(built, language):
    from pdfminer.high_level import extract_text
    text = extract_text(str(built[language]))
    private = sorted({c for c in text if 0xE000 <= ord(c) <= 0xF8FF})
    assert not private, f"{len(private)} private-use characters, e.g. {private[:5]}"
    assert len(text) > 5000


# --- against an independent renderer --------------------------------------------------------------

def _title_strip(pdf: Path, tmp_path: Path, dpi: int, height: int) -> Image.Image:
    """The title line as printed: `height` rows from its first inked row, under the header band."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png").convert("L")
    top = round(36 / 25.4 * dpi)  # the title starts under the header band, 38 mm down
    band = page.crop((0, top, page.width, top + round(16 / 25.4 * dpi)))
    pixels = band.load()
    first = next(y for y in range(band.height) if any(pixels[x, y] < 110 for x in range(band.width)))
    return band.crop((0, first, band.width, first + height))


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without libraqm: install libraqm0 and libfribidi0")
@pytest.mark.parametrize("language, font, direction", [
    ("ar", "NotoNaskhArabicLatin-Bold.ttf", "rtl"), ("hi", "NotoSansDevanagariLatin-Bold.ttf", "ltr")])
def test_title_words_match_an_independent_rendering(built, tmp_path, language, font, direction):
    """Pillow + libraqm sets the title in the same face and size; the word boxes, from the reading
    start, must have the same widths in the same order (a reversed line fails)."""
    dpi, size = 150, 23
    face = ImageFont.truetype(str(FONTS_DIR / font), round(size * dpi / 72), layout_engine=ImageFont.Layout.RAQM)
    title = translated(language)["title"]
    reference = Image.new("L", (round(8.5 * dpi), round(size * dpi / 72 * 2)), 255)
    ImageDraw.Draw(reference).text((10, 5), title, font=face, fill=0, direction=direction, language=language)
    reference = reference.crop(ImageChops.invert(reference).getbbox())
    strip = _title_strip(built[language], tmp_path, dpi, reference.height)
    gap = round(dpi * size / 72 * 0.18)  # a space, not the gap between two unjoined letters
    ours, theirs = ink_runs(strip, gap), ink_runs(reference, gap)
    widths = lambda runs: [end - start for start, end in (runs[::-1] if direction == "rtl" else runs)]
    assert len(ours) == len(theirs) == len(title.split()), (ours, theirs)
    for mine, other in zip(widths(ours), widths(theirs)):
        assert abs(mine - other) <= max(4, 0.08 * other), (widths(ours), widths(theirs))


def test_sources_in_an_arabic_leaflet_read_left_to_right(built):
    """Sources are cited in English as published: a web address must survive, to be typed in."""
    from pdfminer.high_level import extract_text  # glyphs in the order they stand on the line
    squeezed = "".join(extract_text(str(built["ar"])).split())
    assert "https://www.nhs.uk/conditions/deep-vein-thrombosis-dvt/" in squeezed
    assert "ACCPguidelines.CHEST,2012." in squeezed


def test_a_long_web_address_broken_over_lines_keeps_every_character(tmp_path):
    """The femoral leaflet cites a web address longer than a line: broken where it reaches the margin,
    its ':', '.' and digits still print as themselves, not as boxes."""
    from pdfminer.high_level import extract_text
    out = tmp_path / "femoral-ar.pdf"
    result = run_generate("build", "--lang", "ar", "--profile", "femoral", "--allow-overdue", "-o", str(out))
    assert result.returncode == 0, result.stderr
    squeezed = "".join(extract_text(str(out)).split())
    assert "https://www.mdedge.com/familymedicine/article/65235/cardiology/should-patients-acute-dvt-limit-activity" in squeezed


def test_punctuation_after_a_latin_word_in_urdu_keeps_its_place(tmp_path):
    """The Urdu 'written for' line joins two profile labels with an Arabic semicolon, the first ending
    "(... DVT)": after the Latin word, the closing bracket and the semicolon are right to left and carry
    no script, so they are set in display order by us, not left to HarfBuzz to guess. Read from the
    glyph positions: left of "DVT" comes the bracket, drawn mirrored ("("), then the semicolon."""
    from tests.reading import glyph_lines

    out = tmp_path / "ur.pdf"
    result = run_generate("build", "--lang", "ur", "--profile", "femoral", "--profile", "flyer", "--allow-overdue",
                          "-o", str(out))
    assert result.returncode == 0, result.stderr
    found = []
    for page in range(2):  # page 1, or the top of page 2 when the safety boxes fill page 1
        for line in glyph_lines(out, page):
            text = "".join(glyph for _, _, glyph in line)  # left to right
            if "DVT" in text and "\u061b" in text:
                found.append(text[:text.index("DVT")].rstrip()[-2:])
    assert found == ["\u061b("], found

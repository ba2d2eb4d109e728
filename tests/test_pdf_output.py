"""The built PDF, read back with pypdf and poppler: text, pages, fonts, metadata, outline, pixels."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import HANDOUTS, run_generate
from tests.pdfcheck import normalise, outline_titles, page_texts, pdffonts, pdfinfo, pdftotext, render_page

PROFILE_SETS = [(), ("calf",), ("femoral",), ("flyer",), ("femoral", "flyer"), ("calf", "flyer")]


def profile_args(profiles):
    return [arg for p in profiles for arg in ("--profile", p)]


def test_no_arguments_builds_the_default_leaflet_into_out(tmp_path):
    result = run_generate(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = tmp_path / "out" / "dvt-walking-default-en-a4.pdf"
    assert result.stdout.strip() == "out/dvt-walking-default-en-a4.pdf"
    assert expected.is_file()
    assert "Walking after a blood clot in the leg" in pdftotext(expected)


@pytest.mark.parametrize("paper, size", [("a4", (595.28, 841.89)), ("letter", (612.0, 792.0))])
def test_paper_sizes(built, paper, size):
    reader = PdfReader(built("--paper", paper))
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == size


def test_metadata_names_title_clinic_subject_and_language(built):
    pdf = built()
    info = pdfinfo(pdf)
    assert info["Title"] == "Walking after a blood clot in the leg"
    assert info["Author"] == "Riverside Example Hospital"
    assert info["Subject"].startswith("Deep vein thrombosis (DVT)")
    root = PdfReader(pdf).trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_fonts_are_embedded_truetype_subsets_not_standard_fonts(built):
    fonts = pdffonts(built())
    assert fonts, "no fonts found"
    for font in fonts:
        assert font["emb"] == "yes" and font["sub"] == "yes" and font["uni"] == "yes", font
        assert "AtkinsonHyperlegible" in font["name"]
        assert not re.search(r"Helvetica|Times|Courier|Symbol|ZapfDingbats", font["name"])


def test_body_text_is_at_least_11_points(built):
    runs: list[tuple[str, float]] = []
    for page in PdfReader(built()).pages:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append((text, round(size * tm[0], 1)))
                          if text.strip() else None)
    body = ["You have a blood clot in a deep vein", "Sudden shortness of breath.", "Damage to the inside of a vein",
            "Usually straight away.", "Begin with short walks"]
    for sentence in body:
        sizes = {size for text, size in runs if sentence in text}
        assert sizes and min(sizes) >= 11, (sentence, sizes)
    # Only small print may be smaller: running header and footer, page numbers, source notes
    # and the reference list.
    handout = yaml.safe_load((HANDOUTS / "dvt-walking" / "handout.yaml").read_text(encoding="utf-8"))
    references = " ".join(f"{s['text']} {s.get('url', '')}" for s in handout["sources"])
    references = " ".join(references.split())
    small_print = re.compile(r"^(VASC-DVT-001 · Version .*|Page \d+ of \d+|Sources: [\d, ]+|\d+\.|"
                             r"Riverside Example Hospital|Walking after a blood clot in the leg)$")
    for text, size in runs:
        text = " ".join(text.split())
        if size < 11 and text:
            assert small_print.match(text) or text in references, (text, size)


def test_outline_has_an_entry_for_every_section(built):
    titles = [normalise(title) for title in outline_titles(built())]  # a phone number's spaces do not break
    for title in ["Walking after a blood clot in the leg", "Get emergency help now: call 999",
                  "What can cause a clot in the leg?", "How walking helps", "Tips for walking safely",
                  "Call your care team: 020 7946 0321", "Questions people often ask",
                  "Sources", "Contact us", "About this leaflet"]:
        assert title in titles


def test_every_page_has_the_footer_and_page_x_of_y(built):
    pages = page_texts(built())
    assert 3 <= len(pages) <= 8
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "VASC-DVT-001 · Version 1.0 · Review by 1 November 2028" in text


def test_emergency_box_has_the_brand_emergency_number_and_lung_clot_signs(built):
    text = pdftotext(built())
    assert "Get emergency help now: call 999" in text
    for sign in ["Sudden shortness of breath", "Coughing up blood", "A fast heartbeat", "collapsing"]:
        assert sign in text
    assert "Call your care team: 020 7946 0321" in text
    assert "Keep taking your blood thinner" in text


def test_first_page_has_brand_band_and_a_visibly_distinct_emergency_box(built, tmp_path):
    image = render_page(built(), 1, tmp_path / "p1")
    width, height = image.size
    band = image.getpixel((width - 5, 5))
    assert band == (0x1F, 0x5C, 0x99)
    colours = image.getcolors(width * height)
    emergency_fill = sum(n for n, p in colours if abs(p[0] - 0xFD) < 4 and abs(p[1] - 0xEC) < 4 and abs(p[2] - 0xEA) < 4)
    emergency_border = sum(n for n, p in colours if p[0] > 150 and p[1] < 80 and p[2] < 80)
    assert emergency_fill > 0.04 * width * height, "the emergency box should be a large tinted area"
    assert emergency_border > 200, "the emergency box should have a strong red border"


def test_the_emergency_box_double_border_meets_at_its_corners(built, tmp_path):
    """Both lines of the emergency box's double border are closed frames: walking up from inside the box
    along its left edge, then along its top, each line is met twice (inner, outer), and the outer frame's
    top-left corner is inked (it was blank: each side's lines were drawn apart, the same length)."""
    pdf, dpi = built(), 300
    layout = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout
    x, y = (float(v) * dpi / 72 for v in re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>EMERGENCY<', layout).groups())
    image = render_page(pdf, 1, tmp_path / "p1", dpi)

    def red(px, py):
        r, g, b = image.getpixel((px, py))
        return r > 140 and g < 90 and b < 90

    def runs(points):
        """The red lines crossed along `points`, as (first, last) indexes, in order."""
        found, start = [], None
        for index, point in enumerate(points):
            if red(*point) and start is None:
                start = index
            elif not red(*point) and start is not None:
                found.append((start, index - 1))
                start = None
        return found

    row = round(y) - 12   # above the badge's letters, inside the box
    left = runs([(px, row) for px in range(round(x) - 30, round(x) - 230, -1)])   # leftwards: inner, outer
    assert len(left) >= 2, left
    outer_x = round(x) - 30 - left[1][1]
    column = outer_x + 60  # inside the box, right of both left lines
    up = runs([(column, py) for py in range(row, row - 200, -1)])   # upwards: inner, outer
    assert len(up) >= 2, up
    outer_y = row - up[1][1]
    assert red(outer_x + 1, outer_y + 1), "the outer lines of the double border do not meet at the top-left corner"


def test_checklist_prints_one_tick_box_per_tip(built):
    # A tick box is a stroked square of 5 mm (14.17 pt): count them in the content streams.
    reader = PdfReader(built())
    squares = 0
    for page in reader.pages:
        stream = page.get_contents().get_data().decode("latin-1")
        squares += len(re.findall(r"0 0 14\.17323 14\.17323 re S", stream))
    assert squares == 6


def test_faq_items_never_split_across_pages(built):
    for profiles in PROFILE_SETS:
        for paper in ("a4", "letter"):
            pages = page_texts(built("--paper", paper, *profile_args(profiles)))
            for question, answer_end in [
                ("How soon can I start walking?", "a clot in the lung."),
                ("My calf hurts when I walk. Should I stop?", "call 999."),
                ("Can I climb stairs?", "what is right for you."),
                ("Can I go running or play sport?", "can tell you when."),
                ("Can I fly after a DVT?", "as your care team advises."),
            ]:
                on = [i for i, text in enumerate(pages) if question in text]
                assert on, (question, profiles, paper)
                assert answer_end in pages[on[0]], f"{question!r} split across pages ({profiles}, {paper})"


def test_content_covers_every_part_of_the_article(built):
    text = pdftotext(built())
    for heading in ["About this leaflet", "What is a blood clot?", "What can cause a clot in the leg?",
                    "How walking helps", "Are there any risks?", "Tips for walking safely",
                    "Questions people often ask", "The main points", "Sources"]:
        assert heading in text
    causes = ["Injury to a vein", "Sitting still for a long time", "Pregnancy",
              "The contraceptive pill or hormone treatment", "Being overweight", "Family history",
              "Cancer and its treatment", "Smoking", "Heart disease", "Inflamed or varicose veins"]
    for cause in causes:
        assert cause in text, cause
    assert "NICE guideline NG158" in text and "https://doi.org/10.1371/journal.pone.0121388" in text


def test_outdated_claims_of_the_article_are_not_repeated(built):
    text = pdftotext(built(*profile_args(("calf", "femoral", "flyer")))).lower()
    for claim in ["clot hardening", "self-administered", "speeds up natural clot breakdown",
                  "strict rest", "discourage clot spread", "1-3 days"]:
        assert claim not in text
    assert "walking does not dissolve the clot" in text


def test_same_inputs_give_byte_identical_pdfs(tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    args = ["--profile", "femoral", "--profile", "flyer", "--patient-name", "Sam Example"]
    assert run_generate("build", *args, "-o", str(first)).returncode == 0
    assert run_generate("build", *args, "-o", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    info = PdfReader(first).metadata
    assert str(info["/CreationDate"]).startswith("D:20000101000000"), "no wall-clock date may be written"
    assert str(info["/ModDate"]).startswith("D:20000101000000")


@pytest.mark.parametrize("language", ["en", "ar", "zh-Hans", "ur"])
def test_a_wrapped_footer_breaks_between_its_parts_without_a_separator_left_at_a_line_end(tmp_path, language):
    """Large print wraps the footer onto two lines: each line holds whole parts ("Version 1.0", the review
    date), and the " · " between two parts is left out where the line breaks, never left dangling."""
    out = tmp_path / f"{language}.pdf"
    result = run_generate("build", "--large-print", "--lang", language, "-o", str(out))
    assert result.returncode == 0, result.stderr
    layout = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox-layout", str(out), "-"], capture_output=True,
                            text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', layout).group(1))
    words = [(float(y), text) for y, text in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>', layout)
             if float(y) > height - 30 * 72 / 25.4]               # the footer's zone, under the last body text
    if language not in ("ar", "ur"):  # right to left, poppler reads the footer's ActualText: one span, no rows
        rows = {round(y) for y, text in words if "VASC" in text or "2028" in text}
        assert len(rows) == 2, words                             # the footer is on two lines: parts 1-2, then 3
    # three parts on two lines: one separator between the two parts that share a line, none at the break
    assert sum(text.count("·") for _, text in words) == 1, words

"""The renderer sets a paragraph it has met before from its caches: nothing is parsed, shaped or
broken into lines twice; and its short paths give what the long ones give. (Whether that keeps the
bytes is tests/test_output_identity.py's job; how much time it saves is benchmarks/bench.py's.)"""

import unicodedata

import pytest
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paraparser import ParaParser

from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
from leaflets.render.pdf import forget_cached_text, lines, render_pdf


@pytest.mark.parametrize("language", ["en", "ar", "hi", "zh-Hans"])
def test_the_same_leaflet_again_is_set_from_the_caches(monkeypatch, language):
    leaflet = resolve_request(open_library().load("dvt-walking"),
                              LeafletRequest("dvt-walking", ("femoral", "flyer"), language, allow_overdue=True),
                              open_brand())
    forget_cached_text()
    render_pdf(leaflet, "a4")
    calls = {"break": 0, "parse": 0, "shape": 0}

    def counted(name, function):
        def call(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return call

    monkeypatch.setattr(rl_paragraph.Paragraph, "breakLines", counted("break", rl_paragraph.Paragraph.breakLines))
    monkeypatch.setattr(rl_paragraph.Paragraph, "breakLinesCJK", counted("break", rl_paragraph.Paragraph.breakLinesCJK))
    monkeypatch.setattr(ParaParser, "parse", counted("parse", ParaParser.parse))
    monkeypatch.setattr(lines, "_reportlab_shape", counted("shape", lines._reportlab_shape))
    render_pdf(leaflet, "a4")
    assert calls == {"break": 0, "parse": 0, "shape": 0}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_tagging_pass_keeps_the_streams_reportlab_deflated(monkeypatch, language):
    """qpdf would inflate and deflate every stream again if ReportLab's were ASCII85-wrapped or named
    their filter in an array; the page contents and font files of the finished PDF are ReportLab's own."""
    import io

    import pikepdf

    from leaflets.render import tagging

    leaflet = resolve_request(open_library().load("dvt-walking"),
                              LeafletRequest("dvt-walking", ("femoral", "flyer"), language, allow_overdue=True),
                              open_brand())
    written = []
    finish = tagging.Tagger.finish
    monkeypatch.setattr(tagging.Tagger, "finish", lambda self, data, title: (written.append(data), finish(self, data, title))[1])
    final = render_pdf(leaflet, "a4").data

    def deflated(data):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            page = pdf.pages[0].obj
            fonts = [font.FontDescriptor.FontFile2 for font in page.Resources.Font.values()
                     if "/FontDescriptor" in font and "/FontFile2" in font.FontDescriptor]
            return [page.Contents.read_raw_bytes(), *(f.read_raw_bytes() for f in fonts)]

    streams = deflated(final)
    assert len(streams) > 1 and streams == deflated(written[0])


def test_a_stream_with_one_filter_names_it_and_one_with_two_keeps_its_array():
    """ReportLab names a stream's one filter in an array, [ /FlateDecode ]; the file names it alone,
    which qpdf copies as it is, and which says the same: its bytes inflate to the content."""
    import zlib

    from reportlab.pdfbase import pdfdoc

    import leaflets.render.pdf.filewriting  # noqa: F401  (ReportLab's file writing, as the leaflets have it)

    doc = pdfdoc.PDFDocument()
    one = pdfdoc.PDFStream(content=b"0 0 m 10 10 l S", filters=[pdfdoc.PDFZCompress]).format(doc)
    two = pdfdoc.PDFStream(content=b"0 0 m 10 10 l S", filters=[pdfdoc.PDFBase85Encode, pdfdoc.PDFZCompress]).format(doc)
    head, _, rest = one.partition(b"\nstream\n")
    assert b"/Filter /FlateDecode" in head and b"[" not in head
    assert zlib.decompress(rest[:-len(b"endstream\n")]) == b"0 0 m 10 10 l S"
    assert b"/Filter [ /ASCII85Decode /FlateDecode ]" in two


def _leaflet(language, patient=None):
    from leaflets.leaflet import PatientDetails

    return resolve_request(open_library().load("dvt-walking"),
                           LeafletRequest("dvt-walking", ("femoral", "flyer"), language, allow_overdue=True,
                                          patient=patient or PatientDetails()),
                           open_brand())


def _cut_and_deflated(monkeypatch):
    """Counts of font subsets cut out of a font file and of font subsets deflated, from here on."""
    from reportlab.pdfbase import pdfdoc

    from leaflets.render.pdf import fontfiles

    calls = {"cut": 0, "deflated": 0}
    cut = fontfiles._reportlab_make_subset

    def counted_cut(face, subset):
        calls["cut"] += 1
        return cut(face, subset)

    deflate = pdfdoc.PDFZCompress.encode

    def counted_deflate(content):
        if content[:4] in (b"\x00\x01\x00\x00", b"true"):   # a TrueType font program
            calls["deflated"] += 1
        return deflate(content)

    monkeypatch.setattr(fontfiles, "_reportlab_make_subset", counted_cut)
    monkeypatch.setattr(pdfdoc.PDFZCompress, "encode", counted_deflate)
    return calls


@pytest.mark.parametrize("language", ["en", "ar", "zh-Hans"])
def test_the_same_leaflet_again_embeds_the_font_subsets_it_cut_before(monkeypatch, language):
    leaflet = _leaflet(language)
    forget_cached_text()
    calls = _cut_and_deflated(monkeypatch)
    first = render_pdf(leaflet, "a4").data
    assert calls["cut"] >= 2 and calls["deflated"] == calls["cut"]
    calls.update(cut=0, deflated=0)
    assert render_pdf(leaflet, "a4").data == first
    assert calls == {"cut": 0, "deflated": 0}


def test_a_leaflet_with_patient_details_keeps_no_font_subset(monkeypatch):
    """A subset lists the letters of the text it serves, a patient's name among them: it is cut
    afresh each time and never kept."""
    from leaflets.leaflet import PatientDetails
    from leaflets.render.pdf import filewriting, fontfiles

    leaflet = _leaflet("en", PatientDetails(name="Zofia Quill", follow_up="Clinic 4"))
    forget_cached_text()
    calls = _cut_and_deflated(monkeypatch)
    render_pdf(leaflet, "a4")
    def kept_font_programs():
        return [k for k in filewriting._deflated if k[:4] in (b"\x00\x01\x00\x00", b"true")]

    assert not fontfiles._subsets and not kept_font_programs()
    cut_first = calls["cut"]
    render_pdf(leaflet, "a4")
    assert cut_first >= 2 and calls["cut"] == 2 * cut_first
    assert not fontfiles._subsets and not kept_font_programs()


def test_a_style_is_known_by_its_values_even_when_changed_after_use():
    """Parsed markup is kept by text and style number: two styles with the same values share a number,
    and a style changed after a paragraph used it gets another (its old paragraphs' parse must not serve it)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    from leaflets.render.pdf.flowables import SpokenParagraph, _style_number

    one = ParagraphStyle("one", fontName="Helvetica", textColor=colors.black)
    twin = ParagraphStyle("twin", fontName="Helvetica", textColor=colors.Color(0, 0, 0))
    assert _style_number(one) == _style_number(twin) == _style_number(one)
    before = SpokenParagraph("Walk <b>every</b> day", one)
    one.textColor = colors.red
    assert _style_number(one) != _style_number(twin)
    after = SpokenParagraph("Walk <b>every</b> day", one)
    assert {f.textColor for f in before.frags} == {colors.black}
    assert {f.textColor for f in after.frags} == {colors.red}


def test_the_draft_mark_is_deflated_once_for_every_document(monkeypatch):
    """The DRAFT mark's outlines are the same in every draft on one paper: the next leaflet embeds the
    bytes deflated for the first, whatever its text (here another profile)."""
    import io

    import pikepdf
    from reportlab.pdfbase import pdfdoc

    first = _leaflet("en")
    assert first.watermark, "the handout is no longer a draft: test with a draft handout"
    with pikepdf.open(io.BytesIO(render_pdf(first, "a4").data)) as pdf:
        mark = pdf.pages[0].Resources.XObject["/FormXob.DraftMark"].read_bytes()
    deflated = []
    encode = pdfdoc.PDFZCompress.encode
    monkeypatch.setattr(pdfdoc.PDFZCompress, "encode", lambda content: (deflated.append(content), encode(content))[1])
    other = resolve_request(open_library().load("dvt-walking"),
                            LeafletRequest("dvt-walking", ("calf",), "en", allow_overdue=True), open_brand())
    with pikepdf.open(io.BytesIO(render_pdf(other, "a4").data)) as pdf:
        assert pdf.pages[0].Resources.XObject["/FormXob.DraftMark"].read_bytes() == mark
    assert deflated and mark not in deflated


def test_plain_ascii_is_encoded_as_reportlabs_pdfdoc_codec_does():
    """The short path for ASCII gives the codec's bytes, and leaves to the codec what it refuses."""
    from leaflets.render.pdf.filewriting import _pdfdoc_enc, _reportlab_pdfdoc_enc

    def encoded(function, text):
        try:
            return function(text)
        except UnicodeEncodeError:
            return "refused"

    samples = [chr(code) for code in range(256)] + ["", "/FormXob.DraftMark", "0 0 m 10 10 l S\n",
                                                     "caf\u00e9", "a\x19b", "\u2013 dash", "\u2022", "tab\there"]
    for text in samples:
        assert encoded(_pdfdoc_enc, text) == encoded(_reportlab_pdfdoc_enc, text), repr(text)
    assert encoded(_pdfdoc_enc, "\x18") == "refused" and _pdfdoc_enc(b"bytes") == b"bytes"


def test_a_paragraph_in_one_direction_gets_the_levels_of_the_full_algorithm():
    """levels() answers a text without letters of the other direction, numbers or embeddings at once;
    for every text of every translation, and some made to sit on the edge, at both paragraph levels,
    its answer is python-bidi's full algorithm's (leaflets.bidi._resolved)."""
    from leaflets.bidi import _ONE_DIRECTION, _resolved, levels
    from leaflets.leaflet import texts

    loaded, clinic = open_library().load("dvt-walking"), open_brand()
    samples = ["", " ", "مرحبا، كيف حالك؟ ", "«امش» كل يوم.", "ساق (الربلة) - تورم", "\u0651\u0645", "a،b",
               "امش 10 دقائق", "Riverside، المستشفى", "\u202bنص\u202c", "\u200fنص", "نص\u200e", "% $ # +",
               "پاؤں میں درد ہو تو رکیں۔", "Walk (every) day, slowly."]
    for language in loaded.languages:
        leaflet = resolve_request(loaded, LeafletRequest("dvt-walking", ("femoral", "flyer"), language,
                                                         allow_overdue=True), clinic)
        samples += [text for _, text in texts(leaflet) if text]
    short = 0
    for text in samples:
        for base in (0, 1):
            expected = [char["level"] for char in _resolved(text, base)["chars"]]
            assert levels(text, base) == expected, (text, base)
            short += _ONE_DIRECTION[base].issuperset(map(unicodedata.bidirectional, set(text)))
    assert short > 100   # the short path was taken, and agreed

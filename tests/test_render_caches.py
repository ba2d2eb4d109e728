"""The renderer sets a paragraph it has met before from its caches: nothing is parsed, shaped or
broken into lines twice. (Whether that keeps the bytes is tests/test_output_identity.py's job;
how much time it saves is benchmarks/bench.py's.)"""

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


def test_a_one_filter_array_becomes_a_name_with_its_parameters():
    """A stream's one filter named in an array (as ReportLab writes it) becomes a name, and a
    one-element /DecodeParms array its dictionary: a name's parameters may not be an array."""
    import zlib

    import pikepdf

    from leaflets.render.tagging import _flate_as_written

    pdf = pikepdf.new()
    stream = pdf.make_stream(zlib.compress(b"0 0 m 10 10 l S"), Filter=pikepdf.Array([pikepdf.Name.FlateDecode]),
                             DecodeParms=pikepdf.Array([pikepdf.Dictionary(Columns=1)]))
    kept = pdf.make_stream(b"xyz", Filter=pikepdf.Array([pikepdf.Name.ASCIIHexDecode, pikepdf.Name.FlateDecode]))
    _flate_as_written(pdf)
    assert stream.Filter == pikepdf.Name.FlateDecode and stream.DecodeParms == pikepdf.Dictionary(Columns=1)
    assert stream.read_bytes() == b"0 0 m 10 10 l S"
    assert len(kept.Filter) == 2

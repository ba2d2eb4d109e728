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

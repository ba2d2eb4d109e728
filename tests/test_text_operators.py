"""Shaped glyphs are written as ReportLab writes them: render/pdf/textops.py replaces ReportLab's
`_formatText` for shaped strings, and must give the same operators, string for string."""

import pytest
from reportlab.pdfgen.textobject import PDFTextObject

from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
from leaflets.render.pdf import PrintOptions, render_pdf, textops


@pytest.mark.parametrize("language", ["ar", "hi", "ur", "bn"])
def test_shaped_text_operators_are_reportlabs(monkeypatch, language):
    compared = []

    def both(self, text):
        before = (self._rise, self._curSubset, self._x, self._y, list(self._code))
        theirs = textops.reportlab_format_text(self, text)
        after = (self._rise, self._curSubset, self._x, self._y, list(self._code))
        self._rise, self._curSubset, self._x, self._y, self._code = before
        ours = textops.format_text(self, text)
        assert (ours, (self._rise, self._curSubset, self._x, self._y, list(self._code))) == (theirs, after), text
        compared.append(hasattr(text, "__shapeData__"))
        return ours

    monkeypatch.setattr(PDFTextObject, "_formatText", both)
    library = open_library().load("dvt-walking")
    for options in (PrintOptions(), PrintOptions(large_print=True)):
        request = LeafletRequest("dvt-walking", ("femoral", "flyer"), language, allow_overdue=True, print_options=options)
        render_pdf(resolve_request(library, request, open_brand()), "a4", options)
    assert sum(compared) > 200

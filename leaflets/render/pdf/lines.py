"""Text as ReportLab draws it: paragraph markup with fallback faces, PDF text strings, line-breaking rules.

Everything that decides which characters go on a line, in which face and in
which order lives here, so scripts are set in one place.
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph as _paragraph_module

from ...fonts import BIDI_CONTROLS, FontSet, draws, face_for
from ...leaflet import Entry

# Chinese line breaking: ReportLab's table of characters that may not start a line is the Japanese
# one; Chinese also never starts a line with these full-width marks (W3C clreq, GB/T 15834).
_paragraph_module.ALL_CANNOT_START += "\uff0c\uff1a\uff1b\uff1f\uff01\u201d\u2019\u300b\u3009\u2026\u2014"

# ReportLab 5.1 reads the last operator of a text object before raising a shaped glyph (an Arabic
# mark with a vertical offset), and fails when the text object has none yet; an empty one is harmless.
_set_rise = PDFTextObject.setRise


def _safe_set_rise(self, rise):
    if not self._code:
        self._code.append("")
    _set_rise(self, rise)


PDFTextObject.setRise = _safe_set_rise


@lru_cache(maxsize=8192)
def markup(text: str, fonts: FontSet) -> str:
    """Plain text made safe for ReportLab's paragraph markup (<, & and > print as themselves), with
    runs the main face cannot draw set in a fallback face; spaces and punctuation stay in their run."""
    parts: list[str] = []
    current, run = fonts.regular, ""
    for char in text:
        face = face_for(char, fonts) or fonts.regular
        if face != current and not (draws(current, char) and not char.isalpha()):
            parts.append(_run(run, current, fonts))
            current, run = face, ""
        run += char
    parts.append(_run(run, current, fonts))
    return "".join(parts).replace("\n", "<br/>")


def plain(entry: Entry) -> str:
    return f"{entry.lead} {entry.text}" if entry.lead else entry.text


def _run(text: str, face: str, fonts: FontSet) -> str:
    if not text:
        return ""
    return escape(text) if face == fonts.regular else f'<font face="{face}">{escape(text)}</font>'


def pdf_text(text: str) -> str:
    """A PDF text string (UTF-16BE, hex) without bidi control characters."""
    clean = "".join(c for c in text if c not in BIDI_CONTROLS)
    return "<FEFF" + clean.encode("utf-16-be").hex().upper() + ">"

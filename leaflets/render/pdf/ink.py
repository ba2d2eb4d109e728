"""How far a text's letters reach above and below its baseline, read from the font's glyph outlines.

ReportLab sets a paragraph's first baseline one font size below its top, and leaves the leading
less the font size under its last one. Latin letters stay within those lines; Nastaliq letters
climb up to twice the type size (each word cascades down to the baseline from above it) and
Arabic and Devanagari descend further, so the first or last line of a box or table cell would
cross its border unless the cell keeps room for them (`TaggedTable` asks `reach`).
"""

from __future__ import annotations

from functools import lru_cache

import uharfbuzz
from reportlab.pdfbase import pdfmetrics

from ... import fonts
from .textcache import TextCache

# By face and text (content only: a patient's details are measured afresh and never kept).
_reaches = TextCache("ink reaches", 5_000)


def reach(font_name: str, text: str, keep: bool = True) -> tuple[float, float]:
    """How far the shaped text's ink reaches above and below its baseline, in ems."""
    if _face(font_name) is None:
        return bounds(font_name)
    key = (font_name, text)
    known = _reaches.get(key) if keep else None
    if known is None:
        known = _measured(font_name, text)
        if keep:
            _reaches.put(key, known)
    return known


def bounds(font_name: str) -> tuple[float, float]:
    """The font's tallest and deepest glyph (head.yMax, -head.yMin) in ems: no text in it reaches further.
    A font not shipped here (one of PDF's standard fonts) has ReportLab's ascent and descent."""
    known = _face(font_name)
    if known is None:
        ascent, descent = pdfmetrics.getAscentDescent(font_name, 1)
        return ascent, -descent
    return known[1]


def _measured(font_name: str, text: str) -> tuple[float, float]:
    font, _ = _face(font_name)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer)
    top = bottom = 0
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions):
        extents = font.get_glyph_extents(info.codepoint)
        if extents is not None and extents.height:
            top = max(top, position.y_offset + extents.y_bearing)
            bottom = min(bottom, position.y_offset + extents.y_bearing + extents.height)
    return top / font.face.upem, -bottom / font.face.upem


@lru_cache(maxsize=32)
def _face(font_name: str) -> tuple[uharfbuzz.Font, tuple[float, float]] | None:
    try:
        path = fonts.font_file_of(font_name)
    except StopIteration:  # not one of the families in fonts.py
        return None
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)))
    head = face.reference_table("head").data
    y_min, y_max = (int.from_bytes(head[at:at + 2], "big", signed=True) for at in (38, 42))
    return uharfbuzz.Font(face), (y_max / face.upem, -y_min / face.upem)

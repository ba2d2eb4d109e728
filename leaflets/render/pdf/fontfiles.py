"""Font subsets embedded before, kept for the next document that embeds the same glyphs.

For every document ReportLab cuts each font subset (up to 256 glyphs, in the order the text first
used them) out of the font file and deflates it. The same leaflet again, the same leaflet on other
paper, or another whose text first meets the same glyphs in the same order, embeds the same bytes:
cutting and deflating them is about a sixth of an Arabic, Hindi or Chinese leaflet's time
(benchmarks/phases.py, "file writing"). A subset lists the letters of the text it serves, so a document with patient details
neither reads nor fills these caches (`keeping_subsets(False)`).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase import ttfonts as _ttfonts

from .filewriting import DEFLATED_ONCE
from .textcache import TextCache

_keeping: ContextVar[bool] = ContextVar("keeping font subsets", default=False)
# A subset is some 30 KB; the Chinese and Arabic leaflets of the default matrix make 28 of them: the
# limit holds a clinic's languages many times over, in 12 MB at most (deflated: filewriting).
_subsets = TextCache("font subsets", 400)            # by face and character codes

_reportlab_make_subset = _ttfonts.TTFontFace.makeSubset
_reportlab_add_subset_objects = _ttfonts.TTFontFace.addSubsetObjects


@contextmanager
def keeping_subsets(keep: bool) -> Iterator[None]:
    """Inside this block, font subsets are taken from and put into the caches when `keep` is true."""
    token = _keeping.set(keep)
    try:
        yield
    finally:
        _keeping.reset(token)


def _make_subset(self, subset):
    if not _keeping.get():
        return _reportlab_make_subset(self, subset)
    key = (self, tuple(subset))  # the face itself: a synthetic bold face shares its file with the regular
    known = _subsets.get(key)
    # The same bytes object each time: its hash, the key of its deflated form, is computed once.
    return known if known is not None else _subsets.put(key, _reportlab_make_subset(self, subset))


def _add_subset_objects(self, doc, fontname, subset):
    reference = _reportlab_add_subset_objects(self, doc, fontname, subset)
    if _keeping.get():
        stream = doc.idToObject["fontFile:%s(%s)" % (self.filename, fontname)]
        if stream.filters == [pdfdoc.PDFZCompress]:
            stream.filters = [DEFLATED_ONCE]
    return reference


_ttfonts.TTFontFace.makeSubset = _make_subset
_ttfonts.TTFontFace.addSubsetObjects = _add_subset_objects

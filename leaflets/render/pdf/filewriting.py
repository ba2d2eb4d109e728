"""ReportLab's writing of the PDF file, with shorter paths to the same bytes.

`DEFLATED_ONCE` deflates the same bytes once per process: font subsets (see `fontfiles`) and the
DRAFT mark's drawing (see `page`), which recur from document to document. Never a page's own content,
which may show a patient's details. `pdfdocEnc` is ReportLab's, with plain ASCII encoded at C speed.
A stream's one filter is written as a name, so that qpdf copies the stream as it is (`_one_filter_named`).
tests/test_output_identity.py holds every leaflet to the bytes it had before.
"""

from __future__ import annotations

import re
import zlib

from reportlab.pdfbase import pdfdoc

from .textcache import TextCache

# A font subset is some 30 KB (20 KB deflated), the DRAFT mark 18 KB; the Chinese and Arabic leaflets
# of the default matrix make 28 subsets: the limit holds a clinic's languages many times over.
_deflated = TextCache("deflated font subsets and marks", 400)   # by the bytes before deflating


class _DeflatedOnce:
    """ReportLab's Flate filter (the same zlib call, so the same bytes), each content deflated once."""

    pdfname = pdfdoc.PDFZCompress.pdfname

    @staticmethod
    def encode(content: bytes) -> bytes:
        known = _deflated.get(content)
        return known if known is not None else _deflated.put(content, pdfdoc.PDFZCompress.encode(content))

    decode = staticmethod(zlib.decompress)


DEFLATED_ONCE = _DeflatedOnce()

_reportlab_pdfdoc_enc = pdfdoc.pdfdocEnc
# ASCII characters that PDFDocEncoding gives to other characters (breve, caron ... at 0x18-0x1F):
# ReportLab's codec refuses them, and so does this path, by leaving them to the codec.
_NOT_PLAIN = re.compile("[\x18-\x1f]")


def _pdfdoc_enc(text):
    """ReportLab's pdfdocEnc: its codec maps in Python, 0.3 microseconds for a name and 15 for each
    kilobyte; the DRAFT mark's drawing and some 900 names and numbers per leaflet are plain ASCII,
    which PDFDocEncoding leaves as it is (about half a millisecond a leaflet)."""
    if isinstance(text, str) and text.isascii() and not _NOT_PLAIN.search(text):
        return text.encode("ascii")
    return _reportlab_pdfdoc_enc(text)


pdfdoc.pdfdocEnc = _pdfdoc_enc


_reportlab_stream_format = pdfdoc.PDFStream.format
_ONE_FILTER = re.compile(rb"/Filter \[ (/\w+) \]")


def _one_filter_named(self, document) -> bytes:
    """ReportLab's stream, its one filter written as a name: /Filter /FlateDecode, not [ /FlateDecode ].
    qpdf copies a Flate stream as it is only when its /Filter is a name; given an array, it inflates and
    deflates the stream again into the same bytes at the same zlib level (half of the tagging pass in
    Arabic, Hindi or Chinese). ReportLab writes no /DecodeParms, which would have to change with it."""
    written = _reportlab_stream_format(self, document)
    end = written.index(b"\nstream\n")
    return _ONE_FILTER.sub(rb"/Filter \1", written[:end], count=1) + written[end:]


pdfdoc.PDFStream.format = _one_filter_named

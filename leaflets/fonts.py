"""Register the leaflet typeface with ReportLab, once per process.

Atkinson Hyperlegible was drawn by the Braille Institute for readers with
low vision (SIL Open Font License, shipped in leaflets/fonts/). TrueType
fonts are embedded as subsets, so a leaflet never depends on the reader's
fonts or on the 14 standard PDF fonts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from threading import Lock

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .errors import LeafletError
from .leaflet import PRIVATE
from .paths import FONTS_DIR


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    bold_italic: str


ATKINSON = FontSet("AtkinsonHyperlegible", "AtkinsonHyperlegible-Bold",
                   "AtkinsonHyperlegible-Italic", "AtkinsonHyperlegible-BoldItalic")
_FILES = {
    ATKINSON.regular: "AtkinsonHyperlegible-Regular.ttf",
    ATKINSON.bold: "AtkinsonHyperlegible-Bold.ttf",
    ATKINSON.italic: "AtkinsonHyperlegible-Italic.ttf",
    ATKINSON.bold_italic: "AtkinsonHyperlegible-BoldItalic.ttf",
}
_lock = Lock()
_registered = False


def leaflet_fonts() -> FontSet:
    """The font set for leaflets, registered on first use."""
    global _registered
    with _lock:
        if not _registered:
            for name, file in _FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / file)))
            fonts = ATKINSON
            for bold, italic, name in ((0, 0, fonts.regular), (1, 0, fonts.bold),
                                       (0, 1, fonts.italic), (1, 1, fonts.bold_italic)):
                addMapping(fonts.regular, bold, italic, name)
            _registered = True
    return ATKINSON


def font_file_of(name: str) -> Path:
    return FONTS_DIR / _FILES[name]


def check_coverage(strings, fonts: FontSet) -> None:
    """Fail before rendering if any character has no glyph: never a blank box in a leaflet.

    strings: (where, text) pairs. Both regular and bold faces are checked,
    since headings and labels use bold.
    """
    covered = _covered(fonts)
    for where, text in strings:
        missing = set(text) - covered
        if not missing:
            continue
        if where.startswith(PRIVATE):  # never echo what was typed about a patient
            raise LeafletError(
                f"{where.removeprefix(PRIVATE)} contains a character the leaflet's font cannot print",
                hint="type it with the letters of the leaflet's language, or leave it blank")
        char = next(c for c in text if c in missing)
        raise LeafletError(
            f"the character '{char}' (U+{ord(char):04X}) in {where} cannot be printed "
            f"with the leaflet's font, {fonts.regular}",
            hint="remove or replace the character; other scripts need a leaflet in that language")


@lru_cache(maxsize=8)
def _covered(fonts: FontSet) -> frozenset[str]:
    """Characters every face of the set can draw, plus the line breaks and tabs we lay out ourselves."""
    faces = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in (fonts.regular, fonts.bold)]
    return frozenset(chr(code) for code in set.intersection(*faces)) | {"\n", "\t"}

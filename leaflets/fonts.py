"""Typefaces for every script a leaflet is written in, registered with ReportLab once per process.

Latin-script leaflets are set in Atkinson Hyperlegible, drawn by the Braille
Institute for readers with low vision. Other scripts use Noto (Arabic, Urdu
Nastaliq, Devanagari, Bengali; Noto Sans for Vietnamese and Russian), Droid
Sans Fallback for Chinese and a NanumGothic subset for Korean, all with
TrueType outlines, which ReportLab can subset. Characters the main
face lacks (a clinic's Latin name in an Arabic leaflet) are set in the
set's fallback faces. Fonts are embedded as subsets; see fonts/README.md.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from threading import Lock

import uharfbuzz
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .errors import LeafletError
from .leaflet import PRIVATE
from .paths import FONTS_DIR


@dataclass(frozen=True)
class Family:
    regular: str
    bold: str
    italic: str
    bold_italic: str


# name: (regular, bold, italic, bold italic) files; a missing style reuses the nearest one.
_FAMILIES = {
    "AtkinsonHyperlegible": ("AtkinsonHyperlegible-Regular.ttf", "AtkinsonHyperlegible-Bold.ttf",
                             "AtkinsonHyperlegible-Italic.ttf", "AtkinsonHyperlegible-BoldItalic.ttf"),
    "NotoSans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", None, None),
    # Noto Naskh Arabic and Noto Sans Devanagari merged with Noto Sans: a word such as "(DVT)" or
    # "(مميّع" mixes scripts, and ReportLab shapes each word with one font (fontTools.merge,
    # see fonts/README.md).
    "NotoNaskhArabicLatin": ("NotoNaskhArabicLatin-Regular.ttf", "NotoNaskhArabicLatin-Bold.ttf", None, None),
    "NotoSansDevanagariLatin": ("NotoSansDevanagariLatin-Regular.ttf", "NotoSansDevanagariLatin-Bold.ttf", None, None),
    # Nastaliq, the style Urdu readers expect; Bengali. Both merged with Latin from Noto Sans, like the above.
    "NotoNastaliqUrduLatin": ("NotoNastaliqUrduLatin-Regular.ttf", "NotoNastaliqUrduLatin-Bold.ttf", None, None),
    "NotoSansBengaliLatin": ("NotoSansBengaliLatin-Regular.ttf", "NotoSansBengaliLatin-Bold.ttf", None, None),
    # Hangul, with a bold face: a subset of NanumGothic, renamed as its licence asks of a modified version.
    "LeafletsGothicKR": ("LeafletsGothicKR-Regular.ttf", "LeafletsGothicKR-Bold.ttf", None, None),
    "DroidSansFallback": ("DroidSansFallbackFull.ttf", None, None, None),
}
_STYLES = ("", "-Bold", "-Italic", "-BoldItalic")


@dataclass(frozen=True)
class FontSet:
    """The faces and text direction of one language's leaflets."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallback: tuple[str, ...] = ()   # family names tried, in order, for characters the main face lacks
    rtl: bool = False                # right to left: lines ordered by the bidi algorithm, layout mirrored
    shaping: bool = False            # HarfBuzz shaping: joined Arabic, Devanagari conjuncts
    cjk: bool = False                # lines may break between any two characters, with kinsoku rules
    leading: float = 1.0             # extra line spacing, for scripts taller than Latin (Nastaliq)
    tight_leading: float = 1.0       # the same where page 1 sets its safety boxes closer
    latin: str | None = None         # the face for runs of Latin letters and digits, where the main
                                     # face's own space and digits do not suit them (Nastaliq's)

    @property
    def family(self) -> str:
        return self.regular

    @property
    def latin_face(self) -> str:
        """The face for a whole text in Latin letters (an English source in an Arabic leaflet): Noto Sans
        beside every shaped script, whose merged faces carry their own digits and punctuation."""
        return self.latin or (self.fallback[0] if self.shaping and self.fallback else self.regular)


# Language (its first subtag) -> main family, fallbacks and how the script is set.
_SCRIPTS = {
    "ar": ("NotoNaskhArabicLatin", ("NotoSans",), dict(rtl=True, shaping=True)),
    "hi": ("NotoSansDevanagariLatin", ("NotoSans",), dict(shaping=True)),
    "zh": ("DroidSansFallback", ("AtkinsonHyperlegible", "NotoSans"), dict(cjk=True)),
    # Nastaliq cascades each word down to the baseline, with tall letters and deep descenders: lines
    # 1.5 times further apart than Latin ones (twice the type size), so they do not touch. (At 1.3, one
    # pair of lines in ten touched; the tallest words, گھنٹے, under the deepest would need 2.6 times.)
    # Its space is half as wide as Noto Sans's, right between Nastaliq words but too tight between
    # Latin ones ("020 7946 0321" read as one number), and its digits are heavier than the Latin
    # letters beside them: Latin words and numbers are set in Noto Sans.
    # Where page 1 is short of room (large print on letter paper), its safety boxes are set at 1.5 times
    # the type size (1.2 x 1.25): closer, and still clear of each other for most lines.
    "ur": ("NotoNastaliqUrduLatin", ("NotoSans",), dict(rtl=True, shaping=True, leading=1.5, tight_leading=1.25,
                                                       latin="NotoSans")),
    "bn": ("NotoSansBengaliLatin", ("NotoSans",), dict(shaping=True)),
    # Korean puts spaces between words and breaks lines there, not between syllables: no cjk wrapping.
    "ko": ("LeafletsGothicKR", ("AtkinsonHyperlegible", "NotoSans"), {}),
    "vi": ("NotoSans", (), {}),
    "ru": ("NotoSans", (), {}),   # Atkinson Hyperlegible has no Cyrillic
}
_DEFAULT = ("AtkinsonHyperlegible", ("NotoSans",), {})
BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

class ShapedTTFont(TTFont):
    """A TrueType face whose shaped glyphs without a character of their own get their true width.

    ReportLab 5.1 gives such a glyph (a Devanagari conjunct, a joined Arabic form) a private
    code point and records as its width the advance HarfBuzz gave it where it was first met,
    kerning or mark positioning included, so /Widths in the PDF differ from the embedded font
    (PDF/UA 7.21.5). The font's own advance is recorded instead; every placement still comes
    from HarfBuzz, as an adjustment measured from that width.
    """

    def hbFont(self, fontSize=10):
        font = super().hbFont(fontSize)
        add_private = self.hbAddPrivate

        def add_with_font_advance(name, gid, advance):
            code = add_private(name, gid, advance)
            self.face.charWidths[code] = self.pdfScale(font.get_glyph_h_advance(gid))
            return code
        self.hbAddPrivate = add_with_font_advance
        return font


_lock = Lock()
_registered: set[str] = set()


def _register(family: str) -> Family:
    """Register a family's faces and its bold/italic mapping (once)."""
    files = _FAMILIES[family]
    names = Family(*(f"{family}{style}" for style in _STYLES))
    with _lock:
        if family not in _registered:
            chosen = [files[0], files[1] or files[0], files[2] or files[0], files[3] or files[1] or files[0]]
            loaded: dict[str, TTFont] = {}
            for name, file in zip((names.regular, names.bold, names.italic, names.bold_italic), chosen):
                if file not in loaded:
                    loaded[file] = ShapedTTFont(name, str(FONTS_DIR / file))
                    pdfmetrics.registerFont(loaded[file])
                else:  # the same face under a second name
                    pdfmetrics.registerFont(ShapedTTFont(name, str(FONTS_DIR / file)))
            for bold, italic, name in ((0, 0, names.regular), (1, 0, names.bold), (0, 1, names.italic),
                                       (1, 1, names.bold_italic)):
                addMapping(names.regular, bold, italic, name)
            _registered.add(family)
    return names


@lru_cache(maxsize=32)
def font_set(language: str) -> FontSet:
    """The font set for a language's leaflets, not registered with ReportLab: enough to check that
    every character can be printed (`check` and loading content do that without reading any font
    in full)."""
    family, fallback, how = _SCRIPTS.get(language.split("-")[0].lower(), _DEFAULT)
    names = Family(*(f"{family}{style}" for style in _STYLES))
    return FontSet(names.regular, names.bold, names.italic, names.bold_italic, tuple(fallback), **how)


@lru_cache(maxsize=32)
def fonts_for(language: str) -> FontSet:
    """The font set for a language's leaflets, registered with ReportLab on first use."""
    fonts = font_set(language)
    for family in (fonts.regular, *fonts.fallback):
        _register(family)
    return fonts


def leaflet_fonts() -> FontSet:
    """The Latin font set (English and most leaflets); registers it."""
    return fonts_for("en")


def synthetic_bold_faces() -> frozenset[str]:
    """Bold face names that are the regular outlines (the family ships no bold): drawn faux bold."""
    return frozenset(f"{family}{style}" for family, files in _FAMILIES.items() if files[1] is None
                     for style in ("-Bold", "-BoldItalic"))


def font_file_of(name: str) -> Path:
    family = next(f for f in _FAMILIES if name == f or name.startswith(f + "-"))
    style = name[len(family):] or ""
    files = _FAMILIES[family]
    index = _STYLES.index(style) if style in _STYLES else 0
    return FONTS_DIR / (files[index] or files[1 if index == 3 else 0] or files[0])


@lru_cache(maxsize=64)
def _glyphs(name: str) -> frozenset[int]:
    """The characters a face's font file maps to glyphs (its cmap), as HarfBuzz reads them: no need
    to load the whole font into ReportLab to know what it can print."""
    codes = set(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(font_file_of(name)))).unicodes)
    if 0x20 in codes:  # ReportLab draws a missing no-break space with the space glyph, and the reverse
        codes.add(0xA0)
    elif 0xA0 in codes:
        codes.add(0x20)
    return frozenset(codes)


@lru_cache(maxsize=64)
def drawn(family: str) -> frozenset[str]:
    """The characters a family draws in both regular and bold: one set lookup per character, and
    a whole text checked at C speed (`drawn(family).issuperset(text)`)."""
    return frozenset(map(chr, _glyphs(family) & _glyphs(f"{family}-Bold")))


def draws(family: str, char: str) -> bool:
    """Whether a family draws char in both regular and bold."""
    return char in drawn(family)


def face_for(char: str, fonts: FontSet) -> str | None:
    """The family that draws char: the main one if it can, else the first fallback that can."""
    return next((family for family in (fonts.regular, *fonts.fallback) if draws(family, char)), None)


# Patient details may be in any script: a nurse in London prints an English leaflet for 王芳,
# Nguyễn Thị Hương or محمد. Characters the language's faces lack fall back to every shipped face.
_ANY_SCRIPT = ("NotoSans", "NotoNaskhArabicLatin", "NotoSansDevanagariLatin", "NotoSansBengaliLatin",
               "LeafletsGothicKR", "DroidSansFallback")


def for_any_script(fonts: FontSet, text: str) -> FontSet:
    """The language's font set, widened with every shipped face when the text needs one of them."""
    return _widened(fonts) if missing_characters(text, fonts) else fonts


@lru_cache(maxsize=16)
def _widened(fonts: FontSet) -> FontSet:
    extra = tuple(family for family in _ANY_SCRIPT if family != fonts.regular and family not in fonts.fallback)
    for family in extra:
        _register(family)
    return replace(fonts, fallback=fonts.fallback + extra)


def check_coverage(strings, fonts: FontSet) -> None:
    """Fail before rendering if any character has no glyph: never a blank box in a leaflet.

    strings: (where, text) pairs. Both regular and bold faces are checked,
    since headings and labels use bold.
    """
    for where, text in strings:
        private = where.startswith(PRIVATE)
        missing = missing_characters(text, for_any_script(fonts, text) if private else fonts)
        if not missing:
            continue
        if private:  # never echo what was typed about a patient: the character's code and name only
            raise LeafletError(
                f"{where.removeprefix(PRIVATE)} contains a character the leaflet's font cannot print: "
                f"{describe_character(missing[0], show=False)}, {position(missing[0], text, 'what was typed')}",
                hint="no font shipped with the leaflets has that character (an emoji or a rare script?); "
                     "leave it out or spell it in letters")
        raise LeafletError(
            f"{describe_character(missing[0])} in {where} cannot be printed "
            f"with the leaflet's fonts ({', '.join((fonts.regular, *fonts.fallback))}): "
            f"it is {position(missing[0], text)}",
            hint="remove or replace the character; other scripts need a leaflet in that language")


def describe_character(char: str, show: bool = True) -> str:
    """"the character '☺' (U+263A WHITE SMILING FACE)": what to look for, by its code and name too, since
    an editor may show an emoji as a blank. With show=False the character itself is left out (patient
    details are never repeated)."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}" + (f" {name}" if name else "")
    glyph = f"'{char}' " if show and char.isprintable() else ""
    return f"the character {glyph}({code})"


def position(char: str, text: str, what: str = "the text") -> str:
    """Where the character first is: 'character 12 of the text'."""
    return f"character {text.index(char) + 1} of {what}"


def missing_characters(text: str, fonts: FontSet) -> list[str]:
    covered = _covered(fonts)
    if covered.issuperset(text):  # the usual answer, found at C speed
        return []
    return [c for c in dict.fromkeys(text) if c not in covered]


@lru_cache(maxsize=16)
def _covered(fonts: FontSet) -> frozenset[str]:
    """Characters some face of the set draws in regular and bold, plus line breaks, tabs and bidi marks."""
    return frozenset().union(*(drawn(family) for family in (fonts.regular, *fonts.fallback))) | {"\n", "\t"} | BIDI_CONTROLS

"""Text as ReportLab draws it: paragraph markup with fallback faces, PDF text strings, line-breaking rules.

Everything that decides which characters go on a line, in which face and in
which order lives here, so scripts are set in one place.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from itertools import groupby
from typing import Iterator
from xml.sax.saxutils import escape

from reportlab.lib import textsplit as _textsplit_module
from reportlab.lib.fonts import ps2tt
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import paragraph as _paragraph_module
from reportlab.platypus import paraparser as _paraparser_module

from ...bidi import levels, visual_order
from ...fonts import BIDI_CONTROLS, FontSet, draws, drawn, face_for, synthetic_bold_faces
from ...leaflet import Entry
from ...typography import NBSP, NNBSP, NO_BREAK_SPACES
from .textcache import TextCache

# Chinese line breaking: ReportLab's table of characters that may not start a line is the Japanese
# one; Chinese also never starts a line with these full-width marks (W3C clreq, GB/T 15834).
_paragraph_module.ALL_CANNOT_START += "\uff0c\uff1a\uff1b\uff1f\uff01\u201d\u2019\u300b\u3009\u2026\u2014"


def _set_rise(self, rise):
    """ReportLab 5.1's PDFTextObject.setRise, mended twice. When a rise follows another with no text
    between (a raised glyph after another raised glyph: Nastaliq's cascade, stacked Arabic marks), it
    rewrites the last Ts but kept the old rise as the current one: the glyphs after it, meant for the
    baseline, were drawn at the second glyph's height ("میں" with its last letter floating). It also
    read the last operator of an empty text object (an empty one is harmless)."""
    if not self._code:
        self._code.append("")
    operator = f"{fp_str(rise)} Ts"
    if self._code[-1].endswith(" Ts"):  # "r0 Ts r1 Ts" is written "r1 Ts"
        self._y += self._rise
        self._code[-1] = operator
    else:
        self._code.append(operator)
    self._rise = rise
    self._y -= rise


PDFTextObject.setRise = _set_rise

# No-break spaces must not end a line (a phone number, "10 h", French "Pourquoi ?"). ReportLab's word
# splitter keeps U+00A0 but counts U+202F as a space, and its Chinese line breaker breaks at any space
# (Unicode category Zs), U+00A0 included. Both are told otherwise here, and only about these two.
_BREAKABLE = re.compile("[%s]+" % re.escape("".join(c for c in _paragraph_module._wsc if c not in NO_BREAK_SPACES)))


def _split_words(text, delim=None):
    if isinstance(text, bytes):
        text = text.decode("utf8")
    if delim is not None:
        return text.split(delim)
    return [word for word in _BREAKABLE.split(text) if word]


def _category(char: str) -> str:
    return "Zs_nobreak" if char in NO_BREAK_SPACES else unicodedata.category(char)


_paragraph_module.split = _split_words

# ReportLab breaks a web address (style.uriWasteReduce) only where a part of it with its scheme fits on
# the line already begun; where none does, or where the rest is still longer than a line, it cut the
# address letter by letter ("htt" | "ps://...", "limit-a" | "ctivity"). Such an address, or its rest,
# is broken after a slash here, or starts the next line.
_reportlab_hyphenate_word = _paragraph_module._hyphenateWord
_reportlab_hyphenate_frag_word = _paragraph_module._hyphenateFragWord


def _address_parts(text: str, used: float, max_width: float, width, continued: bool) -> tuple[str, str] | None:
    """Where a web address too long for its line breaks: after the last slash that leaves a first part
    fitting after the `used` width; ("", text) moves it whole to the next line; None: not an address."""
    if "/" not in text or not (continued or _paragraph_module._uri_split_pairs(text)):
        return None
    for cut in reversed([at + 1 for at, char in enumerate(text) if char == "/"]):
        head = text[:cut]
        if cut < len(text) and not head.endswith((":/", "://")) and used + width(head) <= max_width:
            return head, text[cut:]
    return ("", text) if used > 0 else None


def _hyphenate_word(hyphenator, font_name, font_size, word, word_width, new_width, max_width, uri_waste_reduce,
                    *rest):
    split = _reportlab_hyphenate_word(hyphenator, font_name, font_size, word, word_width, new_width, max_width,
                                      uri_waste_reduce, *rest)
    if split and str(split[0]).endswith("://"):
        split = None  # not after the scheme alone: "https://" | "www..." reads as two things
    if split or not uri_waste_reduce:
        return split
    parts = _address_parts(str(word), new_width - word_width, max_width,
                           lambda text: pdfmetrics.stringWidth(text, font_name, font_size),
                           isinstance(word, _paragraph_module._SplitWord))
    if parts is None:
        return split
    return [_paragraph_module._SplitWordH(parts[0]), _paragraph_module._SplitWordEnd(parts[1])]


def _hyphenate_frag_word(hyphenator, word, new_width, max_width, uri_waste_reduce, *rest):
    """The same for a word of a paragraph set in frags: [width, (frag, text), ...] (one frag here)."""
    split = _reportlab_hyphenate_frag_word(hyphenator, word, new_width, max_width, uri_waste_reduce, *rest)
    if split and "".join(part for _, part in split[0][1:]).endswith("://"):
        split = None  # not after the scheme alone
    if split or not uri_waste_reduce or len(word) != 2:
        return split
    frag, text = word[1]

    def width(part: str) -> float:
        return pdfmetrics.stringWidth(part, frag.fontName, frag.fontSize)

    parts = _address_parts(text, new_width - word[0], max_width, width, isinstance(word, _paragraph_module._SplitFrag))
    if parts is None:
        return split
    rest_kind = _paragraph_module._SplitFragHS if isinstance(word, _paragraph_module._HSFrag) else \
        _paragraph_module._SplitFrag
    return [_paragraph_module._SplitFragH([width(parts[0]), (frag, parts[0])]),
            rest_kind([width(parts[1]), (frag, parts[1])])]


_paragraph_module._hyphenateWord = _hyphenate_word
_paragraph_module._hyphenateFragWord = _hyphenate_frag_word
_paragraph_module.category = _textsplit_module.category = _category


def words(text: str) -> list[str]:
    """The words of a text as ReportLab breaks lines: a no-break space joins, never separates."""
    return _split_words(text)


def _start_font(self, attr):
    """<font face="NotoSans"> takes the family and keeps the weight and slant of the text around it:
    ReportLab's own start_font reads a family name as its regular face, so a run set in a fallback
    face came out regular in a bold heading ("999" in a Chinese or Urdu emergency heading)."""
    values = self.getAttributes(attr, _paraparser_module._spanAttrMap)
    if "fontName" in values:
        values["fontName"], bold, italic = ps2tt(values["fontName"])
        if bold or italic:  # a face named with its style ("NotoSans-Bold") is that style
            values["bold"], values["italic"] = bold, italic
    self._push("font", **values)


_paraparser_module.ParaParser.start_font = _start_font

# Latin letters (A-Z and the accented ones of Latin-1 and Latin Extended-A) and ASCII digits: set in
# FontSet.latin where the language has one.
_LATIN = re.compile("[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f]")


_LATIN_ONLY = re.compile("[\u0000-\u024f\u2000-\u206f\u20ac]*")


def is_latin(text: str) -> bool:
    """Only Latin letters, digits, punctuation and spaces: nothing in it joins, stacks or reorders."""
    return _LATIN_ONLY.fullmatch(text) is not None


@lru_cache(maxsize=8192)
def markup(text: str, fonts: FontSet) -> str:
    """Plain text made safe for ReportLab's paragraph markup (<, & and > print as themselves), with
    runs the main face cannot draw set in a fallback face; spaces and punctuation stay in their run."""
    if not draws(fonts.regular, NNBSP):  # set as a full no-break space, not in a fallback face
        text = text.replace(NNBSP, NBSP)
    if drawn(fonts.regular).issuperset(text) and not (fonts.latin and _LATIN.search(text)):
        return escape(text).replace("\n", "<br/>")  # all in the main face, as most texts are: one run
    if fonts.latin:
        pieces = _latin_words(text, fonts.latin)
        return "".join(_run(piece, fonts.latin, fonts) if latin else _by_character(piece, fonts)
                       for piece, latin in pieces).replace("\n", "<br/>")
    return _by_character(text, fonts).replace("\n", "<br/>")


def _by_character(text: str, fonts: FontSet) -> str:
    """Runs of the main face and of the fallbacks, each character in the first face that draws it."""
    parts: list[str] = []
    current, run = fonts.regular, ""
    for char in text:
        face = face_for(char, fonts) or fonts.regular
        if face != current and not (draws(current, char) and not char.isalpha()):
            parts.append(_run(run, current, fonts))
            current, run = face, ""
        run += char
    parts.append(_run(run, current, fonts))
    return "".join(parts)


def _latin_words(text: str, face: str) -> list[tuple[str, bool]]:
    """The text in pieces, each marked True when it is Latin words and numbers for FontSet.latin: a
    word with a Latin letter or digit that the face draws whole ("(DVT)", "020"; not "DVT)؛", as
    ReportLab shapes a word with one font), with the spaces between two such words."""
    pieces: list[tuple[str, bool]] = []
    for token in re.split(r"(\s+)", text):
        latin = bool(token) and not token.isspace() and _LATIN.search(token) is not None and drawn(face).issuperset(token)
        if token.isspace() and pieces:
            pieces.append((token, False))
            continue
        if latin and len(pieces) >= 2 and pieces[-1][0].isspace() and pieces[-2][1]:
            space = pieces.pop()[0]
            pieces[-1] = (pieces[-1][0] + space + token, True)  # the space between two Latin words is Latin
        elif pieces and pieces[-1][1] == latin:
            pieces[-1] = (pieces[-1][0] + token, latin)
        else:
            pieces.append((token, latin))
    return pieces


def any_script_markup(text: str, fonts: FontSet) -> str:
    """Markup for what a nurse typed, in any script; never kept in a cache. Each word is set in one
    face that draws all of it where there is one: ReportLab shapes a word with a single font, so
    "Nguyễn" half in Atkinson Hyperlegible and half in Noto Sans would come out with wrong glyphs."""
    faces = (fonts.regular, *fonts.fallback)
    parts = []
    for word in re.split(r"(\s+)", text):
        face = next((f for f in faces if drawn(f).issuperset(word)), None)
        if fonts.latin and _LATIN.search(word) and drawn(fonts.latin).issuperset(word):
            face = fonts.latin
        if word.isspace() or face is None:
            parts.append(markup.__wrapped__(word, fonts))
        else:
            parts.append(_run(word, face, fonts))
    return "".join(parts)


def plain(entry: Entry) -> str:
    return f"{entry.lead}{entry.gap}{entry.text}"


def _run(text: str, face: str, fonts: FontSet) -> str:
    if not text:
        return ""
    return escape(text) if face == fonts.regular else f'<font face="{face}">{escape(text)}</font>'


_WITHOUT_BIDI_CONTROLS = dict.fromkeys(map(ord, BIDI_CONTROLS))


def pdf_text(text: str) -> str:
    """A PDF text string (UTF-16BE, hex) without bidi control characters."""
    clean = text.translate(_WITHOUT_BIDI_CONTROLS)
    return "<FEFF" + clean.encode("utf-16-be").hex().upper() + ">"


# --- right-to-left lines and shaped glyphs -------------------------------------------------------
#
# ReportLab breaks lines and shapes each word with HarfBuzz, but with shaping on it leaves the text
# of a line in reading order, and shapes a word such as "999." in one direction. We keep its line
# breaking and apply the bidirectional algorithm (UAX #9) ourselves: the levels of a paragraph's
# characters are resolved once (`paragraph_context`); each word is shaped run by run, each run of one
# level in its own direction, and every glyph remembers its level (`shape_word`); when a line is
# drawn, its runs are put in display order by rule L2 (`visual_line`). Numbers and Latin words in
# Arabic text stay left to right; punctuation goes where the algorithm puts it.
#
# Shaped glyphs without a character of their own (joined forms, ligatures, conjuncts) get a
# private-use code point from ReportLab; `shape_word` records the characters each stands for, and the
# ToUnicode map of the embedded font says so (`to_unicode_cmap`), so text extraction that ignores
# ActualText still reads real letters.

_paragraph: ContextVar[tuple[int, str, list[int], list[int]]] = ContextVar("paragraph", default=(0, "", [], [0]))
_glyph_texts: ContextVar[GlyphTexts | None] = ContextVar("glyph_texts", default=None)
_uncached: ContextVar[bool] = ContextVar("uncached", default=False)   # see not_cached
_paragraph_levels = TextCache("paragraph bidi levels", 10_000)   # by text and base level
_reportlab_shape = _ttfonts.shapeFragWord
_reportlab_to_unicode = _ttfonts.makeToUnicodeCMap
_PRIVATE = range(0xE000, 0xF900)
_RTL_CLASSES = frozenset(("R", "AL"))
_MIRRORS = dict(zip("()<>[]{}«»‹›", ")(><][}{»«›‹"))


@contextmanager
def paragraph_context(text: str, rtl: bool) -> Iterator[None]:
    """Words shaped inside this block belong to this paragraph, right to left or left to right.

    ReportLab shapes a paragraph's words one by one, in order; the levels of the whole paragraph are
    resolved here once, so that each word's characters get the levels they have in context (the comma
    in "Riverside Hospital, Level 2" stays with the English words around it).
    """
    base = 1 if rtl else 0
    resolved = [] if not (rtl or has_rtl(text)) else levels(text, base) if _uncached.get() else _levels(text, base)
    token = _paragraph.set((base, text, resolved, [0]))
    try:
        yield
    finally:
        _paragraph.reset(token)


class GlyphTexts:
    """What each private-use glyph of one document was seen standing for, in which words.

    A glyph can stand for different characters in different words (a Nastaliq form shared by letters
    that differ only by their dots, a conjunct whose cluster also holds a vowel sign). Its text is the
    one seen in the most words, then a real one before an empty one, then the shortest, then the first
    in code order: a choice that does not depend on the order words were shaped in, nor on how often,
    so caches and a paragraph wrapped twice cannot change a document's ToUnicode maps.
    """

    def __init__(self):
        self._seen: dict[tuple[str, int], dict[str, set[str]]] = {}

    def note(self, key: tuple[str, int], share: str, word: str) -> None:
        self._seen.setdefault(key, {}).setdefault(share, set()).add(word)

    def get(self, key: tuple[str, int]) -> str | None:
        shares = self._seen.get(key)
        if not shares:
            return None
        return min(shares, key=lambda share: (-len(shares[share]), share == "\u200c", len(share), share))


def _levels(text: str, base: int) -> list[int]:
    """A paragraph's levels, resolved once for all its breakings and leaflets (read, never changed)."""
    known = _paragraph_levels.get((text, base))
    return known if known is not None else _paragraph_levels.put((text, base), levels(text, base))


_journal: ContextVar[list | None] = ContextVar("journal", default=None)


@contextmanager
def glyph_notes_journal() -> Iterator[list[tuple[tuple[str, int], str, str]]]:
    """The glyph notes made inside this block, kept so that a cached result can make them again."""
    journal: list[tuple[tuple[str, int], str, str]] = []
    token = _journal.set(journal)
    try:
        yield journal
    finally:
        _journal.reset(token)


def replay_glyph_notes(notes: list[tuple[tuple[str, int], str, str]]) -> None:
    """Note (glyph, text it stands for, word) for this document's ToUnicode maps, and in the journal."""
    texts, journal = _glyph_texts.get(), _journal.get()
    if texts is not None:
        for glyph, share, word in notes:
            texts.note(glyph, share, word)
    if journal is not None:
        journal.extend(notes)


@contextmanager
def recording_glyph_texts() -> Iterator[GlyphTexts]:
    """Collect, for one document, the characters each private-use glyph stands for."""
    token = _glyph_texts.set(GlyphTexts())
    try:
        yield _glyph_texts.get()
    finally:
        _glyph_texts.reset(token)


def has_rtl(text: str) -> bool:
    # Every right-to-left letter lies at U+0590 or above: most texts are answered by one C-speed max().
    if not text or max(text) < "\u0590":
        return False
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in set(text))


def _has_rtl_letter(text: str) -> bool:
    """A letter of a right-to-left script, by which HarfBuzz knows a run is right to left (Arabic
    punctuation, "،" or "؛", is right to left for the bidi algorithm but belongs to no script)."""
    return has_rtl(text) and any(unicodedata.bidirectional(char) in _RTL_CLASSES and unicodedata.category(char)[0] == "L"
                                 for char in text)


def _word_levels(word: str) -> list[int]:
    """The levels of a word's characters where it stands in its paragraph (alone, if not found)."""
    base, text, resolved, cursor = _paragraph.get()
    start = text.find(word, cursor[0]) if resolved else -1
    if start < 0:
        return levels(word, base)
    cursor[0] = start + len(word)
    return resolved[start:start + len(word)]


def shape_word(word, features=None, force=False):
    """ReportLab's shapeFragWord, shaping each run of one level in its own direction; every glyph
    carries its level for `visual_line`, and private-use glyphs are recorded for ToUnicode."""
    if isinstance(word, _ttfonts.ShapedFragWord):
        return word
    parts = word[1:]
    if not parts or any(hasattr(frag, "cbDefn") for frag, _ in parts):
        return _reportlab_shape(word)
    text = "".join(piece for _, piece in parts)
    base, paragraph, resolved, _ = _paragraph.get()
    # In a left-to-right paragraph with no right-to-left letter (no levels resolved), no word has one.
    if not text or (base == 0 and ((paragraph and not resolved) or not has_rtl(text))):
        return _shaped(word, text)
    char_levels = _word_levels(text)
    runs: list[tuple[int, list]] = []  # (level, [(frag, text), ...]) in reading order
    index = 0
    for frag, piece in parts:
        for offset, char in enumerate(piece):
            level = char_levels[index + offset]
            if not runs or runs[-1][0] != level:
                runs.append((level, []))
            pieces = runs[-1][1]
            if pieces and pieces[-1][0] is frag:
                pieces[-1] = (frag, pieces[-1][1] + char)
            else:
                pieces.append((frag, char))
        index += len(piece)
    result = _ttfonts.makeShapedFragWord(word)([0])
    for level, pieces in runs:
        run_text = "".join(piece for _, piece in pieces)
        if level % 2 and not _has_rtl_letter(run_text):
            # No right-to-left letter at a right-to-left level (brackets, an Arabic semicolon): ReportLab
            # lets HarfBuzz guess the direction from the script, and punctuation has none, so it would
            # set them left to right. They are given to it in display order, mirrored: "(" shows as ")".
            pieces = [(frag, "".join(_MIRRORS.get(c, c) for c in reversed(piece))) for frag, piece in reversed(pieces)]
        shaped = _shaped([None, *pieces], run_text, level)
        result[0] += shaped[0]
        result.extend(shaped[1:])
    return result


# Words shaped before, by their fonts, sizes, text and level: a leaflet shapes each word about three
# times (measuring page 1, laying out, splitting) and most words recur across leaflets. Saves two
# thirds of the shaping of an Arabic or Hindi leaflet. Bounded; patient details never enter it.
_shaped_words = TextCache("shaped words", 50_000)


@contextmanager
def not_cached() -> Iterator[None]:
    """Text shaped inside this block (patient details typed at discharge) is never kept in a cache."""
    token = _uncached.set(True)
    try:
        yield
    finally:
        _uncached.reset(token)


def _shaped(word, text: str, level: int | None = None):
    """ReportLab's shaping of one word (level None) or of one run of a level (word[0] is None: the
    width is measured here, shaping is forced, every glyph gets the level), with its private-use
    glyphs noted for this document's ToUnicode maps."""
    positions: dict[int, int] = {}   # the word's frags, each once: cached words refer to them by position
    frags: list = []
    key_parts = []
    for frag, piece in word[1:]:
        position = positions.setdefault(id(frag), len(frags))
        if position == len(frags):
            frags.append(frag)
        key_parts.append((position, frag.fontName, frag.fontSize, piece))
    key = (word.__class__, level, text, tuple(key_parts))
    known = _shaped_words.get(key)
    if known is None:
        if level is None:
            shaped = _reportlab_shape(word)
        else:
            word[0] = sum(pdfmetrics.stringWidth(piece, frag.fontName, frag.fontSize) for frag, piece in word[1:])
            shaped = _reportlab_shape(word, force=True)
            for _, piece in shaped[1:]:
                for item in getattr(piece, "__shapeData__", ()):
                    item.level = level
        template = None if shaped is word else (
            shaped.__class__, shaped[0], tuple((positions[id(frag)], piece) for frag, piece in shaped[1:]))
        known = (template, _glyph_notes(shaped, text))
        if not _uncached.get():
            _shaped_words.put(key, known)
    template, notes = known
    if notes:
        replay_glyph_notes([(glyph, share, text) for glyph, share in notes])
    if template is None:
        return word
    kind, width, pieces = template
    return kind([width, *((frags[position], piece) for position, piece in pieces)])


def _glyph_notes(shaped, text: str) -> list[tuple[tuple[str, int], str]]:
    """The characters each private-use glyph of a shaped word stands for (its HarfBuzz cluster, less
    the characters other glyphs of the cluster show), for the document's ToUnicode maps."""
    if not isinstance(shaped, _ttfonts.ShapedFragWord):
        return []
    glyphs = []  # (face, code, cluster)
    for frag, piece in shaped[1:]:
        data = getattr(piece, "__shapeData__", None)
        if data is None:
            continue
        face = _face_key(frag.fontName)
        glyphs += [(face, ord(char), item.cluster) for char, item in zip(piece, data)]
    if not any(code in _PRIVATE for _, code, _ in glyphs):
        return []
    notes = []
    starts = sorted({cluster for *_, cluster in glyphs if 0 <= cluster < len(text)})
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(text)
        members = [(face, code) for face, code, cluster in glyphs if cluster == start]
        private = [(face, code) for face, code in members if code in _PRIVATE]
        if not private:
            continue
        rest = list(text[start:end])
        for _, code in members:
            if code not in _PRIVATE and chr(code) in rest:
                rest.remove(chr(code))
        for position, key in enumerate(private):
            last = position == len(private) - 1
            share = "".join(rest) if last else (rest.pop(0) if len(rest) > len(private) - position else "")
            notes.append((key, share or "\u200c"))  # an empty share: a zero-width non-joiner, never private use
    return notes


def _face_key(font_name: str) -> str:
    face = pdfmetrics.getFont(font_name).face
    return (face.name + face.subfontNameX).decode("pdfdoc")


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with private-use glyphs mapped to the characters they stand for
    and Arabic presentation forms to their letters."""
    texts = _glyph_texts.get() or GlyphTexts()
    face = fontname.split("+", 1)[-1]
    mapped = [texts.get((face, code)) or _letters(code) for code in subset]
    if not any(mapped):
        return _reportlab_to_unicode(fontname, subset)
    lines = _reportlab_to_unicode(fontname, subset).split("\n")
    first = lines.index(f"{len(subset)} beginbfchar") + 1
    for index, text in enumerate(mapped):
        if text:
            lines[first + index] = f"<{index:02X}> <{text.encode('utf-16-be').hex().upper()}>"
    return "\n".join(lines)


def _letters(code: int) -> str | None:
    """The letters an Arabic presentation form is drawn for (NFKC), or None for any other code."""
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        letters = unicodedata.normalize("NFKC", chr(code))
        return letters if letters != chr(code) else None
    return None


def visual_line(line, base: int):
    """A broken line (ReportLab's FragLine) with its runs in display order by rule L2 (left to right;
    for a right-to-left paragraph, right to left, as ReportLab expects them)."""
    units: list[list] = []  # [frag, start, end, level]; a space's level is settled below
    for frag in line.words:
        if hasattr(frag, "cbDefn"):
            units.append([frag, 0, 0, base])
            continue
        text = frag.text
        data = getattr(text, "__shapeData__", None)
        # A space between words has no level of its own; a space inside a shaped run (a no-break
        # space) keeps its run's, since the run's glyphs are already in display order.
        shaped = [getattr(item, "level", None) for item in data] if data else [None] * len(text)
        char_levels = [level if level is not None else None if char == " " else _char_level(char, base)
                       for char, level in zip(text, shaped)]
        start = 0
        for level, run in groupby(char_levels):
            end = start + sum(1 for _ in run)
            units.append([frag, start, end, level])
            start = end
    # A space between two runs takes the lower of their levels (N1, N2); the line's ends count as base.
    left = [base] * len(units)
    for position in range(1, len(units)):
        before = units[position - 1][3]
        left[position] = left[position - 1] if before is None else before
    right = base
    for position in range(len(units) - 1, -1, -1):
        if units[position][3] is None:
            units[position][3] = min(left[position], right)
        else:
            right = units[position][3]
    order = visual_order([unit[3] for unit in units])
    if order == list(range(len(units))) and not base:
        return line
    frags: list = []
    for frag, start, end, _ in (units[i] for i in order):
        if hasattr(frag, "cbDefn"):
            frags.append(frag)
        elif frags and frags[-1].__dict__.get("_source") is frag:
            frags[-1].text = frags[-1].text + frag.text[start:end]  # slices keep their shaping data
        else:
            frags.append(frag.clone(text=frag.text[start:end], _source=frag))
    if base:  # ReportLab reverses the pieces of a right-to-left line before drawing them
        frags.reverse()
    return line.clone(words=frags)


@lru_cache(maxsize=4096)
def _char_level(char: str, base: int) -> int:
    """The level of a character that was not shaped in a line of this base level."""
    kind = unicodedata.bidirectional(char)
    if kind in _RTL_CLASSES:
        return 1
    return 2 if base and kind in ("L", "EN", "AN") else base


_paragraph_module.shapeFragWord = shape_word
_ttfonts.makeToUnicodeCMap = to_unicode_cmap


def _faux_bold() -> None:
    """Bold in a family with no bold face (Droid Sans Fallback, for Chinese) drawn as typesetters do:
    each glyph filled, then stroked with a thin line of its own colour (text render mode 2).

    Switched on and off as ReportLab selects a font, so every bold run (headings, bold leads, table
    headers) is set this way; the text object ends in fill mode, with the page's line width and stroke
    colour back, since text state outlives the text object.
    """
    faces = synthetic_bold_faces()
    weight = 0.04  # stroke width in ems: about the stem difference between regular and bold

    def switch(text: PDFTextObject, name: str, size: float) -> None:
        if name in faces:
            text._faux_bold = True
            text.setTextRenderMode(2)
            text._code.append(f"{fp_str(size * weight)} w")
            text.setStrokeColor(getattr(text, "_fillColorObj", None) or text._canvas._fillColorObj)
        elif getattr(text, "_faux_bold", False):
            text.setTextRenderMode(0)

    def wrap_font(method):
        def set_font(self, name, size, *args, **kwargs):
            method(self, name, size, *args, **kwargs)
            switch(self, name, size)
        return set_font

    set_fill = PDFTextObject.setFillColor

    def set_fill_colour(self, colour, alpha=None):
        set_fill(self, colour, alpha)
        if self._textRenderMode == 2 and getattr(self, "_faux_bold", False):
            self.setStrokeColor(colour)

    get_code = PDFTextObject.getCode

    def code(self):
        if getattr(self, "_faux_bold", False):
            self.setTextRenderMode(0)
            self._code.append(f"{fp_str(self._canvas._lineWidth)} w")
            self.setStrokeColor(self._canvas._strokeColorObj)
        return get_code(self)

    PDFTextObject._setFont = wrap_font(PDFTextObject._setFont)
    PDFTextObject.setFont = wrap_font(PDFTextObject.setFont)
    PDFTextObject.setFillColor = set_fill_colour
    PDFTextObject.getCode = code


_faux_bold()

"""Read a page as a person does, from the glyphs on it, without the help of the code that wrote it.

pdfminer gives each glyph's text (through the font's ToUnicode map, ignoring ActualText spans) and
position. A right-to-left line is read from its right edge; a run of Latin words or numbers in it is
read left to right, as a reader of Arabic reads "999" or "VASC-DVT-001". Pillow with libraqm
(HarfBuzz and FriBidi) sets reference lines independently of ReportLab and of our bidi code.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_RTL = ("R", "AL", "AN")
_MIRROR = dict(zip("()[]{}<>«»", ")(][}{><»«"))


def glyph_lines(pdf: Path, page: int) -> list[list[tuple[float, float, str]]]:
    """The glyphs of one page (index from 0) as lines, top to bottom: [(x0, x1, text), ...]."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar

    chars: list[tuple[float, float, float, float, str]] = []

    def walk(item):
        if isinstance(item, LTChar):
            chars.append((item.x0, item.x1, item.matrix[5], item.size, item.get_text()))  # baseline
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    for layout in extract_pages(str(pdf), page_numbers=[page], laparams=LAParams()):
        walk(layout)
    # Marks (harakat, vowel signs) are raised or lowered above their letter: a line is a band.
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for char in sorted(chars, key=lambda c: unicodedata.category(c[4][:1] or " ") == "Mn"):
        mark = unicodedata.category(char[4][:1] or " ") == "Mn"
        home = next((line for line in lines
                     if abs(line[0][2] - char[2]) < (0.6 if mark else 0.2) * line[0][3]), None)
        if home is None:
            lines.append([char])
        else:
            home.append(char)
    lines.sort(key=lambda line: -line[0][2])
    return [[(x0, x1, text) for x0, x1, _, _, text in line] for line in lines]


def read_right_to_left(line: list[tuple[float, float, str]]) -> str:
    """A line of a right-to-left page read as its reader does: from the right edge, each run of
    left-to-right words (Latin, numbers) read left to right."""
    # Marks are left out (they are compared without them); a word ends at a space or a wide gap
    # (table columns), never at the small gaps between Arabic letters that do not join.
    glyphs = sorted((g for g in line if unicodedata.category(g[2][:1] or " ") != "Mn"),
                    key=lambda g: -(g[0] + g[1]) / 2)
    words: list[str] = []
    current = ""
    last_left = None
    for x0, x1, text in glyphs:
        gap = last_left - x1 if last_left is not None else 0
        if text.isspace() or gap > 4:
            if current:
                words.append(current)
            current = "" if text.isspace() else text
        else:
            current += text
        last_left = min(x0, last_left) if last_left is not None and not text.isspace() else x0
    if current:
        words.append(current)
    # Each word was read right to left: right-to-left words are now in order; a left-to-right word
    # and a run of them are read back the other way.
    out: list[str] = []
    run: list[str] = []
    for word in words:
        if is_ltr(word):
            run.append(word[::-1])
        else:
            out += run[::-1]
            run = []
            out.append("".join(_MIRROR.get(c, c) for c in word))
    out += run[::-1]
    return " ".join(out)


def is_ltr(word: str) -> bool:
    kinds = [unicodedata.bidirectional(c) for c in word]
    return not any(k in ("R", "AL") for k in kinds) and any(k in ("L", "EN") for k in kinds)


def plain_words(text: str) -> str:
    """Text compared by its letters: NFKC (presentation forms), no marks, no tatweel, one space."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn" and c != "\u0640")
    return re.sub(r"\s+", " ", text).strip()


def page_reading(pdf: Path, page: int) -> str:
    """A right-to-left page read line by line, top to bottom."""
    return plain_words(" ".join(read_right_to_left(line) for line in glyph_lines(pdf, page)))


def ink_runs(image, gap: int) -> list[tuple[int, int]]:
    """Horizontal extents of the ink in a picture of one line, split where at least `gap` columns
    are blank: the word boxes, left to right."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    inked = [any(pixels[x, y] < 110 for y in range(height)) for x in range(width)]  # not the pale DRAFT mark
    runs: list[tuple[int, int]] = []
    start, blank = None, 0
    for x, ink in enumerate(inked + [False] * gap):
        if ink:
            if start is None:
                start = x
            blank = 0
            end = x
        elif start is not None:
            blank += 1
            if blank >= gap:
                runs.append((start, end + 1))
                start, blank = None, 0
    return runs

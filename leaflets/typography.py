"""Typography a native reader expects, per language, applied to every text after substitution.

Translators type what a keyboard gives ("l'aide", "Sources : 1", "i w domu"); a
typesetter would set "l’aide", a no-break space before the colon, and keep "i"
and "w" off the end of a line. Each language's conventions are data in
CONVENTIONS; this module only applies them, so resolve stays free of rules.
Phone numbers are joined with no-break spaces here too, so they never break
across lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.dates import format_date

NBSP = "\u00a0"      # no-break space
NNBSP = "\u202f"     # narrow no-break space
NO_BREAK_SPACES = NBSP + NNBSP


@dataclass(frozen=True)
class Conventions:
    """How one language sets text; the defaults are English usage."""

    replacements: tuple[tuple[str, str], ...] = ()  # (regular expression, replacement), applied in order
    list_separator: str = ", "      # between the items of an enumeration (source numbers, address lines)
    clause_separator: str = "; "    # between longer items (the profiles a leaflet is written for)
    date_pattern: str | None = None  # Babel pattern for a long date; None: the locale's own
    first_of_month: str | None = None  # pattern for the first day of a month, where it differs


_ARABIC_LETTER = "[\u0600-\u06ff\u0750-\u077f]"
_CJK = "[\u3400-\u9fff\uf900-\ufaff]"
# Single-letter words that must not end a line (Polish and Russian typesetting rules): bound to the next word.
_ORPHANS_PL = "aiouwzAIOUWZ"
_ORPHANS_RU = "авиксоуяАВИКСОУЯ"


def _bind_single_letters(letters: str) -> tuple[str, str]:
    return (rf"(?<![^\s(\[„«\"“])([{letters}]) (?=\S)", rf"\1{NBSP}")


_ARABIC_SCRIPT = Conventions(
    replacements=((rf"(?<={_ARABIC_LETTER}),", "،"), (rf"(?<={_ARABIC_LETTER});", "؛"),
                  (rf"(?<={_ARABIC_LETTER})\?", "؟")),
    list_separator="، ", clause_separator="؛ ")

CONVENTIONS: dict[str, Conventions] = {
    "fr": Conventions(
        replacements=(
            (r"(?<=\w)'(?=\w)", "’"),                                   # l’aide, aujourd’hui
            (rf"[ {NO_BREAK_SPACES}]*([;?!])(?=\s|$|[»\"”)])", rf"{NNBSP}\1"),  # fine space before ; ? !
            (rf"(?<=[^\s{NO_BREAK_SPACES}])[ ]?:(?=\s|$)", f"{NBSP}:"),      # word space before :
            (rf"« *", f"«{NNBSP}"), (rf" *»", f"{NNBSP}»"),             # inside guillemets
        ),
        first_of_month="d'er' MMMM y"),                               # 1er novembre 2028
    "pl": Conventions(replacements=(_bind_single_letters(_ORPHANS_PL),)),
    "ru": Conventions(replacements=(_bind_single_letters(_ORPHANS_RU),)),
    "vi": Conventions(date_pattern="'ngày' d 'tháng' M 'năm' y"),     # ngày 1 tháng 11 năm 2028
    "ar": _ARABIC_SCRIPT,
    "ur": _ARABIC_SCRIPT,
    "zh": Conventions(
        replacements=((rf"(?<={_CJK}),\s*", "，"), (rf"(?<={_CJK});\s*", "；")),
        list_separator="、", clause_separator="；"),
}


def conventions(language: str) -> Conventions:
    return CONVENTIONS.get(language.split("-")[0].lower(), Conventions())


@lru_cache(maxsize=4096)
def typeset(text: str, language: str) -> str:
    """The text with its language's punctuation, spaces and apostrophes as a typesetter would set them."""
    for pattern, replacement in _compiled(language):
        text = pattern.sub(replacement, text)
    return text


# Numbers kept with their words, in left-to-right languages: a line never breaks between a number and
# what it counts, nor after a short word leading into a number, so "10 to 15 minutes", "1 November
# 2028" and "on 020 7946 0321" stay whole. (Right-to-left text is left to the bidi algorithm.)
_NUMBER_BINDINGS = (
    (r"(?<=\d) (?=[^\W\d_])", NBSP),                                           # 10 minutes, 1 November
    (r"(?<=\b\w) (?=\d)|(?<=\b\w\w) (?=\d)|(?<=\b\w\w\w) (?=\d)|(?<=\w) (?=\d{4}\b)", NBSP),  # to 15, 2028
)


@lru_cache(maxsize=32)
def _compiled(language: str) -> tuple[tuple[re.Pattern, str], ...]:
    rules = conventions(language)
    bindings = () if rules is _ARABIC_SCRIPT else _NUMBER_BINDINGS
    return tuple((re.compile(pattern), replacement) for pattern, replacement in (*rules.replacements, *bindings))


def long_date(value: dt.date, locale: Locale) -> str:
    """A date written out as the language writes it (1er novembre 2028; ngày 1 tháng 11 năm 2028)."""
    rules = conventions(str(locale.language))
    pattern = (rules.first_of_month if value.day == 1 else None) or rules.date_pattern or "long"
    return format_date(value, format=pattern, locale=locale)


def phone_number(value: str) -> str:
    """A phone number that never breaks across lines: its groups joined by no-break spaces.

    In right-to-left text too: a no-break space between digits is a common number separator to the
    bidi algorithm, so "020 7946 0321" stays one number, read left to right.
    """
    return NBSP.join(value.split())


def enumeration(items, language: str, clauses: bool = False) -> str:
    """Items joined as the language lists them: "1, 2" (English), "1، 2" (Arabic), "1、2" (Chinese)."""
    rules = conventions(language)
    return (rules.clause_separator if clauses else rules.list_separator).join(items)

"""The facts a translation must carry over unchanged: numbers, {{ variables }} and web addresses.

A translator may reword anything except these: "5 to 20 minutes" for "10 to 15
minutes", or a dropped {{ brand.phone }}, is a wrong leaflet, however fluent.
Digits of any script (Arabic-Indic, Devanagari, Bengali...) count as the digits
they stand for, and a number's decimal or thousands marks do not split it, so
"37,5" matches "37.5" and "1 000" matches "1,000".
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_VARIABLE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'»«）)]+", re.IGNORECASE)
# Marks that may sit inside one number: . , ' (no-break) spaces, Arabic decimal and thousands separators.
_NUMBER = re.compile(r"\d+(?:[.,'\u00a0\u202f\u066b\u066c]\d+| \d{3}(?!\d))*")


@dataclass(frozen=True)
class Facts:
    numbers: Counter
    variables: Counter
    urls: Counter


def ascii_digits(text: str) -> str:
    """Every decimal digit, in whatever script, as its ASCII digit."""
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and unicodedata.category(c) == "Nd" else c
                   for c in text)


def facts(text: str) -> Facts:
    variables = Counter(_VARIABLE.findall(text))
    prose = _VARIABLE.sub(" ", text)
    urls = Counter(url.rstrip(".,;:!?") for url in _URL.findall(prose))
    prose = _URL.sub(" ", prose)
    numbers = Counter(re.sub(r"\D", "", n).lstrip("0") or "0" for n in _NUMBER.findall(ascii_digits(prose)))
    return Facts(numbers, variables, urls)


def differences(source: str, translation: str) -> list[str]:
    """What the translation changed, in words, e.g. "the numbers 5, 20 where the English has 10, 15"."""
    english, translated = facts(source), facts(translation)
    found = []
    for what, label, shown in (("numbers", "numbers", "{}"), ("variables", "variables", "{{{{ {} }}}}"),
                               ("urls", "web addresses", "{}")):
        want, got = getattr(english, what), getattr(translated, what)
        if want != got:
            found.append(f"{_list(got, label, shown)} where the English has {_list(want, label, shown)}")
    return found


def _list(counts: Counter, label: str, shown: str) -> str:
    items = ", ".join(shown.format(item) for item in sorted(counts.elements(), key=_order))
    return f"the {label} {items}" if items else f"no {label}"


def _order(item: str):
    return (0, int(item), "") if item.isdigit() else (1, 0, item)

"""Readability: how hard each section is to read, with the formula made for its language.

English uses the Flesch-Kincaid grade (US school grade; patient materials
aim at grade 8 or below). Spanish and French use reading-ease formulas built
for them (Fernandez-Huerta; Kandel and Moles), 0-100 where higher is easier;
below 65 is harder than Flesch's grade 8-9 band. Formulas come from textstat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import textstat

from ..model import Located
from ..validation import where_of
from .findings import Finding

MAX_GRADE = 8.0
MIN_EASE = 65.0
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_VARIABLE = re.compile(r"\{\{.*?\}\}")


@dataclass(frozen=True)
class Formula:
    name: str
    measure: Callable[[str], float]
    grade_like: bool             # True: higher is harder (grade); False: higher is easier (ease)

    def too_hard(self, score: float) -> bool:
        return score > MAX_GRADE if self.grade_like else score < MIN_EASE

    def describe(self, score: float) -> str:
        return f"grade {score:.1f} ({self.name})" if self.grade_like else f"reading ease {score:.0f} ({self.name})"

    @property
    def limit(self) -> str:
        return f"grade {MAX_GRADE:g}" if self.grade_like else f"reading ease {MIN_EASE:g}"


def _in(language: str, formula: Callable[[str], float]) -> Callable[[str], float]:
    def measure(text: str) -> float:
        textstat.set_lang(language)  # textstat keeps its language globally
        return formula(text)
    return measure


FORMULAS = {
    "en": Formula("Flesch-Kincaid", _in("en", textstat.flesch_kincaid_grade), True),
    "es": Formula("Fernandez-Huerta", _in("es", textstat.fernandez_huerta), False),
    "fr": Formula("Kandel-Moles", _in("fr", textstat.flesch_reading_ease), False),
}


def formula_for(language: str) -> Formula | None:
    return FORMULAS.get(language.split("-")[0])


def sentences(text: str) -> list[str]:
    """Sentences of one text; a list entry without a full stop still counts as one."""
    text = _VARIABLE.sub("999", text).strip()
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p.strip()]
    return [p if p[-1] in ".!?:;" else p + "." for p in parts]


@dataclass(frozen=True)
class Passage:
    """A section's text for scoring, with where each sentence came from."""

    section: str
    owner: Located
    sentences: tuple[tuple[Located, str, str], ...]   # (model, key, sentence)

    @property
    def text(self) -> str:
        return " ".join(s for _, _, s in self.sentences)


def check_passages(passages: list[Passage], language: str, file_label: str) -> tuple[list[Finding], str | None]:
    """Findings for sections that read too hard, and the leaflet's overall score in words."""
    formula = formula_for(language)
    if formula is None:
        return [Finding.of("readability", "info", f"no readability formula for '{language}'; not measured",
                           hint="have a native speaker check the reading level")], None
    findings = []
    for passage in passages:
        if len(passage.text.split()) < 30:
            continue  # too little text for a formula to mean anything
        score = formula.measure(passage.text)
        if formula.too_hard(score):
            longest = sorted(passage.sentences, key=lambda s: -len(s[2].split()))[:3]
            named = "; ".join(f"{_line(obj, key, passage.owner)}: \"{_short(sentence)}\" ({len(sentence.split())} words)"
                              for obj, key, sentence in longest)
            findings.append(Finding.of(
                "readability", "warning",
                f"section '{passage.section}' reads at {formula.describe(score)}, harder than {formula.limit}",
                where_of(passage.owner, "id"),
                f"use shorter sentences and everyday words; the longest: {named}"))
    overall = formula.describe(formula.measure(" ".join(p.text for p in passages)))
    return findings, f"{file_label}: {overall}"


def _line(obj: Located, key: str, owner: Located) -> str:
    """'line 80', or 'profiles.yaml line 47' when the sentence comes from another file."""
    where, home = where_of(obj, key), where_of(owner)
    return f"line {where.line}" if where.file == home.file else f"{where.file.name} line {where.line}"


def _short(sentence: str, words: int = 12) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")

"""The resolved leaflet: final blocks with final wording, ready for any renderer.

Nothing here knows about YAML, profiles or ReportLab. Text is plain text:
each renderer escapes it for its own markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Union


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Entry:
    """One bullet or checklist line; 'lead' is the bold start, may be empty."""

    lead: str
    text: str


@dataclass(frozen=True)
class BulletList:
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Checklist:
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Question:
    question: str
    answer: tuple[str, ...]


@dataclass(frozen=True)
class Faq:
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    url: str


@dataclass(frozen=True)
class References:
    """The numbered sources at the end of a leaflet, printed small."""

    entries: tuple[Reference, ...]


Block = Union[Paragraph, BulletList, Checklist, Table, Faq, References]
Tone = Literal["emergency", "warning", "info"]


@dataclass(frozen=True)
class LeafletSection:
    id: str
    title: str
    blocks: tuple[Block, ...]
    tone: Tone | None = None
    sources_note: str = ""


@dataclass(frozen=True)
class PatientDetails:
    """What a nurse types at discharge. Printed once; never logged, stored or cached."""

    name: str = ""
    date: str = ""
    clinician: str = ""
    follow_up: str = ""
    notes: str = ""

    def is_empty(self) -> bool:
        return not any((self.name, self.date, self.clinician, self.follow_up, self.notes))


@dataclass(frozen=True)
class Look:
    """The brand's visual identity, as the renderer needs it."""

    clinic_name: str
    department: str
    logo: Path | None
    logo_alt: str
    primary: str
    accent: str
    text_on_primary: str


@dataclass(frozen=True)
class Leaflet:
    handout_id: str
    profiles: tuple[str, ...]
    language: str
    title: str
    subtitle: str
    written_for: str
    author: str
    look: Look
    for_you: tuple[tuple[str, str], ...]   # (label, value) pairs from PatientDetails, labels translated
    for_you_title: str
    sections: tuple[LeafletSection, ...]
    footer: str
    page_of: str                            # a template with {{ page }} and {{ pages }}
    published: dt.date
    review_by: dt.date

"""The resolved leaflet: final blocks with final wording, ready for any renderer.

Nothing here knows about YAML, profiles or ReportLab. Text is plain text:
each renderer escapes it for its own markup.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal, Union


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    link: str = ""   # a web address or phone number (https:, tel:) the whole paragraph leads to
    lang: str = ""   # set when the text is in another language than the leaflet (a clinic's address)


@dataclass(frozen=True)
class Entry:
    """One bullet or checklist line; 'lead' is the bold start, may be empty."""

    lead: str
    text: str

    @property
    def gap(self) -> str:
        """What stands between the lead and the text: a space, but none after full-width punctuation
        or a letter of a script written without spaces (「血液循环更好。行走时」): Chinese and Japanese set
        no space between sentences, and a full stop has its own room. Korean keeps its space."""
        if not self.lead:
            return ""
        last = self.lead[-1]
        unspaced = unicodedata.category(last).startswith("P") or \
            unicodedata.name(last, "").startswith(("CJK UNIFIED IDEOGRAPH", "HIRAGANA", "KATAKANA"))
        return "" if unicodedata.east_asian_width(last) in ("W", "F") and unspaced else " "


@dataclass(frozen=True)
class BulletList:
    kind: ClassVar[str] = "bullets"
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Checklist:
    kind: ClassVar[str] = "checklist"
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Question:
    question: str
    answer: tuple[str, ...]


@dataclass(frozen=True)
class Faq:
    kind: ClassVar[str] = "faq"
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Reference:
    number: int
    text: str
    url: str


@dataclass(frozen=True)
class References:
    """The numbered sources at the end of a leaflet, printed small."""

    kind: ClassVar[str] = "references"
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
    first_page: bool = False   # safety text: printed on page 1, right after the title
    label: str = ""            # a callout's tone in words ("EMERGENCY"), printed on its box


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
    # Brand texts not in the page's language (fallen back to the clinic's): (field, language) pairs.
    other_languages: tuple[tuple[str, str], ...] = ()

    def lang(self, name: str) -> str:
        """The language of the brand text `name` if it differs from the page's, else ""."""
        return dict(self.other_languages).get(name, "")


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
    watermark: str = ""                     # across every page, e.g. for draft content
    notices: tuple[str, ...] = ()           # above the content: review overdue, unreviewed translation
    first_page_sources: str = ""            # one sources line for all the first-page (safety) sections
    online_url: str = ""                    # the leaflet's web version, printed as a QR code; "" when no site
    online_copy: str = ""                   # the words beside the QR code
    online_alt: str = ""                    # what the QR code is, for screen readers


PRIVATE = "patient detail: "


def texts(leaflet: Leaflet):
    """Every printed string with a short description of where it appears.

    Places of patient details start with PRIVATE: messages about them must
    not repeat what was typed.
    """
    yield "the title", leaflet.title
    yield "the subtitle", leaflet.subtitle
    yield "the 'written for' line", leaflet.written_for
    yield "the footer", leaflet.footer
    yield "the watermark", leaflet.watermark
    for notice in leaflet.notices:
        yield "a notice under the title", notice
    yield "the sources line of the first-page sections", leaflet.first_page_sources
    yield "the words beside the QR code", leaflet.online_copy
    yield "the address beside the QR code", leaflet.online_url
    yield "the clinic name", leaflet.look.clinic_name
    yield "the department", leaflet.look.department
    for label, value in leaflet.for_you:
        yield PRIVATE + f"'{label}' in the '{leaflet.for_you_title}' box", value
    for section in leaflet.sections:
        place = f"section '{section.id}'"
        yield place, section.title
        yield place, section.label
        yield place, section.sources_note
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield place, block.text
            elif isinstance(block, (BulletList, Checklist)):
                for entry in block.entries:
                    yield place, entry.lead
                    yield place, entry.text
            elif isinstance(block, Table):
                for row in (block.columns, *block.rows):
                    yield from ((place, cell) for cell in row)
            elif isinstance(block, Faq):
                for question in block.questions:
                    yield place, question.question
                    yield from ((place, answer) for answer in question.answer)
            elif isinstance(block, References):
                for reference in block.entries:
                    yield place, reference.text
                    yield place, reference.url

"""The content model: what a handout, its profiles and a brand may contain.

These pydantic models are the single definition of each file format: the
loader validates against them and the JSON Schema published for editors is
generated from them, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StringConstraints,
                      model_validator)
from typing_extensions import TypedDict

from . import codes as code_systems


def _one_or_many(value: Any) -> Any:
    """Let authors write a single paragraph without list syntax."""
    return [value] if isinstance(value, str) else value


Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
Paragraphs = Annotated[list[Text], BeforeValidator(_one_or_many, json_schema_input_type=Union[Text, list[Text]])]
Id = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
LanguageCode = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
HexColour = Annotated[str, StringConstraints(strict=True, pattern=r"^#[0-9A-Fa-f]{6}$")]


def _code_of(system: str):
    """A check that a code is well formed in its code system (leaflets/codes.py)."""
    def check(code: str) -> str:
        problem = code_systems.problem(system, code)
        if problem:
            raise ValueError(problem)
        return code
    return AfterValidator(check)


# The loader checks each code (with a plain message, and SNOMED CT's check digit); the pattern is for editors.
IcdCode = Annotated[str, StringConstraints(strict=True, strip_whitespace=True), _code_of("icd-10-cm"),
                    Field(json_schema_extra={"pattern": code_systems.ICD_10_CM_PATTERN})]
SnomedCode = Annotated[str, StringConstraints(strict=True, strip_whitespace=True),
                       _code_of("snomed-ct"), Field(json_schema_extra={"pattern": code_systems.SCTID_PATTERN})]


# The clinical codes a handout or profile serves, by code system (keys as in leaflets/codes.py).
Codes = TypedDict("Codes", {
    "icd-10-cm": Annotated[list[IcdCode], Field(description="ICD-10-CM codes, e.g. I82.411.")],
    "snomed-ct": Annotated[list[SnomedCode], Field(description="SNOMED CT concept ids, e.g. 128053003.")],
}, total=False)
Codes.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
CODES_DESCRIPTION = ("Clinical codes this serves, by code system (icd-10-cm, snomed-ct); an EHR opens the leaflet "
                     "by them (HL7 Infobutton). Cite the code list's release in a comment.")


class Located(BaseModel):
    """A model that remembers the file and lines it was read from, for error messages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    _file: Any = PrivateAttr(default=None)
    _marks: dict[str, tuple[int, int]] = PrivateAttr(default_factory=dict)
    _path: str = PrivateAttr(default="")
    _files: dict[str, Any] = PrivateAttr(default_factory=dict)   # keys read from another file (overrides)


# --- handout content ---------------------------------------------------------

class Source(Located):
    id: Id
    text: Text = Field(description="The reference as it is printed: authors, title, journal or publisher, year.")
    url: Text | None = None


class ListItem(Located):
    """A bullet or a checklist entry; 'lead' is printed in bold before the text."""

    id: Id
    lead: Text | None = None
    text: Text
    optional: bool = Field(False, description="Shown only when a chosen profile includes it.")


class FaqItem(Located):
    id: Id
    question: Text
    answer: Paragraphs
    optional: bool = False


class TableRow(Located):
    id: Id
    cells: list[Text]
    optional: bool = False


class SectionBase(Located):
    id: Id
    title: Text
    intro: Paragraphs = Field(default_factory=list, description="Paragraphs printed before the body.")
    closing: Paragraphs = Field(default_factory=list, description="Paragraphs printed after the body.")
    sources: list[Id] = Field(default_factory=list, description="Ids of the handout's sources this section rests on.")
    optional: bool = Field(False, description="Shown only when a chosen profile includes it.")
    first_page: bool = Field(False, description=(
        "Safety text: printed on page 1, right after the title, in every language, paper and print variant; "
        "a leaflet where it cannot fit is not built."))


class ParagraphsSection(SectionBase):
    kind: Literal["paragraphs"]
    paragraphs: Paragraphs = Field(min_length=1)


class BulletsSection(SectionBase):
    kind: Literal["bullets"]
    items: list[ListItem] = Field(min_length=1)


class ChecklistSection(SectionBase):
    kind: Literal["checklist"]
    items: list[ListItem] = Field(min_length=1)


class TableSection(SectionBase):
    kind: Literal["table"]
    columns: list[Text] = Field(min_length=2)
    rows: list[TableRow] = Field(min_length=1)


class FaqSection(SectionBase):
    kind: Literal["faq"]
    items: list[FaqItem] = Field(min_length=1)


class CalloutSection(SectionBase):
    """A boxed section; 'emergency' and 'warning' boxes stand out in colour and weight."""

    kind: Literal["callout"]
    tone: Literal["emergency", "warning", "info"]
    paragraphs: Paragraphs = Field(default_factory=list)
    items: list[ListItem] = Field(default_factory=list)


Section = Annotated[
    Union[ParagraphsSection, BulletsSection, ChecklistSection, TableSection, FaqSection, CalloutSection],
    Field(discriminator="kind"),
]
SECTION_KINDS = ("paragraphs", "bullets", "checklist", "table", "faq", "callout")


class Handout(Located):
    """One leaflet's content in its source language (handouts/<id>/handout.yaml)."""

    model_config = ConfigDict(json_schema_extra={  # content.check_handout's approval rule, for editors
        "if": {"properties": {"status": {"const": "approved"}}},
        "then": {"required": ["approved_by", "approved_on"]}})

    title: Text
    subtitle: Text | None = None
    language: LanguageCode = Field(description="Language of this file, e.g. 'en'.")
    reference: Text = Field(description="The leaflet's reference id, printed in the footer.")
    version: Text
    published: dt.date
    review_by: dt.date = Field(description="Next review date, printed in the footer.")
    status: Literal["draft", "approved"] = Field(
        description="'draft' until a clinical reviewer approves the content; draft leaflets carry a DRAFT mark.")
    approved_by: Text | None = Field(None, description="Who approved the content (name and role); needed when approved.")
    approved_on: dt.date | None = Field(None, description="When the content was approved; needed when approved.")
    max_pages: int = Field(4, ge=1, le=20, description=(
        "Page budget: the most pages a leaflet may take for any profile, language and paper (twice that in "
        "large print, and more in proportion for a script set with wider line spacing: 1.5 times for Urdu)."))
    codes: Codes = Field(default_factory=dict, description=CODES_DESCRIPTION)
    sources: list[Source] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)


# --- profiles ----------------------------------------------------------------

class Replacement(Located):
    """New wording for one section or item; only the fields given are replaced."""

    target: Text = Field(description="'section-id' or 'section-id.item-id'.")
    title: Text | None = None
    intro: Paragraphs | None = None
    closing: Paragraphs | None = None
    paragraphs: Paragraphs | None = None
    lead: Text | None = None
    text: Text | None = None
    question: Text | None = None
    answer: Paragraphs | None = None
    cells: list[Text] | None = None

    def fields(self) -> dict[str, Any]:
        return {name: value for name, value in self if name != "target" and value is not None}


class ItemAddition(Located):
    to: Id = Field(description="The section the items go into.")
    after: Id | None = Field(None, description="Insert after this item; omitted: at the end.")
    items: list[dict[str, Any]] = Field(min_length=1, description="Items of the section's own kind.")


class SectionAddition(Located):
    after: Id | None = Field(None, description="Insert after this section; omitted: at the end.")
    section: dict[str, Any] = Field(description="A whole section, written as in handout.yaml.")


class Profile(Located):
    id: Id
    label: Text = Field(description="Short name shown to nurses and patients, e.g. 'Clot in the calf'.")
    summary: Text | None = Field(None, description="One sentence: who this profile is for.")
    codes: Codes = Field(default_factory=dict, description=CODES_DESCRIPTION)
    include: list[Text] = Field(default_factory=list, description="Optional sections or items to show.")
    exclude: list[Text] = Field(default_factory=list, description="Sections or items to leave out.")
    replace: list[Replacement] = Field(default_factory=list)
    add_items: list[ItemAddition] = Field(default_factory=list)
    add_sections: list[SectionAddition] = Field(default_factory=list)


class ProfileSet(Located):
    """handouts/<id>/profiles.yaml: the ways one handout adapts to a patient."""

    default: Id = "general"
    profiles: list[Profile] = Field(min_length=1)


# --- brand -------------------------------------------------------------------

class Colours(Located):
    primary: HexColour = Field(description="Header band and headings.")
    accent: HexColour = Field(description="A light tint for table stripes and info boxes.")
    text_on_primary: HexColour = Field("#FFFFFF", description="Text printed on the header band.")


PER_LANGUAGE = "Text, or a mapping from language code to text; it falls back to the clinic's language."
PhoneText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=2, max_length=40)]
PHONE = ("A phone number as the clinic writes it, e.g. '020 7946 0321', '(555) 010-4477', '+1 555 010 4477 ext. 12'; "
         "printed exactly as typed, checked against the clinic's country.")


class PhoneLine(Located):
    """One of several phone numbers, each with what it is for ('Out of hours')."""

    label: Text | dict[LanguageCode, Text] = Field(description="What the number is for. " + PER_LANGUAGE)
    number: PhoneText = Field(description=PHONE)


class Brand(Located):
    """A clinic's identity and contact numbers (brands/<name>/brand.yaml).

    The name, department, logo text and address may be given per language (a mapping from language
    code to text); a language without its own falls back to the clinic's `language`, and readers and
    screen readers are told which language that text is in.
    """

    language: LanguageCode = Field("en", description="The language the clinic's own texts are written in.")
    clinic_name: Text | dict[LanguageCode, Text] = Field(description=PER_LANGUAGE)
    department: Text | dict[LanguageCode, Text] | None = Field(None, description=PER_LANGUAGE)
    country: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Z]{2}$")] = Field(
        description="ISO 3166 country code, e.g. GB; dates follow its conventions.")
    logo: Text | None = Field(None, description="PNG, JPEG or SVG file, relative to the brand file.")
    logo_alt: Text | dict[LanguageCode, Text] | None = Field(
        None, description="What the logo shows, for screen readers. " + PER_LANGUAGE)
    colours: Colours
    phone: PhoneText | None = Field(None, description="The clinic's main number, {{ brand.phone }}. " + PHONE)
    phones: list[PhoneLine] = Field(default_factory=list, description=(
        "More numbers, each with its label, printed under 'Contact us'; the first is {{ brand.phone }} "
        "when 'phone' is not given."))
    other_formats: bool = Field(False, description=(
        "true: the clinic provides its leaflets in other formats (large print...), so every leaflet says so; "
        "without it, only a leaflet that has other languages does."))
    emergency_number: Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{2,6}$")] = Field(
        description="The emergency number of the clinic's country, e.g. 999, 911, 112. Never guessed.")
    address: Paragraphs | dict[LanguageCode, Paragraphs] = Field(default_factory=list, description=PER_LANGUAGE)
    website: Text | None = None
    site_url: Annotated[str, StringConstraints(strict=True, pattern=r"^https?://[^\s/?#]+[^\s?#]*$")] | None = Field(
        None, description=(
            "The public address of the download site built by `generate.py batch`, e.g. "
            "https://leaflets.clinic.example/. Printed leaflets then carry a QR code to their online version, "
            "and the infobutton links there."))

    @model_validator(mode="after")
    def _every_mapping_has_the_clinics_language(self):
        if self.phone is None and not self.phones:
            raise ValueError("the brand gives no phone number: add 'phone:' (or 'phones:' with a label and a "
                             "number each), the number patients call with questions")
        named = [(name, getattr(self, name)) for name in ("clinic_name", "department", "logo_alt", "address")]
        named += [(f"phones[{n}].label", line.label) for n, line in enumerate(self.phones, start=1)]
        for name, value in named:
            if isinstance(value, dict) and self.language not in value:
                raise ValueError(f"{name} is given per language but not in the clinic's language "
                                 f"'{self.language}', which every other language falls back to: add a "
                                 f"'{self.language}:' entry (or set 'language:' to one of {', '.join(value)})")
        return self

    @property
    def main_phone(self) -> str:
        """{{ brand.phone }}: the main number, else the first of the labelled ones."""
        return self.phone if self.phone is not None else self.phones[0].number

    def text(self, name: str, language: str | None = None, value: Any = None) -> tuple[Any, str]:
        """A per-language field (or `value`) in `language` if given, else in the clinic's language; and that language."""
        value = getattr(self, name) if value is None else value
        if isinstance(value, dict):
            return (value[language], language) if language in value else (value[self.language], self.language)
        return value, self.language


# --- fixed wording around the content -----------------------------------------

class DeskStrings(Located):
    """The discharge desk's form, in the nurse's language (`generate.py serve`)."""

    title: Text
    intro: Text
    choose_handout: Text
    profiles: Text
    profiles_hint: Text
    language: Text
    paper: Text
    print_options: Text = Field(description="Heading of the large print and high contrast choices.")
    details: Text
    details_hint: Text = Field(description="Under the details heading: they are printed, never stored.")
    limit: Text = Field(description="Under a field; {{ limit }} is its length limit.")
    create: Text = Field(description="Button: open the PDF in the browser, ready to print.")
    download: Text = Field(description="Button: download the PDF.")
    draft_notice: Text = Field(description="On the form when the chosen leaflet's content is a draft.")
    overdue_notice: Text = Field(description="On the form when the content is past its review date; {{ review_by }}.")
    problem_title: Text
    too_long: Text = Field(description="{{ field }} and {{ limit }} available.")
    control_characters: Text = Field(description="{{ field }} available.")
    unknown_choice: Text = Field(description="{{ field }} available.")
    expired: Text
    too_large: Text
    not_found: Text
    not_allowed: Text
    server_error: Text
    back: Text
    infobutton_no_match: Text = Field(description="When a request from the patient's record matches no leaflet.")
    infobutton_language: Text = Field(description=(
        "When the leaflet is not in the patient's language; {{ language }} asked for, {{ shown }} shown instead."))
    record: Text = Field(description="Button: a FHIR record of the leaflet given, for the patient's notes.")


class UiStrings(Located):
    """templates/strings/<lang>.yaml: the words every leaflet shares (labels, footer)."""

    language: LanguageCode
    written_for: Text = Field(description="Line under the title; {{ profiles }} is the list of profile labels.")
    for_you: Text
    patient_name: Text
    date: Text
    clinician: Text
    follow_up: Text
    notes: Text
    section_sources: Text = Field(description="Small line after a section; {{ numbers }} lists its sources.")
    emergency_label: Text = Field(description="Printed on every emergency box, so it reads as one without colour.")
    warning_label: Text = Field(description="Printed on every warning box (call the care team straight away or today).")
    info_label: Text = Field(description="Printed on every information box (important advice).")
    sources_title: Text
    contact_title: Text
    contact_phone: Text
    contact_phone_line: Text = Field("{{ label }}: {{ number }}", description=(
        "One of the brand's labelled numbers ('phones:'); {{ label }} and {{ number }} available."))
    contact_emergency: Text
    contact_website: Text
    about_title: Text
    about_lines: Paragraphs
    other_formats: Text = Field(description=(
        "Printed with the 'about' lines only when it is true: the handout has other languages, or the "
        "brand says 'other_formats: true'."))
    footer: Text = Field(description="Footer text; {{ reference }}, {{ version }}, {{ review_by }} available.")
    page_of: Text = Field(description="'Page {{ page }} of {{ pages }}'.")
    draft_mark: Text = Field(description="Printed across every page of a leaflet whose content is a draft.")
    translation_draft: Text = Field(description="Notice on a leaflet from a translation not yet approved.")
    translation_fallback: Text = Field(description="Notice on a leaflet with some texts left in English.")
    review_overdue: Text = Field(description="Notice on a leaflet past its review date; {{ review_by }} available.")
    site_title: Text
    site_intro: Text
    read_online: Text
    pdf_link: Text = Field(description="Link to a PDF; {{ paper }} and {{ size }} available.")
    paper_a4: Text
    paper_letter: Text
    back_to_list: Text
    skip_to_content: Text = Field(description="The web page's first link, for keyboard and screen-reader users.")
    other_languages: Text
    large_print: Text = Field(description="A leaflet printed large (16 pt body text).")
    high_contrast: Text = Field(description="A leaflet printed black on white.")
    online_copy: Text = Field(description="Beside the QR code on a printed leaflet, before its web address.")
    qr_alt: Text = Field(description="What the QR code is, for screen readers.")
    desk: DeskStrings


# Which {{ variables }} each wording may use besides the content variables
# ({{ brand.* }}, {{ handout.* }}); None: only these, and no content variables.
_FACTS = {"reference", "version", "published", "review_by"}
UI_VARIABLES: dict[str, tuple[bool, set[str]]] = {  # field: (content variables too?, extra names)
    "written_for": (True, {"profiles"}),
    "section_sources": (False, {"numbers"}),
    "contact_phone": (True, set()), "contact_phone_line": (True, {"label", "number"}), "contact_emergency": (True, set()), "contact_website": (True, set()),
    "about_lines": (True, _FACTS), "other_formats": (True, _FACTS), "footer": (True, _FACTS), "review_overdue": (True, _FACTS),
    "page_of": (False, {"page", "pages"}),
    "pdf_link": (False, {"paper", "size"}),
    "site_intro": (False, {"brand.clinic_name"}),
    "limit": (False, {"limit"}),
    "overdue_notice": (False, {"review_by"}),
    "too_long": (False, {"field", "limit"}),
    "control_characters": (False, {"field"}),
    "unknown_choice": (False, {"field"}),
    "infobutton_language": (False, {"language", "shown"}),
}


def _partial(model: type[BaseModel], name: str, **fields: Any) -> type[BaseModel]:
    """The same keys, every one optional: a clinic's own wording gives only what it changes."""
    from pydantic import create_model
    optional = {key: (field.annotation | None, Field(None, description=field.description))
                for key, field in model.model_fields.items()}
    optional.update(fields)
    return create_model(name, __base__=Located, __doc__=f"A clinic's own wording: any keys of {model.__name__}.",
                        **optional)


@lru_cache(maxsize=1)
def string_overrides() -> type[BaseModel]:
    """The model of a clinic's own strings/<lang>.yaml, made when a clinic has one."""
    desk = _partial(DeskStrings, "DeskOverrides")
    return _partial(UiStrings, "StringOverrides", desk=(desk | None, None))

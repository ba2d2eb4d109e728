"""Assemble one leaflet: apply profiles, fill variables, add the fixed parts.

A pure function of its inputs (no files, no clock, no ReportLab): the same
handout, profiles, brand and details always give the same Leaflet, which is
what makes the PDFs reproducible and the step easy to test.

How profiles combine (documented in docs/content-format.md):
  1. Profiles apply in the order profiles.yaml lists them, whatever order
     they were asked for, so `--profile flyer --profile femoral` is the
     same leaflet as `--profile femoral --profile flyer`.
  2. Keeping information wins over removing it: a section or item that one
     chosen profile excludes stays if another chosen profile includes or
     rewords it.
  3. When two chosen profiles reword the same field, the one listed later
     in profiles.yaml wins.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Sequence

from babel import Locale, UnknownLocaleError

from . import online
from .brand import ClinicBrand
from .content import LoadedHandout
from .errors import LeafletError
from .leaflet import (Block, BulletList, Checklist, Entry, Faq, Leaflet, LeafletSection, Look, Paragraph,
                      PatientDetails, Question, Reference, References, Table)
from .model import Brand, Handout, Profile, UiStrings
from .phones import tel_link
from .substitute import fill
from .typography import enumeration, long_date, phone_number, typeset
from .validation import where_of


def choose_profiles(loaded: LoadedHandout, profile_ids: Iterable[str]) -> list[Profile]:
    """The chosen profiles in profiles.yaml order; none chosen means the default one."""
    wanted = list(dict.fromkeys(profile_ids)) or [loaded.profiles.default]
    for profile_id in wanted:
        loaded.profile(profile_id)  # raises with the list of known profiles
    return [p for p in loaded.profiles.profiles if p.id in wanted]


def content_variables(handout: Handout, brand: Brand, language: str | None = None) -> dict[str, Any]:
    """The {{ variables }} content text may use, the brand's texts in `language` where it gives them;
    phone numbers never break across lines."""
    return {
        "brand": {
            "clinic_name": brand.text("clinic_name", language)[0],
            "department": brand.text("department", language)[0] or "",
            "phone": phone_number(brand.main_phone), "emergency_number": phone_number(brand.emergency_number),
            "website": brand.website or "",
            "address": enumeration(brand.text("address", language)[0], language or handout.language),
        },
        "handout": {"title": handout.title, "reference": handout.reference, "version": handout.version},
    }


def resolve(loaded: LoadedHandout, profile_ids: Sequence[str], clinic: ClinicBrand, strings: UiStrings,
            patient: PatientDetails | None = None, today: dt.date | None = None) -> Leaflet:
    """The leaflet for these profiles; given today's date, one past its review date says so."""
    handout, brand = loaded.handout, clinic.brand
    chosen = choose_profiles(loaded, profile_ids)
    language = handout.language
    locale = date_locale(language, brand.country)
    context = content_variables(handout, brand, language)
    numbers = {source.id: n for n, source in enumerate(handout.sources, start=1)}
    facts = {  # what the footer and "about this leaflet" may say about the leaflet itself
        "reference": handout.reference, "version": handout.version,
        "published": long_date(handout.published, locale),
        "review_by": long_date(handout.review_by, locale),
    }

    def text(obj: Any, key: str, value: str, extra: dict[str, Any] | None = None) -> str:
        return typeset(fill(value, {**context, **(extra or {})}, where_of(obj, key)), language)

    shown = apply_profiles(handout.sections, chosen)
    # The safety sections first, for every renderer: page 1 of a print, the top of a web page.
    shown = [s for s in shown if s.first_page] + [s for s in shown if not s.first_page]
    sections = [_section(section, text, strings, numbers, language) for section in shown]
    first_cited = sorted({numbers[s] for section in shown if section.first_page for s in section.sources})
    sections += _closing_sections(handout, clinic, strings, text, numbers, facts, loaded.languages)

    labels = [p.label for p in chosen if p.id != loaded.profiles.default]
    details = patient or PatientDetails()
    for_you = tuple((getattr(strings, field), value) for field, value in (
        ("patient_name", details.name), ("date", details.date), ("clinician", details.clinician),
        ("follow_up", details.follow_up), ("notes", details.notes)) if value)

    return Leaflet(
        handout_id=loaded.id,
        profiles=tuple(p.id for p in chosen),
        language=language,
        title=text(handout, "title", handout.title),
        subtitle=text(handout, "subtitle", handout.subtitle or ""),
        written_for=text(strings, "written_for", strings.written_for,
                         {"profiles": enumeration(labels, language, clauses=True)}) if labels else "",
        author=brand.text("clinic_name", language)[0],
        look=look_of(clinic, language),
        for_you=for_you,
        for_you_title=strings.for_you,
        sections=tuple(sections),
        footer=text(strings, "footer", strings.footer, facts),
        page_of=strings.page_of,
        published=handout.published,
        review_by=handout.review_by,
        watermark=strings.draft_mark if handout.status == "draft" else "",
        notices=tuple(_notices(loaded, strings, facts, today, text)),
        first_page_sources=_sources_note(text, strings, first_cited, language),
        **_online_copy(loaded, tuple(p.id for p in chosen), brand.site_url, strings, text),
    )


def _online_copy(loaded: LoadedHandout, profiles: tuple[str, ...], site_url: str | None, strings: UiStrings,
                 text) -> dict[str, str]:
    """Where the reader finds this leaflet online: its HTML twin on the download site. A combination of
    profiles may not have been built there, so it points at the language's list of leaflets instead."""
    if not site_url:
        return {}
    language = loaded.handout.language
    path = (online.html_path(loaded.id, profiles, language) if len(profiles) == 1
            else f"{language}/index.html")
    return {"online_url": online.address(site_url, path),
            "online_copy": text(strings, "online_copy", strings.online_copy),
            "online_alt": text(strings, "qr_alt", strings.qr_alt)}


def _notices(loaded: LoadedHandout, strings: UiStrings, facts: dict[str, str], today: dt.date | None, text):
    """What the reader must know about this copy before reading it."""
    if today is not None and today > loaded.handout.review_by:
        yield text(strings, "review_overdue", strings.review_overdue, facts)
    if loaded.translation is not None and loaded.translation.status == "draft":
        yield text(strings, "translation_draft", strings.translation_draft)
    if loaded.fallbacks:
        yield text(strings, "translation_fallback", strings.translation_fallback)


def look_of(clinic: ClinicBrand, language: str | None = None) -> Look:
    """What a renderer needs of the brand's visual identity, its texts in `language` where the brand
    gives them (else in the clinic's language, said so in `other_languages`)."""
    brand = clinic.brand
    page_language = language or brand.language
    texts = {name: brand.text(name, page_language) for name in ("clinic_name", "department", "logo_alt")}
    if texts["logo_alt"][0] is None:
        texts["logo_alt"] = texts["clinic_name"]
    other = tuple((name, lang) for name, (value, lang) in texts.items() if value and lang != page_language)
    return Look(texts["clinic_name"][0], texts["department"][0] or "", clinic.logo, texts["logo_alt"][0],
                brand.colours.primary, brand.colours.accent, brand.colours.text_on_primary, other)


def apply_profiles(base: Sequence[Any], chosen: Sequence[Profile]) -> list[Any]:
    """The handout's sections after the chosen profiles have added, removed and reworded."""
    sections = list(base)
    for profile in chosen:
        for addition in profile.add_sections:
            sections.insert(_position(sections, addition.after), addition.section)
    for profile in chosen:
        for addition in profile.add_items:
            index = next(i for i, s in enumerate(sections) if s.id == addition.to)
            section = sections[index]
            field = "rows" if section.kind == "table" else "items"
            items = list(getattr(section, field))
            for offset, item in enumerate(addition.items):
                items.insert(_position(items, addition.after) + offset, item)
            sections[index] = _copy(section, {field: items})

    included = {t for p in chosen for t in p.include}
    reworded: dict[str, dict[str, Any]] = {}
    for profile in chosen:  # later profiles overwrite earlier ones field by field
        for replacement in profile.replace:
            reworded.setdefault(replacement.target, {}).update(replacement.fields())
    excluded = {t for p in chosen for t in p.exclude} - included - set(reworded)

    def shown(target: str, node: Any) -> bool:
        return target not in excluded and (not node.optional or target in included)

    result = []
    for section in sections:
        if not shown(section.id, section):
            continue
        update = dict(reworded.get(section.id, {}))
        field = "rows" if section.kind == "table" else "items"
        if hasattr(section, field):
            update[field] = [_copy(item, reworded.get(f"{section.id}.{item.id}", {}))
                             for item in getattr(section, field) if shown(f"{section.id}.{item.id}", item)]
        result.append(_copy(section, update))
    return result


def _position(nodes: list[Any], after: str | None) -> int:
    if after is None:
        return len(nodes)
    return next(i for i, node in enumerate(nodes) if node.id == after) + 1


def _copy(node: Any, update: dict[str, Any]) -> Any:
    """A copy with new field values; model_copy keeps where it was read from."""
    return node.model_copy(update=update) if update else node


def _section(section: Any, text, strings: UiStrings, numbers: dict[str, int], language: str) -> LeafletSection:
    blocks: list[Block] = [Paragraph(text(section, "intro", p)) for p in section.intro]
    kind = section.kind
    if kind in ("paragraphs", "callout"):
        blocks += [Paragraph(text(section, "paragraphs", p)) for p in section.paragraphs]
    if kind in ("bullets", "callout") and section.items:
        blocks.append(BulletList(tuple(_entry(item, text) for item in section.items)))
    elif kind == "checklist":
        blocks.append(Checklist(tuple(_entry(item, text) for item in section.items)))
    elif kind == "table":
        blocks.append(Table(tuple(text(section, "columns", c) for c in section.columns),
                            tuple(tuple(text(row, "cells", c) for c in row.cells) for row in section.rows)))
    elif kind == "faq":
        blocks.append(Faq(tuple(Question(text(item, "question", item.question),
                                         tuple(text(item, "answer", a) for a in item.answer))
                                for item in section.items)))
    blocks += [Paragraph(text(section, "closing", p)) for p in section.closing]
    note = _sources_note(text, strings, sorted(numbers[s] for s in section.sources), language)
    tone = getattr(section, "tone", None)
    label = getattr(strings, f"{tone}_label") if tone else ""
    return LeafletSection(section.id, text(section, "title", section.title), tuple(blocks), tone, note,
                          section.first_page, label)


def _sources_note(text, strings: UiStrings, cited: list[int], language: str) -> str:
    return text(strings, "section_sources", strings.section_sources,
                {"numbers": enumeration(map(str, cited), language)}) if cited else ""


def _entry(item: Any, text) -> Entry:
    return Entry(text(item, "lead", item.lead) if item.lead else "", text(item, "text", item.text))


def _closing_sections(handout, clinic: ClinicBrand, strings: UiStrings, text, numbers,
                      facts: dict[str, str], loaded_languages: Sequence[str]) -> list[LeafletSection]:
    """Contact details, sources and 'about this leaflet': the same on every handout."""
    brand = clinic.brand
    links = {"contact_phone": tel_link(brand.main_phone, brand.country), "contact_emergency": _tel(brand.emergency_number),
             "contact_website": _web(brand.website or "")}
    contact_keys = (["contact_phone"] if brand.phone is not None else []) + ["contact_emergency"] \
        + (["contact_website"] if clinic.brand.website else [])
    name, name_language = brand.text("clinic_name", strings.language)
    contact = []
    for key in contact_keys:
        line = text(strings, key, getattr(strings, key))
        # A line that is only the clinic's name and a number is in the name's language.
        only_name = name_language != strings.language and not any(c.isalpha() for c in line.replace(name, ""))
        contact.append(Paragraph(line, links[key], lang=name_language if only_name else ""))
    for index, phone in enumerate(brand.phones):
        label, label_language = brand.text("phones", strings.language, phone.label)
        line = text(strings, "contact_phone_line", strings.contact_phone_line,
                    {"label": label, "number": phone_number(phone.number)})
        only_label = label_language != strings.language and not any(c.isalpha() for c in line.replace(label, ""))
        contact.insert(index + (brand.phone is not None),
                       Paragraph(line, tel_link(phone.number, brand.country), lang=label_language if only_label else ""))
    address, address_language = brand.text("address", strings.language)
    other = address_language if address_language != strings.language else ""
    contact += [Paragraph(line, lang=other) for line in address]
    sources = References(tuple(Reference(numbers[s.id], text(s, "text", s.text), s.url or "")
                               for s in handout.sources))
    about = [Paragraph(text(strings, "about_lines", line, facts)) for line in strings.about_lines]
    if brand.other_formats or len(loaded_languages) > 1:  # only when it is true for this handout
        about.insert(1, Paragraph(text(strings, "other_formats", strings.other_formats, facts)))
    return [
        LeafletSection("contact", text(strings, "contact_title", strings.contact_title), tuple(contact)),
        LeafletSection("sources", text(strings, "sources_title", strings.sources_title), (sources,)),
        LeafletSection("about", text(strings, "about_title", strings.about_title), tuple(about)),
    ]


def _tel(number: str) -> str:
    """A tel: link, so a phone or a screen reader can call the number it prints."""
    return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")


def _web(address: str) -> str:
    """An https: link for a web address printed without its scheme."""
    if not address:
        return ""
    return address if re.match(r"^[a-z][a-z0-9+.-]*:", address, re.I) else f"https://{address}"


def date_locale(language: str, country: str) -> Locale:
    """Dates as the clinic's country writes them in this language (en + GB: 1 November 2027)."""
    try:
        return Locale.parse(f"{language.replace('-', '_')}_{country}")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(language.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            raise LeafletError(f"no date format is known for the language '{language}'") from None

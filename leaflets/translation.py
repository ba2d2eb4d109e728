"""Translations of a handout: one file per language, one entry per text, each tied to its source.

handouts/<id>/translations/<lang>.yaml holds, for every text of handout.yaml
and profiles.yaml, the translation and a fingerprint of the English it was
made from. When the English changes, the fingerprints tell which entries are
stale. Keys name texts by ids, so reordering sections breaks nothing:

    title                           the handout's title
    emergency.title                 a section's field
    emergency.intro.1               the first paragraph of a list of paragraphs
    emergency.breathless.text       an item's field
    profiles.calf.label             a profile's label
    profiles.calf.replace.tips.start-gently.text    a profile's new wording
    profiles.calf.faq.calf-scans.question           an item a profile adds

Sources (the references) are cited as published and are not translated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Literal

from pydantic import Field

from .errors import ContentErrors, LeafletError, Where
from .model import Handout, LanguageCode, Located, ProfileSet, Text
from .validation import validate, where_of
from .yamlsource import load_yaml

TRANSLATIONS_DIR = "translations"
# Fields that carry text a reader sees; everything else (ids, kinds, targets) is structure.
TEXT_FIELDS = ("title", "subtitle", "label", "summary", "intro", "paragraphs", "closing", "columns", "lead", "text",
               "question", "answer", "cells")


class Entry(Located):
    source: Text = Field(description="Fingerprint of the English text this was translated from.")
    text: Text


class Translation(Located):
    """handouts/<id>/translations/<lang>.yaml"""

    language: LanguageCode
    status: Literal["draft", "approved"] = Field(description=(
        "'draft' until a qualified medical translator approves it; leaflets then say it is unreviewed."))
    translated_by: Text | None = None
    approved_by: Text | None = Field(None, description="The medical translator who approved it; needed when approved.")
    approved_on: dt.date | None = None
    texts: dict[str, Entry]

    model_config = {"json_schema_extra": {
        "if": {"properties": {"status": {"const": "approved"}}},
        "then": {"required": ["approved_by", "approved_on"]}}}


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Unit:
    """One translatable text of the source: where it lives and what it says."""

    key: str
    text: str
    owner: Located
    field: str


def units(handout: Handout, profiles: ProfileSet) -> Iterator[Unit]:
    """Every text of a handout and its profiles that a translation must cover, in reading order."""
    yield from _fields(handout, "", ("title", "subtitle"))
    for section in handout.sections:
        yield from _section(section, section.id)
    for profile in profiles.profiles:
        base = f"profiles.{profile.id}"
        yield from _fields(profile, base, ("label", "summary"))
        for replacement in profile.replace:
            yield from _fields(replacement, f"{base}.replace.{replacement.target}", TEXT_FIELDS)
        for addition in profile.add_items:
            for item in addition.items:
                yield from _fields(item, f"{base}.{addition.to}.{item.id}", TEXT_FIELDS)
        for addition in profile.add_sections:
            yield from _section(addition.section, f"{base}.{addition.section.id}")


def _section(section: Any, base: str) -> Iterator[Unit]:
    yield from _fields(section, base, TEXT_FIELDS)
    for item in list(getattr(section, "items", None) or getattr(section, "rows", None) or []):
        yield from _fields(item, f"{base}.{item.id}", TEXT_FIELDS)


def _fields(model: Located, base: str, names: tuple[str, ...]) -> Iterator[Unit]:
    prefix = f"{base}." if base else ""
    for name in names:
        value = getattr(model, name, None)
        if isinstance(value, str):
            yield Unit(f"{prefix}{name}", value, model, name)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            for n, text in enumerate(value, start=1):
                yield Unit(f"{prefix}{name}.{n}", text, model, name)


def load_translation(file: Path) -> Translation:
    translation: Translation = validate(Translation, load_yaml(file, what="translation file"))
    problems = []
    if translation.language != file.stem:
        problems.append(LeafletError(f"the file is named {file.name} but says language: {translation.language}",
                                     where_of(translation, "language"), f"set language: {file.stem}, or rename the file"))
    if translation.status == "approved" and not (translation.approved_by and translation.approved_on):
        problems.append(LeafletError("an approved translation must say who approved it and when",
                                     where_of(translation, "status"), "add approved_by and approved_on, or set status: draft"))
    if problems:
        raise ContentErrors(problems)
    return translation


@dataclass(frozen=True)
class Coverage:
    """How a translation matches its source now."""

    missing: list[Unit]
    extra: list[str]        # keys the source does not have
    stale: list[str]        # keys whose English changed since they were translated


def compare(translation: Translation, source_units: list[Unit]) -> Coverage:
    by_key = {u.key: u for u in source_units}
    missing = [u for u in source_units if u.key not in translation.texts]
    extra = [k for k in translation.texts if k not in by_key]
    stale = [k for k, entry in translation.texts.items() if k in by_key and entry.source != fingerprint(by_key[k].text)]
    return Coverage(missing, extra, stale)


def entry_where(translation: Translation, key: str) -> Where:
    entry = translation.texts.get(key)
    return where_of(entry, "text") if entry is not None else where_of(translation, "texts")


def translate(handout: Handout, profiles: ProfileSet, translation: Translation,
              fallback: bool = False) -> tuple[Handout, ProfileSet, int]:
    """The handout and profiles in the translation's language; and how many texts fell back to English.

    A text without a translation is an error unless fallback is True, when the
    English stays. A key the source does not have is always an error.
    """
    source_units = list(units(handout, profiles))
    coverage = compare(translation, source_units)
    errors = [LeafletError(f"'{key}' is not a text of the English source", entry_where(translation, key),
                           "remove it, or check the key against `generate.py translations export`")
              for key in coverage.extra]
    if coverage.missing and not fallback:
        shown = ", ".join(u.key for u in coverage.missing[:5]) + (" ..." if len(coverage.missing) > 5 else "")
        errors.append(LeafletError(
            f"{len(coverage.missing)} text(s) have no {translation.language} translation: {shown}",
            where_of(translation, "texts"),
            "translate them, or build with --fallback-english to print them in English with a notice"))
    if errors:
        raise ContentErrors(errors)

    replacements: dict[int, dict[str, Any]] = {}
    for unit in source_units:
        entry = translation.texts.get(unit.key)
        if entry is None:
            continue
        base = unit.key[:unit.key.rindex(unit.field)].rstrip(".")
        update = replacements.setdefault(id(unit.owner), {"__owner__": unit.owner, "__where__": {}, "__base__": base})
        update["__where__"][unit.field] = entry
        value = getattr(unit.owner, unit.field)
        if isinstance(value, list):
            index = int(unit.key.rsplit(".", 1)[1]) - 1
            current = update.get(unit.field, list(value))
            current[index] = entry.text
            update[unit.field] = current
        else:
            update[unit.field] = entry.text
    copies = {owner_id: _copy(update) for owner_id, update in replacements.items()}
    translated_handout = _rebuild(handout, copies).model_copy(update={"language": translation.language})
    return translated_handout, _rebuild(profiles, copies), len(coverage.missing)


def _copy(update: dict[str, Any]) -> Located:
    """The owner with translated fields; errors in them then point into the translation file."""
    owner, entries, base = update.pop("__owner__"), update.pop("__where__"), update.pop("__base__")
    copy = owner.model_copy(update=update)
    first = next(iter(entries.values()))
    copy._file = first._file
    copy._marks = {**owner._marks, "": first._marks.get("text", (None, None)),
                   **{field: entry._marks.get("text", (None, None)) for field, entry in entries.items()}}
    copy._path = f"texts.{base}" if base else "texts"
    return copy


def _rebuild(model: Any, copies: dict[int, Located]) -> Any:
    """A copy of a model tree in which translated models replace their originals (file and lines kept)."""
    if isinstance(model, list):
        return [_rebuild(m, copies) for m in model]
    if isinstance(model, dict):
        return {k: _rebuild(v, copies) for k, v in model.items()}
    if not isinstance(model, Located):
        return model
    base = copies.get(id(model), model)
    changes = {}
    for name in type(model).model_fields:
        value = getattr(base, name)
        rebuilt = _rebuild(value, copies)
        if rebuilt is not value and rebuilt != value:
            changes[name] = rebuilt
    return base.model_copy(update=changes) if changes else base

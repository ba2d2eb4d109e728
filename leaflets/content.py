"""Find handouts in a content folder and load each one, fully checked.

A handout folder holds handout.yaml (content in its source language) and
profiles.yaml (how the content adapts). Everything a build touches is
validated here, once and up front, so rendering never meets bad data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .codes import normal as normal_code
from .errors import ContentErrors, LeafletError, Where
from .model import (FaqItem, Handout, ListItem, Located, Profile, ProfileSet, Replacement, Section,
                    SectionBase, TableRow, UiStrings, string_overrides)
from .translation import TRANSLATIONS_DIR, Translation, entry_where, load_translation, translate
from .validation import validate, where_of
from .yamlsource import load_yaml

HANDOUT_FILE = "handout.yaml"
PROFILES_FILE = "profiles.yaml"

# Which item model each section kind holds, and which fields a profile may reword.
ITEM_MODELS: dict[str, type[Located]] = {
    "bullets": ListItem, "checklist": ListItem, "callout": ListItem, "faq": FaqItem, "table": TableRow}
_SECTION_FIELDS = {"title", "intro", "closing"}
_REPLACEABLE = {
    "paragraphs": _SECTION_FIELDS | {"paragraphs"},
    "callout": _SECTION_FIELDS | {"paragraphs"},
    "bullets": _SECTION_FIELDS, "checklist": _SECTION_FIELDS, "table": _SECTION_FIELDS, "faq": _SECTION_FIELDS,
}
_ITEM_REPLACEABLE = {ListItem: {"lead", "text"}, FaqItem: {"question", "answer"}, TableRow: {"cells"}}


@dataclass(frozen=True)
class LoadedHandout:
    """A handout with its profiles, ready to resolve; translated, it also knows its translation."""

    id: str
    folder: Path
    handout: Handout
    profiles: ProfileSet
    translation: Translation | None = None     # set on a translated copy (see in_language)
    fallbacks: int = 0                         # texts printed in English for want of a translation
    _versions: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def languages(self) -> list[str]:
        """The source language first, then every language with a translation file (looked up once)."""
        folder = self.folder / TRANSLATIONS_DIR
        found = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        return [self.handout.language] + [code for code in found if code != self.handout.language]

    def language_code(self, requested: str) -> str:
        """The handout's own spelling of a language code asked for in any case: EN, zh-hans (BCP 47 is
        case-insensitive); a code it does not have is returned as asked."""
        return next((code for code in self.languages if code.lower() == requested.lower()), requested)

    def in_language(self, language: str, fallback: bool = False) -> "LoadedHandout":
        """This handout in another language (loaded and checked once, then kept)."""
        language = self.language_code(language)
        if language == self.handout.language:
            if "printable" not in self._versions:   # checked once, when first built
                errors = unprintable_source(self.handout, self.profiles)
                if errors:
                    raise ContentErrors(errors)
                self._versions["printable"] = True
            return self
        if language not in self.languages:
            raise LeafletError(f"handout '{self.id}' has no '{language}' version",
                               hint=f"languages of this handout: {', '.join(self.languages)}")
        key = (language, fallback)
        if key not in self._versions:
            translation = load_translation(self.folder / TRANSLATIONS_DIR / f"{language}.yaml")
            check_printable(translation)
            handout, profiles, fallbacks = translate(self.handout, self.profiles, translation, fallback)
            self._versions[key] = LoadedHandout(self.id, self.folder, handout, profiles, translation, fallbacks)
        return self._versions[key]

    def profile(self, profile_id: str) -> Profile:
        for profile in self.profiles.profiles:
            if profile.id == profile_id:
                return profile
        raise LeafletError(
            f"unknown profile '{profile_id}' for handout '{self.id}'",
            hint=f"profiles of this handout: {', '.join(p.id for p in self.profiles.profiles)}")


def unprintable(translation: Translation) -> list[LeafletError]:
    """One error for each text with a character its language's fonts cannot draw: never a blank box."""
    from .fonts import describe_character, font_set, missing_characters, position  # ReportLab only when needed
    fonts = font_set(translation.language)
    errors = []
    for key, entry in translation.texts.items():
        for char in missing_characters(entry.text, fonts)[:1]:
            errors.append(LeafletError(
                f"{describe_character(char)} in '{key}' cannot be printed with the "
                f"{translation.language} fonts: it is {position(char, entry.text)}", entry_where(translation, key),
                "replace it with a character of the language's script, or remove it"))
    return errors


def unprintable_source(handout: Handout, profiles: ProfileSet) -> list[LeafletError]:
    """The same for the handout's own texts, each with its file and line (an emoji typed into content)."""
    from .fonts import describe_character, font_set, missing_characters, position
    from .translation import units
    fonts = font_set(handout.language)
    places = [(unit.owner, unit.field, unit.key, unit.text) for unit in units(handout, profiles)]
    places += [(source, "text", f"sources.{source.id}", source.text) for source in handout.sources]
    errors = []
    for owner, field, key, text in places:
        for char in missing_characters(text, fonts)[:1]:
            number = key.rsplit(".", 1)[-1]
            where = where_of(owner, f"{field}.{number}" if number.isdigit() and f"{field}.{number}" in owner._marks
                             else field)
            errors.append(LeafletError(
                f"{describe_character(char)} cannot be printed with the leaflet's fonts: it is {position(char, text)}",
                where,
                "remove it or write it in words: no font shipped with the leaflets has it "
                "(emoji and pictographs cannot be printed)"))
    return errors


def check_printable(translation: Translation) -> None:
    for error in unprintable(translation)[:1]:
        raise error


class Library:
    """The handouts in one content folder (a handout is a sub-folder with handout.yaml)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise LeafletError(f"content folder not found: {self.folder}",
                               hint="--content takes a folder that holds one sub-folder per handout")

    def handout_ids(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir() if (p / HANDOUT_FILE).is_file())

    def only_handout(self, default: str) -> str:
        """The handout a command means when none is named: the folder's only one, else `default`."""
        ids = self.handout_ids()
        if len(ids) == 1:
            return ids[0]
        if default in ids:
            return default
        raise LeafletError(f"{self.folder} holds {len(ids)} handouts: say which one with --handout ID",
                           hint=f"handouts here: {', '.join(ids) or '(none)'}")

    def load(self, handout_id: str) -> LoadedHandout:
        ids = self.handout_ids()
        if handout_id not in ids:
            raise LeafletError(
                f"unknown handout '{handout_id}' in {self.folder}",
                hint=f"handouts here: {', '.join(ids) or '(none)'}")
        return load_handout(self.folder / handout_id)


def open_library(content: Path | None = None) -> Library:
    """The clinic's folder of handouts, or the built-in one."""
    from .paths import default_content_dir
    return Library(content or default_content_dir())


def load_handout(folder: Path) -> LoadedHandout:
    handout = validate(Handout, load_yaml(folder / HANDOUT_FILE, what="handout file"))
    errors = check_handout(handout)
    profiles_file = folder / PROFILES_FILE
    if profiles_file.is_file():
        profiles = load_profiles(profiles_file, handout, errors)
    else:
        profiles = ProfileSet(profiles=[Profile(id="general", label="General")])
    errors += _check_codes(handout, profiles.profiles)
    if errors:
        raise ContentErrors(errors)
    return LoadedHandout(folder.name, folder, handout, profiles)


def check_handout(handout: Handout) -> list[LeafletError]:
    """Rules that span several keys: unique ids, known sources, table shape, dates."""
    errors: list[LeafletError] = []
    source_ids = _unique([s for s in handout.sources], "source", errors)
    _unique(handout.sections, "section", errors)
    for section in handout.sections:
        errors += check_section(section, source_ids)
    if handout.status == "approved" and not (handout.approved_by and handout.approved_on):
        errors.append(LeafletError("approved content must say who approved it and when", where_of(handout, "status"),
                                   "add approved_by and approved_on, or set status: draft"))
    if handout.review_by <= handout.published:
        errors.append(LeafletError("the review date must come after the publication date",
                                   where_of(handout, "review_by"), "set review_by to a later date"))
    return errors


def check_section(section: SectionBase, source_ids: set[str]) -> list[LeafletError]:
    errors: list[LeafletError] = []
    for name in section.sources:
        if name not in source_ids:
            errors.append(LeafletError(
                f"section '{section.id}' cites unknown source '{name}'", where_of(section, "sources"),
                f"sources of this handout: {', '.join(sorted(source_ids))}"))
    items = getattr(section, "items", None) or getattr(section, "rows", None) or []
    _unique(items, f"item of section '{section.id}'", errors)
    if section.kind == "table":
        for row in section.rows:
            if len(row.cells) != len(section.columns):
                errors.append(LeafletError(
                    f"row '{row.id}' has {len(row.cells)} cells but the table has {len(section.columns)} columns",
                    where_of(row, "cells"), "give every row one cell per column"))
    if section.kind == "callout" and not (section.paragraphs or section.items):
        errors.append(LeafletError(f"callout '{section.id}' is empty", where_of(section),
                                   "give it paragraphs, items or both"))
    return errors


def _unique(things: list[Any], what: str, errors: list[LeafletError]) -> set[str]:
    seen: set[str] = set()
    for thing in things:
        if thing.id in seen:
            errors.append(LeafletError(f"two {what}s have the id '{thing.id}'", where_of(thing, "id"),
                                       "ids must be unique: rename one"))
        seen.add(thing.id)
    return seen


def load_profiles(file: Path, handout: Handout, errors: list[LeafletError]) -> ProfileSet:
    source = load_yaml(file, what="profiles file")
    profile_set: ProfileSet = validate(ProfileSet, source)
    known = _unique(profile_set.profiles, "profile", errors)
    if profile_set.default not in known:
        errors.append(LeafletError(f"the default profile '{profile_set.default}' is not defined",
                                   where_of(profile_set, "default"), f"profiles here: {', '.join(sorted(known))}"))

    sections: dict[str, Any] = {s.id: s for s in handout.sections}
    source_ids = {s.id for s in handout.sources}
    validated: list[Profile] = []
    for p_index, profile in enumerate(profile_set.profiles):
        base = ("profiles", p_index)
        added_sections = []
        for a_index, addition in enumerate(profile.add_sections):
            path = base + ("add_sections", a_index, "section")
            try:
                section = validate(Section, source, addition.section, path)
            except ContentErrors as exc:
                errors += exc.errors
                continue
            if section.id in sections:
                errors.append(LeafletError(f"a section with the id '{section.id}' already exists",
                                           where_of(section, "id"), "give the added section a new id"))
            errors += check_section(section, source_ids)
            if addition.after is not None and addition.after not in sections:
                errors.append(_unknown(addition, "after", addition.after, sections))
            sections[section.id] = section
            added_sections.append(addition.model_copy(update={"section": section}))

        added_items = []
        for a_index, addition in enumerate(profile.add_items):
            section = sections.get(addition.to)
            if section is None:
                errors.append(_unknown(addition, "to", addition.to, sections))
                continue
            item_model = ITEM_MODELS.get(section.kind)
            if item_model is None:
                errors.append(LeafletError(f"section '{section.id}' is a {section.kind} section and holds no items",
                                           where_of(addition, "to"), "add to a bullets, checklist, callout, table or faq section"))
                continue
            path = base + ("add_items", a_index, "items")
            try:
                items = validate(list[item_model], source, addition.items, path)
            except ContentErrors as exc:
                errors += exc.errors
                continue
            existing = {i.id for i in _items(section)}
            for item in items:
                if item.id in existing:
                    errors.append(LeafletError(f"section '{section.id}' already has an item '{item.id}'",
                                               where_of(item, "id"), "give the added item a new id"))
                if item_model is TableRow and len(item.cells) != len(section.columns):
                    errors.append(LeafletError(f"row '{item.id}' needs {len(section.columns)} cells",
                                               where_of(item, "cells")))
            if addition.after is not None and addition.after not in existing:
                errors.append(_unknown(addition, "after", addition.after, {i: 1 for i in existing}))
            added_items.append(addition.model_copy(update={"items": items}))

        for field in ("include", "exclude"):
            for target in getattr(profile, field):
                problem = _find_target(target, sections)
                if problem:
                    errors.append(LeafletError(problem, where_of(profile, field), _TARGET_HINT))
                elif field == "include" and not _target_node(target, sections).optional:
                    errors.append(LeafletError(
                        f"'{target}' is always shown, so including it changes nothing", where_of(profile, field),
                        "mark it 'optional: true' in handout.yaml, or remove it from include"))
        for replacement in profile.replace:
            errors += _check_replacement(replacement, sections)

        validated.append(profile.model_copy(update={"add_sections": added_sections, "add_items": added_items}))
    return profile_set.model_copy(update={"profiles": validated})


def _check_codes(handout: Handout, profiles: list[Profile]) -> list[LeafletError]:
    """A code names one place in a handout: the handout itself or a single profile, once."""
    errors: list[LeafletError] = []
    owners: dict[tuple[str, str], str] = {}
    for owner, name in [(handout, "the handout"), *((p, f"profile '{p.id}'") for p in profiles)]:
        for system, values in owner.codes.items():
            for code in values:
                key = (system, normal_code(system, code))
                if key in owners:
                    places = f"in {name}" if owners[key] == name else f"by {owners[key]} and by {name}"
                    errors.append(LeafletError(
                        f"the {system} code {code} is declared twice: {places}",
                        where_of(owner, "codes"),
                        "keep it in one place: the handout for any clot, a profile for one site"))
                owners.setdefault(key, name)
    return errors


_TARGET_HINT = "write 'section-id' or 'section-id.item-id' (see `generate.py list` and handout.yaml)"


def _items(section: Any) -> list[Any]:
    return list(getattr(section, "items", None) or getattr(section, "rows", None) or [])


def _find_target(target: str, sections: dict[str, Any]) -> str | None:
    section_id, _, item_id = target.partition(".")
    section = sections.get(section_id)
    if section is None:
        return f"unknown section '{section_id}' in '{target}' (sections: {', '.join(sections)})"
    if item_id and item_id not in {i.id for i in _items(section)}:
        return f"section '{section_id}' has no item '{item_id}' (items: {', '.join(i.id for i in _items(section))})"
    return None


def _target_node(target: str, sections: dict[str, Any]) -> Any:
    section_id, _, item_id = target.partition(".")
    section = sections[section_id]
    return next(i for i in _items(section) if i.id == item_id) if item_id else section


def _check_replacement(replacement: Replacement, sections: dict[str, Any]) -> list[LeafletError]:
    problem = _find_target(replacement.target, sections)
    if problem:
        return [LeafletError(problem, where_of(replacement, "target"), _TARGET_HINT)]
    node = _target_node(replacement.target, sections)
    allowed = _ITEM_REPLACEABLE[type(node)] if "." in replacement.target else _REPLACEABLE[node.kind]
    wrong = sorted(set(replacement.fields()) - allowed)
    if not replacement.fields():
        return [LeafletError("this replacement changes nothing", where_of(replacement),
                             f"give new wording for one of: {', '.join(sorted(allowed))}")]
    if wrong:
        return [LeafletError(f"'{replacement.target}' has no {', '.join(wrong)} to replace",
                             where_of(replacement, wrong[0]), f"fields you can replace there: {', '.join(sorted(allowed))}")]
    if isinstance(node, TableRow) and replacement.cells is not None and len(replacement.cells) != len(node.cells):
        return [LeafletError(f"row '{node.id}' needs {len(node.cells)} cells", where_of(replacement, "cells"))]
    return []


def _unknown(obj: Located, key: str, value: str, known: dict[str, Any]) -> LeafletError:
    return LeafletError(f"unknown {'section' if key == 'to' else 'id'} '{value}'", where_of(obj, key),
                        f"known here: {', '.join(known) or '(none)'}")


STRINGS_DIR = "strings"   # a clinic's own wording, next to its handouts or its brand file


def load_strings(folder: Path, language: str, overrides: tuple[Path, ...] = ()) -> UiStrings:
    """The fixed wording (labels, footer) for one language: read once, again only if a file changes.

    `overrides` are folders of a clinic's own wording (strings/<lang>.yaml next to its handouts or its
    brand): each may give any of the keys, and later folders win. A language with no shared wording
    can be added by a clinic whose file gives every key.
    """
    files = [folder / f"{language}.yaml"] + [Path(f) / f"{language}.yaml" for f in overrides]
    found = tuple((file, file.stat().st_mtime_ns) for file in files if file.is_file())
    if not found:
        available = sorted(p.stem for p in folder.glob("*.yaml"))
        raise LeafletError(f"no leaflet wording for language '{language}'", Where(files[0]),
                           f"languages with wording: {', '.join(available)}; or give every key in "
                           f"{STRINGS_DIR}/{language}.yaml next to your handouts") from None
    return _read_strings(found)


@lru_cache(maxsize=32)
def _read_strings(files: tuple[tuple[Path, int], ...]) -> UiStrings:
    strings = validate(UiStrings, load_yaml(files[0][0], what="wording file"))
    for file, _changed in files[1:]:
        strings = _override(strings, validate(string_overrides(), load_yaml(file, what="wording file")))
    return strings


def clinic_strings(language: str, content: Path, brand_file: Path, shared: Path | None = None) -> UiStrings:
    """The wording of one language with the clinic's own: strings/ next to its handouts, then next to its brand."""
    from .paths import strings_dir
    return load_strings(shared or strings_dir(), language,
                        (Path(content) / STRINGS_DIR, Path(brand_file).parent / STRINGS_DIR))


def _override(strings: UiStrings, own) -> UiStrings:
    """The shared wording with the keys a clinic's own file gives; errors in them point at that file."""
    given = {name: getattr(own, name) for name in own.model_fields_set if name not in ("desk", "language")}
    if own.desk is not None:
        given["desk"] = _override_desk(strings.desk, own.desk)
    merged = strings.model_copy(update=given)
    merged._marks = {**strings._marks, **{k: v for k, v in own._marks.items() if k in given}}
    merged._files = {**strings._files, **{name: own._file for name in given}}
    return merged


def _override_desk(desk, own):
    given = {name: getattr(own, name) for name in own.model_fields_set}
    merged = desk.model_copy(update=given)
    merged._marks = {**desk._marks, **{k: v for k, v in own._marks.items() if k in given}}
    merged._files = {**desk._files, **{name: own._file for name in given}}
    return merged

"""Translations: every text of the source translated, nothing extra, nothing stale, every character printable."""

from __future__ import annotations

from ..content import LoadedHandout, unprintable, unprintable_source
from ..errors import LeafletError
from ..fonts import font_set, missing_characters
from ..model import UiStrings
from ..translation import TRANSLATIONS_DIR, Translation, compare, entry_where, load_translation, units
from ..validation import where_of
from .facts import differences
from .findings import Finding
from .templates import wording_texts

KEEP_HINT = "a translation rewords, but keeps every number, {{ variable }} and web address of the English"


def check_translations(loaded: LoadedHandout, only: list[str] | None = None) -> tuple[list[Finding], list[str]]:
    """Findings for every translation file (or those of `only`, in any case), and the languages that can be built."""
    only = [loaded.language_code(code) for code in only] if only else only
    findings: list[Finding] = []
    usable = [loaded.handout.language] if not only or loaded.handout.language in only else []
    unprintable_here = unprintable_source(loaded.handout, loaded.profiles)   # an emoji typed into the content
    findings += [f for error in unprintable_here for f in Finding.from_error("schema", error)]
    if unprintable_here:
        usable = []
    source_units = list(units(loaded.handout, loaded.profiles))
    for language in loaded.languages[1:]:
        if only and language not in only:
            continue
        file = loaded.folder / TRANSLATIONS_DIR / f"{language}.yaml"
        try:
            translation = load_translation(file)
        except LeafletError as exc:
            findings += Finding.from_error("schema", exc)
            continue
        errors = _coverage(translation, source_units) + _glyphs(translation) + _facts(translation, source_units)
        findings += errors
        if translation.status == "draft":
            findings.append(Finding.of(
                "translations", "warning", f"the {language} translation is a draft: its leaflets say it has not "
                "been checked by a qualified medical translator", where_of(translation, "status"),
                "once a medical translator has approved it, set status: approved, approved_by and approved_on"))
        if not any(f.severity == "error" for f in errors):
            usable.append(language)
    return findings, usable


def _coverage(translation: Translation, source_units) -> list[Finding]:
    coverage = compare(translation, source_units)
    language = translation.language
    findings = [Finding.of("translations", "error", f"'{unit.key}' has no {language} translation",
                           where_of(translation, "texts"),
                           f"translate: \"{unit.text[:80]}\" (or build with --fallback-english meanwhile)")
                for unit in coverage.missing]
    findings += [Finding.of("translations", "error", f"'{key}' is not a text of the English source",
                            entry_where(translation, key), "remove it: the English no longer has this text")
                 for key in coverage.extra]
    findings += [Finding.of("translations", "warning", f"'{key}' is stale: the English changed after it was "
                            "translated", entry_where(translation, key),
                            "update the translation, then its source fingerprint "
                            "(`generate.py translations export` marks stale texts fuzzy)")
                 for key in coverage.stale]
    return findings


def _facts(translation: Translation, source_units) -> list[Finding]:
    """A translated text whose numbers, variables or web addresses differ from its English: an error."""
    english = {unit.key: unit.text for unit in source_units}
    return [Finding.of("translations", "error", f"'{key}' has {difference}", entry_where(translation, key),
                       f"{KEEP_HINT}: \"{english[key][:80]}\"")
            for key, entry in translation.texts.items() if key in english
            for difference in differences(english[key], entry.text)]


def _glyphs(translation: Translation) -> list[Finding]:
    return [f for error in unprintable(translation) for f in Finding.from_error("translations", error)]


def check_wording_glyphs(strings: UiStrings) -> list[Finding]:
    """The fixed wording of a language must be printable with that language's fonts."""
    fonts = font_set(strings.language)
    return [Finding.of("translations", "error", f"the character '{char}' (U+{ord(char):04X}) cannot be printed "
                       f"with the {strings.language} fonts", where_of(model, name),
                       "replace it with a character of the language's script")
            for model, name, text in wording_texts(strings) for char in missing_characters(text, fonts)[:1]]


def check_wording_facts(strings: UiStrings, english: UiStrings) -> list[Finding]:
    """A language's fixed wording keeps the numbers, variables and web addresses of the English wording."""
    source = {key: text for key, _, text in _keyed_wording(english)}
    findings = []
    for key, model, text in _keyed_wording(strings):
        original = source.get(key)
        for difference in differences(original, text) if original is not None else []:
            findings.append(Finding.of("translations", "error", f"'{key[1]}' has {difference}",
                                       where_of(model, key[1]), f"{KEEP_HINT}: \"{original[:80]}\""))
    return findings


def _keyed_wording(strings: UiStrings):
    """((model kind, field, n), model, text): the n-th text of a field, so list items pair up by position."""
    seen: dict[tuple[str, str], int] = {}
    for model, name, text in wording_texts(strings):
        n = seen[type(model).__name__, name] = seen.get((type(model).__name__, name), -1) + 1
        yield (type(model).__name__, name, n), model, text

"""Run every rule over a content folder and a brand, collecting findings instead of stopping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..brand import ClinicBrand, check_logo, read_brand
from ..content import STRINGS_DIR, LoadedHandout, clinic_strings, load_handout
from ..errors import LeafletError
from ..model import UiStrings
from ..paths import default_brand_file, strings_dir
from ..pipeline import open_library
from ..resolve import content_variables
from ..validation import validate
from ..yamlsource import load_yaml
from . import contrast, layout, readability, rules, templates, translations
from .findings import Finding, Report


def run_checks(content: Path | None = None, brand: Path | None = None, today: dt.date | None = None,
               only_languages: list[str] | None = None) -> Report:
    """Every rule over every handout; only_languages narrows translations and layout to some languages."""
    today = today or dt.date.today()
    report = Report()
    library = open_library(content)  # a missing folder is a usage error, raised
    clinic = _brand(Path(brand) if brand else default_brand_file(), report)
    wording = _wording(report)
    own_wording = _clinic_wording(report, library.folder, clinic)
    grades, budgets = [], []
    for handout_id in library.handout_ids():
        try:
            loaded = load_handout(library.folder / handout_id)
        except LeafletError as exc:
            report.add(Finding.from_error("schema", exc))
            continue
        report.add(rules.check_review(loaded, today))
        report.add(rules.check_sources(loaded))
        report.add(rules.check_actionability(loaded))
        found, languages = translations.check_translations(loaded, only_languages)
        report.add(found)
        for language in languages:
            version = loaded.in_language(language)
            found, overall = readability.check_passages(_passages(version), language, f"{handout_id} ({language})")
            report.add([f for f in found if f.severity != "info"])
            if overall:
                grades.append(overall)
        if clinic is None:
            continue
        variables = content_variables(loaded.handout, clinic.brand)
        report.add(templates.check_content([loaded.handout, loaded.profiles], variables))
        for language in languages:
            if language != loaded.handout.language:
                version = loaded.in_language(language)
                report.add(templates.check_content([version.handout, version.profiles], variables))
        for strings in wording:
            report.add(templates.check_wording(strings, variables))
        for strings in own_wording:   # only what the clinic's own files say: the rest is checked above
            own = {str(file) for file in strings._files.values()}
            report.add([f for f in templates.check_wording(strings, variables) + translations.check_wording_glyphs(strings)
                        if f.file in own])
        own_wording = []
        wording = []  # the wording is the same for every handout: check it once
        if any(f.severity == "error" and f.rule == "template" for f in report.findings):
            continue  # building would only repeat these
        fits, leaflets, failures = layout.build_every_variant(loaded, clinic, languages)
        report.add(failures)
        report.add(layout.check_budget(loaded, fits))
        for leaflet in leaflets:
            report.add(rules.check_leaflet(leaflet, loaded))
        budgets.append(layout.worst_case(loaded, fits))
    if not library.handout_ids():
        report.add([Finding.of("schema", "error", f"no handouts in {library.folder}",
                               hint="each handout is a folder holding handout.yaml")])
    report.summary = {"reading level": "; ".join(grades) or "not measured",
                      "page budget": "; ".join(budgets) or "not checked"}
    return report


def _brand(path: Path, report: Report) -> ClinicBrand | None:
    """The brand, or None when it cannot be used (the reasons are findings)."""
    try:
        clinic = read_brand(path)
    except LeafletError as exc:
        report.add(Finding.from_error("schema", exc))
        return None
    report.add(contrast.check_colours(clinic.brand))
    if clinic.logo:
        try:
            check_logo(clinic.logo, clinic.brand)
        except LeafletError as exc:
            report.add(Finding.from_error("brand", exc))
            return ClinicBrand(clinic.brand, clinic.file, None)
    return clinic


def _wording(report: Report) -> list[UiStrings]:
    """Every language's fixed wording that validates; the rest become findings."""
    valid = []
    for file in sorted(strings_dir().glob("*.yaml")):
        try:
            strings = validate(UiStrings, load_yaml(file, what="wording file"))
        except LeafletError as exc:
            report.add(Finding.from_error("schema", exc))
            continue
        valid.append(strings)
        report.add(translations.check_wording_glyphs(strings))
    english = next((s for s in valid if s.language == "en"), None)
    for strings in valid if english else []:
        report.add(translations.check_wording_facts(strings, english))
    return valid


def _clinic_wording(report: Report, content: Path, clinic: ClinicBrand | None) -> list[UiStrings]:
    """The wording with the clinic's own strings/<lang>.yaml (next to its handouts or brand), where it has any."""
    if clinic is None:
        return []
    folders = (content / STRINGS_DIR, clinic.file.parent / STRINGS_DIR)
    merged = []
    for language in sorted({file.stem for folder in folders for file in folder.glob("*.yaml")}):
        try:
            merged.append(clinic_strings(language, content, clinic.file))
        except LeafletError as exc:
            report.add(Finding.from_error("schema", exc))
    return merged


def _passages(loaded: LoadedHandout) -> list[readability.Passage]:
    """Each section's text, with what profiles add to or reword in it."""
    by_section: dict[str, list] = {}
    owners = {}
    for section in loaded.handout.sections:
        owners[section.id] = section
        by_section[section.id] = list(templates.content_texts(section))
    for profile in loaded.profiles.profiles:
        for addition in profile.add_sections:
            owners[addition.section.id] = addition.section
            by_section[addition.section.id] = list(templates.content_texts(addition.section))
        for addition in profile.add_items:
            by_section.setdefault(addition.to, []).extend(templates.content_texts(addition.items))
        for replacement in profile.replace:
            section_id = replacement.target.split(".")[0]
            by_section.setdefault(section_id, []).extend(templates.content_texts(replacement))
    return [readability.Passage(section_id, owners[section_id], tuple(
        (obj, key, sentence) for obj, key, text in texts if key != "title" and key != "columns"
        for sentence in readability.sentences(text)))
        for section_id, texts in by_section.items() if section_id in owners]

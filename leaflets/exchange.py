"""Send translations to an agency and take them back: gettext PO files, through polib.

Export writes one PO entry per text of the English source: msgctxt is the
key, msgid the English, msgstr the current translation (marked fuzzy when the
English changed since). Import turns the PO file back into the translation
file, fingerprinting each entry against the English it was translated from,
so an export followed by an import changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import polib
import yaml

from .content import LoadedHandout
from .errors import LeafletError, Where
from .limits import check_size
from .output import write_atomically
from .translation import TRANSLATIONS_DIR, fingerprint, load_translation, units

HEADER = "# yaml-language-server: $schema=../../../schemas/translation.schema.json\n"


def export_po(loaded: LoadedHandout, language: str) -> polib.POFile:
    file = loaded.folder / TRANSLATIONS_DIR / f"{language}.yaml"
    translation = load_translation(file) if file.is_file() else None
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": f"{loaded.id} {loaded.handout.version}", "Language": language,
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "X-Leaflet-Status": translation.status if translation else "draft"}
    for unit in units(loaded.handout, loaded.profiles):
        entry = translation.texts.get(unit.key) if translation else None
        po_entry = polib.POEntry(msgctxt=unit.key, msgid=unit.text, msgstr=entry.text if entry else "")
        if entry is not None and entry.source != fingerprint(unit.text):
            po_entry.flags.append("fuzzy")  # the English changed after this was translated
        if "{{" in unit.text:
            po_entry.comment = "Keep every {{ ... }} exactly as it is: it is filled in with the clinic's details."
        po.append(po_entry)
    return po


def import_po(loaded: LoadedHandout, po_file: Path) -> tuple[Path, int]:
    """Write the translation file from a PO file; returns its path and the number of texts."""
    if not po_file.is_file():  # polib would read a path that is not a file as PO text
        raise LeafletError("PO file not found", Where(po_file), "check the path")
    check_size(po_file, "PO file", "a translated handout is well under 1 MB: check this is the right file")
    try:
        po = polib.pofile(str(po_file), wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise LeafletError(f"cannot read the PO file ({exc})", Where(po_file), "check it is a gettext .po file") from None
    language = po.metadata.get("Language", "").strip()
    if not language:
        raise LeafletError("the PO file does not say its language", Where(po_file), "add a 'Language: xx' header")
    file = loaded.folder / TRANSLATIONS_DIR / f"{language}.yaml"
    old = load_translation(file) if file.is_file() else None
    source = {u.key: u.text for u in units(loaded.handout, loaded.profiles)}
    texts = {}
    for entry in po:
        if not entry.msgstr.strip() or entry.obsolete:
            continue
        if entry.msgctxt not in source:
            raise LeafletError(f"'{entry.msgctxt}' is not a text of the English source",
                               Where(po_file, entry.linenum), "export a fresh PO file and translate that")
        previous = old.texts.get(entry.msgctxt) if old else None
        # Fuzzy entries were translated from older English: keep their old fingerprint, so they stay stale.
        made_from = previous.source if ("fuzzy" in entry.flags and previous) else fingerprint(entry.msgid)
        texts[entry.msgctxt] = {"source": made_from, "text": entry.msgstr.strip()}
    data = {"language": language, "status": old.status if old else "draft"}
    for key in ("translated_by", "approved_by", "approved_on"):
        if old is not None and getattr(old, key) is not None:
            data[key] = getattr(old, key)
    data["texts"] = texts
    write_atomically(file, translation_yaml(data).encode("utf-8"))
    return file, len(texts)


def translation_yaml(data: dict) -> str:
    """The canonical text of a translation file."""
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


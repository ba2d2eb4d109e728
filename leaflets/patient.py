"""The discharge details a nurse types: limits and checks shared by the command line and the desk.

Messages about a detail never repeat what was typed: they may end up in a
terminal's scrollback or a server's log.
"""

from __future__ import annotations

import unicodedata

from .leaflet import PatientDetails

# Longest text accepted for each detail: enough for real use. The "For you" box follows the safety
# boxes and runs on to the next page when the notes are long; the page budget is the last limit.
LIMITS = {"name": 100, "date": 40, "clinician": 100, "follow_up": 200, "notes": 800}


def clean(value: str) -> str:
    """Line breaks made plain, and invisible format characters (direction overrides and isolates,
    byte-order marks, zero-width spaces and joiners) left out: a leaflet orders a name's letters by
    their script, and such a character would otherwise print as a box or reverse the name."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if unicodedata.category(c) != "Cf").strip()


def problem(field: str, value: str) -> str | None:
    """What is wrong with one cleaned detail, in words that do not quote it; None when fine."""
    limit = LIMITS[field]
    if len(value) > limit:
        return f"is {len(value)} characters long; the limit is {limit}"
    if any(ord(c) < 32 and c not in "\n\t" for c in value) or any(0x7F <= ord(c) < 0xA0 for c in value):
        return "contains control characters"
    return None


def details(values: dict[str, str]) -> tuple[PatientDetails, dict[str, str]]:
    """PatientDetails from raw values, and the problems found (field: problem)."""
    cleaned = {field: clean(values.get(field, "")) for field in LIMITS}
    problems = {field: p for field, value in cleaned.items() if (p := problem(field, value))}
    return PatientDetails(**cleaned), problems

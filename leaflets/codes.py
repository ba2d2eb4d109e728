"""Clinical code systems a handout or profile may declare, and how to tell a well-formed code.

An EHR asks for a leaflet by the patient's problem code (HL7 Infobutton), so
content names the codes it serves. Only the form of a code is checked here
(a typo caught early); whether a code means what the author thinks is a
terminologist's review, not a program's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CodeSystem:
    key: str            # as written in YAML: codes: {icd-10-cm: [...]}
    name: str           # as printed to people
    oid: str            # as an HL7 Infobutton request names it (mainSearchCriteria.v.cs)
    uri: str            # as FHIR names it (Coding.system)
    example: str


ICD_10_CM = CodeSystem("icd-10-cm", "ICD-10-CM", "2.16.840.1.113883.6.90", "http://hl7.org/fhir/sid/icd-10-cm",
                       "I82.411")
SNOMED_CT = CodeSystem("snomed-ct", "SNOMED CT", "2.16.840.1.113883.6.96", "http://snomed.info/sct", "128053003")
SYSTEMS: dict[str, CodeSystem] = {s.key: s for s in (ICD_10_CM, SNOMED_CT)}
BY_OID: dict[str, CodeSystem] = {s.oid: s for s in SYSTEMS.values()}

# A letter, a digit, a digit or letter; then optionally a dot and 1 to 4 digits or letters (I82.4Z1).
ICD_10_CM_PATTERN = r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$"
_ICD_10_CM = re.compile(ICD_10_CM_PATTERN)
# SNOMED CT identifiers: 6 to 18 digits, no leading zero, the last one a Verhoeff check digit.
SCTID_PATTERN = r"^[1-9][0-9]{5,17}$"
_SCTID = re.compile(SCTID_PATTERN)

_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]]
for _i in range(2, 8):
    _P.append([_P[_i - 1][_P[1][j]] for j in range(10)])


def _verhoeff_ok(digits: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


def problem(system: str, code: str) -> str | None:
    """What is wrong with the form of a code, or None when it is well formed."""
    if system == ICD_10_CM.key:
        if not _ICD_10_CM.match(code):
            return (f"'{code}' is not written as an ICD-10-CM code: a capital letter, two digits (the third may "
                    f"be a letter), then a dot and up to four digits or capitals, e.g. {ICD_10_CM.example}")
        return None
    if system == SNOMED_CT.key:
        if not _SCTID.match(code):
            return f"'{code}' is not a SNOMED CT identifier: 6 to 18 digits, not starting with 0, e.g. {SNOMED_CT.example}"
        if not _verhoeff_ok(code):
            return f"'{code}' fails the SNOMED CT check digit (Verhoeff): a digit is probably mistyped"
        return None
    return f"unknown code system '{system}'"


def normal(system: str, code: str) -> str:
    """A code as compared: ICD-10-CM without its dot and in capitals (EHRs send both I82.411 and I82411)."""
    code = code.strip()
    return code.upper().replace(".", "") if system == ICD_10_CM.key else code

"""What was given to the patient, as FHIR R4 resources for their record.

A transaction Bundle an EHR can POST as it is: a DocumentReference for the
leaflet (reference and version, language, the PDF with its SHA-1 hash and
size) and, when patient details were printed, a Communication saying it was
given (payload: the DocumentReference, sent: now). Plain JSON, built here
without a FHIR library; the tests validate it with one. Nothing here is
logged or written anywhere but where the caller sends it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from . import online
from .content import LoadedHandout
from .leaflet import PatientDetails

IDENTIFIER_SYSTEM = "urn:leaflets:reference"   # the clinic's leaflet references (VASC-DVT-001)
MASTER_SYSTEM = "urn:leaflets:leaflet"         # one printed variant: reference|version|profiles|language|paper


@dataclass(frozen=True)
class GivenLeaflet:
    """The leaflet as printed: which content, which variant, and the PDF's bytes."""

    loaded: LoadedHandout          # in the leaflet's language
    profiles: tuple[str, ...]      # as chosen (empty: the default profile)
    language: str
    print_key: str                 # 'a4', 'letter-large' ...
    pdf: bytes
    site_url: str | None = None    # the download site, when the brand names one


def record(given: GivenLeaflet, patient: PatientDetails, now: dt.datetime | None = None) -> dict:
    """A FHIR R4 transaction Bundle: the DocumentReference, and a Communication when details were given."""
    now = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    document_id = f"urn:uuid:{uuid.uuid4()}"
    entries = [{"fullUrl": document_id, "resource": document_reference(given, now),
                "request": {"method": "POST", "url": "DocumentReference"}}]
    if not patient.is_empty():
        entries.append({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": communication(document_id, patient, given, now),
                        "request": {"method": "POST", "url": "Communication"}})
    return {"resourceType": "Bundle", "type": "transaction", "timestamp": _instant(now), "entry": entries}


def document_reference(given: GivenLeaflet, now: dt.datetime) -> dict:
    handout = given.loaded.handout
    profiles = given.profiles or (given.loaded.profiles.default,)
    labels = [given.loaded.profile(p).label for p in profiles]
    attachment = {
        "contentType": "application/pdf", "language": given.language, "title": handout.title,
        "data": base64.b64encode(given.pdf).decode("ascii"), "size": len(given.pdf),
        "hash": base64.b64encode(hashlib.sha1(given.pdf).digest()).decode("ascii"),
        "creation": handout.published.isoformat(),
    }
    if given.site_url:  # where the same leaflet, without the patient's details, can be read again
        attachment["url"] = online.address(given.site_url,
                                           online.pdf_path(given.loaded.id, profiles, given.language, given.print_key))
    return {
        "resourceType": "DocumentReference", "language": given.language,
        "masterIdentifier": {"system": MASTER_SYSTEM,
                             "value": "|".join((handout.reference, handout.version, "+".join(profiles),
                                                given.language, given.print_key))},
        "identifier": [{"system": IDENTIFIER_SYSTEM, "value": handout.reference}],
        "status": "current",
        "docStatus": "final" if handout.status == "approved" else "preliminary",
        "type": {"text": "Patient information leaflet"},
        "category": [{"text": "Patient education"}],
        "date": _instant(now),
        "description": f"{handout.title}, version {handout.version} ({'; '.join(labels)})",
        "content": [{"attachment": attachment}],
    }


def communication(document_id: str, patient: PatientDetails, given: GivenLeaflet, now: dt.datetime) -> dict:
    resource: dict = {
        "resourceType": "Communication", "status": "completed", "language": given.language,
        "category": [{"text": "Patient education"}],
        "sent": _instant(now),
        "payload": [{"contentReference": {"reference": document_id, "display": given.loaded.handout.title}}],
    }
    if patient.name:
        resource["subject"] = {"display": patient.name}
        resource["recipient"] = [{"display": patient.name}]
    if patient.clinician:
        resource["sender"] = {"display": patient.clinician}
    notes = [text for text in (patient.follow_up, patient.notes) if text]
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    return resource


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")

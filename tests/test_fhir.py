"""FHIR R4 records of the leaflet given: from `build --fhir` and from the desk, validated with fhir.resources."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import re
import shutil

import pytest
from pypdf import PdfReader
from fhir.resources.R4B.bundle import Bundle   # R4B: R4's DocumentReference and Communication, unchanged

from leaflets.desk.app import create_app

from .conftest import BRAND, edit

DETAILS = {"name": "Quilla Farthingale", "follow_up": "Vascular clinic 3 December", "clinician": "Dr Ode"}


def validated(data: dict) -> Bundle:
    bundle = Bundle.model_validate(data)  # raises on any element R4 does not have or a wrong type
    assert bundle.type == "transaction"
    for entry in bundle.entry:  # fhir.resources does not check bound codes: these are R4's value sets
        resource = entry.resource
        if resource.get_resource_type() == "DocumentReference":
            assert resource.status in {"current", "superseded", "entered-in-error"}
            assert resource.docStatus in {"preliminary", "final", "amended", "entered-in-error"}
        else:
            assert resource.status in {"preparation", "in-progress", "not-done", "on-hold", "stopped",
                                        "completed", "entered-in-error", "unknown"}
    return bundle


def resources(data: dict) -> dict[str, dict]:
    return {e["resource"]["resourceType"]: e for e in data["entry"]}


def test_build_writes_a_document_reference_that_matches_the_pdf(cli, tmp_path):
    pdf, record = tmp_path / "leaflet.pdf", tmp_path / "record.json"
    result = cli("build", "--profile", "femoral", "--lang", "es", "-o", str(pdf), "--fhir", str(record))
    assert result.code == 0 and str(record) in result.out
    data = json.loads(record.read_text())
    validated(data)
    assert set(resources(data)) == {"DocumentReference"}  # no details given: nothing was given to anyone yet
    document = resources(data)["DocumentReference"]["resource"]
    attachment = document["content"][0]["attachment"]
    printed = pdf.read_bytes()
    assert base64.b64decode(attachment["data"]) == printed
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(printed).digest()
    assert attachment["size"] == len(printed) and attachment["contentType"] == "application/pdf"
    assert attachment["language"] == document["language"] == "es"
    assert attachment["title"] == PdfReader(pdf).metadata.title == "Caminar después de un coágulo de sangre en la pierna"
    assert attachment["creation"] == "2026-11-01"
    assert document["identifier"] == [{"system": "urn:leaflets:reference", "value": "VASC-DVT-001"}]
    assert document["masterIdentifier"]["value"] == "VASC-DVT-001|1.0|femoral|es|a4"
    assert document["docStatus"] == "preliminary"  # the shipped content is a draft
    assert "url" not in attachment  # the example brand names no download site


def test_details_add_a_communication_whose_payload_is_the_document(cli, tmp_path):
    record = tmp_path / "record.json"
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    assert cli("build", "-o", str(tmp_path / "l.pdf"), "--fhir", str(record), "--patient-name", DETAILS["name"],
               "--clinician", DETAILS["clinician"], "--follow-up", DETAILS["follow_up"]).code == 0
    data = json.loads(record.read_text())
    bundle = validated(data)
    found = resources(data)
    communication = found["Communication"]["resource"]
    assert communication["payload"] == [{"contentReference": {"reference": found["DocumentReference"]["fullUrl"],
                                                              "display": "Walking after a blood clot in the leg"}}]
    sent = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "Communication"][0].sent
    assert before <= sent <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    assert communication["subject"] == {"display": DETAILS["name"]} and communication["status"] == "completed"
    assert [e["request"] for e in data["entry"]] == [{"method": "POST", "url": "DocumentReference"},
                                                      {"method": "POST", "url": "Communication"}]


def test_with_a_download_site_the_document_also_points_at_the_sites_copy(cli, tmp_path):
    brand = tmp_path / "brand"
    shutil.copytree(BRAND, brand)
    edit(brand / "brand.yaml", "website: www.example.org/vascular\n",
         "website: www.example.org/vascular\nsite_url: https://leaflets.example.org\n")
    record = tmp_path / "record.json"
    assert cli("build", "--brand", str(brand), "--profile", "calf", "--paper", "letter", "--large-print",
               "-o", str(tmp_path / "l.pdf"), "--fhir", str(record)).code == 0
    attachment = resources(json.loads(record.read_text()))["DocumentReference"]["resource"]["content"][0]["attachment"]
    assert attachment["url"] == "https://leaflets.example.org/en/dvt-walking-calf-letter-large.pdf"
    # a leaflet with the patient's details printed in it is not the site's copy
    assert cli("build", "--brand", str(brand), "-o", str(tmp_path / "p.pdf"), "--fhir", str(record),
               "--patient-name", "Sam").code == 0
    assert "url" not in resources(json.loads(record.read_text()))["DocumentReference"]["resource"]["content"][0]["attachment"]


def test_pdf_and_record_cannot_both_go_to_standard_output(cli):
    result = cli("build", "-o", "-", "--fhir", "-")
    assert result.code == 2 and "standard output" in result.err


@pytest.fixture(scope="module")
def client():
    return create_app(workers=0).test_client()


def test_the_desk_records_what_was_given_and_keeps_nothing(client, caplog):
    page = client.get("/")
    assert 'formaction="/record"' in page.text and "Record for the patient&#39;s notes (FHIR)" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    caplog.set_level(logging.DEBUG)
    response = client.post("/record", data={"csrf_token": token, "handout": "dvt-walking", "language": "fr",
                                           "paper": "a4", "profile": ["femoral", "flyer"], "action": "record",
                                           **DETAILS})
    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="dvt-walking-femoral+flyer-fr-record.json"'
    data = json.loads(response.data)
    validated(data)
    found = resources(data)
    assert found["Communication"]["resource"]["subject"]["display"] == DETAILS["name"]
    pdf = base64.b64decode(found["DocumentReference"]["resource"]["content"][0]["attachment"]["data"])
    assert pdf.startswith(b"%PDF") and found["DocumentReference"]["resource"]["language"] == "fr"
    log = "\n".join(record.getMessage() for record in caplog.records)
    assert "POST /record 200" in log
    for value in DETAILS.values():
        assert value not in log and value.split()[-1] not in log


def test_the_desk_refuses_a_record_without_its_form_token(client):
    response = client.post("/record", data={"handout": "dvt-walking", "language": "en", **DETAILS})
    assert response.status_code == 400 and DETAILS["name"] not in response.text

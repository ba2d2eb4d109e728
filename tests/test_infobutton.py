"""HL7 Infobutton on the desk: an EHR's request by problem code opens the right leaflet, or lists it."""

from __future__ import annotations

import re
import urllib.parse
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest

from leaflets.desk.app import create_app

from .conftest import edit

ICD10CM, SNOMED, LOINC = "2.16.840.1.113883.6.90", "2.16.840.1.113883.6.96", "2.16.840.1.113883.6.1"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client():
    return create_app(workers=0).test_client()


@pytest.fixture
def site_client(tmp_path):
    """A desk whose brand names its public download site."""
    from tests.conftest import BRAND
    import shutil
    brand = tmp_path / "brand"
    shutil.copytree(BRAND, brand)
    edit(brand / "brand.yaml", "website: www.example.org/vascular\n",
         "website: www.example.org/vascular\nsite_url: https://leaflets.example.org/\n")
    return create_app(brand=brand, workers=0).test_client()


def ask(client, *codes: tuple[str, str], language: str | None = "es", kind: str | None = None, **extra):
    """GET /infobutton the way an EHR builds it: the first criterion plain, the next ones numbered."""
    params = []
    for index, (code, system) in enumerate(codes):
        suffix = "" if index == 0 else str(index)
        params += [(f"mainSearchCriteria.v.c{suffix}", code), (f"mainSearchCriteria.v.cs{suffix}", system)]
    if language:
        params.append(("patientPerson.languageCode.c", language))
    if kind:
        params.append(("knowledgeResponseType", kind))
    params += list(extra.items())
    return client.get("/infobutton?" + urllib.parse.urlencode(params))


class FormState(HTMLParser):
    """What the form shows as chosen: ticked profiles, the selected language, the problem box."""

    def __init__(self, html: str):
        super().__init__()
        self.ticked, self.language, self.problem, self._in_problem, self._option = [], None, "", False, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") == "profile" and "checked" in a:
            self.ticked.append(a["value"])
        if tag == "option" and "selected" in a:
            self.language = a["value"]
        if tag == "div" and a.get("class") == "problem":
            self._in_problem = True

    def handle_endtag(self, tag):
        if tag == "div":
            self._in_problem = False

    def handle_data(self, data):
        if self._in_problem:
            self.problem += data


def test_femoral_code_in_spanish_opens_the_spanish_femoral_form(client):
    page = ask(client, ("I82.411", ICD10CM))
    assert page.status_code == 200 and page.mimetype == "text/html"
    state = FormState(page.text)
    assert state.ticked == ["femoral"] and state.language == "es" and not state.problem.strip()


@pytest.mark.parametrize("code", ["I82411", "i82.411", " I82.411 "])
def test_icd_codes_match_with_or_without_the_dot(client, code):
    assert FormState(ask(client, (code, ICD10CM)).text).ticked == ["femoral"]


def test_several_codes_combine_profiles_in_file_order(client):
    page = ask(client, ("I82.442", ICD10CM), ("I82.411", ICD10CM), language="fr")
    state = FormState(page.text)
    assert state.ticked == ["calf", "femoral"] and state.language == "fr"


def test_handout_level_snomed_code_opens_the_general_leaflet_in_the_recipients_language(client):
    page = ask(client, ("128053003", SNOMED), language=None,
               **{"informationRecipient.languageCode.c": "pl", "age.v.v": "67", "age.v.u": "a",
                  "patientPerson.administrativeGenderCode.c": "F"})
    state = FormState(page.text)
    assert page.status_code == 200 and state.ticked == [] and state.language == "pl"


@pytest.mark.parametrize("asked, chosen", [("spa", "es"), ("es-MX", "es"), ("zh-CN", "zh-Hans"), ("PT-br", "pt")])
def test_language_codes_as_ehrs_send_them(client, asked, chosen):
    assert FormState(ask(client, ("I82.411", ICD10CM), language=asked).text).language == chosen


def test_language_we_do_not_have_shows_english_with_a_note(client):
    state = FormState(ask(client, ("I82.411", ICD10CM), language="de").text)
    assert state.language == "en" and state.ticked == ["femoral"]
    assert "not available in German" in state.problem and "English" in state.problem


@pytest.mark.parametrize("codes", [[("Z99.99", ICD10CM)], [("8867-4", LOINC)], [], [("I82.411", "")]])
def test_unknown_code_or_code_system_opens_the_plain_form_with_a_note(client, codes):
    page = ask(client, *codes)
    assert page.status_code == 200
    state = FormState(page.text)
    assert state.ticked == [] and "No leaflet here matches" in state.problem


def test_json_knowledge_response_lists_pdf_and_html_in_spanish_and_english(site_client):
    response = ask(site_client, ("I82.411", ICD10CM), kind="application/json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    feed = response.get_json()["feed"]
    assert feed["category"] == [{"scheme": f"urn:oid:{ICD10CM}", "term": "I82.411"}]
    [spanish, english] = feed["entry"]
    assert spanish["xml:lang"] == "es" and english["xml:lang"] == "en"
    assert spanish["title"]["_value"] == "Caminar después de un coágulo de sangre en la pierna" \
        or spanish["title"]["_value"] != english["title"]["_value"]
    links = {(link["type"], link["hreflang"]): link["href"] for e in feed["entry"] for link in e["link"]}
    assert links == {
        ("text/html", "es"): "https://leaflets.example.org/es/dvt-walking-femoral.html",
        ("application/pdf", "es"): "https://leaflets.example.org/es/dvt-walking-femoral-a4.pdf",
        ("text/html", "en"): "https://leaflets.example.org/en/dvt-walking-femoral.html",
        ("application/pdf", "en"): "https://leaflets.example.org/en/dvt-walking-femoral-a4.pdf"}


def test_atom_response_is_an_atom_feed_with_the_same_links(site_client):
    response = ask(site_client, ("I82.442", ICD10CM), ("I82.411", ICD10CM), kind="text/xml", language="fr")
    assert response.status_code == 200 and response.mimetype == "text/xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in entries] == ["fr", "en"]
    hrefs = [link.get("href") for link in entries[0].findall(f"{ATOM}link")]
    assert hrefs == ["https://leaflets.example.org/fr/dvt-walking-calf+femoral.html",
                     "https://leaflets.example.org/fr/dvt-walking-calf+femoral-a4.pdf"]
    assert all(e.find(f"{ATOM}id").text.startswith("urn:uuid:") for e in entries)


@pytest.mark.parametrize("codes", [[("Z99.99", ICD10CM)], [("8867-4", LOINC)], []])
def test_unknown_code_gives_an_empty_feed_that_says_why(site_client, codes):
    for kind in ("application/json", "text/xml"):
        response = ask(site_client, *codes, kind=kind)
        assert response.status_code == 200
    feed = ask(site_client, *codes, kind="application/json").get_json()["feed"]
    assert feed["entry"] == [] and ("No leaflet matches" in feed["subtitle"]["_value"]
                                    or "No code was sent" in feed["subtitle"]["_value"])


def test_missing_language_in_a_feed_is_english_with_a_note(site_client):
    feed = ask(site_client, ("I82.411", ICD10CM), language="de", kind="application/json").get_json()["feed"]
    assert [e["xml:lang"] for e in feed["entry"]] == ["en"]
    assert "not available in German" in feed["subtitle"]["_value"]


def test_without_a_download_site_entries_point_at_the_desk_form(client):
    feed = ask(client, ("I82.411", ICD10CM), kind="application/json").get_json()["feed"]
    assert [link["href"] for e in feed["entry"] for link in e["link"]] == ["http://localhost/?handout=dvt-walking"] * 2


def test_bad_response_type_is_a_400_not_a_500(client):
    response = ask(client, ("I82.411", ICD10CM), kind="application/pdf")
    assert response.status_code == 400 and "knowledgeResponseType" in response.text


@pytest.mark.parametrize("query", ["mainSearchCriteria.v.c=%00%ff&mainSearchCriteria.v.cs=" + ICD10CM,
                                   "mainSearchCriteria.v.c=" + "A" * 5000, "mainSearchCriteria.v.c99999999999999999999=x",
                                   "patientPerson.languageCode.c=%3Cscript%3E&mainSearchCriteria.v.c=I82.411&"
                                   "mainSearchCriteria.v.cs=" + ICD10CM])
def test_odd_requests_never_fail(client, query):
    for kind in ("text/html", "application/json", "text/xml"):
        response = client.get(f"/infobutton?{query}&knowledgeResponseType={kind}")
        assert response.status_code == 200, response.text[:300]
        assert "<script>" not in response.text


def test_urls_we_build_carry_no_patient_details(site_client):
    """Age, gender and the codes are the EHR's; the links hold only the leaflet's handout, profiles and language."""
    response = ask(site_client, ("I82.411", ICD10CM), kind="application/json",
                   **{"age.v.v": "67", "age.v.u": "a", "patientPerson.administrativeGenderCode.c": "F"})
    for entry in response.get_json()["feed"]["entry"]:
        for link in entry["link"]:
            assert not re.search(r"67|I82|gender|age|\?", link["href"]), link["href"]

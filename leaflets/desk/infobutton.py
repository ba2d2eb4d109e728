"""HL7 Infobutton (URL-based): an EHR opens the right leaflet from the patient's problem code.

`GET /infobutton?mainSearchCriteria.v.c=I82.411&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90
&patientPerson.languageCode.c=es` answers, as `knowledgeResponseType` asks, with the desk's form
(text/html, the default) with handout, profiles and language already chosen, or with a knowledge
response (application/json, text/xml as Atom) listing the matching leaflets and links to them.
A request the content cannot serve gets a clear answer, never a 500. The request holds codes and a
language only; the URLs built here hold no more than the handout, its profiles and the language.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, Callable
from xml.etree import ElementTree as ET

from babel import Locale, UnknownLocaleError
from flask import Flask, Response, request
from werkzeug.datastructures import MultiDict

from .. import online
from ..codes import BY_OID, normal
from ..content import LoadedHandout

RESPONSE_TYPES = {"text/html": "html", "application/json": "json", "text/xml": "atom",
                  "application/atom+xml": "atom", "application/xml": "atom"}
ATOM = "http://www.w3.org/2005/Atom"
FEED_NAMESPACE = uuid.UUID("5b0e0c3e-8f0e-4a59-9a55-4c1d8c1f7e21")  # stable entry ids across servers
# ISO 639-2 codes an EHR may send, for the languages leaflets are written in.
THREE_LETTER = {"eng": "en", "spa": "es", "fra": "fr", "fre": "fr", "pol": "pl", "por": "pt", "rus": "ru",
                "vie": "vi", "zho": "zh", "chi": "zh", "kor": "ko", "ara": "ar", "urd": "ur", "hin": "hi",
                "ben": "bn"}
_INDEXED = re.compile(r"^mainSearchCriteria\.v\.(c|cs|dn)(\d*)$")


@dataclass(frozen=True)
class Criterion:
    """One mainSearchCriteria: a code in a code system named by its OID."""

    code: str
    system_oid: str


@dataclass(frozen=True)
class Match:
    """A handout that serves at least one requested code, with the profiles the codes chose."""

    loaded: LoadedHandout
    profiles: tuple[str, ...]


def criteria(args: MultiDict) -> list[Criterion]:
    """The requested codes. The guide numbers repeated criteria (.v.c, .v.c1, .v.c2 ...); a repeated
    name is read in order too."""
    groups: dict[str, dict[str, list[str]]] = {}
    for name, values in args.lists():
        found = _INDEXED.match(name)
        if found:
            part, index = found.groups()
            groups.setdefault(index or "0", {}).setdefault(part, []).extend(values)
    found_criteria = []
    for index in sorted(groups, key=int):
        codes, systems = groups[index].get("c", []), groups[index].get("cs", [])
        for position, code in enumerate(codes):
            system = systems[min(position, len(systems) - 1)] if systems else ""
            if code.strip():
                found_criteria.append(Criterion(code.strip()[:40], system.strip()[:80]))
    return found_criteria[:20]


def find(handouts: dict[str, LoadedHandout], wanted: list[Criterion]) -> list[Match]:
    """Every handout one of the codes belongs to, with the profiles of all codes that chose a profile."""
    matches = []
    for loaded in handouts.values():
        hit, profiles = False, set()
        for criterion in wanted:
            system = BY_OID.get(criterion.system_oid.removeprefix("urn:oid:"))
            if system is None:
                continue
            code = normal(system.key, criterion.code)
            if code in {normal(system.key, c) for c in loaded.handout.codes.get(system.key, [])}:
                hit = True
            for profile in loaded.profiles.profiles:
                if code in {normal(system.key, c) for c in profile.codes.get(system.key, [])}:
                    hit = True
                    profiles.add(profile.id)
        if hit:
            ordered = tuple(p.id for p in loaded.profiles.profiles if p.id in profiles)
            matches.append(Match(loaded, ordered))
    return matches


def requested_language(args: MultiDict) -> str:
    """The reader's language: the information recipient's, else the patient's ('' when neither is sent)."""
    for name in ("informationRecipient.languageCode.c", "patientPerson.languageCode.c"):
        value = args.get(name, "").strip()
        if value:
            return value[:35]
    return ""


def pick_language(asked: str, available: list[str]) -> str | None:
    """The available language that answers a code such as 'es', 'es-MX', 'spa' or 'zh-CN', or None."""
    tag = asked.replace("_", "-")
    primary = tag.split("-")[0].lower()
    primary = THREE_LETTER.get(primary, primary)
    lowered = {code.lower(): code for code in available}
    if tag.lower() in lowered:
        return lowered[tag.lower()]
    for code in available:
        if code.split("-")[0].lower() == primary:
            return code
    return None


_TAG = re.compile(r"^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$")


def language_called(code: str, reader: str = "en") -> str:
    """'German' for 'de' (in the reader's language): how a note names a language we do not have."""
    if not _TAG.match(code):
        return "?"  # not a language code: never echoed back
    tag = code.replace("-", "_")
    primary, _, rest = tag.partition("_")
    try:
        name = Locale.parse(THREE_LETTER.get(primary.lower(), primary.lower())).get_display_name(
            reader.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def response_type(args: MultiDict) -> str | None:
    """'html', 'json' or 'atom'; None for a type this service does not give."""
    return RESPONSE_TYPES.get(args.get("knowledgeResponseType", "text/html").strip().lower())


# --- the knowledge response -------------------------------------------------------------

@dataclass(frozen=True)
class Links:
    """Where a leaflet can be fetched: the download site (brand site_url, or the desk's /site/)."""

    site: str | None           # base address of the download site, or None when there is none
    desk: str                  # the desk's own address, for the form when there is no site
    print_key: str             # 'a4' or 'letter'


def entries(matches: list[Match], language: str, links: Links) -> list[dict[str, Any]]:
    """One entry per matching leaflet and language: the reader's, and English (the source) beside it."""
    found = []
    for match in matches:
        loaded = match.loaded
        profiles = match.profiles or (loaded.profiles.default,)
        languages = [language] + ([loaded.handout.language] if language != loaded.handout.language else [])
        for code in languages:
            version = loaded.in_language(code, fallback=True)
            labels = [version.profile(p).label for p in profiles]
            stem = online.stem(loaded.id, profiles, code)
            entry_links = []
            if links.site:
                entry_links = [
                    {"rel": "alternate", "type": "text/html", "hreflang": code, "title": version.handout.title,
                     "href": online.address(links.site, online.html_path(loaded.id, profiles, code))},
                    {"rel": "enclosure", "type": "application/pdf", "hreflang": code, "title": version.handout.title,
                     "href": online.address(links.site, online.pdf_path(loaded.id, profiles, code, links.print_key))}]
            else:  # no download site: the desk's form, where a nurse prints it
                entry_links = [{"rel": "alternate", "type": "text/html", "hreflang": code, "title": version.handout.title,
                                "href": f"{links.desk.rstrip('/')}/?handout={loaded.id}"}]
            found.append({
                "id": f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, stem + '@' + loaded.handout.version)}",
                "title": version.handout.title, "language": code, "profiles": list(profiles),
                "summary": "; ".join(labels), "updated": loaded.handout.published.isoformat(),
                "reference": loaded.handout.reference, "version": loaded.handout.version, "links": entry_links})
    return found


def feed_json(title: str, subtitle: str, language: str, found: list[dict[str, Any]],
              wanted: list[Criterion]) -> dict[str, Any]:
    """The Atom feed written as JSON, the way Infobutton JSON responses write it (values under '_value')."""
    updated = max((e["updated"] for e in found), default=dt.date.today().isoformat())
    return {"feed": {
        "xml:lang": language, "title": {"_value": title, "type": "text"},
        "subtitle": {"_value": subtitle, "type": "text"}, "updated": {"_value": updated},
        "id": {"_value": _feed_id(wanted)}, "author": {"name": {"_value": title}},
        "category": [{"scheme": f"urn:oid:{c.system_oid.removeprefix('urn:oid:')}", "term": c.code} for c in wanted],
        "entry": [{
            "xml:lang": e["language"], "title": {"_value": e["title"], "type": "text"},
            "id": {"_value": e["id"]}, "updated": {"_value": e["updated"]},
            "summary": {"_value": e["summary"], "type": "text"},
            "link": [dict(link) for link in e["links"]],
            "category": [{"scheme": "urn:leaflets:profile", "term": p} for p in e["profiles"]],
        } for e in found]}}


def feed_atom(title: str, subtitle: str, language: str, found: list[dict[str, Any]], wanted: list[Criterion]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    data = feed_json(title, subtitle, language, found, wanted)["feed"]
    ET.SubElement(feed, f"{{{ATOM}}}title", type="text").text = title
    ET.SubElement(feed, f"{{{ATOM}}}subtitle", type="text").text = subtitle
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = data["updated"]["_value"] + "T00:00:00Z"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = data["id"]["_value"]
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = title
    for category in data["category"]:
        ET.SubElement(feed, f"{{{ATOM}}}category", category)
    for e in found:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry", {"{http://www.w3.org/XML/1998/namespace}lang": e["language"]})
        ET.SubElement(entry, f"{{{ATOM}}}title", type="text").text = e["title"]
        for link in e["links"]:
            ET.SubElement(entry, f"{{{ATOM}}}link", link)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = e["id"]
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = e["updated"] + "T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = e["summary"]
        for profile in e["profiles"]:
            ET.SubElement(entry, f"{{{ATOM}}}category", scheme="urn:leaflets:profile", term=profile)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _feed_id(wanted: list[Criterion]) -> str:
    key = "&".join(f"{c.system_oid}|{c.code}" for c in wanted)
    return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, key)}"


# --- the route ---------------------------------------------------------------------------

FormPage = Callable[..., Response]


def register(app: Flask, desk: Any, form_page: FormPage, wording: Callable[[Any], Any]) -> None:
    """Add GET /infobutton to the desk. form_page and wording are the desk's own (app.py)."""

    @app.get("/infobutton")
    def infobutton() -> Response:
        args = request.args
        kind = response_type(args)
        if kind is None:
            message = "knowledgeResponseType must be text/html, application/json or text/xml"
            return Response(message + "\n", status=400, mimetype="text/plain")
        wanted = criteria(args)
        matches = find(desk.handouts, wanted)
        asked = requested_language(args)
        words = wording(desk)
        if kind == "html":
            return _form(desk, matches, asked, words, form_page)
        return _feed(desk, matches, asked, wanted, kind)


def _choose(loaded: LoadedHandout, asked: str) -> tuple[str | None, str]:
    """(the leaflet's language or None when the reader's is missing, the language shown)."""
    if not asked:
        return None, loaded.handout.language
    chosen = pick_language(asked, loaded.languages)
    return chosen, chosen or loaded.handout.language


def _form(desk: Any, matches: list[Match], asked: str, words: Any, form_page: FormPage) -> Response:
    from ..substitute import fill
    if not matches:
        default = "dvt-walking" if "dvt-walking" in desk.handouts else next(iter(desk.handouts))
        return form_page(desk, desk.handouts[default], {}, {"form": words.desk.infobutton_no_match}, 200)
    match = matches[0]
    chosen, shown = _choose(match.loaded, asked)
    values = MultiDict([("profile", p) for p in match.profiles])
    if asked:
        values.add("language", shown)
    errors = {}
    if asked and chosen is None:
        errors["form"] = fill(words.desk.infobutton_language,
                              {"language": language_called(asked, words.language),
                               "shown": language_called(shown, words.language)})
    return form_page(desk, match.loaded, values, errors, 200)


def _feed(desk: Any, matches: list[Match], asked: str, wanted: list[Criterion], kind: str) -> Response:
    brand = desk.clinic.brand
    site = brand.site_url or (request.host_url.rstrip("/") + "/site/" if desk.site is not None else None)
    links = Links(site, request.host_url, "letter" if brand.country in {"US", "CA", "MX"} else "a4")
    found: list[dict[str, Any]] = []
    notes = []
    language = "en"
    for match in matches:
        chosen, shown = _choose(match.loaded, asked)
        language = shown
        if asked and chosen is None:
            notes.append(f"{match.loaded.handout.title}: not available in {language_called(asked)}; "
                         f"shown in {language_called(shown)}.")
        found += entries([match], shown, links)
    if not wanted:
        subtitle = "No code was sent: give mainSearchCriteria.v.c and mainSearchCriteria.v.cs."
    elif not matches:
        known = ", ".join(f"{s.name} {s.oid}" for s in BY_OID.values())
        subtitle = f"No leaflet matches the codes sent. Code systems understood: {known}."
    else:
        subtitle = " ".join(notes) or f"{len(found)} leaflet(s) for the codes sent."
    title = f"{brand.text('clinic_name', 'en')[0]}: patient leaflets"
    if kind == "json":
        body = json.dumps(feed_json(title, subtitle, language, found, wanted), ensure_ascii=False, indent=1)
        return Response(body, mimetype="application/json")
    return Response(feed_atom(title, subtitle, language, found, wanted), mimetype="text/xml")

"""POST /record: the leaflet a nurse is giving, as FHIR R4 resources for the patient's notes.

The form's third button sends the same fields as "Create leaflet" to this
route; the answer is a FHIR transaction Bundle (leaflets/fhir.py) with the PDF
inline, downloaded by the browser for the EHR. Like the PDF, it is made in
memory, sent once and never logged, stored or cached.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable

from flask import Flask, Response, request

from ..errors import LeafletError
from ..fhir import GivenLeaflet, record
from ..substitute import fill
from .security import COOKIE

log = logging.getLogger("leaflets.desk")
FHIR_JSON = "application/fhir+json"


def register(app: Flask, desk: Any, read_form: Callable, form_page: Callable, message: Callable,
             wording: Callable) -> None:
    """Add POST /record to the desk. The callables are the desk's own form helpers (app.py)."""

    @app.post("/record")
    def record_given() -> Response:
        words = wording(desk)
        default = next(iter(desk.handouts))
        if not desk.csrf.valid(request.cookies.get(COOKIE), request.form.get("csrf_token")):
            handout = desk.handouts.get(request.form.get("handout", ""), desk.handouts[default])
            return form_page(desk, handout, {}, {"form": words.desk.expired}, 400)
        loaded = desk.handouts.get(request.form.get("handout", ""))
        if loaded is None:
            return message(desk, fill(words.desk.unknown_choice, {"field": words.desk.choose_handout}), 400)
        leaflet_request, errors = read_form(desk, loaded, words)
        if errors:
            return form_page(desk, loaded, request.form, errors, 400)
        try:
            pdf = desk.pool.render(leaflet_request)
            version = loaded.in_language(leaflet_request.language)
        except LeafletError as exc:
            log.warning("record refused (%s)", type(exc).__name__)  # its text is not logged
            hint = f" {exc.hint}" if exc.hint else ""
            return form_page(desk, loaded, request.form, {"form": f"{exc.message}.{hint}"}, 400)
        details = leaflet_request.patient
        given = GivenLeaflet(version, leaflet_request.profiles, leaflet_request.language,
                             leaflet_request.paper + leaflet_request.print_options.suffix, pdf.data,
                             desk.clinic.brand.site_url if details.is_empty() else None)
        body = json.dumps(record(given, details), ensure_ascii=False, indent=1)
        profiles = "+".join(leaflet_request.profiles) or loaded.profiles.default
        filename = f"{loaded.id}-{profiles}-{leaflet_request.language}-record.json"  # never the patient's name
        return Response(body, mimetype=FHIR_JSON,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

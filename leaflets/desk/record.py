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

from flask import Flask, Response

from ..errors import LeafletError
from ..fhir import GivenLeaflet, record

log = logging.getLogger("leaflets.desk")
FHIR_JSON = "application/fhir+json"


def register(app: Flask, desk: Any, leaflet_from_form: Callable) -> None:
    """Add POST /record to the desk. `leaflet_from_form` is the desk's own form handling (app.py): the
    same checks and the same error pages as "Create leaflet", then the leaflet."""

    @app.post("/record")
    def record_given() -> Response:
        made = leaflet_from_form()
        if isinstance(made, Response):
            return made
        loaded, leaflet_request, pdf = made
        try:
            version = loaded.in_language(leaflet_request.language)
        except LeafletError as exc:  # cannot happen for a language the form offers; said plainly if it does
            log.warning("record refused (%s)", type(exc).__name__)
            return Response(exc.message, status=400, mimetype="text/plain")
        details = leaflet_request.patient
        given = GivenLeaflet(version, leaflet_request.profiles, leaflet_request.language,
                             leaflet_request.paper + leaflet_request.print_options.suffix, pdf.data,
                             desk.clinic.brand.site_url if details.is_empty() else None)
        body = json.dumps(record(given, details), ensure_ascii=False, indent=1)
        profiles = "+".join(leaflet_request.profiles) or loaded.profiles.default
        filename = f"{loaded.id}-{profiles}-{leaflet_request.language}-record.json"  # never the patient's name
        return Response(body, mimetype=FHIR_JSON,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

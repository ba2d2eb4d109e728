"""The pages of the discharge desk: the form, the PDF, /health, and optionally a batch site.

Every choice in a request is checked against what exists (no file path is
ever built from user input); typed details are length-capped and only ever
printed into the PDF. A bad request gets a clear page in the nurse's
language with a 4xx status, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from flask import Flask, Response, abort, g, redirect, render_template, request, send_from_directory
from jinja2 import StrictUndefined
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .. import patient
from ..brand import ClinicBrand
from ..content import LoadedHandout, clinic_strings
from ..errors import LeafletError
from ..model import UiStrings
from ..paths import data_dir, strings_dir
from ..pipeline import LeafletRequest, open_brand, open_library
from ..render.html import direction, language_name, logo_data_uri, site_assets
from ..render.pdf import PAPER_SIZES, PrintOptions
from ..resolve import date_locale, look_of
from ..substitute import fill
from ..typography import long_date
from .infobutton import register as register_infobutton
from .record import register as register_record
from .security import COOKIE, FORM_LIFETIME, FORM_POLICY, HEADERS, SITE_POLICY, Csrf, same_site
from .workers import RenderPool, RenderUnavailable

log = logging.getLogger("leaflets.desk")
MAX_BODY = 32 * 1024                    # the whole form, at 4 bytes a character, is under 6 KB
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}  # what a browser's form sends
LETTER_COUNTRIES = {"US", "CA", "MX"}   # where clinics print on US Letter by default
PATIENT_LABELS = {"name": "patient_name", "date": "date", "clinician": "clinician",
                  "follow_up": "follow_up", "notes": "notes"}


@dataclass(frozen=True)
class Desk:
    """What the pages need, loaded once when the server starts."""

    handouts: dict[str, LoadedHandout]
    clinic: ClinicBrand
    wording: dict[str, UiStrings]       # language: wording, for the form and the leaflets
    pool: RenderPool
    csrf: Csrf
    site: Path | None


def create_app(content: Path | None = None, brand: Path | None = None, site: Path | None = None,
               workers: int = 0, secret: bytes | Callable[[], bytes] | None = None) -> Flask:
    """The desk as a WSGI app. Content and brand are loaded and checked now: bad input fails at start."""
    library = open_library(content)
    handouts = {handout_id: library.load(handout_id) for handout_id in library.handout_ids()}
    if not handouts:
        raise LeafletError(f"no handouts in {library.folder}", hint="--content takes a folder of handouts")
    clinic = open_brand(brand)
    wording = {file.stem: clinic_strings(file.stem, library.folder, clinic.file, strings_dir())
               for file in sorted(strings_dir().glob("*.yaml"))}
    if site is not None and not (Path(site) / "index.html").is_file():
        raise LeafletError(f"no download site in {site}", hint="build one first: python generate.py batch -o DIR")
    if callable(secret):  # e.g. the key file: made only once the content and brand have been found good
        secret = secret()
    secret = secret or os.environ.get("LEAFLETS_DESK_SECRET", "").encode() or os.urandom(32)
    desk = Desk(handouts, clinic, wording, RenderPool(content, brand, workers), Csrf(secret),
                Path(site).resolve() if site else None)

    app = Flask(__name__, template_folder=str(data_dir("templates") / "desk"), static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, MAX_FORM_MEMORY_SIZE=MAX_BODY, MAX_FORM_PARTS=64,
                      TEMPLATES_AUTO_RELOAD=False)
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.autoescape = True  # Flask escapes only *.html by name; ours are *.html.j2
    app.extensions["desk"] = desk
    _routes(app, desk)
    return app


def _routes(app: Flask, desk: Desk) -> None:
    with app.app_context():  # brand colours go into the stylesheet: the CSP allows no inline styles
        stylesheet = render_template("desk.css", look=desk.clinic.brand).encode("utf-8")
    fonts = site_assets()["fonts.css"]
    default_handout = "dvt-walking" if "dvt-walking" in desk.handouts else next(iter(desk.handouts))

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def secure(response: Response) -> Response:
        _secure(response, site=request.path.startswith("/site/"))
        # The access log: method, path and status only. Never the form, never the query string.
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info("%s %s %d %.0f ms", request.method, request.path, response.status_code, elapsed)
        return response

    @app.get("/")
    def form() -> Response:
        handout_id = request.args.get("handout", default_handout)
        if handout_id not in desk.handouts:
            abort(404)
        return _form_page(desk, desk.handouts[handout_id], {}, {}, 200)

    @app.post("/leaflet")
    def leaflet() -> Response:
        made = _leaflet_from_form(desk, default_handout)
        if isinstance(made, Response):
            return made
        loaded, leaflet_request, pdf = made
        disposition = "attachment" if request.form.get("action") == "download" else "inline"
        profiles = "+".join(leaflet_request.profiles) or loaded.profiles.default
        filename = (f"{loaded.id}-{profiles}-{leaflet_request.language}-{leaflet_request.paper}"
                    f"{leaflet_request.print_options.suffix}.pdf")
        return Response(pdf.data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})

    @app.get("/health")
    def health() -> Any:
        pool = desk.pool.health()  # asks every idle render process; "degraded" and 503 when one is missing
        return {**pool, "handouts": sorted(desk.handouts)}, 200 if pool["status"] == "ok" else 503

    @app.get("/desk.css")
    def desk_css() -> Response:
        return Response(stylesheet, mimetype="text/css")

    @app.get("/fonts.css")
    def fonts_css() -> Response:
        return Response(fonts, mimetype="text/css")

    register_infobutton(app, desk, _form_page, _wording)
    register_record(app, desk, lambda: _leaflet_from_form(desk, default_handout))

    if desk.site is not None:
        @app.get("/site", strict_slashes=True)
        def site_folder() -> Response:
            response = redirect("/site/", 308)  # relative: never to whatever host the request named
            response.autocorrect_location_header = False
            return response

        @app.get("/site/")
        @app.get("/site/<path:name>")
        def site(name: str = "index.html") -> Response:
            return send_from_directory(desk.site, name)  # refuses paths outside the folder

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        words = _wording(desk).desk
        text = {404: words.not_found, 405: words.not_allowed, 413: words.too_large}.get(error.code, words.not_allowed)
        if isinstance(error, RequestEntityTooLarge):
            text = words.too_large
        response = _message(desk, text, error.code or 400)
        response.headers.extend((name, value) for name, value in error.get_headers() if name == "Allow")  # 405
        return response

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Response:
        # Only the kind of error is logged: a message might quote what was typed.
        log.error("internal error (%s) on %s %s", type(error).__name__, request.method, request.path)
        if os.environ.get("LEAFLETS_DEBUG") == "1":
            log.exception("details")
        return _message(desk, _wording(desk).desk.server_error, 500)


def error_page(app: Flask, status: int, accept_language: str) -> Response:
    """The page for a request the web server refused before the app saw it (malformed, far too large)."""
    desk: Desk = app.extensions["desk"]
    with app.test_request_context("/", headers={"Accept-Language": accept_language}):
        words = _wording(desk).desk
        return _secure(_message(desk, words.too_large if status == 413 else words.not_allowed, status))


def _secure(response: Response, site: bool = False) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", SITE_POLICY if site else FORM_POLICY)
    return response


def _wording(desk: Desk) -> UiStrings:
    """The form's language: the browser's preference among the languages with wording."""
    default = "en" if "en" in desk.wording else next(iter(desk.wording))
    # The default comes first: `Accept-Language: *` (any language) then picks it, not the first in the alphabet.
    best = request.accept_languages.best_match([default, *desk.wording]) if request else None
    return desk.wording[best or default]



def _leaflet_from_form(desk: Desk, default_handout: str) -> tuple[LoadedHandout, LeafletRequest, Any] | Response:
    """What every post of the desk's form goes through (same site, form token, choices, details), then
    the leaflet; or the page that says what went wrong, with what was typed kept."""
    words = _wording(desk)
    if request.mimetype not in FORM_TYPES or "handout" not in request.form:  # not the desk's form at all
        return _message(desk, words.desk.not_allowed, 400)
    if not same_site(request.headers, request.host):  # a page of another site posting here
        return _message(desk, words.desk.not_allowed, 403)
    if not desk.csrf.valid(request.cookies.get(COOKIE), request.form.get("csrf_token")):
        handout = desk.handouts.get(request.form.get("handout", ""), desk.handouts[default_handout])
        return _form_page(desk, handout, {}, {"form": words.desk.expired}, 400)
    loaded = desk.handouts.get(request.form.get("handout", ""))
    if loaded is None:
        return _message(desk, fill(words.desk.unknown_choice, {"field": words.desk.choose_handout}), 400)
    leaflet_request, errors = _read_form(desk, loaded, words)
    if errors:
        return _form_page(desk, loaded, request.form, errors, 400)
    try:
        pdf = desk.pool.render(leaflet_request)
    except LeafletError as exc:  # e.g. a typed character no font of the language can print
        log.warning("leaflet refused (%s)", type(exc).__name__)  # its text is not logged
        hint = f" {exc.hint}" if exc.hint else ""
        return _form_page(desk, loaded, request.form, {"form": f"{exc.message}.{hint}"}, 400)
    except RenderUnavailable as exc:  # a render process died or the desk is stopping: the form is kept
        log.warning("leaflet not rendered (%s)", exc)
        return _form_page(desk, loaded, request.form, {"form": words.desk.server_error}, 503)
    return loaded, leaflet_request, pdf


def _read_form(desk: Desk, loaded: LoadedHandout, words: UiStrings) -> tuple[LeafletRequest, dict[str, str]]:
    """The request the form describes, and what is wrong with it (field: message)."""
    form, labels, errors = request.form, words.desk, {}
    profile_ids = {p.id for p in loaded.profiles.profiles}
    profiles = form.getlist("profile")
    if any(p not in profile_ids for p in profiles) or len(profiles) > len(profile_ids):
        errors["profile"] = fill(labels.unknown_choice, {"field": labels.profiles})
    language = form.get("language", loaded.handout.language)
    if language not in loaded.languages:
        errors["language"] = fill(labels.unknown_choice, {"field": labels.language})
    paper = form.get("paper", "a4")
    if paper not in PAPER_SIZES:
        errors["paper"] = fill(labels.unknown_choice, {"field": labels.paper})
    details, problems = patient.details({field: form.get(field, "") for field in patient.LIMITS})
    for field, problem in problems.items():
        label = getattr(words, PATIENT_LABELS[field])
        errors[field] = (fill(labels.too_long, {"field": label, "limit": patient.LIMITS[field]}) if "limit" in problem
                         else fill(labels.control_characters, {"field": label}))
    options = PrintOptions(large_print=form.get("large_print") == "yes", high_contrast=form.get("high_contrast") == "yes")
    ordered = tuple(p.id for p in loaded.profiles.profiles if p.id in profiles)
    return LeafletRequest(loaded.id, ordered, language, paper, details, print_options=options), errors


def _form_page(desk: Desk, loaded: LoadedHandout, values: Any, errors: dict[str, str], status: int) -> Response:
    words = _wording(desk)
    source = loaded.handout.language
    wanted = request.accept_languages.best_match([source, *loaded.languages]) or source
    paper = "letter" if desk.clinic.brand.country in LETTER_COUNTRIES else "a4"
    cookie = desk.csrf.cookie(request.cookies.get(COOKIE))
    page = render_template(
        "form.html.j2", words=words, desk=words.desk, direction=direction(words.language),
        look=look_of(desk.clinic, words.language), logo=logo_data_uri(desk.clinic.logo),
        handouts=[(h.id, h.handout.title) for h in desk.handouts.values()], loaded=loaded,
        profiles=loaded.profiles.profiles, default_profile=loaded.profiles.default,
        languages=[(code, language_name(code)) for code in loaded.languages],
        papers=[("a4", words.paper_a4), ("letter", words.paper_letter)],
        fields=[(field, getattr(words, PATIENT_LABELS[field]), limit) for field, limit in patient.LIMITS.items()],
        chosen={"profile": values.getlist("profile") if values else [], "language": values.get("language", wanted)
                if values else wanted, "paper": values.get("paper", paper) if values else paper,
                "large_print": bool(values and values.get("large_print")),
                "high_contrast": bool(values and values.get("high_contrast"))},
        values=values or {}, errors=errors, csrf_token=desk.csrf.token_for(cookie), limit_text=_limit_text(words),
        overdue=fill(words.desk.overdue_notice, {"review_by": long_date(loaded.handout.review_by,
                                                                       date_locale(words.language, desk.clinic.brand.country))})
        if dt.date.today() > loaded.handout.review_by else "")
    response = Response(page, status=status, mimetype="text/html")
    response.set_cookie(COOKIE, cookie, max_age=FORM_LIFETIME, httponly=True, samesite="Strict",
                        secure=request.is_secure, path="/")
    return response


def _limit_text(words: UiStrings) -> dict[str, str]:
    return {field: fill(words.desk.limit, {"limit": limit}) for field, limit in patient.LIMITS.items()}


def _message(desk: Desk, text: str, status: int) -> Response:
    words = _wording(desk)
    page = render_template("message.html.j2", words=words, desk=words.desk, direction=direction(words.language),
                           look=look_of(desk.clinic, words.language), logo=logo_data_uri(desk.clinic.logo), text=text)
    return Response(page, status=status, mimetype="text/html")

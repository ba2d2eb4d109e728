"""The whole pipeline for one leaflet: load, check, resolve, render.

The command line, and later batch builds and the discharge desk, all build
leaflets through here, so they cannot disagree about what a leaflet is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .brand import ClinicBrand, open_brand  # noqa: F401  (open_brand, open_library: callers find them here)
from .budget import check_pages
from .content import LoadedHandout, clinic_strings, open_library  # noqa: F401
from .errors import LeafletError
from .leaflet import Leaflet, PatientDetails
from .paths import DEFAULT_HANDOUT
from .render.pdf import PAPER_SIZES, PrintOptions, RenderedPdf, render_pdf
from .resolve import resolve


@dataclass(frozen=True)
class LeafletRequest:
    handout: str = DEFAULT_HANDOUT
    profiles: tuple[str, ...] = ()
    language: str | None = None          # None: the handout's own language
    paper: str = "a4"
    patient: PatientDetails = field(default_factory=PatientDetails)
    allow_overdue: bool = False          # True: no "review overdue" notice on content past its review date
    fallback_english: bool = False       # True: untranslated texts print in English, with a notice
    print_options: PrintOptions = field(default_factory=PrintOptions)   # large print, high contrast
    allow_over_budget: bool = False      # True: a leaflet over the handout's page budget is still returned


def resolve_request(loaded: LoadedHandout, request: LeafletRequest, clinic: ClinicBrand) -> Leaflet:
    language = loaded.language_code(request.language or loaded.handout.language)
    version = loaded.in_language(language, request.fallback_english)
    if request.paper not in PAPER_SIZES:
        raise LeafletError(f"unknown paper size '{request.paper}'", hint=f"use one of: {', '.join(PAPER_SIZES)}")
    today = None if request.allow_overdue else dt.date.today()
    return resolve(version, request.profiles, clinic, clinic_strings(language, loaded.folder.parent, clinic.file), request.patient, today)


def build_pdf(loaded: LoadedHandout, request: LeafletRequest, clinic: ClinicBrand) -> RenderedPdf:
    """The leaflet's PDF; over the handout's page budget it is refused (OverBudget) unless allowed."""
    leaflet = resolve_request(loaded, request, clinic)
    pdf = render_pdf(leaflet, request.paper, request.print_options)
    if not request.allow_over_budget:
        check_pages(loaded, pdf.pages, request.print_options.large_print, leaflet.language,
                    not request.patient.is_empty())
    return pdf

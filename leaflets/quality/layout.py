"""Layout fit: every leaflet a clinic can print stays within its handout's page budget."""

from __future__ import annotations

from dataclasses import dataclass

from ..brand import ClinicBrand
from ..budget import page_budget
from ..content import LoadedHandout
from ..errors import LeafletError
from ..leaflet import Leaflet
from ..pipeline import LeafletRequest, resolve_request
from ..render.pdf import PAPER_SIZES, PrintOptions, render_pdf
from ..validation import where_of
from .findings import Finding


@dataclass(frozen=True)
class Fit:
    profile: str
    language: str
    paper: str
    pages: int
    large_print: bool = False

    def budget(self, max_pages: int) -> int:
        return page_budget(max_pages, self.large_print, self.language)

    @property
    def label(self) -> str:
        return f"{self.paper}{', large print' if self.large_print else ''}"


def build_every_variant(loaded: LoadedHandout, clinic: ClinicBrand,
                        languages: list[str]) -> tuple[list[Fit], list[Leaflet], list[Finding]]:
    """Resolve and render each profile x language x paper; report what fails to build."""
    fits, leaflets, findings = [], [], []
    for profiles in _combinations(loaded):
        label = "+".join(profiles)
        for language in languages:
            request = LeafletRequest(loaded.id, profiles, language, allow_overdue=True)
            try:
                leaflet = resolve_request(loaded, request, clinic)
            except LeafletError as exc:
                findings += _failures(label, language, exc)
                continue
            leaflets.append(leaflet)
            for paper in PAPER_SIZES:
                for large in (False, True):  # each its own finding: one variant's failure hides no other
                    try:
                        fits.append(Fit(label, language, paper, render_pdf(leaflet, paper, PrintOptions(large)).pages,
                                        large))
                    except LeafletError as exc:
                        findings += _failures(label, language, exc)
    return fits, leaflets, findings


def _combinations(loaded: LoadedHandout) -> list[tuple[str, ...]]:
    """Each profile alone, and all the non-default ones together: the longest leaflet a clinic can print."""
    singles = [(profile.id,) for profile in loaded.profiles.profiles]
    together = tuple(p.id for p in loaded.profiles.profiles if p.id != loaded.profiles.default)
    return singles + ([together] if len(together) > 1 else [])


def _failures(label: str, language: str, exc: LeafletError) -> list[Finding]:
    return [Finding.of("layout", "error", f"the '{label}' leaflet in '{language}' cannot be built: {e.message}",
                       e.where, e.hint) for e in getattr(exc, "errors", None) or [exc]]


def check_budget(loaded: LoadedHandout, fits: list[Fit]) -> list[Finding]:
    budget = loaded.handout.max_pages
    return [Finding.of(
        "layout", "error", f"the '{fit.profile}' leaflet in '{fit.language}' on {fit.label} paper takes "
        f"{fit.pages} pages, over the budget of {fit.budget(budget)}", where_of(loaded.handout, "max_pages"),
        "shorten the content (or the profile's additions), or raise max_pages if the clinic agrees")
        for fit in fits if fit.pages > fit.budget(budget)]


def worst_case(loaded: LoadedHandout, fits: list[Fit]) -> str:
    if not fits:
        return f"{loaded.id}: not built"
    standard = [f for f in fits if not f.large_print] or fits
    large = [f for f in fits if f.large_print]
    max_pages = loaded.handout.max_pages
    # the nearest to its budget, which depends on the language (budget.page_budget): Urdu's is larger
    worst = max(standard, key=lambda f: f.pages / f.budget(max_pages))
    text = (f"{loaded.id}: {worst.pages} of {worst.budget(max_pages)} pages at most "
            f"({worst.profile}, {worst.language}, {worst.paper})")
    if large:
        big = max(large, key=lambda f: f.pages / f.budget(max_pages))
        text += (f"; large print {big.pages} of {big.budget(max_pages)} "
                 f"({big.profile}, {big.language}, {big.paper})")
    return f"{text}; {len(fits)} variants built"

"""Content rules that need no rendering: review dates, sources, and what every leaflet must keep."""

from __future__ import annotations

import datetime as dt

from ..content import LoadedHandout
from ..leaflet import Faq, Leaflet
from ..validation import where_of
from .findings import Finding

DUE_SOON = dt.timedelta(days=90)
HELP_TONES = ("emergency", "warning")


def check_review(loaded: LoadedHandout, today: dt.date) -> list[Finding]:
    handout = loaded.handout
    findings = []
    if handout.status == "draft":
        findings.append(Finding.of(
            "review", "warning", "the content is a draft: every leaflet built from it carries a DRAFT mark",
            where_of(handout, "status"),
            "once a clinical reviewer has approved it, set status: approved, approved_by and approved_on"))
    if handout.approved_on and handout.approved_on > today:
        findings.append(Finding.of("review", "error", f"approved_on ({handout.approved_on}) is in the future",
                                   where_of(handout, "approved_on"), "write the date the approval was given"))
    if today > handout.review_by:
        findings.append(Finding.of(
            "review", "warning", f"the content was due for review on {handout.review_by}; leaflets built from it "
            "carry a 'review overdue' notice", where_of(handout, "review_by"),
            "have it reviewed and set a new review_by; build --allow-overdue leaves the notice off meanwhile"))
    elif today + DUE_SOON >= handout.review_by:
        findings.append(Finding.of("review", "info", f"due for review on {handout.review_by}",
                                   where_of(handout, "review_by"), "plan the review now"))
    return findings


def check_sources(loaded: LoadedHandout) -> list[Finding]:
    handout = loaded.handout
    findings = []
    cited = {name for section in handout.sections for name in section.sources}
    cited |= {name for p in loaded.profiles.profiles for a in p.add_sections for name in a.section.sources}
    for source in handout.sources:
        if source.id not in cited:
            findings.append(Finding.of("sources", "warning", f"source '{source.id}' is listed but no section cites it",
                                       where_of(source, "id"), "cite it in a section's sources, or remove it"))
    sections = list(handout.sections) + [a.section for p in loaded.profiles.profiles for a in p.add_sections]
    for section in sections:
        if not section.sources:
            findings.append(Finding.of(
                "sources", "warning", f"section '{section.id}' cites no sources", where_of(section, "id"),
                "add 'sources: [id, ...]' naming the evidence for what it says"))
    return findings


def check_actionability(loaded: LoadedHandout) -> list[Finding]:
    """PEMAT-style: the leaflet says what to do (a checklist) and when to get help (a callout)."""
    handout = loaded.handout
    findings = []
    if not any(s.kind == "checklist" for s in handout.sections):
        findings.append(Finding.of("actionability", "error", "the handout has no checklist of things to do",
                                   where_of(handout, "sections"),
                                   "add a section with 'kind: checklist' listing the patient's actions"))
    if not any(s.kind == "callout" and s.tone in HELP_TONES for s in handout.sections):
        findings.append(Finding.of("actionability", "error", "the handout has no 'when to get help' box",
                                   where_of(handout, "sections"),
                                   "add a 'kind: callout' section with 'tone: emergency' listing the warning "
                                   "signs and the number to call"))
    return findings


def check_leaflet(leaflet: Leaflet, loaded: LoadedHandout) -> list[Finding]:
    """What every built leaflet must keep, whatever profile and language: help box, checklist, answers."""
    profiles = "+".join(leaflet.profiles)
    where = where_of(loaded.profile(leaflet.profiles[-1])) if leaflet.profiles else None
    label = f"the '{profiles}' leaflet in '{leaflet.language}'"
    findings = []
    tones = {s.tone for s in leaflet.sections}
    kinds = {b.kind for s in leaflet.sections for b in s.blocks}
    if "emergency" not in tones and any(s.kind == "callout" and s.tone == "emergency" for s in loaded.handout.sections):
        findings.append(Finding.of("sources", "error", f"{label} has lost its emergency box", where,
                                   "never exclude the emergency section in a profile"))
    if "checklist" not in kinds and any(s.kind == "checklist" for s in loaded.handout.sections):
        findings.append(Finding.of("actionability", "error", f"{label} has lost its checklist", where,
                                   "keep at least one checklist section in every profile"))
    for section in leaflet.sections:
        for block in section.blocks:
            if isinstance(block, Faq):
                for question in block.questions:
                    if not any(a.strip() for a in question.answer):
                        findings.append(Finding.of("sources", "error", f"{label}: the question "
                                                   f"'{question.question}' has no answer", where))
    return findings

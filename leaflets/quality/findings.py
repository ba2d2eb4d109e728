"""What a check reports: findings with a place, a rule and what to do, as text or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LeafletError, Where

# Rule ids, each with a heading in docs/checks.md (the anchor is the id).
RULES = {
    "schema": "Files follow their format",
    "template": "Variables in text exist and are safe",
    "readability": "Plain language",
    "review": "Review dates and approval",
    "sources": "Sources and safety information",
    "brand": "Brand: logo, numbers and contrast",
    "layout": "Page budget",
    "translations": "Translations complete, current and printable",
    "actionability": "Tells the patient what to do",
}
DOCS = "docs/checks.md"
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str          # "error" stops a leaflet; "warning" needs a look; "info" is for the record
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __post_init__(self):
        assert self.rule in RULES and self.severity in SEVERITIES, (self.rule, self.severity)

    @classmethod
    def of(cls, rule: str, severity: str, message: str, where: Where | None = None,
           hint: str | None = None) -> "Finding":
        where = where or Where()
        return cls(rule, severity, message, hint, str(where.file) if where.file else None,
                   where.line, where.column, where.key)

    @classmethod
    def from_error(cls, rule: str, error: LeafletError, severity: str = "error") -> list["Finding"]:
        errors = getattr(error, "errors", None) or [error]
        return [cls.of(rule, severity, e.message, e.where, e.hint) for e in errors]

    def place(self) -> str:
        return str(Where(Path(self.file) if self.file else None, self.line, self.column, self.key))


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def add(self, findings: list[Finding]) -> None:
        self.findings += findings

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.count("error") or (strict and self.count("warning")) else 0

    def ordered(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (SEVERITIES.index(f.severity), f.file or "", f.line or 0))

    def as_text(self) -> str:
        lines = []
        for f in self.ordered():
            place = f.place()
            lines.append(f"{place + ': ' if place else ''}{f.severity} [{f.rule}] {f.message}")
            if f.hint:
                lines.append(f"  -> {f.hint}")
        for name, value in self.summary.items():
            lines.append(f"{name}: {value}")
        lines.append(f"{self.count('error')} error(s), {self.count('warning')} warning(s), "
                     f"{self.count('info')} note(s). The rules are explained in {DOCS}.")
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps({
            "findings": [{**asdict(f), "docs": f"{DOCS}#{f.rule}"} for f in self.ordered()],
            "summary": self.summary,
            "counts": {s: self.count(s) for s in SEVERITIES},
        }, indent=2, ensure_ascii=False)

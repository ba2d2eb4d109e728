"""Errors a user can fix: one readable message each, never a traceback.

Every problem with the input names the file, the line and column, the key
path inside the file, what is wrong and what to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Where:
    """A place in an input file (1-based line and column)."""

    file: Path | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"line {self.line}")
            if self.column is not None:
                parts.append(f"column {self.column}")
        text = ", ".join(parts)
        if self.key:
            text = f"{text}: {self.key}" if text else self.key
        return text


class LeafletError(Exception):
    """A problem with the user's input or environment, reported without a traceback."""

    exit_code = 2

    def __init__(self, message: str, where: Where | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __reduce__(self):  # whole, when it crosses from a worker process
        return type(self), (self.message, self.where, self.hint)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where and str(self.where) else self.message
        if self.hint:
            text += f"\n  -> {self.hint}"
        return text


class ContentErrors(LeafletError):
    """Several problems found in one pass over the input, reported together."""

    def __init__(self, errors: list[LeafletError]):
        super().__init__(f"{len(errors)} problem(s) found")
        self.errors = errors

    def __reduce__(self):
        return type(self), (self.errors,)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class OutputError(LeafletError):
    """The leaflet could not be written where the user asked."""

    exit_code = 1

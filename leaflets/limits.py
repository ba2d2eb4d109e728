"""Limits on input files, so a file from anywhere cannot exhaust memory or time.

Content, brand, translation and logo files may come from a colleague, a shared
drive or a translation agency. Each is refused, with its name, before it is
parsed when it is larger than any real one needs to be (docs/content-format.md,
"Limits").
"""

from __future__ import annotations

from pathlib import Path

from .errors import LeafletError, Where

MAX_FILE_BYTES = 2 * 1024 * 1024  # YAML, PO and logo files; the largest shipped file is 40 kB
MAX_NESTING = 20                  # YAML levels; the shipped files nest 7 at most


def check_size(file: Path, what: str, hint: str) -> None:
    """Refuse a file over MAX_FILE_BYTES before reading it."""
    try:
        size = file.stat().st_size
    except OSError:
        return  # the reader that follows reports a missing or unreadable file in its own words
    if size > MAX_FILE_BYTES:
        raise LeafletError(
            f"the {what} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB ({size / 1024 / 1024:.1f} MB)",
            Where(file), hint)

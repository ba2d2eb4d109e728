"""`generate.py build --watch`: build again whenever a file the leaflet is made from changes.

An author edits handout.yaml in one window and keeps the PDF open in another: each save rebuilds it,
and a mistake is printed where the build result would be, with its file and line, without stopping
the loop. Files are polled (twice a second): no extra dependency, and it works the same on Linux,
macOS, Windows and network drives.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

from .errors import LeafletError

WATCHED = {".yaml", ".yml", ".png", ".jpg", ".jpeg", ".svg"}


def snapshot(roots: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """(modification time, size) of every watched file under the roots (a root may be one file)."""
    found: dict[Path, tuple[int, int]] = {}
    for root in roots:
        files = [root] if root.is_file() else (p for p in root.rglob("*") if p.suffix.lower() in WATCHED) \
            if root.is_dir() else []
        for file in files:
            try:
                stat = file.stat()
            except OSError:   # removed while we looked
                continue
            found[file] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(build: Callable[[], str], roots: Callable[[], list[Path]], interval: float = 0.5,
          rounds: int | None = None) -> None:
    """Build now, then again after every change, until interrupted (or `rounds` polls, for tests)."""
    seen: dict[Path, tuple[int, int]] | None = None
    polls = 0
    while rounds is None or polls < rounds:
        current = snapshot(roots())
        if current != seen:
            seen = current
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            started = time.perf_counter()
            try:
                output = build()
            except LeafletError as exc:
                print(f"[{stamp}] error: {exc}", file=sys.stderr)
                print(f"[{stamp}] not built: fix the file and save it to build again (Ctrl-C stops)", flush=True)
            except Exception as exc:  # a bug: say so, keep watching; the message may hold patient text
                print(f"[{stamp}] internal error ({type(exc).__name__}); run without --watch and with "
                      "LEAFLETS_DEBUG=1 for details", file=sys.stderr)
            else:
                print(f"[{stamp}] built {output} in {time.perf_counter() - started:.1f} s; watching "
                      f"{len(current)} files for changes (Ctrl-C stops)", flush=True)
            sys.stderr.flush()
        polls += 1
        time.sleep(interval)

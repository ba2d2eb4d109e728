"""Write a finished file all at once: under a temporary name, then renamed.

A reader (a printer queue, a web server, a batch rerun) never sees half a
PDF, and a failed build leaves nothing behind.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .errors import OutputError, Where

STDOUT = "-"


def write_atomically(path: Path | str, data: bytes) -> None:
    """Write data to path (or to standard output for '-') so it appears whole or not at all."""
    if str(path) == STDOUT:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    hint = "choose another place with -o FILE.pdf"
    if path.is_dir():
        raise OutputError("the output path is a folder", Where(path), "give a file name, e.g. -o leaflet.pdf")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror}", Where(path), hint) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        os.unlink(temporary)
        raise OutputError(f"cannot write here: {exc.strerror}", Where(path), hint) from None
    except BaseException:
        os.unlink(temporary)
        raise

"""`generate.py new`: a starter handout, so nobody copies the DVT leaflet and deletes clinical text.

The starter is data (templates/starter/): one section of every kind, one profile, comments and
placeholder text only, marked draft. It passes `check` and builds as it is.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

from .content import HANDOUT_FILE, PROFILES_FILE
from .errors import LeafletError, OutputError, Where
from .paths import data_dir

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


def write_starter(handout_id: str, content: Path, today: dt.date | None = None) -> Path:
    """Write content/<handout_id>/ with handout.yaml and profiles.yaml; return the folder."""
    if not _ID.match(handout_id):
        raise LeafletError(f"'{handout_id}' cannot be a handout id",
                           hint="use lowercase letters, digits and hyphens, e.g. compression-stockings")
    folder = Path(content) / handout_id
    if folder.exists():
        raise LeafletError(f"{folder} already exists", hint="choose another id, or edit the handout that is there")
    today = today or dt.date.today()
    values = {"HANDOUT-ID": handout_id, "CONTENT-DIR": str(content), "HANDOUT-REF": handout_id.upper()[:30],
              "PUBLISHED": today.isoformat(), "REVIEW-BY": today.replace(year=today.year + 2, day=min(today.day, 28)).isoformat()}
    starter = data_dir("templates") / "starter"
    try:  # written into a hidden folder, then renamed: a failure leaves no half handout
        Path(content).mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=content, prefix=f".{handout_id}."))
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o777 & ~umask)   # mkdtemp's folder is private; a handout folder is not
        for name in (HANDOUT_FILE, PROFILES_FILE):
            text = (starter / name).read_text(encoding="utf-8")
            for token, value in values.items():
                text = text.replace(token, value)
            (temporary / name).write_text(text, encoding="utf-8")
        os.replace(temporary, folder)
    except OSError as exc:
        raise OutputError(f"cannot write the handout here: {exc.strerror}", Where(folder),
                          "choose another folder with --content DIR") from None
    return folder

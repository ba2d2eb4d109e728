"""JSON Schemas of the file formats, generated from the same models the loader validates with.

Published in schemas/ so editors (VS Code's YAML extension, via the
`# yaml-language-server: $schema=...` line at the top of each file) check
content while it is typed. A test keeps the published files current.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .model import Brand, Handout, ProfileSet, UiStrings
from .translation import Translation
from .output import write_atomically

FORMATS: dict[str, type[BaseModel]] = {
    "handout": Handout,
    "profiles": ProfileSet,
    "brand": Brand,
    "strings": UiStrings,
    "translation": Translation,
}


def schema_of(name: str) -> dict:
    model = FORMATS[name]
    schema = model.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{name}.schema.json", "title": f"{model.__name__} ({name} file)", **schema}


def schema_text(name: str) -> str:
    return json.dumps(schema_of(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    paths = []
    for name in FORMATS:
        path = Path(folder) / f"{name}.schema.json"
        write_atomically(path, schema_text(name).encode("utf-8"))
        paths.append(path)
    return paths

"""Turn YAML data into validated models, with errors a nurse educator can act on.

pydantic checks types and required keys; this module translates its errors
into plain words with the file, line and key, and records on each model the
lines it came from so later stages (text substitution) can point back too.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from typing_extensions import is_typeddict

from .errors import ContentErrors, LeafletError, Where
from .model import SECTION_KINDS, Located
from .yamlsource import KeyPath, YamlSource, format_path

# What to do when a value does not match its pattern, by key name.
_PATTERN_HINTS = {
    "id": "use lowercase letters, digits and hyphens, e.g. 'start-gently'",
    "to": "use the id of a section, e.g. 'faq'",
    "after": "use the id of a section or item",
    "language": "use a language code such as en, es, fr or zh-Hans",
    "country": "use a two-letter country code in capitals, e.g. GB, US, IE",
    "emergency_number": "digits only, e.g. 999, 911 or 112",
    "primary": "write a colour as #RRGGBB, e.g. #1F5C99",
    "accent": "write a colour as #RRGGBB, e.g. #E8F1FA",
    "text_on_primary": "write a colour as #RRGGBB, e.g. #FFFFFF",
    "site_url": "write the full address, starting with https://, e.g. https://leaflets.clinic.example/",
}


def validate(model: Any, source: YamlSource, data: Any = None, path: KeyPath = ()) -> Any:
    """Validate data (default: the whole file) against a model class or type; raise ContentErrors."""
    data = source.data if data is None else data
    try:
        value = TypeAdapter(model).validate_python(data)
    except ValidationError as exc:
        raise ContentErrors([_explain(err, model, source, data, path) for err in exc.errors()]) from None
    attach_locations(value, source, path)
    return value


def attach_locations(value: Any, source: YamlSource, path: KeyPath) -> None:
    """Remember on every model the file and the line of each of its keys."""
    if isinstance(value, Located):
        value._file = source.file
        value._path = format_path(path, source.data)
        value._marks = {"": source.marks.get(path, (1, 1))}
        for name in type(value).model_fields:
            if path + (name,) in source.marks:
                value._marks[name] = source.marks[path + (name,)]
            attach_locations(getattr(value, name), source, path + (name,))
            items = getattr(value, name)
            if isinstance(items, list):   # each paragraph of a list its own line, for messages about one
                for index, item in enumerate(items):
                    if isinstance(item, str) and path + (name, index) in source.marks:
                        value._marks[f"{name}.{index + 1}"] = source.marks[path + (name, index)]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            attach_locations(item, source, path + (index,))
    elif isinstance(value, dict):
        for key, item in value.items():
            attach_locations(item, source, path + (key,))


def where_of(obj: Located, key: str = "", label: str | None = None) -> Where:
    """The place of a model (or one of its keys) in the file it was read from."""
    line, column = obj._marks.get(key) or obj._marks.get("", (None, None))
    label = label or ".".join(part for part in (obj._path, key) if part)
    return Where(obj._files.get(key, obj._file), line, column, label or None)


def _data_path(loc: tuple, data: Any) -> KeyPath:
    """pydantic puts a union's tag (e.g. 'table') into the error path; drop such steps."""
    path: list[Any] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        elif isinstance(node, dict) and node.get("kind") == step:
            continue
        else:
            path.append(step)
            break
        path.append(step)
    return tuple(path)


def _model_at(model: Any, loc: tuple) -> Any:
    """The model class (or TypedDict) that owns the last key of an error path, to list its keys."""
    current = model
    for step in loc:
        current = _strip(current)
        if typing.get_origin(current) in (typing.Union, types.UnionType):
            current = _union_member(current, step)  # pydantic puts the union's tag in the path
        elif typing.get_origin(current) is list and isinstance(step, int):
            current = typing.get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel) and step in current.model_fields:
            current = current.model_fields[step].annotation
        elif is_typeddict(current) and step in current.__annotations__:
            current = current.__annotations__[step]
        else:
            return None
    current = _strip(current)
    if is_typeddict(current):
        return current
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _strip(tp: Any) -> Any:
    """Annotated[X, ...] and Optional[X] both mean X here."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) == 1:
                tp = members[0]
                continue
        return tp


def _union_member(union: Any, tag: Any) -> Any:
    for member in typing.get_args(union):
        if isinstance(member, type) and issubclass(member, BaseModel) and "kind" in member.model_fields \
                and tag in typing.get_args(member.model_fields["kind"].annotation):
            return member
    return None


def _explain(err: dict, model: Any, source: YamlSource, data: Any, base: KeyPath) -> LeafletError:
    loc = tuple(err["loc"])
    path = _data_path(loc, data)
    where = source.where(base + path)
    key = str(loc[-1]) if loc else ""
    kind = err["type"]
    value = err.get("input")
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."

    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        allowed = list(getattr(owner, "model_fields", None) or getattr(owner, "__annotations__", {})) if owner else []
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = (f"did you mean '{close[0]}'? " if close else "") + (
            f"keys allowed here: {', '.join(allowed)}" if allowed else "remove it")
        return LeafletError(f"unknown key '{key}'", where, hint)
    if kind == "missing":
        return LeafletError(f"the required key '{key}' is missing", where, f"add '{key}:' here")
    if kind == "union_tag_invalid":
        where = source.where(base + path + ("kind",))
        return LeafletError(f"unknown section kind '{err['ctx']['tag']}'", where,
                            f"use one of: {', '.join(SECTION_KINDS)}")
    if kind == "union_tag_not_found":
        return LeafletError("this section has no 'kind'", where, f"add 'kind:' with one of: {', '.join(SECTION_KINDS)}")
    if kind in ("string_type", "string_sub_type"):
        return LeafletError(f"expected text, found {shown}", where,
                            f"put the value in quotes, e.g. {key}: \"{value}\" (YAML reads 1.0, 999, yes "
                            "or 2026-01-01 as numbers, true/false or dates otherwise)")
    if kind == "string_too_short":
        return LeafletError("this text is empty", where, "write the text, or remove the key")
    if kind == "string_pattern_mismatch":
        return LeafletError(f"{shown} is not a valid {key.replace('_', ' ')}", where,
                            _PATTERN_HINTS.get(key, f"expected a value matching {err['ctx']['pattern']}"))
    if kind == "list_type":
        return LeafletError(f"expected a list, found {shown}", where, "start each entry on its own line with '- '")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return LeafletError(f"expected keys and values here, found {shown}", where,
                            "write 'key: value' lines, indented under this key")
    if kind == "too_short":
        return LeafletError(f"needs at least {err['ctx']['min_length']} entr{'y' if err['ctx']['min_length'] == 1 else 'ies'}",
                            where, "add the missing entries")
    if kind.startswith("date"):
        return LeafletError(f"expected a date, found {shown}", where, "write dates as YYYY-MM-DD, e.g. 2027-11-01")
    if kind in ("bool_type", "bool_parsing"):
        return LeafletError(f"expected true or false, found {shown}", where, "write true or false")
    if kind == "value_error":
        return LeafletError(str(err["ctx"]["error"]), where)
    if kind == "literal_error":
        return LeafletError(f"{shown} is not allowed here", where, f"use {err['ctx']['expected']}")
    return LeafletError(err["msg"][0].lower() + err["msg"][1:], where)

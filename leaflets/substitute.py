"""Fill {{ brand.phone }}-style variables in content text with Jinja2.

Sandboxed, because content files come from clinics, not programmers; and
strict, because a leaflet that says "call  if you have chest pain" is
dangerous: an unknown variable is an error, never an empty string.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import LeafletError, Where

_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=4096)
def _compile(text: str):
    return _ENV.from_string(text)


def fill(text: str, context: dict[str, Any], where: Where | None = None) -> str:
    """The text with its variables filled in; plain text stays as it is."""
    if "{" not in text:
        return text
    try:
        return _compile(text).render(context)
    except UndefinedError:
        known = [name.strip("{} ") for name in _describe(context)]
        unknown = next((name for name in _used(text) if name not in known), None)
        if unknown is None:
            raise LeafletError("the text uses a variable that does not exist", where,
                               f"variables you can use: {', '.join(_describe(context))}") from None
        raise LeafletError(f"the text uses {{{{ {unknown} }}}}, a variable that does not exist", where,
                           suggest(unknown, known)) from None
    except TemplateError as exc:
        raise LeafletError(f"the text has a broken {{{{ }}}} or {{% %}} ({exc.message})", where,
                           "write variables as {{ brand.phone }}; to print a brace, avoid '{{' in text") from None


def suggest(unknown: str, known: list[str]) -> str:
    """'did you mean `brand.phone`?' for a misspelt variable, and the list of the others."""
    close = difflib.get_close_matches(unknown, known, n=1, cutoff=0.6)
    if not close:  # 'phone' or 'brand.telephone': compare the last part alone
        last = {name.rsplit(".", 1)[-1]: name for name in known}
        close = [last[m] for m in difflib.get_close_matches(unknown.rsplit(".", 1)[-1], list(last), n=1, cutoff=0.6)]
    listed = f"variables you can use: {', '.join('{{ ' + name + ' }}' for name in known)}"
    return f"did you mean `{close[0]}`? {listed}" if close else listed


def _used(text: str) -> list[str]:
    try:
        return variables_in(text)
    except (NotPlainVariable, TemplateError):
        return []


def _describe(context: dict[str, Any], prefix: str = "") -> list[str]:
    names: list[str] = []
    for key, value in context.items():
        if isinstance(value, dict):
            names += _describe(value, f"{prefix}{key}.")
        else:
            names.append("{{ " + prefix + key + " }}")
    return names


class NotPlainVariable(Exception):
    """Text uses template features beyond {{ name.attribute }}."""


def variables_in(text: str) -> list[str]:
    """The dotted names text uses, e.g. ['brand.phone'], found without rendering it.

    Content may only use plain variables: filters, calls, loops, tests and
    names starting with '_' raise NotPlainVariable (or jinja2's
    TemplateSyntaxError for broken braces), so `check` can report them.
    """
    if "{" not in text:
        return []
    names: list[str] = []
    for node in _ENV.parse(text).body:
        if not isinstance(node, nodes.Output):
            raise NotPlainVariable("only {{ variables }} are allowed, not {% ... %} statements")
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                continue
            names.append(_dotted(child))
    return names


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        name = node.name
    elif isinstance(node, nodes.Getattr):
        name = f"{_dotted(node.node)}.{node.attr}"
    else:
        raise NotPlainVariable(f"only plain variables such as {{{{ brand.phone }}}} are allowed, "
                               f"not {type(node).__name__.lower()} expressions")
    if any(part.startswith("_") for part in name.split(".")):
        raise NotPlainVariable(f"'{name}' is not a variable content may use")
    return name

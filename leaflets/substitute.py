"""Fill {{ brand.phone }}-style variables in content text with Jinja2.

Sandboxed, because content files come from clinics, not programmers; and
strict, because a leaflet that says "call  if you have chest pain" is
dangerous: an unknown variable is an error, never an empty string.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
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
    except UndefinedError as exc:
        raise LeafletError(f"the text uses a variable that does not exist ({exc.message})", where,
                           f"variables you can use: {', '.join(_describe(context))}") from None
    except TemplateError as exc:
        raise LeafletError(f"the text has a broken {{{{ }}}} or {{% %}} ({exc.message})", where,
                           "write variables as {{ brand.phone }}; to print a brace, avoid '{{' in text") from None


def _describe(context: dict[str, Any], prefix: str = "") -> list[str]:
    names: list[str] = []
    for key, value in context.items():
        if isinstance(value, dict):
            names += _describe(value, f"{prefix}{key}.")
        else:
            names.append("{{ " + prefix + key + " }}")
    return names

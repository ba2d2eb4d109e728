"""Template safety: every {{ variable }} in content and wording exists, is filled, and is plain.

Checked statically, over the source files, so each finding has a line, and
for the brand in use, so `{{ brand.website }}` with no website is caught
before it prints as nothing.
"""

from __future__ import annotations

from typing import Any, Iterator

from jinja2 import TemplateSyntaxError

from ..model import UI_VARIABLES, Located, UiStrings
from ..substitute import NotPlainVariable, suggest, variables_in
from ..translation import TEXT_FIELDS
from ..validation import where_of
from .findings import Finding

# Fields of content models whose text goes through substitution (see resolve.py).
TEMPLATED = set(TEXT_FIELDS) - {"label", "summary"}  # profile labels are printed as they are


def content_texts(model: Any) -> Iterator[tuple[Located, str, str]]:
    """(model, key, text) for every substituted text in a content model and the models inside it."""
    if isinstance(model, list):
        for item in model:
            yield from content_texts(item)
        return
    if not isinstance(model, Located):
        return
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in TEMPLATED and isinstance(value, str):
            yield model, name, value
        elif name in TEMPLATED and isinstance(value, list) and all(isinstance(v, str) for v in value):
            yield from ((model, name, v) for v in value)
        elif isinstance(value, (Located, list)):
            yield from content_texts(value)
        elif isinstance(value, dict) and isinstance(value.get("section"), Located):
            yield from content_texts(value["section"])


def flatten(variables: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in variables.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def check_text(obj: Located, key: str, text: str, known: dict[str, str], require_filled: bool = True) -> list[Finding]:
    """known: the variables this text may use, with their values for the brand in use."""
    where = where_of(obj, key)
    try:
        names = variables_in(text)
    except TemplateSyntaxError as exc:
        return [Finding.of("template", "error", f"broken {{{{ }}}} in the text ({exc.message})", where,
                           "write variables as {{ brand.phone }}")]
    except NotPlainVariable as exc:
        return [Finding.of("template", "error", str(exc), where,
                           "content is data: use only variables such as {{ brand.phone }}")]
    findings = []
    for name in names:
        if name not in known:
            findings.append(Finding.of(
                "template", "error", f"'{{{{ {name} }}}}' is not a variable this text can use", where,
                suggest(name, sorted(known)) if known else "variables here: (none)"))
        elif require_filled and known[name] == "":
            findings.append(Finding.of(
                "template", "error", f"'{{{{ {name} }}}}' is empty for this brand, so the text would print nothing there",
                where, f"add '{name.removeprefix('brand.')}' to the brand file, or reword the text without it"))
    return findings


def check_content(models: list[Located], content_vars: dict[str, Any]) -> list[Finding]:
    known = flatten(content_vars)
    return [f for model in models for obj, key, text in content_texts(model) for f in check_text(obj, key, text, known)]


def wording_texts(strings: UiStrings) -> Iterator[tuple[Located, str, str]]:
    """(model, key, text) for every text of a wording file, the desk's included."""
    for model in (strings, strings.desk):
        for name in type(model).model_fields:
            value = getattr(model, name)
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    yield model, name, text


def check_wording(strings: UiStrings, content_vars: dict[str, Any]) -> list[Finding]:
    content = flatten(content_vars)
    findings = []
    for model, name, text in wording_texts(strings):
        with_content, extra = UI_VARIABLES.get(name, (False, set()))
        known = {**(content if with_content else {}), **{n: content.get(n, "value") for n in extra}}
        # The wording leaves out lines whose brand detail is empty (no website: no website line).
        findings += check_text(model, name, text, known, require_filled=False)
    return findings

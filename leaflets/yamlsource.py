"""Read YAML while remembering where every value came from.

PyYAML's nodes carry line and column marks; the plain loaders throw them
away. We keep them, keyed by path, so a schema error can name the line.
Duplicate keys are rejected: PyYAML silently keeps the last one, and a
leaflet must never lose a sentence that way. Anchors and aliases (&name, *name)
are refused: they are not part of the format, and a few nested aliases in a
1 kB file can stand for billions of values ("billion laughs"). Files too large
or nested too deep are refused before they are parsed (see limits.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import LeafletError, Where
from .limits import MAX_NESTING, check_size

KeyPath = tuple[Any, ...]
# libyaml's parser (in PyYAML's wheels) is several times faster and keeps the same marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlSource:
    """The data of one YAML file and the place of each value in it."""

    file: Path
    data: Any
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: KeyPath) -> Where:
        """The closest known place for a key path (falls back to its parents)."""
        probe = tuple(path)
        while probe and probe not in self.marks:
            probe = probe[:-1]
        line, column = self.marks.get(probe, (1, 1))
        return Where(self.file, line, column, format_path(path, self.data))


def format_path(path: KeyPath, data: Any = None) -> str:
    """A key path as authors think of it: list entries by their id where they have one."""
    text = ""
    node = data
    for part in path:
        if isinstance(part, int):
            entry = node[part] if isinstance(node, list) and part < len(node) else None
            text += f"[{entry['id']}]" if isinstance(entry, dict) and isinstance(entry.get("id"), str) else f"[{part + 1}]"
            node = entry
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


def load_yaml(file: Path, *, what: str = "file") -> YamlSource:
    """Parse one YAML file into data plus marks; syntax problems become LeafletError."""
    check_size(file, what, "a real one is a few dozen kB: check this is the right file")
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LeafletError(f"{what} not found", Where(file), "check the path") from None
    except UnicodeDecodeError as exc:
        raise LeafletError(
            f"the file is not UTF-8 text (byte {exc.start})", Where(file),
            "save the file as UTF-8 in your editor") from None
    except OSError as exc:
        raise LeafletError(f"cannot read the {what}: {exc.strerror}", Where(file)) from None

    loader = _Loader(text)
    try:
        _refuse_aliases_and_deep_nesting(_Loader(text), file)
        node = loader.get_single_node()
        if node is None:
            raise LeafletError("the file is empty", Where(file, 1, 1), f"write the {what} here")
        source = YamlSource(file, None)
        _collect_marks(node, (), source)
        source.data = loader.construct_document(node)
        return source
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        tab = _tab_near(text, mark, exc.problem or "")
        if tab:
            raise LeafletError(
                "a tab character: YAML lines are indented with spaces, never tabs", Where(file, *tab),
                "replace the tab with spaces (most editors have a setting to insert spaces for the Tab key)") from None
        where = Where(file, mark.line + 1, mark.column + 1) if mark else Where(file)
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise LeafletError(
            f"this is not valid YAML ({problem})", where,
            "check indentation and quoting on this line or the one above; "
            "put text containing ':' or '#' in quotes") from None
    except yaml.YAMLError as exc:
        raise LeafletError(f"this is not valid YAML ({exc})", Where(file)) from None
    finally:
        loader.dispose()


def _tab_near(text: str, mark, problem: str) -> tuple[int, int] | None:
    """(line, column) of the tab that most likely broke the file: on the error's line, or the line above."""
    if mark is None:
        return None
    lines = text.split("\n")
    for number in (mark.line, mark.line - 1):
        if 0 <= number < len(lines):
            line = lines[number]
            indent = line[:len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent or ("\t" in problem and "\t" in line):
                return number + 1, line.index("\t") + 1
    return None


def _refuse_aliases_and_deep_nesting(scanner, file: Path) -> None:
    """One pass over the parser's events, before any value is built from them."""
    depth = 0
    try:
        while scanner.check_event():
            event = scanner.get_event()
            mark = event.start_mark
            if getattr(event, "anchor", None) is not None:
                kind = "an alias" if isinstance(event, yaml.AliasEvent) else "an anchor"
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                raise LeafletError(
                    f"{kind} ({sign}{event.anchor}): anchors and aliases are not part of the format",
                    Where(file, mark.line + 1, mark.column + 1),
                    "write the text out in full where it is needed (see docs/content-format.md)")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    raise LeafletError(
                        f"the values are nested more than {MAX_NESTING} levels deep",
                        Where(file, mark.line + 1, mark.column + 1),
                        "the format never nests this deep: check the brackets and indentation here")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        scanner.dispose()


def _collect_marks(node: yaml.Node, path: KeyPath, source: YamlSource) -> None:
    source.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise LeafletError(
                    f"the key '{key}' appears twice (first on line {seen[key]})",
                    Where(source.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                          format_path(path + (key,))),
                    "keep one of them: YAML would silently drop the first")
            seen[key] = key_node.start_mark.line + 1
            _collect_marks(value_node, path + (key,), source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_marks(item, path + (index,), source)

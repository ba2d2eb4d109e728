"""Read YAML while remembering where every value came from.

PyYAML's nodes carry line and column marks; the plain loaders throw them
away. We keep them, keyed by path, so a schema error can name the line.
Duplicate keys are rejected: PyYAML silently keeps the last one, and a
leaflet must never lose a sentence that way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import LeafletError, Where

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
        node = loader.get_single_node()
        if node is None:
            raise LeafletError("the file is empty", Where(file, 1, 1), f"write the {what} here")
        source = YamlSource(file, None)
        _collect_marks(node, (), source)
        source.data = loader.construct_document(node)
        return source
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
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

"""Read clinic logos once per file version; SVG through svglib, raster through ReportLab.

A logo is drawn from its own file alone. An SVG that names anything outside
itself (another file, a file:// or web address, an external XML entity) or that
declares entities built from other entities (an "entity bomb") is refused by
brand.check_logo with the line, before svglib sees it; svglib is then handed
the bytes, not the path, so it has no folder to resolve a reference against.
"""

from __future__ import annotations

import io
import logging
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Inside the file: a #fragment, or an image embedded as data.
_INSIDE = re.compile(r"\s*(#|data:)", re.IGNORECASE)
_CSS_REFERENCE = re.compile(r"url\(\s*['\"]?(?!\s*#|data:)([^'\")]*)|@import\s+(?:url\()?\s*['\"]?([^'\";)]*)",
                            re.IGNORECASE)
_ENTITY_REFERENCE = re.compile(r"[&%][A-Za-z_:]")


def svg_outside_reference(data: bytes) -> tuple[int | None, str] | None:
    """The first thing in an SVG that reaches outside the file, as (line, problem); None if there is none."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             recover=True, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None  # unreadable: check_logo reports that in its own words
    if root is None:
        return None
    dtd = root.getroottree().docinfo.internalDTD
    for entity in dtd.iterentities() if dtd is not None else ():
        line = _line_of(data, b"<!ENTITY")
        if entity.system_url:
            return line, f"an external entity '{entity.name}' that reads '{entity.system_url}'"
        if _ENTITY_REFERENCE.search(entity.content or ""):
            return line, f"an entity '{entity.name}' built from other entities (it could expand without limit)"
    for node in root.iter():
        if isinstance(node, etree._ProcessingInstruction):
            if node.target == "xml-stylesheet":
                return node.sourceline, f"a style sheet from outside the file ({node.text})"
            continue
        if not isinstance(node.tag, str):
            continue
        for name, value in node.attrib.items():
            if name in ("href", XLINK_HREF) and not _INSIDE.match(value):
                return node.sourceline, f"a reference to '{value.strip()}', outside the file"
            css = _CSS_REFERENCE.search(value)
            if css:
                return node.sourceline, f"a reference to '{(css.group(1) or css.group(2)).strip()}', outside the file"
        css = _CSS_REFERENCE.search(node.text or "") if etree.QName(node).localname == "style" else None
        if css:
            return node.sourceline, f"a reference to '{(css.group(1) or css.group(2)).strip()}', outside the file"
    return None


def _line_of(data: bytes, needle: bytes) -> int | None:
    at = data.find(needle)
    return data.count(b"\n", 0, at) + 1 if at >= 0 else None


def load_svg(path: Path):
    """An SVG file as a ReportLab Drawing, or None when it cannot be read."""
    return _load_svg(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _load_svg(path: Path, _mtime: int):
    from svglib.svglib import svg2rlg
    # svglib logs parse problems itself; we report a bad logo in our own words.
    logging.getLogger("svglib.svglib").setLevel(logging.CRITICAL)
    try:
        data = path.read_bytes()
        if svg_outside_reference(data) is not None:
            return None  # never drawn, whoever calls: check_logo explains why
        return svg2rlg(io.BytesIO(data))
    except Exception:  # svglib raises many kinds of error for bad files
        return None

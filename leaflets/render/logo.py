"""Read clinic logos once per file version; SVG through svglib, raster through ReportLab."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path


def load_svg(path: Path):
    """An SVG file as a ReportLab Drawing, or None when it cannot be read."""
    return _load_svg(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _load_svg(path: Path, _mtime: int):
    from svglib.svglib import svg2rlg
    # svglib logs parse problems itself; we report a bad logo in our own words.
    logging.getLogger("svglib.svglib").setLevel(logging.CRITICAL)
    try:
        return svg2rlg(str(path))
    except Exception:  # svglib raises many kinds of error for bad files
        return None

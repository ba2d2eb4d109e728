"""The Unicode bidirectional algorithm for ReportLab's right-to-left paragraphs, from python-bidi.

ReportLab lays out right-to-left text when a module named `rlbidi` offers
`log2vis` (its own helper, not published on PyPI). This is that function,
built on python-bidi's implementation of the algorithm (UAX #9), with the
visual-to-logical index map ReportLab needs to keep words and their fonts
together. leaflets/__init__.py registers it before ReportLab is imported.
"""

from __future__ import annotations

from bidi import algorithm


def log2vis(text: str, base_direction: str | None = "RTL", clean: bool = True,
            positions_V_to_L: list[int] | None = None) -> str:
    """Text in display (visual) order; fills positions_V_to_L[visual index] = logical index."""
    storage = algorithm.get_empty_storage()
    direction = (base_direction or "").upper()
    level = {"RTL": 1, "LTR": 0}.get(direction)
    storage["base_level"] = algorithm.get_base_level(text) if level is None else level
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [char["index"] for char in chars]
    return "".join(char["ch"] for char in chars)

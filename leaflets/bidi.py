"""The Unicode bidirectional algorithm (UAX #9) from python-bidi, for right-to-left lines.

Two uses: `levels` and `visual_order` let the PDF renderer order the words and
the runs inside a word on each line it has broken (leaflets/render/pdf/lines.py),
and `log2vis` is the helper ReportLab looks for in a module named `rlbidi`;
leaflets/__init__.py registers it before ReportLab is imported.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

from bidi import algorithm

# Bidi classes that resolve to the paragraph's own level when no other class is in the text: with
# no letter of the other direction, no number and no explicit embedding, the weak and neutral ones
# (W1-W7, N1-N2 of UAX #9) take the direction of the strong letters around them and of the
# paragraph's start and end, which is the paragraph's; trailing spaces go back to it too (L1).
_ONE_DIRECTION = {1: frozenset({"R", "AL", "NSM", "WS", "ON", "CS", "ES", "ET"}),
                  0: frozenset({"L", "NSM", "WS", "ON", "CS", "ES", "ET"})}


def _resolved(text: str, base_level: int | None) -> dict:
    storage = algorithm.get_empty_storage()
    storage["base_level"] = algorithm.get_base_level(text) if base_level is None else base_level
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    return storage


def levels(text: str, base_level: int) -> list[int]:
    """The embedding level of each character of a paragraph (0 left to right, 1 right to left).
    A paragraph in one direction only (most Arabic and Urdu ones) is answered without python-bidi's
    algorithm, written in Python: 9 of the 12 ms an Arabic leaflet spends on levels when new."""
    if _ONE_DIRECTION[base_level].issuperset(map(unicodedata.bidirectional, set(text))):
        return [base_level] * len(text)
    return [char["level"] for char in _resolved(text, base_level)["chars"]]


def visual_order(item_levels: Sequence[int]) -> list[int]:
    """Indices of items (words, runs) in display order, left to right, by rule L2 of UAX #9:
    from the highest level down to the lowest odd one, reverse every run at that level or above."""
    order = list(range(len(item_levels)))
    odd = [level for level in item_levels if level % 2]
    if not odd:
        return order
    for level in range(max(item_levels), min(odd) - 1, -1):
        start = None
        for position in range(len(order) + 1):
            inside = position < len(order) and item_levels[order[position]] >= level
            if inside and start is None:
                start = position
            elif not inside and start is not None:
                order[start:position] = reversed(order[start:position])
                start = None
    return order


def log2vis(text: str, base_direction: str | None = "RTL", clean: bool = True,
            positions_V_to_L: list[int] | None = None) -> str:
    """Text in display (visual) order; fills positions_V_to_L[visual index] = logical index."""
    direction = (base_direction or "").upper()
    storage = _resolved(text, {"RTL": 1, "LTR": 0}.get(direction))
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [char["index"] for char in chars]
    return "".join(char["ch"] for char in chars)

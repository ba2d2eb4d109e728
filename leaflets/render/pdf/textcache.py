"""Bounded caches of content text the renderer has set, kept for the next leaflet in the process.

Each cache lives beside the work it saves (`lines`: bidi levels and shaped words; `flowables`:
parsed markup and broken lines). Patient details never enter one: their paragraphs are set
afresh (`lines.not_cached`). A full cache is emptied rather than trimmed: a handout's content is a
few thousand paragraphs, far under each limit, so only unusual use ever reaches one.
"""

from __future__ import annotations

from typing import Any


class TextCache(dict):
    """A dict with a size limit; every one made is listed in `TextCache.every`."""

    every: list[TextCache] = []

    def __init__(self, name: str, limit: int):
        super().__init__()
        self.name, self.limit = name, limit
        TextCache.every.append(self)

    def put(self, key, value: Any) -> Any:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def forget_all() -> None:
    for cache in TextCache.every:
        cache.clear()

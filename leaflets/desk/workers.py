"""Render leaflets in worker processes: parallel on every core, and safe.

ReportLab keeps global state (font registry, subsetting state on shared font
objects), so two renders must never run at once in one process. Each worker
process renders one leaflet at a time; the web server's threads only wait.
Workers start from a fork server before the web server starts its threads,
and load the content and brand once. Patient details reach a worker through
a pipe, in memory, and leave with the PDF.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..fonts import leaflet_fonts
from ..pipeline import LeafletRequest, build_pdf, open_brand, open_library
from ..render.pdf import RenderedPdf

class RenderUnavailable(Exception):
    """No render process could take the request (one died, or the desk is stopping): the nurse tries again."""


RENDER_TIMEOUT = 60  # seconds; a leaflet takes a few hundredths

_state: dict[str, Any] = {}


def _start(content: Path | None, brand: Path | None) -> None:
    library = open_library(content)
    _state.update(library=library, brand=open_brand(brand), handouts={})
    leaflet_fonts()


def _start_worker(content: Path | None, brand: Path | None) -> None:
    # Ctrl-C reaches every process of the terminal, and systemd signals the whole group: the server
    # decides when a worker stops (after the requests in flight), so a worker ignores both.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _start(content, brand)


def _render(request: LeafletRequest) -> RenderedPdf:
    handouts = _state["handouts"]
    if request.handout not in handouts:
        handouts[request.handout] = _state["library"].load(request.handout)
    return build_pdf(handouts[request.handout], request, _state["brand"])


def _warm(_: int) -> int:
    return os.getpid()


class RenderPool:
    """Renders requests in `workers` processes; 0 renders in the calling thread, one at a time."""

    def __init__(self, content: Path | None, brand: Path | None, workers: int):
        self.content, self.brand, self.workers = content, brand, workers
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        if workers == 0:
            _start(content, brand)
        else:
            self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_start_worker,
                                   initargs=(self.content, self.brand))
        list(pool.map(_warm, range(self.workers)))  # start every worker now, not at the first nurse
        return pool

    def render(self, request: LeafletRequest) -> RenderedPdf:
        if self._pool is None:
            with self._lock:
                return _render(request)
        try:
            return self._pool.submit(_render, request).result(timeout=RENDER_TIMEOUT)
        except BrokenProcessPool:  # a worker died (e.g. killed): start fresh ones and try once more
            if self._closed:
                raise RenderUnavailable("the desk is stopping") from None
            with self._lock:
                self._pool = self._new_pool()
            return self._pool.submit(_render, request).result(timeout=RENDER_TIMEOUT)
        except RuntimeError as exc:  # "cannot schedule new futures after shutdown"
            raise RenderUnavailable("the desk is stopping") from exc

    def close(self) -> None:
        """Stop the workers now: a render still running fails with RenderUnavailable."""
        self._closed = True
        if self._pool is not None:
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)

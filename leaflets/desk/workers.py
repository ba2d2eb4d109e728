"""Render leaflets in worker processes: parallel on every core, and safe.

ReportLab keeps global state (font registry, subsetting state on shared font
objects), so two renders must never run at once in one process. Each worker
process renders one leaflet at a time; the web server's threads only wait.
Workers start from a fork server before the web server starts its threads,
and load the content and brand once. Patient details reach a worker through
a pipe, in memory, and leave with the PDF.

Each worker has its own pipe, so a worker that dies (killed, out of memory)
costs only the request it was rendering: that request gets RenderUnavailable
(a 503 with the form kept), a watcher thread starts one replacement, and the
requests waiting for a worker are served by the others and by the new one.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import threading
import time
from pathlib import Path
from typing import Any

from ..fonts import leaflet_fonts
from ..pipeline import LeafletRequest, build_pdf, open_brand, open_library
from ..render.pdf import RenderedPdf

RENDER_TIMEOUT = 60  # seconds; a leaflet takes a few hundredths
START_TIMEOUT = 60   # seconds for a new worker to load content, brand and fonts
PING_TIMEOUT = 5     # seconds for an idle worker to answer /health
log = logging.getLogger("leaflets.desk")

_state: dict[str, Any] = {}


class RenderUnavailable(Exception):
    """No render process could take the request (one died, or the desk is stopping): the nurse tries again."""


def _start(content: Path | None, brand: Path | None) -> None:
    library = open_library(content)
    _state.update(library=library, brand=open_brand(brand), handouts={})
    leaflet_fonts()


def _render(request: LeafletRequest) -> RenderedPdf:
    handouts = _state["handouts"]
    if request.handout not in handouts:
        handouts[request.handout] = _state["library"].load(request.handout)
    return build_pdf(handouts[request.handout], request, _state["brand"])


def _work(connection: multiprocessing.connection.Connection, content: Path | None, brand: Path | None) -> None:
    """A worker process: render what comes down the pipe until the pipe closes (the server stopped or died)."""
    # Ctrl-C reaches every process of the terminal, and systemd signals the whole group: the server
    # decides when a worker stops (after the requests in flight), so a worker ignores both.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _start(content, brand)
    connection.send(("ready", os.getpid()))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        if message == "ping":
            connection.send(("pong", os.getpid()))
            continue
        try:
            connection.send(("pdf", _render(message)))
        except Exception as exc:  # a LeafletError goes back whole; anything else by its kind only:
            from ..errors import LeafletError  # its message might quote what was typed
            connection.send(("error", exc if isinstance(exc, LeafletError) else RuntimeError(type(exc).__name__)))


class _Worker:
    """One render process and our end of its pipe."""

    def __init__(self, context: Any, content: Path | None, brand: Path | None):
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_work, args=(theirs, content, brand), name="leaflets-render",
                                       daemon=True)
        self.process.start()
        theirs.close()  # only the worker holds its end: its death is an end of file here

    def wait_ready(self) -> None:
        if not self.connection.poll(START_TIMEOUT):
            self.process.kill()
            raise RenderUnavailable("a render process did not start")
        try:
            self.connection.recv()
        except (EOFError, OSError):
            raise RenderUnavailable("a render process stopped while starting") from None

    @property
    def alive(self) -> bool:
        return self.process.exitcode is None


class RenderPool:
    """Renders requests in `workers` processes; 0 renders in the calling thread, one at a time."""

    def __init__(self, content: Path | None, brand: Path | None, workers: int):
        self.content, self.brand, self.workers = content, brand, workers
        self._lock = threading.Lock()
        self._closed = False
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()  # started and ready; guarded by _lock
        self._starting = 0
        if workers == 0:
            _start(content, brand)
            return
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        started = [_Worker(self._context, content, brand) for _ in range(workers)]  # all load at once
        for worker in started:
            worker.wait_ready()
            self._workers.add(worker)
            self._idle.put(worker)
        self._wake, self._woken = multiprocessing.Pipe()
        self._watcher = threading.Thread(target=self._watch, name="render-watcher", daemon=True)
        self._watcher.start()

    # --- rendering -----------------------------------------------------------------------------

    def render(self, request: LeafletRequest) -> RenderedPdf:
        if self.workers == 0:
            with self._lock:
                return _render(request)
        worker = self._checkout()
        try:
            worker.connection.send(request)
            if not worker.connection.poll(RENDER_TIMEOUT):
                worker.process.kill()  # stuck: the watcher starts another
                raise RenderUnavailable("a render took too long")
            kind, value = worker.connection.recv()
        except (EOFError, OSError):  # the worker died under this request; the watcher replaces it
            raise RenderUnavailable("a render process stopped") from None
        self._idle.put(worker)
        if kind == "error":
            raise value
        return value

    def _checkout(self) -> _Worker:
        deadline = time.monotonic() + RENDER_TIMEOUT
        while not self._closed and time.monotonic() < deadline:
            try:
                worker = self._idle.get(timeout=0.5)
            except queue.Empty:
                continue
            if worker.alive:
                return worker  # a dead one is dropped here: the watcher has replaced it or is doing so
        raise RenderUnavailable("the desk is stopping" if self._closed else "no render process is free")

    # --- replacing dead workers ------------------------------------------------------------------

    def _watch(self) -> None:
        """Wait for any worker to die, and start one replacement for each (retrying every 5 s if one fails)."""
        while not self._closed:
            with self._lock:
                workers = list(self._workers)
            ready = multiprocessing.connection.wait([w.process.sentinel for w in workers] + [self._woken], timeout=5)
            if self._closed:
                return
            for worker in workers:
                if worker.process.sentinel in ready:
                    with self._lock:
                        self._workers.discard(worker)
                    worker.process.join(1)
                    worker.connection.close()
                    log.warning("render process %s stopped (exit code %s); starting another",
                                worker.process.pid, worker.process.exitcode)
            while len(self._workers) < self.workers and not self._closed:
                if not self._start_one():
                    break

    def _start_one(self) -> bool:
        with self._lock:
            self._starting += 1
        try:
            worker = _Worker(self._context, self.content, self.brand)
            worker.wait_ready()
        except Exception as exc:
            log.error("could not start a render process (%s)", type(exc).__name__)
            return False
        finally:
            with self._lock:
                self._starting -= 1
        with self._lock:
            self._workers.add(worker)
        self._idle.put(worker)
        return True

    # --- health and stopping -------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """How many workers are alive; every idle one is asked to answer. 'ok' only when all are there."""
        if self.workers == 0:
            return {"status": "ok", "render_workers": 0, "render_workers_alive": 0}
        silent = set()
        idle = []
        try:
            while True:
                idle.append(self._idle.get_nowait())
        except queue.Empty:
            pass
        for worker in idle:
            try:
                worker.connection.send("ping")
                if not (worker.connection.poll(PING_TIMEOUT) and worker.connection.recv()[0] == "pong"):
                    raise OSError("no answer")
            except (EOFError, OSError):
                silent.add(worker)
                worker.process.kill()  # the watcher replaces it
                continue
            self._idle.put(worker)
        with self._lock:
            alive = sum(1 for worker in self._workers if worker.alive and worker not in silent)
        status = "ok" if alive == self.workers and not self._closed else "degraded"
        return {"status": status, "render_workers": self.workers, "render_workers_alive": alive}

    def close(self) -> None:
        """Stop the workers now: a render still running fails with RenderUnavailable."""
        if self.workers == 0 or self._closed:
            return
        self._closed = True
        self._wake.send(None)
        self._watcher.join(5)
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.process.kill()  # workers ignore SIGTERM; after the grace period nothing is worth waiting for
        for worker in workers:
            worker.process.join(5)
            worker.connection.close()

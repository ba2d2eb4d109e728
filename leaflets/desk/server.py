"""Run the desk with waitress, a production WSGI server that runs on Linux and Windows alike.

Binds to 127.0.0.1 unless told otherwise. The log has one line per request
(method, path, status, time) and nothing a nurse typed: waitress itself logs
no request data, and the app logs only what is listed in app.py.

Slow or greedy clients: the server holds at most CONNECTION_LIMIT
connections; a request must arrive whole (headers and body) within
REQUEST_DEADLINE seconds of its first byte, however it trickles, and an idle
keep-alive connection closes after IDLE_TIMEOUT. Without a reverse proxy
(--without-proxy) one client address gets at most PER_CLIENT connections.
Behind the proxy, that is the proxy's job (nginx: limit_conn).

SIGTERM (systemd, docker, a service wrapper) and SIGINT (Ctrl-C) stop the
desk the same way: it stops accepting connections, lets the requests in
flight finish for up to GRACE seconds, answers any still waiting with 503,
then stops its render processes, so nothing is left running.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import sys
import time
from pathlib import Path

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from .app import MAX_BODY, create_app, error_page
from .security import desk_secret

GRACE = 20  # seconds the requests in flight get to finish after a stop signal (systemd waits 90 s)
CONNECTION_LIMIT = 250  # open connections; each is cheap (a socket, no thread) until its request is whole
REQUEST_DEADLINE = 10  # seconds for a request to arrive whole: the form is under 32 KB
IDLE_TIMEOUT = 20  # seconds an idle keep-alive connection stays open
PER_CLIENT = 20  # connections per client address, when no proxy is in front
log = logging.getLogger("leaflets.desk")


class _ErrorTask(ErrorTask):
    """waitress's own refusals (malformed request, far too large) as the desk's page, headers and language."""

    def execute(self) -> None:
        error = self.request.error
        try:
            response = error_page(self.channel.server.desk_app, error.code,
                                  self.request.headers.get("ACCEPT_LANGUAGE", ""))
        except Exception as exc:  # never leave the client without an answer
            log.error("error page failed (%s)", type(exc).__name__)
            return super().execute()
        body = response.get_data()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend((name, value) for name, value in response.headers.items()
                                     if name.lower() != "content-length")
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    """A connection that notes when its request began, and is refused when its client holds too many."""

    error_task_class = _ErrorTask
    request_started = 0.0

    def __init__(self, server, sock, addr, adj, map=None):
        super().__init__(server, sock, addr, adj, map)
        cap = getattr(server, "per_client", None)
        if cap and sum(1 for c in list(server.active_channels.values()) if c.addr[0] == addr[0]) > cap:
            self.close()

    def received(self, data: bytes) -> bool:
        if self.request is None:
            self.request_started = time.monotonic()  # the first bytes of a new request
        return super().received(data)


def _maintenance(server, deadline: float):
    """waitress closes idle connections; this also closes one whose request has not arrived whole in time."""
    idle = server.maintenance

    def maintenance(now: float) -> None:
        idle(now)
        late = time.monotonic() - deadline
        for channel in list(server.active_channels.values()):
            if channel.request is not None and not channel.requests and channel.request_started < late:
                channel.will_close = True
    return maintenance


def make_server(app, host: str = "127.0.0.1", port: int = 8000, threads: int = 16, behind_proxy: bool = False,
                trusted_proxy: str = "127.0.0.1", without_proxy: bool = False):
    """The waitress server for the desk's app, listening but not yet running."""
    proxy = dict(trusted_proxy=trusted_proxy, trusted_proxy_count=1,  # X-Forwarded-* only from that address
                 trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
                 clear_untrusted_proxy_headers=True) if behind_proxy else {}
    # The app caps the body at MAX_BODY with a page in the nurse's language; waitress's cap, above it,
    # only stops a body from being read at all (and, under its 512 KB buffer, one never reaches the disk).
    server = create_server(app, host=host, port=port, threads=threads, ident="", max_request_body_size=2 * MAX_BODY,
                           connection_limit=CONNECTION_LIMIT, channel_timeout=IDLE_TIMEOUT, cleanup_interval=1,
                           **proxy)
    server.channel_class = _Channel
    server.maintenance = _maintenance(server, REQUEST_DEADLINE)
    server.per_client = PER_CLIENT if without_proxy else None
    server.desk_app = app  # the Flask app itself: waitress wraps `application` in its proxy middleware
    return server


def serve(host: str = "127.0.0.1", port: int = 8000, content: Path | None = None, brand: Path | None = None,
          site: Path | None = None, workers: int | None = None, threads: int = 16,
          behind_proxy: bool = False, trusted_proxy: str = "127.0.0.1", without_proxy: bool = False) -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    workers = workers if workers is not None else (os.cpu_count() or 1)
    app = create_app(content, brand, site, workers=workers, secret=desk_secret)
    server = make_server(app, host, port, threads, behind_proxy, trusted_proxy, without_proxy)
    address = f"http://{host}:{server.effective_port}/"  # effective_port: the real port when asked for 0
    print(f"Discharge desk on {address} ({workers} render process(es)). Stop with Ctrl-C or SIGTERM.", flush=True)
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)  # only a flag: the event loop checks it between two rounds

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    try:
        while not stopping:
            server.asyncore.loop(timeout=0.25, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)
        log.info("stopping: %s", signal.Signals(stopping[0]).name)
    finally:
        _drain(server, GRACE)
        app.extensions["desk"].pool.close()  # a render still running fails: its request gets a 503
        _drain(server, 5)
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        server.close()
        for channel in list(server.active_channels.values()):
            channel.close()
        print("Discharge desk stopped.", flush=True)


def _drain(server, seconds: float) -> None:
    """Stop accepting and run the event loop until the requests in flight are answered, for at most `seconds`."""
    if server.accepting:
        _accept_waiting(server)
        server.accepting = False
        server.del_channel()  # out of the event loop: a new connection is refused from now on
        server.socket.close()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _busy(list(server.active_channels.values())):
        server.asyncore.loop(timeout=0.05, map=server._map, use_poll=server.adj.asyncore_use_poll, count=1)


def _busy(channels: list) -> bool:
    """A request is being read, answered or written, or has arrived and waits in the socket to be read."""
    if any(channel.requests or channel.request is not None or channel.total_outbufs_len for channel in channels):
        return True
    sockets = [channel.socket for channel in channels if channel.socket is not None]
    if not hasattr(select, "poll"):  # Windows: select() has no limit on descriptor numbers there
        return bool(sockets) and bool(select.select(sockets, [], [], 0)[0])
    poller = select.poll()
    for sock in sockets:
        poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def _accept_waiting(server) -> None:
    """Take the connections a client has already opened (the listen backlog), so closing does not reset them."""
    while True:
        try:
            accepted = server.accept()
        except OSError:
            return
        if accepted is None:
            return
        connection, address = accepted
        server.set_socket_options(connection)
        server.channel_class(server, connection, server.fix_addr(address), server.adj, map=server._map)

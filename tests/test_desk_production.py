"""The discharge desk as a service runs it: signals, crashed workers, HTTP edges, CSRF across restarts, slow clients."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import psutil
import pytest

from tests.test_desk import Server


class Ward:
    """Nurses at their own keep-alive connections, each with the form's cookie and token (like a browser)."""

    def __init__(self, url: str, nurses: int):
        host, port = re.match(r"http://([\d.]+):(\d+)/", url).groups()
        self.connections, self.forms = [], []
        for _ in range(nurses):
            connection = http.client.HTTPConnection(host, int(port), timeout=90)
            connection.request("GET", "/")
            response = connection.getresponse()
            page = response.read().decode()
            cookie = response.getheader("Set-Cookie").split(";")[0]
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            self.connections.append(connection)
            self.forms.append((cookie, token))

    def send(self, **fields) -> None:
        """Every nurse sends a leaflet request at once; `answers` reads what came back."""
        for connection, (cookie, token) in zip(self.connections, self.forms):
            body = urllib.parse.urlencode({"csrf_token": token, "handout": "dvt-walking", "language": "en",
                                           "paper": "a4", **fields}, doseq=True)
            connection.request("POST", "/leaflet", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                          "Cookie": cookie})

    def answers(self) -> list[tuple]:
        results = []
        for connection in self.connections:
            try:
                response = connection.getresponse()
                body = response.read()
                results.append(("pdf",) if body[:5] == b"%PDF-" and response.status == 200
                               else ("http", response.status, body.decode("utf-8", "replace")))
            except Exception as error:  # a reset or no answer at all: what must not happen
                results.append(("no answer", repr(error)))
        return results


# --- stopping -------------------------------------------------------------------------------

@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_answers_the_requests_in_flight_and_leaves_no_process_behind(tmp_path, signum):
    server = Server(tmp_path, "--workers", "2")
    tree = [psutil.Process(server.process.pid)]
    tree += tree[0].children(recursive=True)  # render workers, the fork server, the resource tracker
    assert len(tree) >= 4, [p.cmdline() for p in tree]
    ward = Ward(server.url, 8)
    ward.send(notes="Walk a little further each day. " * 20)
    server.process.send_signal(signum)
    results = ward.answers()
    assert server.process.wait(timeout=60) == 0
    log = server.process.stderr.read()
    assert all(r[0] == "pdf" or r[:2] == ("http", 503) for r in results), (results, log)
    assert any(r[0] == "pdf" for r in results), results  # the grace period lets renders in progress finish
    with pytest.raises(ConnectionRefusedError):  # and nothing new is accepted
        socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1].strip("/"))), timeout=5)
    _, alive = psutil.wait_procs(tree, timeout=15)
    assert not alive, [(p.pid, p.cmdline()) for p in alive]
    out = server.process.stdout.read()
    assert "Discharge desk stopped." in out


# --- a render process dies ----------------------------------------------------------------------

def _render_workers(server: Server) -> tuple[psutil.Process, list[psutil.Process]]:
    """The fork server and the render processes it forked."""
    main = psutil.Process(server.process.pid)
    forkserver = next(p for p in main.children() if "forkserver" in " ".join(p.cmdline()))
    return forkserver, forkserver.children()


def _health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url + "health", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s")


def test_health_says_degraded_while_a_render_process_is_missing(tmp_path):
    server = Server(tmp_path, "--workers", "2")
    try:
        forkserver, workers = _render_workers(server)
        assert _health(server.url)[1]["status"] == "ok"
        forkserver.suspend()  # no replacement can be forked until it resumes: the pool stays one short
        workers[0].kill()
        _wait_for(lambda: workers[0].status() == psutil.STATUS_ZOMBIE)  # its parent, stopped, cannot reap it
        status, health = _health(server.url)
        assert (status, health["status"], health["render_workers_alive"]) == (503, "degraded", 1), health
        forkserver.resume()
        _wait_for(lambda: _health(server.url) == (200, {**health, "status": "ok", "render_workers_alive": 2}))
    finally:
        forkserver.resume()
        server.stop()


def test_a_dead_render_process_is_replaced_once_and_costs_only_its_own_request(tmp_path):
    server = Server(tmp_path, "--workers", "2")
    try:
        _, workers = _render_workers(server)
        ward = Ward(server.url, 8)
        ward.send(name="Sam Example", notes="Walk a little further each day. " * 20)
        workers[0].kill()
        results = ward.answers()
        pdfs = [r for r in results if r[0] == "pdf"]
        refused = [r for r in results if r[0] != "pdf"]
        assert len(refused) <= 1, results  # only the request the dead worker was rendering
        for _, status, page in refused:
            assert status == 503 and "Something went wrong. Please try again" in page
            assert 'value="Sam Example"' in page  # the form comes back as it was typed
        assert len(pdfs) >= 7
        _wait_for(lambda: _health(server.url)[1]["render_workers_alive"] == 2)
        _, now = _render_workers(server)
        assert len(now) == 2 and workers[1] in now and workers[0] not in now  # one replacement, the other kept
        ward.send(name="Sam Example")
        assert all(r[0] == "pdf" for r in ward.answers())
    finally:
        server.stop()

"""The discharge desk as a service runs it: signals, crashed workers, HTTP edges, CSRF across restarts, slow clients."""

from __future__ import annotations

import http.client
import re
import signal
import socket
import urllib.parse

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

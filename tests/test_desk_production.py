"""The discharge desk as a service runs it: signals, crashed workers, HTTP edges, CSRF across restarts, slow clients."""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import psutil
import pytest

from leaflets.desk.app import create_app
from leaflets.desk.workers import RenderPool, RenderUnavailable
from leaflets.leaflet import PatientDetails
from leaflets.pipeline import LeafletRequest
from tests.conftest import ROOT
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


# --- HTTP details --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("desk"), "--workers", "1")
    yield running
    running.stop()


def _secure(headers) -> bool:
    return (headers.get("X-Content-Type-Options") == "nosniff" and headers.get("Cache-Control") == "no-store"
            and "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""))


def _raw(url: str, request: bytes) -> tuple[int, dict[str, str], str]:
    """Send bytes as they are (no client would send them) and read the answer."""
    host, port = re.match(r"http://([\d.]+):(\d+)/", url).groups()
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")


def test_405_says_which_methods_are_allowed(client):
    response = client.get("/leaflet")
    assert response.status_code == 405 and "POST" in response.headers["Allow"].split(", ")
    response = client.post("/health")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_a_body_that_is_not_a_form_is_refused_as_such_not_as_an_expired_form(client):
    for headers, body in ((("Content-Type", "application/json"),), b'{"handout": "dvt-walking"}'), \
                         ((("Content-Type", "multipart/form-data"),), b"--x\r\nnot a part"):
        response = client.post("/leaflet", data=body, headers=dict(headers))
        assert response.status_code == 400 and _secure(response.headers)
        assert "This page cannot be used that way." in response.text and "expired" not in response.text


def test_accept_language_star_gives_the_default_language(client):
    page = client.get("/", headers={"Accept-Language": "*"}).text
    assert '<html lang="en"' in page and '<option value="en" lang="en" selected>' in page


def test_the_site_redirect_never_goes_where_the_host_header_says(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>site</title>")
    client = create_app(workers=0, site=site).test_client()
    response = client.get("/site", headers={"Host": "attacker.example"})
    assert response.status_code in (301, 308) and response.headers["Location"] == "/site/"


def test_the_apps_own_413_page_is_reached_in_the_nurses_language(desk):
    nurse = Ward(desk.url, 1)
    cookie, token = nurse.forms[0]
    body = urllib.parse.urlencode({"csrf_token": token, "handout": "dvt-walking", "notes": "x" * 40_000}).encode()
    status, headers, page = _raw(desk.url, b"POST /leaflet HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: fr\r\n"
                                 b"Content-Type: application/x-www-form-urlencoded\r\nCookie: " + cookie.encode()
                                 + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    assert status == 413 and _secure(headers) and headers["Content-Type"].startswith("text/html")
    assert "Raccourcissez les remarques" in page and '<html lang="fr"' in page


@pytest.mark.parametrize("request_bytes, status, text", [
    (b"POST /leaflet HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: fr\r\nContent-Length: 9000000\r\n\r\n",
     413, "Raccourcissez les remarques"),
    (b"POST /leaflet HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: fr\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
     400, "Cette page ne peut pas"),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n", 400, "This page cannot be used that way."),
], ids=["too-large", "bad-chunk", "bad-length"])
def test_the_servers_own_refusals_carry_the_headers_and_a_page_in_the_nurses_language(desk, request_bytes,
                                                                                       status, text):
    got, headers, page = _raw(desk.url, request_bytes)
    assert got == status and _secure(headers) and headers["Content-Type"].startswith("text/html"), (got, headers)
    assert text in page and "generated by" not in page


def test_behind_a_proxy_only_the_trusted_proxy_is_believed(tmp_path):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "attacker.example", "X-Forwarded-For": "192.0.2.7"}
    for trusted, believed in (([], True), (["--trusted-proxy", "192.0.2.1"], False)):
        server = Server(tmp_path, "--workers", "1", "--behind-proxy", *trusted)
        try:
            request = urllib.request.Request(server.url, headers=forwarded)
            with urllib.request.urlopen(request, timeout=30) as response:
                cookie = response.headers["Set-Cookie"]
            assert ("Secure" in cookie) == believed, (trusted, cookie)
        finally:
            server.stop()


# --- CSRF --------------------------------------------------------------------------------------

def _form(client, **headers) -> tuple[str, str]:
    page = client.get("/", headers=headers)
    cookie = re.match(r"desk_csrf=([^;]*)", page.headers["Set-Cookie"]).group(1)
    return cookie, re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _post(client, token: str, cookie: str, **headers):
    client.set_cookie("desk_csrf", cookie)
    return client.post("/leaflet", data={"csrf_token": token, "handout": "dvt-walking", "language": "en"},
                       headers=headers)


def test_a_planted_cookie_is_never_signed(app):
    client = app.test_client()
    client.set_cookie("desk_csrf", "planted-by-attacker")
    cookie, token = _form(client)
    assert cookie != "planted-by-attacker"  # a cookie the server did not make is replaced
    response = _post(client, token, "planted-by-attacker")
    assert response.status_code == 400 and "This form has expired" in response.text
    assert _post(client, token, cookie).mimetype == "application/pdf"


def test_the_token_does_not_carry_the_cookie(app):
    cookie, token = _form(app.test_client())
    decoded = b"".join(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in token.split(".")
                       if re.fullmatch(r"[A-Za-z0-9_-]+", part))
    for value in {cookie, *cookie.split(".")}:
        if len(value) >= 8:
            assert value not in token and value.encode() not in decoded


@pytest.mark.parametrize("headers, allowed", [
    ({"Sec-Fetch-Site": "cross-site"}, False),
    ({"Sec-Fetch-Site": "same-site"}, False),
    ({"Origin": "https://attacker.example"}, False),
    ({"Origin": "null"}, False),
    ({"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}, True),
    ({"Origin": "http://localhost"}, True),
    ({}, True),  # an old browser sends neither: the token alone decides
])
def test_a_post_from_another_site_is_refused_even_with_a_valid_token(app, headers, allowed):
    client = app.test_client()
    cookie, token = _form(client)
    response = _post(client, token, cookie, **headers)
    if allowed:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
    else:
        assert response.status_code == 403 and "This page cannot be used that way." in response.text


def test_a_form_from_before_a_restart_still_works(tmp_path, monkeypatch):
    monkeypatch.delenv("LEAFLETS_DESK_SECRET", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    server = Server(tmp_path, "--workers", "1")
    ward = Ward(server.url, 1)
    server.stop()
    key = tmp_path / "state" / "leaflets" / "desk-secret"
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
    server = Server(tmp_path, "--workers", "1")
    try:
        ward.connections = [http.client.HTTPConnection(*re.match(r"http://([\d.]+):(\d+)/", server.url).groups())]
        ward.send(name="Sam Example")
        assert ward.answers() == [("pdf",)]
    finally:
        server.stop()


def test_a_key_file_others_can_read_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("LEAFLETS_DESK_SECRET", raising=False)
    key = tmp_path / "state" / "leaflets" / "desk-secret"
    key.parent.mkdir(parents=True)
    key.write_text("x" * 64)
    key.chmod(0o644)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and str(key) in result.stderr and "chmod 600" in result.stderr
    assert "Traceback" not in result.stderr


# --- slow and greedy clients -----------------------------------------------------------------------

def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].strip("/"))


def test_slow_clients_holding_every_connection_cannot_keep_a_nurse_waiting(tmp_path):
    """260 connections each sending a header a byte a second (more than the server will hold), then a nurse."""
    server = Server(tmp_path, "--workers", "1")
    slow: list[socket.socket] = []
    try:
        for _ in range(260):
            sock = socket.create_connection(("127.0.0.1", _port(server.url)), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(sock)
        served: list = []

        def nurse() -> None:
            try:
                with urllib.request.urlopen(server.url + "health", timeout=40) as response:
                    served.append(response.status)
            except Exception as error:
                served.append(repr(error))
        waiting = threading.Thread(target=nurse)
        waiting.start()
        closed = 0
        deadline = time.monotonic() + 30  # the slow clients give up after 30 s, whatever happens
        while time.monotonic() < deadline and (waiting.is_alive() or closed < len(slow)):
            for sock in slow:
                if sock.fileno() == -1:
                    continue
                try:
                    sock.sendall(b"x")
                except OSError:  # the server closed it
                    sock.close()
                    closed += 1
            time.sleep(1)
        waiting.join(timeout=15)
        assert served == [200], served
        assert closed == len(slow)  # a request that takes too long to arrive is dropped, however it trickles
    finally:
        for sock in slow:
            sock.close()
        server.stop()


def test_without_a_proxy_one_client_gets_a_bounded_number_of_connections(tmp_path):
    server = Server(tmp_path, "--workers", "1", "--without-proxy")
    held: list[socket.socket] = []
    try:
        for _ in range(30):
            held.append(socket.create_connection(("127.0.0.1", _port(server.url)), timeout=5))
        refused = 0
        for sock in held:
            sock.settimeout(0.5)
            try:
                refused += sock.recv(1) == b""  # closed by the server at once
            except (TimeoutError, socket.timeout):
                pass  # held open, waiting for a request
            except ConnectionResetError:
                refused += 1
        assert refused == 10, refused  # 20 per client address
        for sock in held:
            sock.close()

        def served() -> bool:
            try:
                return _health(server.url)[0] == 200
            except OSError:  # the server has not yet seen every close
                return False
        _wait_for(served, 30)  # once the client lets go, it is served again
    finally:
        for sock in held:
            sock.close()
        server.stop()


def test_listening_beyond_this_computer_needs_a_proxy_or_consent():
    # 192.0.2.1 is a documentation address this machine does not have: nothing can be exposed by accident
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), "serve", "--host", "192.0.2.1", "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--behind-proxy" in result.stderr and "--without-proxy" in result.stderr


def test_a_request_whose_render_process_died_gets_a_503_with_the_form_kept(app, client, monkeypatch):
    def died(request):
        raise RenderUnavailable("a render process stopped")
    monkeypatch.setattr(app.extensions["desk"].pool, "render", died)
    cookie, token = _form(client)
    client.set_cookie("desk_csrf", cookie)
    response = client.post("/leaflet", data={"csrf_token": token, "handout": "dvt-walking", "language": "en",
                                             "name": "Sam Example", "profile": "calf"})
    assert response.status_code == 503 and _secure(response.headers)
    assert "Something went wrong. Please try again" in response.text
    assert 'value="Sam Example"' in response.text and re.search(r'value="calf"[^>]*checked', response.text)


def test_a_request_waiting_for_a_dead_render_process_is_served_by_its_replacement():
    pool = RenderPool(None, None, 1)
    try:
        (worker,) = list(pool._workers)
        worker.process.kill()
        worker.process.join(10)
        pdf = pool.render(LeafletRequest("dvt-walking", (), "en", "a4", PatientDetails()))
        assert pdf.data[:5] == b"%PDF-"
        assert [w.process.pid for w in pool._workers] != [worker.process.pid]
        assert pool.health()["status"] == "ok"
    finally:
        pool.close()

"""Load the discharge desk like a ward of nurses: latency percentiles and CPU per leaflet against the real server.

    .venv/bin/pip install -e '.[bench]'                      # psutil, to read the server's CPU time
    .venv/bin/python benchmarks/desk_load.py                 # 1, 10 and 50 nurses, then stress
    .venv/bin/python benchmarks/desk_load.py --nurses 10,20 --requests 1000 --think 0.5

Starts `generate.py serve` on 127.0.0.1 (a free port) with its default render
processes, in its own process: this process only generates the load. Each
nurse is a thread with its own keep-alive connection, cookie and form token,
posting personalised English leaflets (random profiles, paper and details).
The runs, each bounded by a number of leaflets and by --seconds:

  1. the peer: one nurse alone, back to back;
  2. for each of --nurses (default 10 and 50): that many nurses at once, each
     pausing --think seconds on average between leaflets (default 2 s: 10
     nurses make about 5 leaflets a second, far more than a ward prints). The
     target, p95 under 150 ms on a 2-core machine, is for 10 nurses;
  3. stress: 10 nurses back to back with no pause, which keeps every core
     busy; latency is then the length of the queue, and nothing may fail.

Each run reports p50/p95/p99, the server's CPU time per leaflet (its process
and its render processes, read with psutil) and the load generator's own CPU
time, with the machine's load average before and after: on a shared machine,
read the figures beside it. Figures to read, not a test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ["calf", "femoral", "flyer"]


class Nurse:
    """One keep-alive connection, the CSRF cookie and the form's token."""

    def __init__(self, host: str, port: int):
        self.connection = http.client.HTTPConnection(host, port, timeout=60)
        self.connection.request("GET", "/")
        response = self.connection.getresponse()
        page = response.read().decode()
        self.cookie = response.getheader("Set-Cookie").split(";")[0]
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def leaflet(self, rng: random.Random) -> float:
        fields = {"csrf_token": self.token, "handout": "dvt-walking", "language": "en",
                  "paper": rng.choice(["a4", "letter"]), "profile": rng.sample(PROFILES, rng.randint(0, 2)),
                  "name": f"Patient {rng.randint(1, 99999)}", "follow_up": "Vascular clinic, 3 December, 10:00",
                  "notes": "Walk a little further each day. " * rng.randint(0, 6)}
        body = urllib.parse.urlencode(fields, doseq=True)
        start = time.perf_counter()
        self.connection.request("POST", "/leaflet", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie})
        response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200 or data[:5] != b"%PDF-":
            raise RuntimeError(f"HTTP {response.status}")
        return elapsed


def run(host: str, port: int, nurses: int, requests: int, seconds: float, think: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.perf_counter() + seconds

    def work(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        nurse = Nurse(host, port)
        if think:  # nurses start at random moments, as on a ward, not all in the same millisecond
            time.sleep(rng.uniform(0, 2 * think))
        while time.perf_counter() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            try:
                latency = nurse.leaflet(rng)
                with lock:
                    latencies.append(latency)
            except Exception:
                with lock:
                    errors += 1
                nurse = Nurse(host, port)
            if think:
                time.sleep(rng.uniform(0, 2 * think))

    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(nurses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - start


def server_cpu(server: psutil.Process) -> tuple[float, float]:
    """CPU seconds used so far by the web server process, and by every process it started (the render processes)."""
    web, renders = 0.0, 0.0
    for process in [server, *server.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        if process.pid == server.pid:
            web += times.user + times.system
        else:
            renders += times.user + times.system
    return web, renders


def measured(label: str, server: psutil.Process, *args) -> tuple[list[float], int, float]:
    """One run, reported with the CPU it cost the server and this load generator, and the load average."""
    load_before = os.getloadavg()[0]
    cpu_before, own_before = server_cpu(server), time.process_time()
    latencies, errors, wall = run(*args)
    (web, renders), own = [a - b for a, b in zip(server_cpu(server), cpu_before)], time.process_time() - own_before
    cpu = web + renders
    report(label, latencies, errors, wall)
    count = max(len(latencies), 1)
    print(f"  server CPU {cpu * 1000 / count:.0f} ms per leaflet (web process {web * 1000 / count:.0f}, render "
          f"processes {renders * 1000 / count:.0f}; {cpu / wall:.2f} cores busy); load generator "
          f"{own * 1000 / count:.0f} ms per leaflet; load average {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after", flush=True)
    return latencies, errors, wall


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() \
        else platform.processor()
    return f"{platform.node()}: {os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] * 1000 if len(values) > 1 else values[0] * 1000


def report(label: str, latencies: list[float], errors: int, wall: float) -> None:
    print(f"{label}: {len(latencies)} leaflets in {wall:.1f} s ({len(latencies) / wall:.1f}/s), {errors} errors; "
          f"p50 {percentile(latencies, 50):.0f} ms, p95 {percentile(latencies, 95):.0f} ms, "
          f"p99 {percentile(latencies, 99):.0f} ms, max {max(latencies) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nurses", default="10,50", help="nurses at once in the paced runs, comma-separated "
                        "(default 10,50)")
    parser.add_argument("--requests", type=int, default=200, help="leaflets in the paced run (default 200)")
    parser.add_argument("--seconds", type=float, default=90, help="time limit of each run (default 90)")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean pause between a nurse's leaflets in the paced run, seconds (default 2)")
    parser.add_argument("--workers", type=int, help="render processes of the server (default: its own default)")
    args = parser.parse_args()

    crowds = [int(n) for n in args.nurses.split(",")]
    command = [sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)/", line)
        if not match:
            sys.exit(f"the server did not start: {line}")
        host, port = match.group(1), int(match.group(2))
        print(machine())
        print(line.strip(), flush=True)
        process = psutil.Process(server.pid)
        run(host, port, 2, 20, 30, 0)  # warm-up: every worker has rendered
        alone, _, _ = measured("peer: 1 nurse alone, back to back", process, host, port, 1, 60, args.seconds, 0)
        peer = percentile(alone, 50)
        for nurses in crowds:
            crowd, _, _ = measured(f"{nurses} nurses at once, pausing {args.think:g} s on average", process,
                                   host, port, nurses, args.requests, args.seconds, args.think)
            p95 = percentile(crowd, 95)
            target = f"against the target of 150 ms: {'met' if p95 < 150 else 'NOT met'}; " if nurses == 10 else ""
            print(f"  p95 {p95:.0f} ms {target}{p95 / peer:.1f}x one nurse's median")
        stress, _, _ = measured("stress: 10 nurses back to back", process, host, port, 10, 2 * args.requests,
                                args.seconds, 0)
        print(f"  p95 {percentile(stress, 95) / peer:.1f}x one nurse's median: every core busy, requests queue")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

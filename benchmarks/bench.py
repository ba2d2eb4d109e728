"""Print speed, memory and size figures for this machine; compare with WeasyPrint in the same run.

    .venv/bin/pip install -e '.[bench]'   # adds WeasyPrint, the peer we compare with
    .venv/bin/python benchmarks/bench.py

Targets on a 2-core machine: one warm leaflet under 40 ms; the default batch
matrix at 50 leaflets per second or better with all cores; at least 10x
faster than WeasyPrint on the same content; Latin-script PDFs under 150 KB.
These are figures to read and compare, not tests: timings vary by machine.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflets.batch import run_batch  # noqa: E402
from leaflets.content import load_strings  # noqa: E402
from leaflets.paths import strings_dir  # noqa: E402
from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request  # noqa: E402
from leaflets.render.html import render_html  # noqa: E402
from leaflets.render.pdf import render_pdf  # noqa: E402


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


class Quiet:
    """Batch progress without output."""

    def advance(self, count, message):
        pass

    def close(self):
        pass


def main() -> None:
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores, Python {sys.version.split()[0]}")
    loaded = open_library().load("dvt-walking")
    clinic = open_brand()
    request = LeafletRequest("dvt-walking", ("femoral", "flyer"))
    strings = load_strings(strings_dir(), "en")

    def one_leaflet():
        return render_pdf(resolve_request(loaded, request, clinic), "a4")

    for _ in range(3):
        one_leaflet()
    warm = median_ms(one_leaflet, 50)
    print(f"warm leaflet in-process (resolve + render, femoral+flyer, A4): median {warm:.1f} ms  [target < 40 ms]")
    resolved = resolve_request(loaded, request, clinic)
    render_only = median_ms(lambda: render_pdf(resolved, "a4"), 50)
    print(f"  of which rendering the resolved leaflet to PDF: median {render_only:.1f} ms")
    for language in ("es", "zh-Hans", "ar", "hi", "ur"):  # scripts set differently: shaping, bidi, CJK
        other = resolve_request(loaded, LeafletRequest("dvt-walking", ("femoral", "flyer"), language), clinic)
        render_pdf(other, "a4")  # fonts loaded and registered outside the timing
        print(f"  the same leaflet in {language}, rendering alone: median {median_ms(lambda: render_pdf(other, 'a4'), 15):.1f} ms")

    cold = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "generate.py"), "-o", f"{folder}/cold.pdf"], check=True,
                           capture_output=True)
            cold.append(time.perf_counter() - start)
    print(f"cold `python generate.py build`: median {statistics.median(cold) * 1000:.0f} ms (process start included)")

    with tempfile.TemporaryDirectory() as folder:
        rates = {}
        for jobs in sorted({1, cores}):
            best = None
            for attempt in range(3):
                summary = run_batch(Path(folder) / f"jobs{jobs}", jobs=jobs, force=True, progress=Quiet())
                rate = summary.built / summary.seconds
                best = max(best or 0, rate)
            rates[jobs] = best
            print(f"batch, default matrix ({summary.built} leaflets), --jobs {jobs}: {best:.1f} leaflets/s "
                  f"(best of 3, pool start and site included)")
        if cores > 1:
            print(f"  speed-up with {cores} cores: {rates[cores] / rates[1]:.2f}x  [target: {cores} cores >= 50/s]")
        scaled = [a for a in ("general", "calf", "femoral", "flyer", "calf+flyer", "femoral+flyer", "calf+femoral")]
        summary = run_batch(Path(folder) / "scaled", jobs=cores, force=True, profiles=scaled, progress=Quiet())
        print(f"batch, larger matrix ({summary.built} leaflets), --jobs {cores}: "
              f"{summary.built / summary.seconds:.1f} leaflets/s")
        sizes: dict[str, list[int]] = {}
        for entry in json.loads((Path(folder) / "scaled" / "manifest.json").read_text())["leaflets"]:
            sizes.setdefault(entry["language"], []).append(entry["bytes"])
        for language, values in sorted(sizes.items()):
            print(f"PDF size, {language}: {min(values) / 1024:.0f} to {max(values) / 1024:.0f} KB  [target < 150 KB]")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {peak:.0f} MB, largest worker or child {children:.0f} MB")

    try:
        import logging

        import weasyprint
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
    except ImportError:
        print("WeasyPrint: not installed (pip install -e '.[bench]'); no comparison")
        return
    html = render_html(resolve_request(loaded, request, clinic), strings)
    weasyprint.HTML(string=html).write_pdf()
    peer = median_ms(lambda: weasyprint.HTML(string=html).write_pdf(), 5)
    print(f"WeasyPrint {weasyprint.__version__}, HTML version of the same resolved leaflet to PDF: median {peer:.0f} ms")
    print(f"  rendering step against rendering step: {peer / render_only:.1f}x faster  [target >= 10x]")
    print(f"  our resolve + render against WeasyPrint's render alone: {peer / warm:.1f}x faster")


if __name__ == "__main__":
    main()

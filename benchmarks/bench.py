"""Print speed, memory and size figures for this machine; compare with Typst and WeasyPrint in the same run.

    .venv/bin/pip install -e '.[bench]'   # adds Typst and WeasyPrint, the peers we compare with
    .venv/bin/python benchmarks/bench.py                # everything (a few minutes)
    .venv/bin/python benchmarks/bench.py --peers-only   # the side-by-side with the peers alone

Targets on a 2-core machine: one warm leaflet under 40 ms; the default batch
matrix at 50 leaflets per second or better with all cores, --jobs 2 at least 1.8x
the throughput of --jobs 1 with at most 1.1x its CPU (issue 16, batch_scaling.py); at least 10x
faster than WeasyPrint on the same content; Latin-script PDFs under 150 KB;
the rendering step no slower than Typst's compile in English and at most 1.5x
Typst's in Arabic, Hindi and Chinese (issue 16), same run, same text and fonts.
These are figures to read and compare, not tests: timings vary by machine, so
the peers' runs are interleaved with ours and only ratios from one run count.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import batch_scaling  # noqa: E402  (beside this file)
from leaflets.batch import run_batch  # noqa: E402
from leaflets.content import load_strings  # noqa: E402
from leaflets.paths import strings_dir  # noqa: E402
from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request  # noqa: E402
from leaflets.render.html import render_html  # noqa: E402
from leaflets.render.pdf import forget_cached_text, render_pdf  # noqa: E402


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


def own_figures() -> None:
    """The project alone: a warm leaflet, each script, a cold build, batches, sizes and memory."""
    cores = os.cpu_count() or 1
    loaded = open_library().load("dvt-walking")
    clinic = open_brand()
    request = LeafletRequest("dvt-walking", ("femoral", "flyer"))

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

    # --jobs 1 against all cores, each run in a fresh process so that its CPU (workers included) counts
    # whole and no run inherits another's warm caches: batch_scaling.py, with its targets.
    print("batch, default matrix, each run in a fresh process (benchmarks/batch_scaling.py):")
    batch_scaling.measure(tuple(sorted({1, cores})), repeats=3)
    with tempfile.TemporaryDirectory() as folder:
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


PEER_LANGUAGES = ("en", "ar", "hi", "zh-Hans")
# Issue 16's targets: the project's render against Typst's compile, same run, same text and fonts.
TYPST_TARGETS = {"en": 1.0, "ar": 1.5, "hi": 1.5, "zh-Hans": 1.5}
WEASYPRINT_TARGET = 10.0  # WeasyPrint at least 10 times slower than the project's render


def timed(function, before=None) -> tuple[float, float, float]:
    """CPU seconds of the whole process (every thread: Typst may use more than one), of this thread
    alone, and wall seconds, for one call; `before` runs first, outside the timing."""
    if before is not None:
        before()
    gc.collect()  # the garbage of the run before is not charged to this one
    cpu, thread, wall = time.process_time(), time.thread_time(), time.perf_counter()
    function()
    return time.process_time() - cpu, time.thread_time() - thread, time.perf_counter() - wall


def peers(rounds: int, weasyprint_rounds: int) -> None:
    """The project, Typst and WeasyPrint on the same resolved leaflet, run in turn in one process.

    Round-robin, so that a busy spell of a shared machine falls on every engine alike: each round
    runs every (language, engine) once, in an order rotated from round to round. Each engine is warm
    (fonts loaded, one run before timing). Typst compiles a document it has not seen (see
    peers.typst_source) and, for comparison, the same document again, which its memo cache serves.
    """
    import peers as peer_input

    try:
        import typst
    except ImportError:
        typst = None
        print("Typst: not installed (pip install -e '.[bench]'); no comparison with Typst")
    try:
        import logging

        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
    except ImportError:
        weasyprint = None
        print("WeasyPrint: not installed (pip install -e '.[bench]'); no comparison with WeasyPrint")

    loaded = open_library().load("dvt-walking")
    clinic = open_brand()
    tasks = []   # (language, engine name, function, rounds[, what runs before, untimed])
    for language in PEER_LANGUAGES:
        request = LeafletRequest("dvt-walking", ("femoral", "flyer"), language)
        resolved = resolve_request(loaded, request, clinic)
        project = render_pdf(resolved, "a4")
        found = [f"project {peer_input.described(project.data)}"]
        render = partial(render_pdf, resolved, "a4")
        # Warm: the same leaflet rendered just before, untimed, since another task may have emptied
        # the caches that all languages share.
        tasks.append((language, "project render", render, rounds, render))
        tasks.append((language, "project render anew", render, rounds, forget_cached_text))
        tasks.append((language, "project resolve+render",
                      lambda q=request: render_pdf(resolve_request(loaded, q, clinic), "a4"), rounds, render))
        alone = peer_input.reportlab_alone(resolved)
        alone()
        tasks.append((language, "ReportLab alone", alone, rounds))
        if typst is not None:
            compiler = peer_input.typst_compiler(language)
            # Every timed compile gets a document of its own, written before the timing.
            sources = iter([peer_input.typst_source(resolved, nonce).encode() for nonce in range(1, rounds + 2)])
            again = peer_input.typst_source(resolved).encode()

            def compile_typst(c=compiler, s=sources):
                return c.compile(input=next(s), format="pdf", pdf_standards="ua-1")
            found.append(f"Typst {peer_input.described(compile_typst())}")
            tasks.append((language, "Typst", compile_typst, rounds))
            compiler.compile(input=again, format="pdf", pdf_standards="ua-1")
            tasks.append((language, "Typst, same document again",
                          lambda c=compiler, s=again: c.compile(input=s, format="pdf", pdf_standards="ua-1"), rounds))
        if weasyprint is not None:
            html = render_html(resolved, load_strings(strings_dir(), language))
            fonts = FontConfiguration()
            css = weasyprint.CSS(string=peer_input.weasyprint_css(language), font_config=fonts)

            def write_weasyprint(h=html, c=css, f=fonts):
                return weasyprint.HTML(string=h).write_pdf(stylesheets=[c], font_config=f, pdf_tags=True)
            found.append(f"WeasyPrint {peer_input.described(write_weasyprint())}")
            tasks.append((language, "WeasyPrint", write_weasyprint, weasyprint_rounds))
        print(f"  {language}: " + "; ".join(found))

    times: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for round_ in range(max(rounds, weasyprint_rounds)):
        shift = round_ % len(tasks)
        for language, engine, function, count, *before in tasks[shift:] + tasks[:shift]:
            if round_ < count:
                times.setdefault((language, engine), []).append(timed(function, *before))

    def median(language: str, engine: str, which: int = 0) -> float | None:
        runs = times.get((language, engine))
        return statistics.median(run[which] for run in runs) * 1000 if runs else None

    def shown(value: float | None, wall: float | None = None) -> str:
        if value is None:
            return "-"
        return f"{value:.1f}" + (f" ({wall:.1f})" if wall is not None else "")

    versions = []
    if typst is not None:
        versions.append(f"Typst {typst.__version__} (PyPI typst; PDF/UA-1, so tagged)")
    if weasyprint is not None:
        versions.append(f"WeasyPrint {weasyprint.__version__} (the HTML twin, pdf_tags)")
    print(f"  {', '.join(versions) or 'no peer installed'}")
    print(f"  medians of {rounds} rounds (WeasyPrint {weasyprint_rounds}), ms of CPU time of the process, every thread "
          f"(wall time in brackets):")
    print("    render: render_pdf(leaflet) on the resolved leaflet, its caches of content text warm (rendered just before);")
    print("    render anew: the same after forget_cached_text() (fonts stay loaded); resolve+render: resolve too;")
    print("    Typst: a document it has not compiled before; Typst again: the same document, from its memo cache;")
    print("    ReportLab alone: the same words as stock ReportLab paragraphs in the main faces, untagged, no tables,")
    print("    boxes, bidi or caches (peers.reportlab_alone): a floor for render anew on the library it is built on")
    engines = {"render": "project render", "render anew": "project render anew",
               "resolve+render": "project resolve+render", "ReportLab alone": "ReportLab alone", "Typst": "Typst",
               "Typst again": "Typst, same document again", "WeasyPrint": "WeasyPrint"}
    print(f"    {'':8}" + "".join(f"{name:>16}" for name in engines))
    for language in PEER_LANGUAGES:
        cells = [shown(median(language, e), median(language, e, 2)) for e in engines.values()]
        print(f"    {language:8}" + "".join(f"{cell:>16}" for cell in cells))
    print("  ratios of CPU medians, same run; like for like: render anew / Typst (both lay every page out anew),")
    print("  with the targets of issue 16; render / Typst: ours warm, Typst's document new;")
    print("  render / Typst again: both reuse what the run before made:")
    print(f"    {'':8}{'render anew / Typst [target]':>33}{'ReportLab alone / Typst':>25}{'render / Typst':>16}"
          f"{'render / Typst again':>22}{'resolve+render / Typst':>24}{'WeasyPrint / render':>21}{'Typst off-thread':>18}")
    for language in PEER_LANGUAGES:
        render, anew = median(language, "project render"), median(language, "project render anew")
        both = median(language, "project resolve+render")
        typst_ms, weasy = median(language, "Typst"), median(language, "WeasyPrint")
        typst_again = median(language, "Typst, same document again")
        floor = median(language, "ReportLab alone")
        ratio = floor_ratio = warm = warm_new = resolved = threads = weasy_ratio = "-"
        if typst_ms:
            goal = TYPST_TARGETS[language]
            ratio = f"{anew / typst_ms:.2f} [<= {goal:g}: {'met' if anew / typst_ms <= goal else 'not yet'}]"
            warm, resolved = f"{render / typst_again:.2f}", f"{both / typst_ms:.2f}"
            warm_new = f"{render / typst_ms:.2f}"
            floor_ratio = f"{floor / typst_ms:.2f}" + (" [over the target]" if floor / typst_ms > goal else "")
            runs = times[(language, "Typst")]
            threads = f"{sum(c - t for c, t, _ in runs) / max(sum(c for c, _, _ in runs), 1e-9):.0%}"
        if weasy:
            weasy_ratio = f"{weasy / render:.1f} [>= {WEASYPRINT_TARGET:g}]"
        print(f"    {language:8}{ratio:>33}{floor_ratio:>25}{warm_new:>16}{warm:>22}{resolved:>24}{weasy_ratio:>21}"
              f"{threads:>18}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers-only", action="store_true",
                        help="only the side-by-side with Typst and WeasyPrint (about a minute)")
    parser.add_argument("--rounds", type=int, default=15, help="peer rounds for the project and Typst (default 15)")
    parser.add_argument("--weasyprint-rounds", type=int, default=5,
                        help="peer rounds for WeasyPrint, which is slow (default 5)")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count() or 1} cores, Python {sys.version.split()[0]}")
    if not args.peers_only:
        own_figures()
    print("peers: the same resolved leaflet (femoral+flyer, A4) and font files, warm, in one process, "
          "runs interleaved")
    peers(args.rounds, args.weasyprint_rounds)


if __name__ == "__main__":
    main()

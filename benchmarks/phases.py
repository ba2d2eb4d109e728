"""Where a leaflet's rendering time goes: the story, ReportLab's layout and drawing, its file writing, the tagging pass.

    .venv/bin/python benchmarks/phases.py                  # warm, en ar hi zh-Hans
    .venv/bin/python benchmarks/phases.py --anew ar hi     # each run after forget_cached_text()

Medians of CPU time per phase over --runs renders of femoral+flyer on A4, in one process. The
phases are timed by wrapping the functions that run them (document.fitting_layout, document.build,
ReportLab's Canvas.save inside the build, Tagger.finish), so "layout and drawing" is the build less
the file writing. Figures to read, not a test.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request  # noqa: E402
from leaflets.render import tagging  # noqa: E402
from leaflets.render.pdf import document, forget_cached_text, render_pdf  # noqa: E402

PHASES = {"story": (document, "fitting_layout"), "build": (document, "build"),
          "file writing": (Canvas, "save"), "tagging pass": (tagging.Tagger, "finish")}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("languages", nargs="*", default=["en", "ar", "hi", "zh-Hans"])
    parser.add_argument("--anew", action="store_true", help="empty the caches of text before each render")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)

    spent: dict[str, float] = {}
    for name, (owner, attribute) in PHASES.items():
        function = getattr(owner, attribute)

        def timed(*a, _function=function, _name=name, **k):
            start = time.process_time()
            try:
                return _function(*a, **k)
            finally:
                spent[_name] = spent.get(_name, 0.0) + time.process_time() - start
        setattr(owner, attribute, timed)

    loaded, clinic = open_library().load("dvt-walking"), open_brand()
    print(f"CPU ms per leaflet, medians of {args.runs} ({'as if new' if args.anew else 'warm'}): "
          "total = story + layout and drawing + file writing + tagging pass")
    for language in args.languages:
        leaflet = resolve_request(loaded, LeafletRequest("dvt-walking", ("femoral", "flyer"), language), clinic)
        for _ in range(3):
            render_pdf(leaflet, "a4")
        runs = []
        for _ in range(args.runs):
            if args.anew:
                forget_cached_text()
            gc.collect()
            spent.clear()
            start = time.process_time()
            render_pdf(leaflet, "a4")
            total = time.process_time() - start
            runs.append((total, spent["story"], spent["build"] - spent["file writing"], spent["file writing"],
                         spent["tagging pass"]))
        total, story, drawing, writing, tags = (statistics.median(column) * 1000 for column in zip(*runs))
        print(f"  {language:8} total {total:6.1f}   story {story:5.1f}   layout and drawing {drawing:6.1f}"
              f"   file writing {writing:5.1f}   tagging pass {tags:5.1f}")


if __name__ == "__main__":
    main()

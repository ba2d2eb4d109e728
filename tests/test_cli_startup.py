"""Start-up of the command line: asking for help or a list does not load the PDF machinery."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("reportlab", "pikepdf", "flask", "waitress", "jinja2", "fontTools", "uharfbuzz")


def imported(*args: str) -> set[str]:
    """Top-level packages a run of generate.py imported, read from Python's own -X importtime report."""
    result = subprocess.run([sys.executable, "-X", "importtime", str(ROOT / "generate.py"), *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", result.stderr, re.MULTILINE)
    assert names, "no import report"
    return {name.split(".")[0] for name in names} | {name for name in names if name.startswith("leaflets.")}


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["batch", "--help"], ["--version"]])
def test_help_loads_no_renderer_no_web_server_and_no_content_model(args):
    modules = imported(*args)
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert "pydantic" not in modules and "leaflets.render.pdf" not in modules


def test_list_loads_neither_the_pdf_renderer_nor_the_desk():
    # The brand's SVG logo is still checked by drawing it with svglib, which brings part of ReportLab.
    modules = imported("list")
    assert not modules & {"pikepdf", "flask", "waitress", "jinja2", "fontTools"}
    assert not {m for m in modules if m.startswith(("leaflets.render.pdf", "leaflets.desk", "leaflets.pipeline"))}


def test_paper_choices_are_the_renderers_paper_sizes():
    from leaflets.cli import PAPERS
    from leaflets.render.pdf import PAPER_SIZES
    assert PAPERS == tuple(sorted(PAPER_SIZES))

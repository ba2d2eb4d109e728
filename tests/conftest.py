"""Shared fixtures: the repository's content, a CLI runner, and cached builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leaflets.cli import main

ROOT = Path(__file__).resolve().parent.parent
HANDOUTS = ROOT / "handouts"
BRAND = ROOT / "brands" / "default"


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium the browser tests drive; a missing browser is one clear line, not a traceback."""
    wanted = os.environ.get("CHROMIUM", "chromium")
    found = shutil.which(wanted)
    if found is None:
        pytest.fail(f"Chromium not found ({wanted}): run the tests with scripts/test, which installs it, "
                    "or set CHROMIUM to the browser's path", pytrace=False)
    return found


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(capsys):
    """Run the command in-process; returns exit code, stdout and stderr."""
    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)
    return run


def run_generate(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run generate.py as a user would, in a separate process."""
    return subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def content_copy(tmp_path):
    """A private copy of the handouts, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(HANDOUTS, target)
    return target


@pytest.fixture
def brand_copy(tmp_path):
    target = tmp_path / "brand"
    shutil.copytree(BRAND, target)
    return target


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Build a leaflet once per session per option set; returns its path."""
    cache: dict[tuple, Path] = {}
    folder = tmp_path_factory.mktemp("built")

    def build(*args: str) -> Path:
        if args not in cache:
            out = folder / f"leaflet{len(cache)}.pdf"
            assert main(["build", *args, "-o", str(out)]) == 0
            cache[args] = out
        return cache[args]
    return build


@pytest.fixture(scope="module")
def app():
    """A discharge desk without render processes, for the tests that talk to its pages (one per module)."""
    from leaflets.desk.app import create_app
    return create_app(workers=0)


@pytest.fixture
def client(app):
    return app.test_client()

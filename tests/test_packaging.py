"""`pip install .` gives a working command outside the checkout: content, brand, fonts travel along."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from tests.conftest import ROOT
from tests.pdfcheck import pdftotext


def test_wheel_carries_content_and_works_outside_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheels.glob("leaflets-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ["leaflets/data/handouts/dvt-walking/handout.yaml",
                     "leaflets/data/handouts/dvt-walking/profiles.yaml",
                     "leaflets/data/brands/default/brand.yaml", "leaflets/data/brands/default/logo.svg",
                     "leaflets/data/templates/strings/en.yaml",
                     "leaflets/fonts/AtkinsonHyperlegible-Regular.ttf", "leaflets/fonts/OFL.txt"]:
        assert expected in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "leaflets = leaflets.cli:main" in entry_points

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import leaflets; print(leaflets.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(site))
    result = subprocess.run([sys.executable, "-m", "leaflets", "--profile", "calf"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    pdf = elsewhere / "out" / "dvt-walking-calf-en-a4.pdf"
    assert "A clot in the calf is less likely to travel" in pdftotext(pdf)

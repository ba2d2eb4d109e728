"""Urgency without colour: on a black-and-white print the emergency, care-team and medicine boxes differ
in their printed label and their border, read back with poppler (pdftoppm -gray, pdftotext -bbox)."""

from __future__ import annotations

import re
import subprocess

import pytest
from PIL import Image

from .conftest import HANDOUTS

DPI = 150
LABELS = {"emergency": "EMERGENCY", "info": "IMPORTANT", "warning": "URGENT"}


@pytest.fixture(scope="module")
def first_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("urgency")
    pdf = folder / "leaflet.pdf"
    from leaflets.cli import main
    assert main(["build", "-o", str(pdf)]) == 0
    subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf),
                    str(folder / "grey")], check=True)
    words = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                           capture_output=True, text=True).stdout
    boxes = {}
    for x_min, y_min, x_max, y_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', words):
        if word in LABELS.values() and word not in boxes:
            boxes[word] = tuple(float(v) * DPI / 72 for v in (x_min, y_min, x_max, y_max))
    image = Image.open(folder / "grey.png")
    if image.mode != "L":  # some poppler builds write grey as RGB with three equal channels
        assert all(r == g == b for r, g, b in image.convert("RGB").get_flattened_data())
        image = image.convert("L")
    return image, boxes


def dark_runs(values, threshold=150) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, v in enumerate(values):
        if v < threshold and start is None:
            start = i
        elif v >= threshold and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(values)))
    return runs


def border_profile(image, label_box) -> tuple[int, int]:
    """(lines crossed going left from the label, separate dark stretches going down the outer border)."""
    x_min, y_min, x_max, y_max = label_box
    y = int(y_max + 10 * DPI / 72)  # just under the label's dark tab
    row = [image.getpixel((x, y)) for x in range(0, int(x_min) - 2)]
    across = dark_runs(row)
    outer = across[0][0] + (across[0][1] - across[0][0]) // 2
    column = [image.getpixel((outer, yy)) for yy in range(y, y + int(25 * DPI / 72))]  # 25 pt down the border
    return len(across), len(dark_runs(column))


def test_the_three_boxes_differ_in_grey(first_page):
    image, boxes = first_page
    assert image.mode == "L" and set(boxes) == set(LABELS.values()), boxes
    emergency = border_profile(image, boxes["EMERGENCY"])
    info = border_profile(image, boxes["IMPORTANT"])
    warning = border_profile(image, boxes["URGENT"])
    assert emergency[0] == 2 and emergency[1] == 1, f"a solid double line: {emergency}"
    assert info == (1, 1), f"a single solid line: {info}"
    assert warning[0] <= 1 and warning[1] >= 3, f"a dashed line: {warning}"


def test_labels_are_dark_tabs_with_light_text(first_page):
    """The label is printed white on a dark tab: it stands out in grey as well as in colour."""
    image, boxes = first_page
    assert set(boxes) == set(LABELS.values())
    for word, (x_min, y_min, x_max, y_max) in boxes.items():
        pixels = [image.getpixel((x, y)) for x in range(int(x_min), int(x_max)) for y in range(int(y_min), int(y_max))]
        assert sum(1 for p in pixels if p < 110) > len(pixels) / 2, f"{word}: the tab is dark"
        assert any(p > 200 for p in pixels), f"{word}: its letters are light"


@pytest.mark.parametrize("language, labels", [
    ("en", ["EMERGENCY", "IMPORTANT", "URGENT"]), ("es", ["EMERGENCIA", "IMPORTANTE", "URGENTE"]),
    ("fr", ["URGENCE VITALE", "IMPORTANT", "URGENT"]), ("pl", ["STAN NAGŁY", "WAŻNE", "PILNE"]),
])
def test_labels_are_in_the_text_layer_in_the_leaflets_language(tmp_path, language, labels):
    pdf = tmp_path / f"{language}.pdf"
    from leaflets.cli import main
    assert main(["build", "--lang", language, "-o", str(pdf)]) == 0
    text = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for label in labels:
        assert label in text, (language, label)


def test_no_content_refers_to_colour():
    """'the coloured boxes' means nothing on a black-and-white print, or to a colour-blind reader."""
    for file in (HANDOUTS / "dvt-walking").glob("*.yaml"):
        assert not re.search(r"colou?r", file.read_text(encoding="utf-8").split("\nsections:", 1)[-1], re.I), file

"""Read PDFs with tools independent of the code that wrote them: pypdf and poppler."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader


def normalise(text: str) -> str:
    """Collapse whitespace and undo line-break hyphenation-free wrapping, for comparisons."""
    return re.sub(r"\s+", " ", text).strip()


def page_texts(pdf: Path) -> list[str]:
    """Text of each page as pypdf extracts it, whitespace collapsed."""
    return [normalise(page.extract_text()) for page in PdfReader(pdf).pages]


def pdftotext(pdf: Path) -> str:
    """Text as poppler's pdftotext extracts it, whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True)
    return normalise(out.stdout)


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """poppler's font table: name, type, embedded, subset, unicode map."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object-number generation
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def outline_titles(pdf: Path) -> list[str]:
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title
    return list(walk(PdfReader(pdf).outline))


def render_page(pdf: Path, page: int, out_prefix: Path, dpi: int = 50):
    """One page as a Pillow image, rasterised by poppler's pdftoppm."""
    from PIL import Image
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                    str(pdf), str(out_prefix)], check=True)
    return Image.open(f"{out_prefix}.png").convert("RGB")

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


# --- tagged PDF: read back what screen readers get, with pikepdf ---------------------------------

def marked_content(pdf: Path) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence with an MCID: (page index, MCID) -> text.

    Glyphs are decoded through their fonts' ToUnicode maps; an ActualText span
    stands for the glyphs inside it, as PDF readers treat it.
    """
    import pikepdf

    from tests.pdfua_extra import to_unicode
    texts: dict[tuple[int, int], str] = {}
    with pikepdf.open(pdf) as document:
        for index, page in enumerate(document.pages):
            fonts = {str(name): to_unicode(font) for name, font in page.Resources.get("/Font", {}).items()}
            stack: list[tuple[int | None, bool]] = []   # (mcid, replaced by ActualText)
            font: dict[int, str] = {}
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    props = operands[1] if op == "BDC" else None
                    mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                    actual = isinstance(props, pikepdf.Dictionary) and "/ActualText" in props
                    owner = next((m for m, _ in reversed(stack) if m is not None), mcid)
                    if actual and owner is not None:
                        texts[(index, owner)] = texts.get((index, owner), "") + str(props.ActualText)
                    stack.append((mcid, actual))
                elif op == "EMC" and stack:
                    stack.pop()
                elif op == "Tf":
                    font = fonts.get(str(operands[0]), {})
                elif op in ("Tj", "TJ", "'", '"'):
                    owner = next((m for m, _ in reversed(stack) if m is not None), None)
                    if owner is None or any(replaced for _, replaced in stack):
                        continue
                    strings = operands[-1] if op == "TJ" else [operands[-1]]
                    for item in strings:
                        if isinstance(item, pikepdf.String):
                            texts[(index, owner)] = texts.get((index, owner), "") + "".join(
                                font.get(byte, "") for byte in bytes(item))
    return texts


def structure(pdf: Path) -> list[tuple[str, str]]:
    """(role, text) of every structure element with content of its own, in the tree's reading order."""
    import pikepdf
    marks = marked_content(pdf)
    elements: list[tuple[str, str]] = []
    with pikepdf.open(pdf) as document:
        page_index = {page.obj.objgen: n for n, page in enumerate(document.pages)}

        def walk(element):
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
            home = page_index.get(element.Pg.objgen) if "/Pg" in element else None
            text, own = "", False
            for kid in kids:
                if isinstance(kid, int) or (isinstance(kid, pikepdf.Object) and kid._type_code == pikepdf.ObjectType.integer):
                    text, own = text + marks.get((home, int(kid)), ""), True
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
                    text, own = text + marks.get((page_index[kid.Pg.objgen], int(kid.MCID)), ""), True
            if own:
                elements.append((str(element.S)[1:], text))
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
                    walk(kid)

        root = document.Root.StructTreeRoot.K
        for element in (list(root) if isinstance(root, pikepdf.Array) else [root]):
            walk(element)
    return elements

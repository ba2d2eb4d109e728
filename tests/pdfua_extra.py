"""PDF/UA checks beyond `pdfua check`, read with pikepdf and fontTools (never with the code that wrote the PDF).

`pdfua` 0.1.3 covers a subset of the machine-checkable Matterhorn checkpoints;
veraPDF, the reference validator, is not installable here. This helper checks
what the leaflets most often get wrong, each as one list of findings (empty is
a pass), so a test can name the checkpoint that failed:

- ``untagged``   every painting operator (text, paths, shadings, images, XObjects) on a page or in a form
                 XObject it draws is inside marked content with an MCID or inside an Artifact
                 (ISO 14289-1 7.1; Matterhorn 01-005).
- ``unicode``    every glyph shown maps through its font's ToUnicode to text with no private-use code
                 points (ISO 14289-1 7.21.7, Matterhorn 31 fonts; what text extraction and braille displays get).
- ``widths``     /Widths (or /W) agree with the embedded font program's advance widths within one unit
                 (7.21.5, Matterhorn 31 fonts).
- ``links``      every Link annotation is in the structure tree: a /StructParent that leads to a Link element
                 holding an OBJR to it, and a /Contents text (7.18.1 and 7.18.5, Matterhorn 28 annotations).
- ``language``   every /Lang in the tree is a well-formed language tag, and in a document whose language is
                 not written in Latin script, any element whose text or alternative text is mostly Latin words
                 carries a /Lang of its own or an inherited one other than the document's; "" says
                 "unknown" (7.2, Matterhorn 11 natural language; a heuristic: only a change of script can
                 be seen by a machine).
- ``wordless``   content that paints but shows no text (a tick box, a logo) belongs to an element with /Alt
                 or /ActualText, so a screen reader has something to say (7.3, 7.1; Matterhorn 13-004).
- ``small_text`` with ``min_size``: every text-showing operator, artifacts included, is at least that
                 many points after the text and transformation matrices (large print: 16 pt).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name

PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE", "Tj", "TJ", "'", '"'}
TEXT = {"Tj", "TJ", "'", '"'}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass
class Report:
    untagged: list[str] = field(default_factory=list)
    unicode: list[str] = field(default_factory=list)
    widths: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    wordless: list[str] = field(default_factory=list)
    small_text: list[str] = field(default_factory=list)
    link_count: int = 0   # Link annotations seen, so a test can tell "all links are fine" from "no links"


def check(pdf: Path, min_size: float | None = None) -> Report:
    """Every check on one PDF; `min_size` also holds all text to that many points."""
    report = Report()
    with pikepdf.open(pdf) as document:
        state = _Walk(report, min_size)
        for number, page in enumerate(document.pages, 1):
            state.page = number
            state.walk(page.obj, page.obj.get("/Resources", Dictionary()), covered=False,
                       matrix=(1, 0, 0, 1, 0, 0))
        for font, codes in state.used.values():
            _check_unicode(font, codes, report)
            _check_widths(font, report)
        _check_links(document, report)
        _check_tree(document, state.marks, report)
    return report


# --- content streams ---------------------------------------------------------------------------------

def _multiply(a, b):
    """a x b for PDF matrices (a b c d e f)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _scale(m) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


class _Walk:
    """Walks content streams, recording what is drawn outside marked content, text sizes and glyphs used."""

    def __init__(self, report: Report, min_size: float | None):
        self.report, self.min_size, self.page = report, min_size, 0
        self.used: dict[tuple, tuple[pikepdf.Object, set[int]]] = {}   # font object -> (font, codes shown)
        self.marks: dict[tuple[int, int], dict[str, int]] = {}          # (page, MCID) -> {"text": n, "paint": n}

    def walk(self, stream, resources, covered: bool, matrix, depth: int = 0) -> None:
        fonts = resources.get("/Font", Dictionary())
        xobjects = resources.get("/XObject", Dictionary())
        stack: list[tuple[bool, int | None]] = []   # (tagged or artifact, MCID)
        saved, ctm = [], matrix
        font, size, tm = None, 0.0, (1, 0, 0, 1, 0, 0)
        where = f"page {self.page}" + (" (form XObject)" if depth else "")
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op == "q":
                saved.append(ctm)
            elif op == "Q" and saved:
                ctm = saved.pop()
            elif op == "cm":
                ctm = _multiply(tuple(float(v) for v in operands), ctm)
            elif op == "BDC" or op == "BMC":
                tag = str(operands[0])
                props = operands[1] if op == "BDC" else None
                mcid = int(props.MCID) if isinstance(props, Dictionary) and "/MCID" in props else None
                stack.append((tag == "/Artifact" or mcid is not None, mcid))
            elif op == "EMC" and stack:
                stack.pop()
            elif op == "BT":
                tm = (1, 0, 0, 1, 0, 0)
            elif op == "Tm":
                tm = tuple(float(v) for v in operands)
            elif op == "Tf":
                font, size = fonts.get(str(operands[0])), float(operands[1])
            if op not in PAINTING:
                continue
            inside = covered or any(marked for marked, _ in stack)
            if not inside:
                self.report.untagged.append(f"{where}: '{op}' outside marked content and artifacts")
            mcid = next((m for _, m in reversed(stack) if m is not None), None)
            if mcid is not None and depth == 0:
                counts = self.marks.setdefault((self.page - 1, mcid), {"text": 0, "paint": 0})
                counts["text" if op in TEXT else "paint"] += 1
            if op in TEXT and font is not None:
                codes = self.used.setdefault(font.objgen, (font, set()))[1]
                two_bytes = font.get("/Subtype") == Name.Type0
                for item in (operands[-1] if op == "TJ" else [operands[-1]]):
                    if isinstance(item, pikepdf.String):
                        raw = bytes(item)
                        codes.update(int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)) \
                            if two_bytes else codes.update(raw)
                effective = size * _scale(_multiply(tm, ctm))
                if self.min_size is not None and effective < self.min_size - 0.05:
                    self.report.small_text.append(f"{where}: text at {effective:.1f} pt in {font.get('/BaseFont')}")
            elif op == "Do":
                xobject = xobjects.get(str(operands[0]))
                if xobject is not None and xobject.get("/Subtype") == Name.Form and depth < 8:
                    form_matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                    self.walk(xobject, xobject.get("/Resources", resources), inside,
                              _multiply(form_matrix, ctm), depth + 1)


# --- fonts -------------------------------------------------------------------------------------------

def _private_use(text: str) -> bool:
    return any(unicodedata.category(c) == "Co" for c in text)


def to_unicode(font) -> dict[int, str]:
    """A simple font's byte -> text map from its ToUnicode CMap (bfchar and bfrange entries)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    text = stream.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = bytes.fromhex(start).decode("utf-16-be", "replace")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = first[:-1] + chr(ord(first[-1]) + offset)
    return mapping


def _check_unicode(font, codes: set[int], report: Report) -> None:
    mapping = to_unicode(font)
    name = str(font.get("/BaseFont"))
    missing = sorted(code for code in codes if not mapping.get(code))
    private = sorted((code, mapping[code]) for code in codes if mapping.get(code) and _private_use(mapping[code]))
    if missing:
        report.unicode.append(f"{name}: {len(missing)} glyph(s) shown without a ToUnicode entry, e.g. {missing[:5]}")
    if private:
        sample = ", ".join(f"{code}->U+{ord(text[0]):04X}" for code, text in private[:5])
        report.unicode.append(f"{name}: {len(private)} glyph(s) map to private-use code points ({sample})")


def _font_program(font):
    from fontTools.ttLib import TTFont
    descriptor = font.get("/FontDescriptor")
    if descriptor is None or "/FontFile2" not in descriptor:
        return None
    return TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))


def _check_widths(font, report: Report) -> None:
    """Simple TrueType fonts (what ReportLab embeds): code -> glyph by the subset's own cmap."""
    if font.get("/Subtype") != Name.TrueType or "/Widths" not in font:
        return
    program = _font_program(font)
    if program is None:
        return
    scale = 1000 / program["head"].unitsPerEm
    cmap = next((t.cmap for t in program["cmap"].tables if t.platformID in (1, 3)), {})
    metrics = program["hmtx"].metrics
    first = int(font.FirstChar)
    wrong = []
    for offset, declared in enumerate(font.Widths):
        glyph = cmap.get(first + offset)
        if glyph is None:
            continue
        actual = metrics[glyph][0] * scale
        if abs(float(declared) - actual) > 1:
            wrong.append((first + offset, float(declared), round(actual, 1)))
    if wrong:
        report.widths.append(f"{font.get('/BaseFont')}: {len(wrong)} width(s) differ from the font program "
                             f"(code, /Widths, font): {wrong[:5]}")


# --- annotations and the structure tree ---------------------------------------------------------------

def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _check_links(document, report: Report) -> None:
    nums = document.Root.StructTreeRoot.get("/ParentTree", Dictionary()).get("/Nums", pikepdf.Array())
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page in enumerate(document.pages, 1):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != Name.Link:
                continue
            report.link_count += 1
            where = f"page {number}: link {annot.get('/A', {}).get('/URI', '')}"
            if not str(annot.get("/Contents", "")).strip():
                report.links.append(f"{where} has no /Contents")
            if "/StructParent" not in annot:
                report.links.append(f"{where} has no /StructParent (not in the structure tree)")
                continue
            element = parents.get(int(annot.StructParent))
            if element is None or element.get("/S") != Name.Link:
                report.links.append(f"{where}: its structure parent is not a Link element")
                continue
            if not any(isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR and k.Obj.objgen == annot.objgen
                       for k in _kids(element)):
                report.links.append(f"{where}: its Link element holds no OBJR to it")


def _mostly_latin(text: str) -> bool:
    """Two Latin words or more, and most of its words Latin: a text in a Latin-script language.

    A clinic's name inside an Arabic sentence is not flagged (a span would be better, but the
    sentence's voice is right for most of it); web addresses and acronyms (DVT) do not count."""
    text = re.sub(r"\S*[./@:]\S*[\w/]", " ", text)
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if not re.fullmatch(r"[A-Z]{2,5}", w)]
    latin = [w for w in words if all("LATIN" in unicodedata.name(c, "") for c in w)]
    # Chinese writes no spaces between words: each character counts as one.
    others = sum(len(w) if "CJK" in unicodedata.name(w[0], "") else 1 for w in words if w not in latin)
    return len(latin) >= 2 and len(latin) > others


def _check_tree(document, marks: dict, report: Report) -> None:
    from tests.pdfcheck import marked_content
    texts = marked_content(Path(document.filename))
    root_lang = str(document.Root.get("/Lang", ""))
    if not LANGUAGE_TAG.match(root_lang):
        report.language.append(f"the document's /Lang {root_lang!r} is not a language tag")
    latin_document = root_lang.split("-")[0] in {"en", "es", "fr", "pl", "vi", "de", "it", "pt", "nl"}
    page_index = {page.obj.objgen: n for n, page in enumerate(document.pages)}

    def walk(element, lang: str):
        if "/Lang" in element:
            own = str(element.Lang)
            if own and not LANGUAGE_TAG.match(own):   # "" is allowed: the language is unknown
                report.language.append(f"{element.S}: /Lang {own!r} is not a language tag")
            lang = own
        home = page_index.get(element.Pg.objgen) if "/Pg" in element else None
        mcids = []
        for kid in _kids(element):
            if isinstance(kid, int) or (isinstance(kid, pikepdf.Object)
                                        and kid._type_code == pikepdf.ObjectType.integer):
                mcids.append((home, int(kid)))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                mcids.append((page_index[kid.Pg.objgen], int(kid.MCID)))
        text = "".join(texts.get(m, "") for m in mcids)
        said = " ".join(str(element.get(key, "")) for key in ("/Alt", "/ActualText"))
        painted = sum(marks.get(m, {}).get("paint", 0) for m in mcids)
        shown = sum(marks.get(m, {}).get("text", 0) for m in mcids)
        if painted and not shown and not said.strip():
            report.wordless.append(f"{element.S} draws graphics and no text, without /Alt or /ActualText")
        if not latin_document and lang == root_lang and lang and _mostly_latin(said.strip() or text):
            report.language.append(f"{element.S} in Latin script without a /Lang: {(said.strip() or text)[:60]!r}")
        for kid in _kids(element):
            if isinstance(kid, Dictionary) and kid.get("/Type") == Name.StructElem:
                walk(kid, lang)

    for element in _kids(document.Root.StructTreeRoot):
        walk(element, root_lang)

"""Tagged PDF: the structure tree that lets screen readers read a leaflet (PDF/UA-1).

ReportLab's open-source edition writes untagged PDFs. While the leaflet is
drawn, every piece of content is wrapped in a marked-content sequence: either
tagged with an MCID that belongs to a structure element (H1, P, LI, TD ...)
or marked as an Artifact (header band, footer, page numbers, box borders).
After ReportLab has written the file, pikepdf adds what points at those
marks: the structure tree, the parent tree, /MarkInfo, and XMP metadata that
declares PDF/UA-1.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Iterator
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name

HEADING_ROLES = {"H1", "H2", "H3"}


@dataclass(eq=False)
class Element:
    """One structure element; its content is the marked sequences recorded for it, in drawing order."""

    role: str
    parent: "Element | None" = None
    alt: str | None = None
    actual_text: str | None = None   # what a drawing stands for in words (a tick box: "☐")
    lang: str | None = None
    attributes: dict[str, object] = field(default_factory=dict)
    children: list["Element | tuple[int, int]"] = field(default_factory=list)  # elements or (page, mcid)
    links: list["Link"] = field(default_factory=list)   # annotations this element (a Link) stands for

    def __post_init__(self):
        if self.parent is not None:
            self.parent.children.append(self)

    def child(self, role: str, **options) -> "Element":
        return Element(role, self, **options)


@dataclass(frozen=True)
class Link:
    """A link annotation to add after ReportLab: where it is, where it leads and what it says."""

    page: int
    rect: tuple[float, float, float, float]
    uri: str
    contents: str


class Tagger:
    """Hands out MCIDs while pages are drawn, and writes the structure tree afterwards."""

    def __init__(self, language: str):
        self.root = Element("Document", lang=language)
        self._next_mcid: dict[int, int] = {}
        self._owners: dict[tuple[int, int], Element] = {}

    @contextmanager
    def mark(self, canv, element: Element) -> Iterator[None]:
        page = canv.getPageNumber() - 1
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        element.children.append((page, mcid))
        self._owners[(page, mcid)] = element
        canv.addLiteral(f"/{element.role} <</MCID {mcid}>> BDC")
        yield
        canv.addLiteral("EMC")

    @staticmethod
    def link(canv, element: Element, width: float, height: float, uri: str, contents: str) -> None:
        """Make the box (0, 0, width, height) in the current drawing position a link for `element`.

        ReportLab's own links are not in the structure tree; this one is added by `finish` with its
        /StructParent, an OBJR in the Link element and /Contents (PDF/UA 7.18.5).
        """
        (x0, y0), (x1, y1) = canv.absolutePosition(0, 0), canv.absolutePosition(width, height)
        rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        element.links.append(Link(canv.getPageNumber() - 1, rect, uri, contents))

    @staticmethod
    @contextmanager
    def artifact(canv, kind: str = "Layout") -> Iterator[None]:
        canv.addLiteral(f"/Artifact <</Type /{kind}>> BDC")
        yield
        canv.addLiteral("EMC")

    # --- after ReportLab ---------------------------------------------------------------------
    def finish(self, data: bytes, title: str) -> bytes:
        """The PDF with its structure tree, marked as tagged and as PDF/UA-1."""
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = list(pdf.pages)
            tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
            parents: dict[int, dict[int, pikepdf.Object]] = {}
            annotations: list[tuple[pikepdf.Object, pikepdf.Object]] = []   # (annotation, its Link element)
            document = self._write(pdf, self.root, tree, [page.obj for page in pages], parents, annotations)
            tree.K = Array([document])
            nums = Array()
            for index, page in enumerate(pages):
                page.obj.StructParents = index
                page.obj.Tabs = Name.S
                mcids = parents.get(index, {})
                nums.append(index)
                nums.append(pdf.make_indirect(Array([mcids[m] for m in sorted(mcids)])))
            for key, (annotation, node) in enumerate(annotations, len(pages)):
                annotation.StructParent = key
                nums.append(key)
                nums.append(node)
            tree.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
            tree.ParentTreeNextKey = len(pages) + len(annotations)
            pdf.Root.StructTreeRoot = tree
            pdf.Root.MarkInfo = Dictionary(Marked=True)
            pdf.Root.Metadata = pdf.make_stream(_xmp(title, self.root.lang or ""),
                                                Type=Name.Metadata, Subtype=Name.XML)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, compress_streams=True, fix_metadata_version=False,
                     object_stream_mode=pikepdf.ObjectStreamMode.generate)
            return out.getvalue()

    def _write(self, pdf, element: Element, parent, pages, parents, annotations) -> pikepdf.Object:
        # Every entry but the kids in one dictionary: each separate assignment is a call into qpdf. Names
        # are made once per process (a Name is a call into pikepdf too): a tenth of this pass.
        entries = {"/Type": _STRUCT_ELEM, "/S": _role_name(element.role), "/P": parent}
        if element.alt:
            entries["/Alt"] = pikepdf.String(element.alt)
        if element.actual_text:
            entries["/ActualText"] = pikepdf.String(element.actual_text)
        if element.lang is not None:  # "" says the language is unknown (ISO 32000-1, 14.9.2.1)
            entries["/Lang"] = pikepdf.String(element.lang)
        if element.attributes:
            entries["/A"] = Dictionary({f"/{k}": (_role_name(v) if isinstance(v, str) else v)
                                        for k, v in element.attributes.items()})
        # content on the element's own page (its first mark's) is referred to by MCID alone
        home = next((child[0] for child in element.children if type(child) is tuple), None)
        if home is not None:
            entries["/Pg"] = pages[home]
        node = pdf.make_indirect(Dictionary(entries))
        kids = []
        for child in element.children:
            if type(child) is tuple:  # (page, mcid)
                page, mcid = child
                kids.append(mcid if page == home else Dictionary(Type=_MCR, Pg=pages[page], MCID=mcid))
                parents.setdefault(page, {})[mcid] = node
            else:
                kids.append(self._write(pdf, child, node, pages, parents, annotations))
        for link in element.links:
            page = pages[link.page]
            annotation = pdf.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Link, Rect=Array(link.rect), Border=Array([0, 0, 0]), F=4,
                Contents=pikepdf.String(link.contents), A=Dictionary(S=Name.URI, URI=pikepdf.String(link.uri))))
            page.Annots = Array([*page.get("/Annots", []), annotation])
            kids.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page))
            annotations.append((annotation, node))
        node.K = kids[0] if len(kids) == 1 else Array(kids)
        return node


_STRUCT_ELEM, _MCR = Name.StructElem, Name.MCR


@cache
def _role_name(text: str) -> Name:
    """The PDF name /text, made once: roles and attribute values are a few dozen words."""
    return Name("/" + text)


def _xmp(title: str, language: str) -> bytes:
    """XMP metadata declaring PDF/UA-1, with the title (no dates: the PDF stays reproducible)."""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode("utf-8")

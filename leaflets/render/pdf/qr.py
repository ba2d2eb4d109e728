"""The QR code to a leaflet's web version, with its address printed beside it for those who type it.

Drawn as vectors with ReportLab's own QR widget (sharp at any print size, no
image), tagged as a Figure with alt text in the leaflet's language; the words
and address beside it are a paragraph. Only when the brand names its site.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from ..tagging import Element
from .layout import Layout

SIZE = 24 * mm      # with its quiet zone; about 1 cm per 25 modules, which phones read at arm's length
GAP = 4 * mm


class OnlineCopy(Flowable):
    """QR code and address side by side (the code leads: left, or right in right-to-left languages)."""

    def __init__(self, layout: Layout, parent: Element):
        super().__init__()
        leaflet, self.layout = layout.leaflet, layout
        self.size = SIZE * layout.k
        self.figure = parent.child("Figure", alt=leaflet.online_alt)
        style = ParagraphStyle("online", parent=layout.styles.small, textColor=layout.ink)
        body = f"{layout.markup(leaflet.online_copy)}<br/>{layout.markup(leaflet.online_url)}"
        self.text = layout.para(f"{leaflet.online_copy} {leaflet.online_url}", style, parent.child("P"), markup=body)
        self.drawing = _qr_drawing(leaflet.online_url, self.size)

    def wrap(self, available_width, available_height):
        self.width = available_width
        _, text_height = self.text.wrap(available_width - self.size - GAP, available_height)
        self.text_height = text_height
        self.height = max(self.size, text_height)
        return self.width, self.height

    def split(self, available_width, available_height):
        return []  # a QR code cut in two cannot be read: moved whole to the next page

    def draw(self):
        canv, rtl = self.canv, self.layout.fonts.rtl
        qr_x = self.width - self.size if rtl else 0
        text_x = 0 if rtl else self.size + GAP
        from reportlab.graphics import renderPDF
        with self.layout.tagger.mark(canv, self.figure):
            renderPDF.draw(self.drawing, canv, qr_x, self.height - self.size)
        self.text.drawOn(canv, text_x, (self.height - self.text_height) / 2)  # centred beside the code


def _qr_drawing(url: str, size: float):
    # Imported here: most leaflets have no QR code, and every command's start-up time counts.
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    widget = QrCodeWidget(url, barLevel="M")  # medium error correction: survives a crease or a smudge
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing

"""Brand colours against WCAG 2.1 contrast: text on the header band, headings, tinted boxes.

The formula is in leaflets/colour.py.
"""

from __future__ import annotations

from ..colour import contrast
from ..model import Brand
from ..validation import where_of
from .findings import Finding

BODY_TEXT = "#1A1A1A"     # leaflet body text (render/pdf/styles.py INK)
WHITE = "#FFFFFF"
NORMAL_TEXT = 4.5         # WCAG 2.1 AA, SC 1.4.3
LARGE_TEXT = 3.0          # 14 pt bold or 18 pt and larger


def check_colours(brand: Brand) -> list[Finding]:
    colours = brand.colours
    pairs = [  # (key, text colour, background, where it is used, minimum)
        ("text_on_primary", colours.text_on_primary, colours.primary,
         "the clinic name on the header band and table headings", NORMAL_TEXT),
        ("primary", colours.primary, WHITE, "headings on white paper (large, bold)", LARGE_TEXT),
        ("accent", BODY_TEXT, colours.accent, "body text in info boxes and table stripes", NORMAL_TEXT),
    ]
    findings = []
    for key, text, background, use, minimum in pairs:
        ratio = contrast(text, background)
        if ratio < minimum:
            findings.append(Finding.of(
                "brand", "error", f"{text} on {background} has contrast {ratio:.2f}:1, below {minimum:g}:1 "
                f"for {use}", where_of(colours, key),
                "pick a darker primary or lighter accent colour (check with a contrast checker)"))
    return findings

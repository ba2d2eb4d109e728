"""Colour contrast as WCAG 2.1 defines it: relative luminance and the (L1 + 0.05) / (L2 + 0.05) ratio.

A few lines, so written here rather than taken from a package. Used by
`check` (brand colours against 4.5:1) and by high-contrast leaflets (7:1).
"""

from __future__ import annotations

BLACK, WHITE = "#000000", "#FFFFFF"


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def keep_if_contrast(colour: str, background: str, minimum: float, fallback: str) -> str:
    """The colour where it keeps the contrast, else the fallback."""
    return colour if contrast(colour, background) >= minimum else fallback

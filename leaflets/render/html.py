"""Render a resolved Leaflet as a web page, and the pages of the download site.

Same Leaflet as the PDF, through Jinja2 templates in templates/html/ with
autoescaping on: every text is data. Pages are self-contained (styles and
logo inline) so they work opened from disk and load nothing from the internet.
"""

from __future__ import annotations

import base64
import mimetypes
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..leaflet import Leaflet, Look
from ..model import UiStrings
from ..paths import FONTS_DIR, data_dir


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(data_dir("templates") / "html"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def warm_templates() -> None:
    """Compile the templates now, e.g. before worker processes are forked."""
    for name in ("leaflet.html.j2", "index.html.j2", "languages.html.j2"):
        _environment().get_template(name)


def direction(language: str) -> str:
    """'rtl' for languages written right to left, else 'ltr'."""
    locale = Locale.parse(language.replace("-", "_"))
    return "rtl" if locale.character_order == "right-to-left" else "ltr"


def logo_data_uri(logo: Path | None) -> str:
    return _logo_data_uri(logo, logo.stat().st_mtime_ns) if logo else ""


@lru_cache(maxsize=8)
def _logo_data_uri(logo: Path, _mtime: int) -> str:
    mime = "image/svg+xml" if logo.suffix.lower() == ".svg" else mimetypes.guess_type(logo.name)[0]
    return f"data:{mime};base64,{base64.b64encode(logo.read_bytes()).decode('ascii')}"


def site_assets() -> dict[str, bytes]:
    """Files that pages find under their 'assets' folder: the typeface and its licence.

    The fonts travel inside a stylesheet as data: URLs, because browsers refuse
    font files across file:// pages, and the site must work opened from disk.
    """
    faces = []
    for weight, name in ((400, "AtkinsonHyperlegible-Regular.ttf"), (700, "AtkinsonHyperlegible-Bold.ttf")):
        data = base64.b64encode((FONTS_DIR / name).read_bytes()).decode("ascii")
        faces.append(f'@font-face {{ font-family: "Atkinson Hyperlegible"; font-weight: {weight}; '
                     f'src: url("data:font/ttf;base64,{data}") format("truetype"); }}\n')
    return {"fonts.css": "".join(faces).encode("ascii"), "OFL.txt": (FONTS_DIR / "OFL.txt").read_bytes()}



def render_html(leaflet: Leaflet, strings: UiStrings, home: str | None = None, assets: str | None = None) -> str:
    """The leaflet as one HTML page; 'home' links back to the list of leaflets, 'assets' to the fonts."""
    return _environment().get_template("leaflet.html.j2").render(
        leaflet=leaflet, look=leaflet.look, strings=strings, home=home, assets=assets,
        logo=logo_data_uri(leaflet.look.logo), direction=direction(leaflet.language))


def render_index(language: str, strings: UiStrings, look: Look, intro: str, handouts: list[dict[str, Any]],
                 other_languages: list[dict[str, str]], assets: str | None = None) -> str:
    """The download page of one language: every leaflet, its profiles in plain words, its files."""
    return _environment().get_template("index.html.j2").render(
        language=language, assets=assets, direction=direction(language), strings=strings, look=look, intro=intro,
        handouts=handouts, other_languages=other_languages, logo=logo_data_uri(look.logo))


def render_languages(look: Look, languages: list[dict[str, str]], assets: str | None = None) -> str:
    """The site's front page: one link per language, each in its own language."""
    return _environment().get_template("languages.html.j2").render(
        look=look, assets=assets, languages=languages, logo=logo_data_uri(look.logo))


def language_name(language: str) -> str:
    """The language's name in that language, e.g. 'Español'."""
    name = Locale.parse(language.replace("-", "_")).get_display_name() or language
    return name[:1].upper() + name[1:]

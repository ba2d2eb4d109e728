"""Where a leaflet lives on the download site that `batch` builds, and its public address.

The batch writes the files, the infobutton links to them and the QR code on a
printed leaflet points at them: one naming rule, here, so they cannot disagree.
"""

from __future__ import annotations


def stem(handout: str, profiles: tuple[str, ...], language: str) -> str:
    """'es/dvt-walking-femoral+flyer': the folder is the language, profiles in their file order."""
    return f"{language}/{handout}-{'+'.join(profiles)}"


def html_path(handout: str, profiles: tuple[str, ...], language: str) -> str:
    return f"{stem(handout, profiles, language)}.html"


def pdf_path(handout: str, profiles: tuple[str, ...], language: str, print_key: str) -> str:
    """print_key: the paper size plus print variant, e.g. 'a4' or 'letter-large'."""
    return f"{stem(handout, profiles, language)}-{print_key}.pdf"


def address(site_url: str, path: str) -> str:
    """A path on the site as a full address; site_url may end with a slash or not."""
    return f"{site_url.rstrip('/')}/{path}"

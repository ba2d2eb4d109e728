"""Where the built-in content, brands and templates are.

In a checkout they sit at the top of the repository, where authors edit
them; an installed wheel carries copies under leaflets/data/.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
FONTS_DIR = PACKAGE_DIR / "fonts"
DEFAULT_HANDOUT = "dvt-walking"   # built when none is named and the content folder holds several


def data_dir(name: str) -> Path:
    packaged = PACKAGE_DIR / "data" / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


def default_content_dir() -> Path:
    return data_dir("handouts")


def default_brand_file() -> Path:
    return data_dir("brands") / "default" / "brand.yaml"


def strings_dir() -> Path:
    return data_dir("templates") / "strings"

"""Load a clinic brand and check its logo before anything is drawn."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import LeafletError, Where
from .limits import check_size
from .model import Brand
from .phones import check_phone
from .validation import validate, where_of
from .yamlsource import load_yaml

BRAND_FILE = "brand.yaml"
LOGO_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".svg": "SVG"}


@dataclass(frozen=True)
class ClinicBrand:
    """A validated brand with its logo file located on disk."""

    brand: Brand
    file: Path
    logo: Path | None


def load_brand(path: Path) -> ClinicBrand:
    """Read a brand file (or a folder holding brand.yaml) and check the logo it names."""
    clinic = read_brand(path)
    if clinic.logo:
        check_logo(clinic.logo, clinic.brand)
    return clinic


def open_brand(brand: Path | None = None) -> ClinicBrand:
    """The clinic's brand, or the example brand."""
    from .paths import default_brand_file
    return load_brand(brand or default_brand_file())


def read_brand(path: Path) -> ClinicBrand:
    """The validated brand file, its logo located but not yet checked."""
    path = Path(path)
    file = path / BRAND_FILE if path.is_dir() else path
    brand: Brand = validate(Brand, load_yaml(file, what="brand file"))
    check_phones(brand)
    logo = (file.parent / brand.logo).resolve() if brand.logo else None
    return ClinicBrand(brand, file, logo)


def check_phones(brand: Brand) -> None:
    """Every number must be one that can be dialled in the clinic's country."""
    if brand.phone is not None:
        check_phone(brand.phone, brand.country, where_of(brand, "phone"))
    for line in brand.phones:
        check_phone(line.number, brand.country, where_of(line, "number"))


def check_logo(logo: Path, brand: Brand) -> None:
    where = where_of(brand, "logo")
    kind = LOGO_TYPES.get(logo.suffix.lower())
    if kind is None:
        raise LeafletError(f"the logo '{brand.logo}' is not a PNG, JPEG or SVG file", where,
                           "convert the logo to PNG or SVG and update 'logo:'")
    if not logo.is_file():
        raise LeafletError(f"the logo file '{brand.logo}' does not exist (looked for {logo})", where,
                           "put the logo next to the brand file, or fix the path in 'logo:'")
    named = f"'logo:' in {Where(where.file, where.line)}"
    check_size(logo, "logo", f"use a smaller image; about 600 pixels wide is plenty for print ({named})")
    if kind == "SVG":
        from .render.logo import svg_outside_reference
        outside = svg_outside_reference(logo.read_bytes())
        if outside is not None:
            line, problem = outside
            raise LeafletError(
                f"the logo holds {problem}; logos are drawn from their own file only", Where(logo, line),
                "embed pictures in the SVG as data: URIs and remove links to other files or web "
                f"addresses, or save the logo as PNG ({named})")
    if not _readable(logo, kind):
        raise LeafletError(f"the logo '{brand.logo}' cannot be read as {kind}", where,
                           "open it in an image editor and save it again as PNG or SVG")


def _readable(logo: Path, kind: str) -> bool:
    if kind == "SVG":
        from .render.logo import load_svg
        return load_svg(logo) is not None
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(logo) as image:
            image.verify()
            return image.format == kind
    except (UnidentifiedImageError, OSError, SyntaxError):
        return False

"""The sha256 of every leaflet in the default batch matrix and of a few print variants.

Speed work must not change a byte of what is printed. `tests/expected/output-sha256.json`
holds the hashes of the last deliberate change of output, with the versions of the libraries
that write the bytes (the same code writes other bytes with another ReportLab or zlib).
After a change that is meant to alter the leaflets, look at them, then write the file anew:

    .venv/bin/python -m tests.output_identity --update
"""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
from importlib.metadata import version
from pathlib import Path

from leaflets.batch import VARIANTS
from leaflets.leaflet import PatientDetails
from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
from leaflets.render.pdf import PAPER_SIZES, render_pdf

MANIFEST = Path(__file__).parent / "expected" / "output-sha256.json"
HANDOUT = "dvt-walking"
# Details in several scripts, fixed here so the hashes are too (never a real patient's).
PATIENT = PatientDetails(name="Amina Haddad / أمينة حداد", date="26 November 2026", clinician="Dr Lee 李",
                         follow_up="Clinic 4, 3 December 2026, 10:30", notes="Walk twice a day. नमस्ते")


def writer_versions() -> dict[str, str]:
    """The libraries whose versions decide the bytes: layout and fonts, shaping, bidi, tagging, deflate."""
    import pikepdf
    import uharfbuzz

    return {"reportlab": version("reportlab"), "pikepdf": version("pikepdf"), "qpdf": pikepdf.__libqpdf_version__,
            "uharfbuzz": version("uharfbuzz"), "harfbuzz": uharfbuzz.version_string(),
            "python-bidi": version("python-bidi"), "fonttools": version("fonttools"),
            "zlib": zlib.ZLIB_RUNTIME_VERSION, "python": ".".join(map(str, sys.version_info[:2]))}


def requests():
    """(name, request): every profile and language on every paper (the default batch matrix), then
    each print variant and the patient details for a left-to-right, a right-to-left and a shaped script."""
    loaded = open_library().load(HANDOUT)
    for profile in (p.id for p in loaded.profiles.profiles):
        for language in loaded.languages:
            for paper in PAPER_SIZES:
                yield f"{profile}-{language}-{paper}", LeafletRequest(HANDOUT, (profile,), language, paper, allow_overdue=True)
    for language in ("en", "ar", "hi", "zh-Hans"):
        for variant, options in VARIANTS.items():
            for patient in (PatientDetails(), PATIENT):
                name = f"femoral+flyer-{language}-a4-{variant}{'-patient' if patient.name else ''}"
                yield name, LeafletRequest(HANDOUT, ("femoral", "flyer"), language, "a4", patient=patient,
                                           allow_overdue=True, print_options=options)


def hashes() -> dict[str, str]:
    loaded, clinic = open_library().load(HANDOUT), open_brand()
    return {name: hashlib.sha256(render_pdf(resolve_request(loaded, request, clinic), request.paper,
                                            request.print_options).data).hexdigest()
            for name, request in requests()}


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print(__doc__)
        return 2
    MANIFEST.write_text(json.dumps({"versions": writer_versions(), "sha256": hashes()}, indent=1) + "\n")
    print(f"wrote {MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

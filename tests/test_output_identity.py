"""Every leaflet of the default matrix, and each print variant, is byte for byte what was last approved.

The hashes in tests/expected/output-sha256.json change only deliberately (see tests/output_identity.py):
speed work and refactoring keep them.
"""

import json

import pytest

from tests.output_identity import MANIFEST, hashes, writer_versions


def test_every_leaflet_is_byte_identical_to_the_approved_output():
    approved = json.loads(MANIFEST.read_text())
    if approved["versions"] != writer_versions():
        pytest.skip(f"the approved hashes were made with {approved['versions']}, this machine has "
                    f"{writer_versions()}: same code, other bytes; compare on a machine with those versions")
    made = hashes()
    assert made.keys() == approved["sha256"].keys()
    changed = sorted(name for name, digest in made.items() if digest != approved["sha256"][name])
    assert not changed, (f"{len(changed)} of {len(made)} leaflets changed, e.g. {changed[:5]}: if this change of "
                         "output is meant, look at them and run `python -m tests.output_identity --update`")


@pytest.mark.parametrize("language", ["ur", "ar", "hi", "zh-Hans", "en"])
def test_a_leaflet_does_not_depend_on_what_was_rendered_before_it(language):
    """The renderer keeps text it has set for the next leaflet (caches): a leaflet rendered after
    others of the same handout comes out byte for byte as it does in a fresh process."""
    from leaflets.pipeline import LeafletRequest, open_brand, open_library, resolve_request
    from leaflets.render.pdf import PAPER_SIZES, PrintOptions, forget_cached_text, render_pdf

    loaded, clinic = open_library().load("dvt-walking"), open_brand()

    def leaflet(profile):
        return resolve_request(loaded, LeafletRequest("dvt-walking", (profile,), language, allow_overdue=True), clinic)

    forget_cached_text()
    alone = render_pdf(leaflet("femoral"), "letter", PrintOptions(large_print=True)).data
    forget_cached_text()
    for profile in ("general", "calf"):
        for paper in PAPER_SIZES:
            for large in (False, True):
                render_pdf(leaflet(profile), paper, PrintOptions(large_print=large))
    after_others = render_pdf(leaflet("femoral"), "letter", PrintOptions(large_print=True)).data
    assert after_others == alone

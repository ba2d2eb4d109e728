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

"""Bad input: one clear message with file, line and key; non-zero exit; no traceback; no file."""

from __future__ import annotations

import pytest

from tests.conftest import edit, run_generate

HANDOUT = "dvt-walking/handout.yaml"
PROFILES = "dvt-walking/profiles.yaml"


def build_with(tmp_path, *args):
    out = tmp_path / "leaflet.pdf"
    result = run_generate("build", *args, "-o", str(out), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode != 0
    assert not out.exists(), "no partial output file"
    assert not [p for p in tmp_path.rglob("*.part")], "no temporary file left behind"
    return result.stderr


CONTENT_CASES = [
    pytest.param(HANDOUT, "title: Walking after", "title: [Walking after",
                 ["handout.yaml, line 12, column 9", "this is not valid YAML", "or the one above"], id="malformed-yaml"),
    pytest.param(HANDOUT, "      - id: headache\n", "      - id: headache\n        txt: oops\n",
                 ["handout.yaml, line 124", "sections[when-to-call].items[headache].txt", "unknown key 'txt'",
                  "did you mean 'text'?"], id="unknown-key"),
    pytest.param(HANDOUT, 'version: "1.0"', "version: 1.0",
                 ["handout.yaml, line 15", "version: expected text, found 1.0", 'version: "1.0"'], id="wrong-type"),
    pytest.param(HANDOUT, "reference: VASC-DVT-001\n", "",
                 ["handout.yaml, line 11", "the required key 'reference' is missing"], id="missing-field"),
    pytest.param(HANDOUT, "    kind: table", "    kind: tabel",
                 ["line 151", "sections[causes].kind", "unknown section kind 'tabel'", "use one of"],
                 id="unknown-kind"),
    pytest.param(HANDOUT, "title: Walking after a blood clot in the leg\n",
                 "title: Walking after a blood clot in the leg\ntitle: Again\n",
                 ["line 12", "the key 'title' appears twice (first on line 11)"], id="duplicate-key"),
    pytest.param(HANDOUT, "cells: [Smoking, ", "cells: [Smoking, extra, ",
                 ["sections[causes].rows[smoking].cells", "has 3 cells but the table has 2 columns"],
                 id="table-shape"),
    pytest.param(HANDOUT, "sources: [nhs-dvt]", "sources: [nhs]",
                 ["sections[clot].sources", "cites unknown source 'nhs'"], id="unknown-source"),
    pytest.param(HANDOUT, "{{ brand.phone }}", "{{ brand.phone_number }}",
                 ["handout.yaml, line 114", "variable that does not exist", "{{ brand.phone }}"],
                 id="undefined-variable"),
    pytest.param(PROFILES, "target: tips.start-gently", "target: tips.start-gentle",
                 ["profiles.yaml, line 37", "profiles[calf].replace[1].target", "has no item 'start-gentle'"],
                 id="profile-unknown-target"),
    pytest.param(PROFILES, "    include: [travel]", "    include: [tips]",
                 ["profiles.yaml, line 104", "profiles[flyer].include", "'tips' is always shown"], id="profile-include-not-optional"),
]


@pytest.mark.parametrize("file, old, new, expected", CONTENT_CASES)
def test_broken_content_is_reported_with_file_line_and_key(tmp_path, content_copy, file, old, new, expected):
    edit(content_copy / file, old, new)
    message = build_with(tmp_path, "--content", str(content_copy))
    assert message.startswith("error: ")
    for fragment in expected:
        assert fragment in message, (fragment, message)


def test_missing_logo(tmp_path, brand_copy):
    edit(brand_copy / "brand.yaml", "logo: logo.svg", "logo: missing.png")
    message = build_with(tmp_path, "--brand", str(brand_copy))
    assert "brand.yaml, line 9" in message and "the logo file 'missing.png' does not exist" in message


def test_logo_that_is_not_an_image(tmp_path, brand_copy):
    (brand_copy / "logo.svg").write_text("this is not an SVG")
    message = build_with(tmp_path, "--brand", str(brand_copy))
    assert "brand.yaml, line 9" in message and "cannot be read as SVG" in message


def test_emergency_number_is_required_and_never_guessed(tmp_path, brand_copy):
    edit(brand_copy / "brand.yaml", 'emergency_number: "999"\n', "")
    message = build_with(tmp_path, "--brand", str(brand_copy))
    assert "brand.yaml" in message and "the required key 'emergency_number' is missing" in message


@pytest.mark.parametrize("args, expected", [
    (["--profile", "calff"], ["unknown profile 'calff'", "general, calf, femoral, flyer"]),
    (["--lang", "de"], ["has no 'de' version", "languages of this handout: en, ar, bn, es, fr, hi, ko, pl, pt, ru, ur, vi, zh-Hans"]),
    (["--handout", "nope"], ["unknown handout 'nope'", "handouts here: dvt-walking"]),
    (["--content", "no-such-folder"], ["content folder not found"]),
    (["--brand", "no-such-brand.yaml"], ["no-such-brand.yaml", "brand file not found"]),
])
def test_unknown_choices_list_what_exists(tmp_path, args, expected):
    message = build_with(tmp_path, *args)
    for fragment in expected:
        assert fragment in message


def test_unknown_paper_size_is_a_usage_error(tmp_path):
    message = build_with(tmp_path, "--paper", "a5")
    assert "invalid choice: 'a5'" in message


@pytest.mark.parametrize("where", ["a-file/leaflet.pdf", "/proc/no-such-folder/leaflet.pdf"])
def test_unwritable_output_path(tmp_path, where):
    (tmp_path / "a-file").write_text("")
    result = run_generate("build", "-o", where, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{where}: cannot write here" in result.stderr
    assert "choose another place with -o FILE.pdf" in result.stderr


def test_output_path_that_is_a_folder(tmp_path):
    result = run_generate("build", "-o", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1 and "the output path is a folder" in result.stderr


def test_a_failed_rebuild_keeps_the_previous_good_file(tmp_path, content_copy):
    out = tmp_path / "leaflet.pdf"
    assert run_generate("build", "--content", str(content_copy), "-o", str(out)).returncode == 0
    good = out.read_bytes()
    edit(content_copy / HANDOUT, "{{ brand.phone }}", "{{ brand.nope }}")
    assert run_generate("build", "--content", str(content_copy), "-o", str(out)).returncode == 2
    assert out.read_bytes() == good

"""Clinical codes in the content: each code system's format, one owner per code, `list` and `check` show them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaflets.codes import problem

from .conftest import edit

HANDOUT = Path("dvt-walking") / "handout.yaml"
PROFILES = Path("dvt-walking") / "profiles.yaml"


def _schema_findings(cli, content: Path) -> tuple[int, list[dict]]:
    result = cli("check", "--format", "json", "--content", str(content), "--lang", "en")
    return result.code, [f for f in json.loads(result.out)["findings"] if f["rule"] == "schema"]


def test_shipped_content_declares_codes_per_profile(cli):
    result = cli("list")
    assert result.code == 0
    lines = result.out.splitlines()
    femoral = next(i for i, line in enumerate(lines) if line.strip().startswith("femoral"))
    calf = next(i for i, line in enumerate(lines) if line.strip().startswith("calf"))
    assert "codes: ICD-10-CM I82.411, I82.412" in lines[femoral + 1]
    assert "I82.441" in lines[calf + 1] and "I82.4Z9" in lines[calf + 1]
    assert any(line.strip() == "codes: SNOMED CT 128053003, 404223003" for line in lines)


@pytest.mark.parametrize("system, code", [
    ("icd-10-cm", "I82.411"), ("icd-10-cm", "I82.4Z1"), ("icd-10-cm", "S72.001A"), ("icd-10-cm", "I26"),
    ("snomed-ct", "128053003"), ("snomed-ct", "404223003"), ("snomed-ct", "22298006")])
def test_well_formed_codes_pass(system, code):
    assert problem(system, code) is None


@pytest.mark.parametrize("system, code, words", [
    ("icd-10-cm", "i82.411", "not written as an ICD-10-CM code"),
    ("icd-10-cm", "I82.41111", "not written as an ICD-10-CM code"),
    ("icd-10-cm", "182.411", "not written as an ICD-10-CM code"),
    ("snomed-ct", "128053004", "check digit"),        # one digit changed
    ("snomed-ct", "128503003", "check digit"),        # two digits swapped
    ("snomed-ct", "012805300", "not a SNOMED CT identifier"),
    ("snomed-ct", "I82.411", "not a SNOMED CT identifier")])
def test_malformed_codes_are_explained(system, code, words):
    assert words in problem(system, code)


@pytest.mark.parametrize("file, old, new, words", [
    (HANDOUT, '    - "404223003"', '    - "404223004"', "'404223004' fails the SNOMED CT check digit"),
    (PROFILES, "        - I82.411   # femoral vein", "        - I82-411   # femoral vein",
     "'I82-411' is not written as an ICD-10-CM code"),
])
def test_check_names_file_line_and_code(cli, content_copy, file, old, new, words):
    edit(content_copy / file, old, new)
    code, [finding] = _schema_findings(cli, content_copy)
    assert code == 1 and words in finding["message"]
    assert Path(finding["file"]).name == file.name
    assert new.strip() in (content_copy / file).read_text().splitlines()[finding["line"] - 1]


def test_build_refuses_a_malformed_code_with_exit_2(cli, content_copy, tmp_path):
    edit(content_copy / HANDOUT, '    - "128053003"', "    - 128053003")   # unquoted: YAML reads a number
    result = cli("build", "--content", str(content_copy), "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2 and not (tmp_path / "x.pdf").exists()
    assert "handout.yaml, line" in result.err and "put the value in quotes" in result.err


def test_unknown_code_system_suggests_the_known_ones(cli, content_copy):
    edit(content_copy / HANDOUT, "  snomed-ct:\n", "  snomed:\n")
    code, [finding] = _schema_findings(cli, content_copy)
    assert code == 1 and "unknown key 'snomed'" in finding["message"]
    assert "icd-10-cm, snomed-ct" in finding["hint"]


def test_a_code_belongs_to_one_profile(cli, content_copy):
    """Two profiles claiming one code would open an EHR's request on a guess."""
    edit(content_copy / PROFILES, "        - I82.441   # tibial vein\n", "        - I82.441   # tibial vein\n        - I82.411\n")
    code, [finding] = _schema_findings(cli, content_copy)
    assert code == 1
    assert finding["message"] == "the icd-10-cm code I82.411 is declared twice: by profile 'calf' and by profile 'femoral'"
    assert "profiles[femoral].codes" in finding["key"] or finding["file"].endswith("profiles.yaml")

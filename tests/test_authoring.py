"""Writing a clinic's own handout: the starter from `new`, the build options, and errors that point at the fix."""

from __future__ import annotations

import subprocess

import yaml

from tests.conftest import BRAND, run_generate


def test_new_writes_a_starter_that_passes_check_and_builds(tmp_path):
    content = tmp_path / "my-handouts"
    made = run_generate("new", "hand-hygiene", "--content", str(content))
    assert made.returncode == 0, made.stderr
    folder = content / "hand-hygiene"
    handout = yaml.safe_load((folder / "handout.yaml").read_text(encoding="utf-8"))
    assert handout["status"] == "draft"
    assert {s["kind"] for s in handout["sections"]} == {"paragraphs", "bullets", "checklist", "table", "faq", "callout"}
    assert len(yaml.safe_load((folder / "profiles.yaml").read_text(encoding="utf-8"))["profiles"]) == 2
    assert "# " in (folder / "handout.yaml").read_text(encoding="utf-8")   # it explains itself

    checked = run_generate("check", "--content", str(content))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 error(s)" in checked.stdout

    pdf = tmp_path / "starter.pdf"
    built = run_generate("build", "--content", str(content), "--handout", "hand-hygiene", "--profile", "example",
                         "-o", str(pdf))
    assert built.returncode == 0, built.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Placeholder" in text and "DRAFT" in text
    assert "Write this profile's own first step here." in " ".join(text.split())


def test_new_never_overwrites_and_refuses_a_bad_id(cli, tmp_path):
    assert cli("new", "hand-hygiene", "--content", str(tmp_path)).code == 0
    before = (tmp_path / "hand-hygiene" / "handout.yaml").read_bytes()
    again = cli("new", "hand-hygiene", "--content", str(tmp_path))
    assert again.code == 2 and "already exists" in again.err
    assert (tmp_path / "hand-hygiene" / "handout.yaml").read_bytes() == before
    bad = cli("new", "Hand Hygiene", "--content", str(tmp_path))
    assert bad.code == 2 and "cannot be a handout id" in bad.err and "lowercase letters" in bad.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hand-hygiene"]


def _pdf_text(pdf) -> str:
    return " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())


def test_a_content_folder_with_one_handout_needs_no_handout_option(cli, tmp_path):
    assert cli("new", "hand-hygiene", "--content", str(tmp_path / "c")).code == 0
    result = cli("--content", str(tmp_path / "c"), "-o", str(tmp_path / "one.pdf"))
    assert result.code == 0, result.err
    assert "HAND-HYGIENE" in _pdf_text(tmp_path / "one.pdf")
    assert cli("new", "wound-care", "--content", str(tmp_path / "c")).code == 0
    two = cli("build", "--content", str(tmp_path / "c"), "-o", str(tmp_path / "two.pdf"))
    assert two.code == 2 and "holds 2 handouts: say which one with --handout ID" in two.err
    assert "hand-hygiene, wound-care" in two.err and not (tmp_path / "two.pdf").exists()


def test_build_accepts_profiles_joined_with_plus_as_batch_does(cli, tmp_path):
    joined = cli("build", "--profile", "femoral+flyer", "-o", str(tmp_path / "joined.pdf"))
    assert joined.code == 0, joined.err
    apart = cli("build", "--profile", "femoral", "--profile", "flyer", "-o", str(tmp_path / "apart.pdf"))
    assert apart.code == 0
    assert (tmp_path / "joined.pdf").read_bytes() == (tmp_path / "apart.pdf").read_bytes()
    assert "long journeys" in _pdf_text(tmp_path / "joined.pdf").lower()


def test_language_codes_match_in_any_case(cli, tmp_path):
    for asked, expected in (("EN", "Walking after a blood clot"), ("zh-hans", "腿部血栓后的行走"), ("ZH-HANS", "腿部血栓后的行走")):
        out = tmp_path / f"{asked}.pdf"
        result = cli("build", "--lang", asked, "--paper", "A4", "-o", str(out))
        assert result.code == 0, result.err
        assert expected in _pdf_text(out)
    default_name = run_generate("build", "--lang", "zh-hans", cwd=tmp_path)
    assert default_name.returncode == 0 and default_name.stdout.strip().endswith("dvt-walking-default-zh-Hans-a4.pdf")

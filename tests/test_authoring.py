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


# --- errors that name the thing to fix ---------------------------------------------------------------

def _starter(cli, tmp_path):
    content = tmp_path / "c"
    assert cli("new", "hand-hygiene", "--content", str(content)).code == 0
    return content, content / "hand-hygiene" / "handout.yaml"


def _line_of(file, needle: str) -> int:
    return next(n for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def test_a_tab_in_yaml_says_tab_with_its_line_and_column(cli, tmp_path):
    content, handout = _starter(cli, tmp_path)
    text = handout.read_text(encoding="utf-8").replace("      - id: second-point\n", "      - id: second-point\n\t")
    handout.write_text(text.replace("\n\t        text: Placeholder. Write the second point", "\n\t  text: Placeholder. Write the second point"),
                       encoding="utf-8")
    line = _line_of(handout, "\t")
    result = cli("--content", str(content), "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2
    assert f"handout.yaml, line {line}, column 1: a tab character" in result.err
    assert "never tabs" in result.err and "replace the tab with spaces" in result.err


def test_a_misspelt_variable_suggests_the_right_one(cli, tmp_path):
    content, handout = _starter(cli, tmp_path)
    handout.write_text(handout.read_text(encoding="utf-8").replace("{{ brand.phone }}", "{{ brand.phnoe }}"), encoding="utf-8")
    line = _line_of(handout, "brand.phnoe")
    built = cli("--content", str(content), "-o", str(tmp_path / "x.pdf"))
    assert built.code == 2
    assert f"handout.yaml, line {line}" in built.err and "{{ brand.phnoe }}" in built.err
    assert "did you mean `brand.phone`?" in built.err and "has no attribute" not in built.err
    checked = cli("check", "--content", str(content))
    assert checked.code == 1 and "did you mean `brand.phone`?" in checked.out


def test_an_emoji_in_content_names_the_file_line_and_character(cli, tmp_path):
    content, handout = _starter(cli, tmp_path)
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        "Write the second step here.", "Write the second \U0001F600 step here."), encoding="utf-8")
    line = _line_of(handout, "\U0001F600")
    built = cli("--content", str(content), "-o", str(tmp_path / "x.pdf"))
    assert built.code == 2 and not (tmp_path / "x.pdf").exists()
    assert f"handout.yaml, line {line}, column 15: sections[what-to-do].items[second-step].text" in built.err
    assert "(U+1F600 GRINNING FACE)" in built.err and "character 31 of the text" in built.err
    checked = cli("check", "--content", str(content))
    assert checked.code == 1 and f"line {line}" in checked.out and "U+1F600 GRINNING FACE" in checked.out


def test_an_emoji_in_a_paragraph_list_names_that_paragraphs_line(cli, tmp_path):
    content, handout = _starter(cli, tmp_path)
    handout.write_text(handout.read_text(encoding="utf-8").replace(
        "Say what the reader will find in it.", "Say what the reader will find in it \u2615."), encoding="utf-8")
    line = _line_of(handout, "\u2615")
    built = cli("--content", str(content), "-o", str(tmp_path / "x.pdf"))
    assert built.code == 2 and f"handout.yaml, line {line}," in built.err and "(U+2615 HOT BEVERAGE)" in built.err


def test_a_character_no_font_has_in_patient_details_is_named_not_repeated(cli, tmp_path):
    result = cli("build", "--patient-name", "Sam \U0001F642 Secret", "-o", str(tmp_path / "x.pdf"))
    assert result.code == 2
    assert "(U+1F642 SLIGHTLY SMILING FACE), character 5 of what was typed" in result.err
    assert "Secret" not in result.err and "Sam" not in result.err and "\U0001F642" not in result.err


def test_build_watch_rebuilds_on_save_and_shows_errors_without_stopping(tmp_path):
    import queue
    import sys
    import threading
    import time

    from tests.conftest import ROOT

    content = tmp_path / "c"
    assert run_generate("new", "hand-hygiene", "--content", str(content)).returncode == 0
    handout = content / "hand-hygiene" / "handout.yaml"
    pdf = tmp_path / "preview.pdf"
    process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "build", "--watch", "--content", str(content),
                                "-o", str(pdf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def next_result() -> str:
        """The output up to the next 'built' or 'not built' line."""
        seen, deadline = [], time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=1))
            except queue.Empty:
                continue
            if " built " in seen[-1] or "not built" in seen[-1]:
                return "".join(seen)
        raise AssertionError("no build result within 60 s:\n" + "".join(seen))

    try:
        assert "] built " in next_result() and pdf.is_file()
        time.sleep(0.05)
        good = handout.read_text(encoding="utf-8")
        handout.write_text(good.replace("Placeholder question?", "Placeholder {{ brand.phnoe }}?"), encoding="utf-8")
        broken = next_result()
        assert "not built" in broken and "did you mean `brand.phone`?" in broken and "handout.yaml, line" in broken
        assert process.poll() is None            # still watching
        time.sleep(0.05)
        handout.write_text(good.replace("Placeholder question?", "Placeholder question, saved again?"), encoding="utf-8")
        assert "] built " in next_result()
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "saved again" in text
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_help_shows_the_build_options_and_every_command_has_an_example():
    top = run_generate("--help")
    assert top.returncode == 0
    for option in ("--profile", "--lang", "--paper", "--brand", "--content", "--watch", "--patient-name"):
        assert option in top.stdout, option
    for command in ("build", "batch", "list", "check", "new", "schemas", "serve", "translations"):
        shown = run_generate(command, "--help")
        assert shown.returncode == 0 and "example: python generate.py" in shown.stdout, command

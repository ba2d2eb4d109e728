"""`generate.py check`: one broken example per rule, the report formats, and the published schemas."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from leaflets.colour import contrast
from leaflets.quality.findings import RULES
from leaflets.quality.readability import formula_for
from leaflets.schemas import FORMATS, schema_text

from .conftest import BRAND, HANDOUTS, ROOT, edit, run_generate
from .pdfcheck import pdftotext, render_page

HANDOUT = Path("dvt-walking") / "handout.yaml"
PROFILES = Path("dvt-walking") / "profiles.yaml"


def check(cli, *args: str, languages: tuple[str, ...] = ("en",)) -> tuple[int, dict]:
    """Run check; English only unless asked, since most broken examples are in the English source."""
    result = cli("check", "--format", "json", *args, *(f"--lang={code}" for code in languages))
    return result.code, json.loads(result.out)


def findings(report: dict, rule: str, severity: str | None = None) -> list[dict]:
    return [f for f in report["findings"] if f["rule"] == rule and (severity is None or f["severity"] == severity)]


def test_the_shipped_content_passes(cli):
    code, report = check(cli, languages=())
    assert code == 0
    assert report["counts"]["error"] == 0, report["findings"]
    assert "Flesch-Kincaid" in report["summary"]["reading level"]
    assert re.search(r"\d+ of 8 pages at most", report["summary"]["page budget"])
    # (4 profiles alone + all together) x 13 languages x 2 papers x 2 sizes
    assert "260 variants built" in report["summary"]["page budget"]
    for formula in ("Flesch-Kincaid", "Fernandez-Huerta", "Kandel-Moles"):
        assert formula in report["summary"]["reading level"]


def test_text_report_names_file_line_rule_and_fix(cli, content_copy):
    edit(content_copy / HANDOUT, "status: draft", "status: approved")
    result = cli("check", "--content", str(content_copy), "--lang", "en")
    assert result.code == 1
    assert re.search(r"handout\.yaml, line \d+, column \d+: status: error \[schema\] approved content must say who",
                     result.out), result.out
    assert "docs/checks.md" in result.out


# --- one broken example per rule ---------------------------------------------------------

def test_schema_unknown_key_in_a_profile(cli, content_copy):
    edit(content_copy / PROFILES, "    label: General\n", "    label: General\n    lable: typo\n")
    code, report = check(cli, "--content", str(content_copy))
    [finding] = findings(report, "schema")
    assert code == 1 and finding["file"].endswith("profiles.yaml") and finding["line"] == 13
    assert "unknown key 'lable'" in finding["message"] and "did you mean 'label'" in finding["hint"]


def test_schema_yaml_syntax_error_is_a_finding_not_a_crash(cli, content_copy):
    edit(content_copy / HANDOUT, "title: Walking after", "title: [Walking after")
    code, report = check(cli, "--content", str(content_copy))
    [finding] = findings(report, "schema")
    assert code == 1 and finding["line"] == 12 and "not valid YAML" in finding["message"]


@pytest.mark.parametrize("text, message", [
    ("{{ brand.fax }}", "'{{ brand.fax }}' is not a variable this text can use"),
    ("{{ brand.__class__ }}", "is not a variable content may use"),
    ("{{ brand.phone | upper }}", "only plain variables"),
    ("{{ lipsum() }}", "only plain variables"),
    ("{% for x in brand %}x{% endfor %}", "not {% ... %} statements"),
    ("{{ brand.phone", "broken {{ }}"),
], ids=["undefined", "python-internals", "filter", "call", "statement", "unclosed"])
def test_template_only_plain_known_variables(cli, content_copy, text, message):
    edit(content_copy / HANDOUT, "Sudden shortness of breath.", f"Sudden shortness of breath. {text}")
    code, report = check(cli, "--content", str(content_copy))
    [finding] = findings(report, "template")
    assert code == 1 and message in finding["message"], finding
    assert finding["file"].endswith("handout.yaml") and finding["key"] == "sections[emergency].items[breathless].text"


def test_template_variable_empty_for_this_brand(cli, content_copy, brand_copy):
    edit(content_copy / HANDOUT, "Sudden shortness of breath.", "Sudden shortness of breath. See {{ brand.website }}")
    text = (brand_copy / "brand.yaml").read_text()
    (brand_copy / "brand.yaml").write_text(re.sub(r"(?m)^website:.*\n", "", text))
    code, report = check(cli, "--content", str(content_copy), "--brand", str(brand_copy))
    [finding] = findings(report, "template")
    assert code == 1 and "empty for this brand" in finding["message"]


def test_template_in_a_profile_is_checked_too(cli, content_copy):
    edit(content_copy / PROFILES, "Your clot is in the thigh.", "Your clot is in the thigh. Call {{ brand.emergency }}.")
    code, report = check(cli, "--content", str(content_copy))
    [finding] = findings(report, "template")
    assert finding["file"].endswith("profiles.yaml") and finding["key"] == "profiles[femoral].replace[1].text"


def test_readability_hard_section_is_a_warning_naming_the_longest_sentence(cli, content_copy):
    hard = ("Pharmacological anticoagulation notwithstanding, ambulatory rehabilitation "
            "commensurate with individual physiological tolerance, cardiovascular capability and "
            "contemporaneous haemodynamic considerations is recommended by international organisations.")
    edit(content_copy / HANDOUT, "Sudden shortness of breath.", hard)
    code, report = check(cli, "--content", str(content_copy))
    [finding] = findings(report, "readability")
    assert code == 0 and finding["severity"] == "warning"
    assert "section 'emergency' reads at grade" in finding["message"]
    assert "Pharmacological anticoagulation notwithstanding" in finding["hint"] and "line 89: \"Pharmacological" in finding["hint"]
    assert cli("check", "--content", str(content_copy), "--strict", "--lang", "en").code == 1


def test_readability_formulas_for_spanish_and_french():
    easy_es = "Camine todos los días. Beba agua. Tome su medicina. Llame si le duele el pecho."
    hard_es = ("La anticoagulación farmacológica prolongada, independientemente de la deambulación temprana, "
               "constituye la intervención terapéutica fundamental recomendada internacionalmente.")
    easy_fr = "Marchez tous les jours. Buvez de l'eau. Prenez votre médicament. Appelez si vous avez mal."
    hard_fr = ("L'anticoagulation pharmacologique prolongée, indépendamment de la déambulation précoce, "
               "constitue l'intervention thérapeutique fondamentale recommandée internationalement.")
    for language, easy, hard in (("es", easy_es, hard_es), ("fr", easy_fr, hard_fr)):
        formula = formula_for(language)
        assert not formula.grade_like  # reading ease: higher is easier
        assert formula.measure(easy) > 80 and formula.too_hard(formula.measure(hard)), language
    assert formula_for("en").measure("Walk every day. Drink water.") < formula_for("en").measure(hard_es.replace("ó", "o"))


def test_review_overdue_is_a_warning_and_marks_the_leaflet(cli, content_copy, tmp_path):
    edit(content_copy / HANDOUT, "review_by: 2028-11-01", "review_by: 2026-11-02")
    edit(content_copy / HANDOUT, "published: 2026-11-01", "published: 2024-11-01")
    code, report = check(cli, "--content", str(content_copy))
    [finding] = [f for f in findings(report, "review") if "due for review" in f["message"]]
    assert code == 0 and finding["severity"] == "warning" and finding["key"] == "review_by"

    marked, allowed = tmp_path / "marked.pdf", tmp_path / "allowed.pdf"
    assert cli("build", "--content", str(content_copy), "-o", str(marked)).code == 0
    assert cli("build", "--content", str(content_copy), "--allow-overdue", "-o", str(allowed)).code == 0
    assert "Review overdue: this leaflet should have been reviewed by 2 November 2026" in pdftotext(marked)
    assert "Review overdue" not in pdftotext(allowed)


def test_review_overdue_mark_reaches_batch_leaflets(cli, content_copy, tmp_path):
    edit(content_copy / HANDOUT, "review_by: 2028-11-01", "review_by: 2026-11-02")
    edit(content_copy / HANDOUT, "published: 2026-11-01", "published: 2024-11-01")
    site = tmp_path / "site"
    assert cli("batch", "--content", str(content_copy), "--profile", "general", "--paper", "a4",
               "-o", str(site), "--jobs", "1").code == 0
    [pdf] = site.glob("en/*.pdf")
    assert "Review overdue" in pdftotext(pdf)
    assert "Review overdue" in next(site.glob("en/*.html")).read_text()


def test_review_due_soon_is_a_note(cli, content_copy):
    soon = dt.date.today() + dt.timedelta(days=30)
    edit(content_copy / HANDOUT, "review_by: 2028-11-01", f"review_by: {soon.isoformat()}")
    code, report = check(cli, "--content", str(content_copy))
    assert code == 0 and any(f["severity"] == "info" for f in findings(report, "review"))


def _reddish(image) -> int:
    return sum(1 for r, g, b in image.get_flattened_data() if r > g + 12 and r > b + 12)


def test_draft_content_carries_a_watermark_approved_content_does_not(cli, content_copy, tmp_path):
    draft, approved = tmp_path / "draft.pdf", tmp_path / "approved.pdf"
    assert cli("build", "--content", str(content_copy), "-o", str(draft)).code == 0
    edit(content_copy / HANDOUT, "status: draft",
         "status: approved\napproved_by: A. Reviewer, consultant haematologist\napproved_on: 2026-11-10")
    code, report = check(cli, "--content", str(content_copy))
    assert code == 0 and not findings(report, "review")
    assert cli("build", "--content", str(content_copy), "-o", str(approved)).code == 0

    # Said once in words, and drawn on every page as shapes that text extraction does not pick up.
    assert pdftotext(draft).count("DRAFT - not yet approved for patients") == 1
    assert "DRAFT" not in pdftotext(approved)
    page3_draft = render_page(draft, 3, tmp_path / "d3")
    page3_approved = render_page(approved, 3, tmp_path / "a3")
    assert _reddish(page3_draft) > _reddish(page3_approved) + 500


def test_sources_uncited_source_and_missing_citations(cli, content_copy):
    edit(content_copy / HANDOUT, "    sources: [nhs-dvt]\n", "\n")   # the 'clot' section cites nothing now
    edit(content_copy / HANDOUT, "sources:\n  - id: liu-2015",
         "sources:\n  - id: unused\n    text: A source nobody cites.\n  - id: liu-2015")
    code, report = check(cli, "--content", str(content_copy))
    messages = [f["message"] for f in findings(report, "sources", "warning")]
    assert "source 'unused' is listed but no section cites it" in messages
    assert "section 'clot' cites no sources" in messages and code == 0


def test_sources_a_profile_may_not_drop_the_emergency_box(cli, content_copy):
    edit(content_copy / PROFILES, "    exclude: [risks.thigh]", "    exclude: [risks.thigh, emergency]")
    code, report = check(cli, "--content", str(content_copy))
    lost = findings(report, "sources", "error")  # the calf profile alone, and all profiles together
    assert code == 1 and len(lost) == 2
    assert any("the 'calf' leaflet in 'en' has lost its emergency box" in f["message"] for f in lost)
    assert all(f["file"].endswith("profiles.yaml") for f in lost)


@pytest.mark.parametrize("colour, value, key", [
    ("text_on_primary", '"#9FB7CF"', "colours.text_on_primary"),
    ("accent", '"#6A7F95"', "colours.accent"),
])
def test_brand_contrast_below_wcag_aa_is_an_error(cli, brand_copy, colour, value, key):
    file = brand_copy / "brand.yaml"
    file.write_text(re.sub(rf"(?m)^(\s+{colour}:).*$", rf"\1 {value}", file.read_text()))
    code, report = check(cli, "--brand", str(brand_copy))
    [finding] = findings(report, "brand")
    assert code == 1 and "below 4.5:1" in finding["message"] and finding["key"] == key


def test_brand_missing_logo(cli, brand_copy):
    edit(brand_copy / "brand.yaml", "logo: logo.svg", "logo: missing.png")
    code, report = check(cli, "--brand", str(brand_copy))
    [finding] = findings(report, "brand")
    assert code == 1 and "does not exist" in finding["message"] and finding["line"] == 9


def test_brand_without_emergency_number(cli, brand_copy):
    file = brand_copy / "brand.yaml"
    file.write_text(re.sub(r"(?m)^emergency_number:.*\n", "", file.read_text()))
    code, report = check(cli, "--brand", str(brand_copy))
    [finding] = findings(report, "schema")
    assert code == 1 and "the required key 'emergency_number' is missing" in finding["message"]


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)   # the classic near miss
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)


def test_layout_over_the_page_budget(cli, content_copy):
    edit(content_copy / HANDOUT, "max_pages: 8", "max_pages: 3")
    code, report = check(cli, "--content", str(content_copy))
    errors = findings(report, "layout", "error")
    standard = [f for f in errors if "large print" not in f["message"]]
    large = [f for f in errors if "large print" in f["message"]]
    assert code == 1 and len(standard) == 10  # (4 profiles + all together) x 1 language x 2 papers
    assert all("over the budget of 3" in f["message"] and f["key"] == "max_pages" for f in standard)
    assert len(large) == 10 and all("over the budget of 6" in f["message"] for f in large)  # twice as many pages
    assert "of 3 pages at most" in report["summary"]["page budget"]


def test_actionability_needs_a_checklist_and_a_help_box(cli, content_copy):
    edit(content_copy / HANDOUT, "    kind: checklist", "    kind: bullets")
    text = (content_copy / HANDOUT).read_text()
    (content_copy / HANDOUT).write_text(text.replace("tone: emergency", "tone: info").replace("tone: warning", "tone: info"))
    code, report = check(cli, "--content", str(content_copy))
    messages = {f["message"] for f in findings(report, "actionability", "error")}
    assert code == 1
    assert {"the handout has no checklist of things to do", "the handout has no 'when to get help' box"} <= messages


TRANSLATIONS = Path("dvt-walking") / "translations"


@pytest.mark.parametrize("language, old, new, message", [
    ("fr", "par exemple 10 à 15 minutes", "par exemple 5 à 20 minutes",
     "'tips.start-gently.text' has the numbers 5, 20 where the English has the numbers 10, 15"),
    ("hi", "जैसे दिन में 10 से 15 मिनट, चाहे", "जैसे दिन में १० से २० मिनट, चाहे",
     "'tips.start-gently.text' has the numbers 10, 20 where the English has the numbers 10, 15"),
    ("es", "{{ brand.emergency_number }}", "112",
     "has the numbers 112 where the English has no numbers"),
], ids=["changed-number", "devanagari-digits", "variable-replaced"])
def test_translations_keep_numbers_and_variables(cli, content_copy, language, old, new, message):
    edit(content_copy / TRANSLATIONS / f"{language}.yaml", old, new)
    code, report = check(cli, "--content", str(content_copy), languages=(language,))
    errors = [f for f in findings(report, "translations", "error") if "where the English has" in f["message"]]
    assert code == 1 and errors, report["findings"]
    assert any(message in f["message"] for f in errors), [f["message"] for f in errors]
    assert all(f["file"].endswith(f"{language}.yaml") and f["line"] > 1 and f["key"] for f in errors)
    if "variable" in message:
        assert any("no variables where the English has the variables {{ brand.emergency_number }}" in f["message"]
                   for f in errors)


@pytest.mark.parametrize("language, same, changed", [
    ("ar", ("مثلًا من 10 إلى 15 دقيقة في اليوم، ولو", "مثلًا من ١٠ إلى ١٥ دقيقة في اليوم، ولو"),
     ("خلال أول 1 إلى 2 أسبوع.", "خلال أول ٢ إلى ٣ أسبوع.")),
    ("hi", ("जैसे दिन में 10 से 15 मिनट, चाहे", "जैसे दिन में १० से १५ मिनट, चाहे"),
     ("लगभग 4 घंटे से ज़्यादा", "लगभग 6 घंटे से ज़्यादा")),
    ("fr", ("par exemple 10 à 15 minutes", "par exemple 15 à 10 minutes"),
     ("pendant les 1 à 2 premières semaines.", "pendant les 1 à 3 premières semaines.")),
], ids=["arabic-indic", "devanagari", "reordered"])
def test_the_same_numbers_in_other_digits_or_order_pass_a_changed_one_does_not(cli, content_copy, language, same,
                                                                              changed):
    for old, new in (same, changed):
        edit(content_copy / TRANSLATIONS / f"{language}.yaml", old, new)
    code, report = check(cli, "--content", str(content_copy), languages=(language,))
    reported = [f for f in findings(report, "translations") if "where the English has" in f["message"]]
    assert code == 1 and len(reported) == 1, [f["message"] for f in reported]
    line = reported[0]["line"]
    text = (content_copy / TRANSLATIONS / f"{language}.yaml").read_text(encoding="utf-8").splitlines()
    assert changed[1] in " ".join(text[line - 1:line + 2]), (line, changed)


def test_wording_keeps_the_variables_of_the_english_wording(tmp_path):
    from leaflets.model import UiStrings
    from leaflets.quality.translations import check_wording_facts
    from leaflets.validation import validate
    from leaflets.yamlsource import load_yaml

    strings = ROOT / "templates" / "strings"
    english = validate(UiStrings, load_yaml(strings / "en.yaml", what="wording file"))
    broken = tmp_path / "fr.yaml"
    broken.write_text((strings / "fr.yaml").read_text(encoding="utf-8").replace(
        "Demandez-la-nous au {{ brand.phone }}.", "Demandez-la-nous au 01 23 45 67 89."), encoding="utf-8")
    french = validate(UiStrings, load_yaml(broken, what="wording file"))
    found = check_wording_facts(french, english)
    assert [f.key for f in found] == ["other_formats", "other_formats"] and all(f.file == str(broken) for f in found)
    assert all(f.line and f.line > 1 for f in found)
    original = validate(UiStrings, load_yaml(strings / "fr.yaml", what="wording file"))
    assert check_wording_facts(original, english) == []


def test_missing_content_folder_is_a_usage_error(tmp_path):
    result = run_generate("check", "--content", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "content folder not found" in result.stderr and "Traceback" not in result.stderr


def test_every_rule_is_documented():
    docs = (ROOT / "docs" / "checks.md").read_text()
    for rule in RULES:
        assert f'<a id="{rule}"></a>' in docs, rule
    assert "docs/checks.md" in (ROOT / "docs" / "content-format.md").read_text()
    assert "docs/checks.md" in (ROOT / "README.md").read_text()


# --- the published JSON Schemas ----------------------------------------------------------

SHIPPED = {"handout": HANDOUTS / HANDOUT, "profiles": HANDOUTS / PROFILES, "brand": BRAND / "brand.yaml",
           "strings": ROOT / "templates" / "strings" / "en.yaml"}


def _as_json(file: Path) -> object:
    """YAML as an editor's schema validator sees it: dates are strings."""
    return json.loads(json.dumps(yaml.safe_load(file.read_text(encoding="utf-8")), default=str))


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_published_schema_is_current(name):
    assert (ROOT / "schemas" / f"{name}.schema.json").read_text() == schema_text(name), \
        "run `python generate.py schemas` and commit schemas/"


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_schema_accepts_the_shipped_files(name):
    file = SHIPPED[name]
    assert f"$schema=../../schemas/{name}.schema.json" in file.read_text().splitlines()[0]
    assert list(_validator(name).iter_errors(_as_json(file))) == []


@pytest.mark.parametrize("name, old, new", [
    ("handout", "reference: VASC-DVT-001\n", ""),
    ("handout", "    kind: table", "    kind: tabel"),
    ("handout", "status: draft", "status: approved"),
    ("handout", "status: draft", "status: finished"),
    ("handout", "max_pages: 8", "max_pages: 0"),
    ("handout", "      - id: headache\n", "      - id: headache\n        txt: oops\n"),
    ("profiles", "    label: General\n", "    label: General\n    lable: typo\n"),
    ("handout", "  snomed-ct:\n", "  snomed:\n"),
    ("profiles", "        - I82.411   # femoral vein", "        - i82.411"),
    ("brand", "emergency_number:", "emergency_numbr:"),
    ("brand", "primary:", "primary: red\n  old_primary:"),
    ("strings", "for_you: For you\n", ""),
], ids=lambda v: v if isinstance(v, str) and len(v) < 12 else None)
def test_schema_and_loader_reject_the_same_mistakes(cli, tmp_path, content_copy, brand_copy, name, old, new):
    file = {"handout": content_copy / HANDOUT, "profiles": content_copy / PROFILES,
            "brand": brand_copy / "brand.yaml", "strings": tmp_path / "en.yaml"}[name]
    if name == "strings":
        file.write_text(SHIPPED["strings"].read_text())
    edit(file, old, new)
    assert list(_validator(name).iter_errors(_as_json(file))), "the schema accepted it"
    if name == "strings":
        from leaflets.errors import LeafletError
        from leaflets.model import UiStrings
        from leaflets.validation import validate
        from leaflets.yamlsource import load_yaml
        with pytest.raises(LeafletError):
            validate(UiStrings, load_yaml(file, what="wording file"))
    else:
        assert cli("check", "--content", str(content_copy), "--brand", str(brand_copy), "--lang", "en").code == 1


def test_the_worst_case_is_read_against_each_language_s_own_budget():
    """Urdu's budget is 1.5 times max_pages (its lines stand further apart): a 9-page Urdu leaflet is
    within its 12 pages, and an 8-page English one is at its limit. The summary names the one nearest its
    own budget, with that budget; it said "9 of 8 pages at most" of the Urdu one, over a clean check."""
    from types import SimpleNamespace

    from leaflets.quality.layout import Fit, worst_case

    loaded = SimpleNamespace(id="dvt-walking", handout=SimpleNamespace(max_pages=8))
    fits = [Fit("calf+femoral+flyer", "ur", "letter", 9), Fit("calf+femoral+flyer", "en", "letter", 8),
            Fit("calf", "ur", "a4", 18, large_print=True), Fit("calf", "en", "a4", 11, large_print=True)]
    summary = worst_case(loaded, fits)
    assert summary.startswith("dvt-walking: 8 of 8 pages at most (calf+femoral+flyer, en, letter)"), summary
    assert "large print 18 of 24 (calf, ur, a4)" in summary, summary

"""Profiles: each one's own content, combinations, and the documented conflict rule."""

from __future__ import annotations

import pytest

from leaflets.content import load_handout
from leaflets.resolve import apply_profiles, choose_profiles
from tests.conftest import HANDOUTS, edit
from tests.pdfcheck import pdftotext

CALF = "A clot in the calf is less likely to travel to the lungs"
CALF_FAQ = "My clot is in my calf. Will I need medicine?"
THIGH_GENERAL = "A clot in the thigh (the femoral vein or higher) is more likely to travel"
FEMORAL = "Your clot is in the thigh."
FEMORAL_TIP = "Build up over the first 1 to 2 weeks."
FLYER_SECTION = "Travelling and long journeys"
FLYER_FAQ = "Should I wear flight socks?"
ALL_MARKERS = [CALF, CALF_FAQ, THIGH_GENERAL, FEMORAL, FEMORAL_TIP, FLYER_SECTION, FLYER_FAQ]


def text_of(built, *profiles):
    return pdftotext(built(*[a for p in profiles for a in ("--profile", p)]))


@pytest.mark.parametrize("profiles, expected", [
    ((), {THIGH_GENERAL}),
    (("general",), {THIGH_GENERAL}),
    (("calf",), {CALF, CALF_FAQ}),
    (("femoral",), {FEMORAL, FEMORAL_TIP}),
    (("flyer",), {THIGH_GENERAL, FLYER_SECTION, FLYER_FAQ}),
    (("femoral", "flyer"), {FEMORAL, FEMORAL_TIP, FLYER_SECTION, FLYER_FAQ}),
    (("calf", "flyer"), {CALF, CALF_FAQ, FLYER_SECTION, FLYER_FAQ}),
])
def test_each_profile_has_its_own_content_and_nothing_else(built, profiles, expected):
    text = text_of(built, *profiles)
    for marker in ALL_MARKERS:
        assert (marker in text) == (marker in expected), (marker, profiles)


def test_the_leaflet_says_who_it_was_written_for(built):
    assert "Written for: Clot in the thigh (femoral or proximal DVT); Long journeys and flying" in text_of(
        built, "femoral", "flyer")
    assert "Written for" not in text_of(built)


def test_combined_profiles_do_not_depend_on_the_order_asked(built):
    one = built("--profile", "femoral", "--profile", "flyer").read_bytes()
    other = built("--profile", "flyer", "--profile", "femoral").read_bytes()
    assert one == other


def test_calf_profile_rewords_the_first_tip(built):
    assert "Walk as much as is comfortable." in text_of(built, "calf")
    assert "Walk as much as is comfortable." not in text_of(built)


def test_keeping_information_wins_over_removing_it():
    # calf excludes risks.thigh, femoral rewords it: chosen together, the item stays,
    # in femoral's words.
    loaded = load_handout(HANDOUTS / "dvt-walking")
    sections = apply_profiles(loaded.handout.sections, choose_profiles(loaded, ["calf", "femoral"]))
    risks = next(s for s in sections if s.id == "risks")
    thigh = [i for i in risks.items if i.id == "thigh"]
    assert thigh and thigh[0].text.startswith("Your clot is in the thigh.")


def test_later_profile_in_the_file_wins_a_rewording_conflict(content_copy):
    profiles = content_copy / "dvt-walking" / "profiles.yaml"
    edit(profiles, "    include: [travel]\n", "    include: [travel]\n    replace:\n"
         "      - target: tips.start-gently\n        text: Flyer wording.\n")
    loaded = load_handout(content_copy / "dvt-walking")
    for asked in (["calf", "flyer"], ["flyer", "calf"]):
        sections = apply_profiles(loaded.handout.sections, choose_profiles(loaded, asked))
        tip = next(i for s in sections if s.id == "tips" for i in s.items if i.id == "start-gently")
        assert tip.text == "Flyer wording."  # flyer is listed after calf in profiles.yaml


def test_default_profile_is_used_when_none_is_chosen():
    loaded = load_handout(HANDOUTS / "dvt-walking")
    assert [p.id for p in choose_profiles(loaded, [])] == ["general"]


def test_a_profile_can_add_a_whole_section(tmp_path, content_copy, cli):
    edit(content_copy / "dvt-walking" / "profiles.yaml", "    exclude: [risks.thigh]\n",
         "    exclude: [risks.thigh]\n    add_sections:\n      - after: risks\n        section:\n"
         "          id: calf-follow-up\n          kind: paragraphs\n          title: Your follow-up scan\n"
         "          paragraphs: [Your care team may scan your leg again.]\n")
    out = tmp_path / "calf.pdf"
    assert cli("build", "--content", str(content_copy), "--profile", "calf", "-o", str(out)).code == 0
    text = pdftotext(out)
    assert "Your follow-up scan Your care team may scan your leg again." in text
    assert text.index("Are there any risks?") < text.index("Your follow-up scan") < text.index("Tips for walking")
    out_general = tmp_path / "general.pdf"
    assert cli("build", "--content", str(content_copy), "-o", str(out_general)).code == 0
    assert "Your follow-up scan" not in pdftotext(out_general)


def test_an_added_section_is_validated_like_any_other(content_copy, cli):
    edit(content_copy / "dvt-walking" / "profiles.yaml", "    exclude: [risks.thigh]\n",
         "    exclude: [risks.thigh]\n    add_sections:\n      - section:\n"
         "          id: extra\n          kind: paragraphs\n          titel: Typo\n")
    result = cli("build", "--content", str(content_copy), "--profile", "calf")
    assert result.code == 2
    assert "profiles.yaml, line 23" in result.err and "profiles[calf].add_sections[1].section.titel" in result.err
    assert "unknown key 'titel'" in result.err and "did you mean 'title'?" in result.err

"""Every pack fits its nation: what the stages are called, the school's safeguarding role,
the guidance, the law and the help routes, read back from the generated files.

The expected wording is written out here from shared/CONTENT.md ("Nations"), not taken
from lessons/nations.yaml, so a slip in the data fails a test.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache

import pytest
from docx import Document
from pptx import Presentation

from lessonpack.pack import Library, build_pack
from lessonpack.rendering.context import PackRequest
from tests.helpers import lessonpack

KEY_STAGES = ("ks2", "ks3", "ks4", "ks5")
# One force for each nation: Police Scotland, PSNI, a Welsh force and an English one.
FORCES = {"scotland": "police-scotland", "northern-ireland": "psni", "wales": "south-wales",
          "england": "northumbria"}
STAGES = {  # (name, years) as CONTENT.md's Nations table gives them
    "england": {"ks2": ("Key Stage 2", "Years 5 and 6"), "ks3": ("Key Stage 3", "Years 7 to 9"),
                "ks4": ("Key Stage 4", "Years 10 and 11"), "ks5": ("Key Stage 5", "Years 12 and 13")},
    "wales": {"ks2": ("Years 5 and 6", None), "ks3": ("Years 7 to 9", None),
              "ks4": ("Years 10 and 11", None), "ks5": ("Sixth form", "Years 12 and 13")},
    "scotland": {"ks2": ("P6 and P7", None), "ks3": ("S1 to S3", None),
                 "ks4": ("S4 and S5", None), "ks5": ("S5 and S6", None)},
    "northern-ireland": {"ks2": ("Key Stage 2", "P6 and P7"), "ks3": ("Key Stage 3", "Years 8 to 10"),
                         "ks4": ("Key Stage 4", "Years 11 and 12"), "ks5": ("Post-16", "Years 13 and 14")},
}
ROLES = {"england": "designated safeguarding lead", "wales": "designated safeguarding person",
         "scotland": "child protection coordinator",
         "northern-ireland": "designated teacher for child protection"}
GUIDANCE = {"england": "Keeping Children Safe in Education", "wales": "Keeping Learners Safe",
            "scotland": "National Guidance for Child Protection in Scotland",
            "northern-ireland": "Safeguarding and Child Protection in Schools"}
LAW = {"england": "Sexual Offences Act 2003, section 66B", "wales": "Sexual Offences Act 2003, section 66B",
       "scotland": "Abusive Behaviour and Sexual Harm (Scotland) Act 2016",
       "northern-ireland": "Justice Act (Northern Ireland) 2016"}
# The nation's own route, its number, and the key stages whose decks list it.
OWN_ROUTE = {"wales": ("Meic", "080 880 23456", KEY_STAGES),
             "scotland": ("Breathing Space", "0800 83 85 87", ("ks4", "ks5")),
             "northern-ireland": ("Lifeline", "0808 808 8000", ("ks3", "ks4", "ks5"))}
ENGLAND_ONLY = ("RSHE", "KCSIE", "Keeping Children Safe in Education", "Key Stage 3: Years 7 to 9")


@cache
def _pack(ks: str, nation: str) -> dict:
    library = Library.load()
    return build_pack(library, PackRequest(key_stage=ks,
                                           force=library.content.forces_by_slug[FORCES[nation]]))


def text_of(files: dict, name: str) -> str:
    if name.endswith(".pptx"):
        prs = Presentation(io.BytesIO(files[name]))
        parts = [shape.text_frame.text for slide in prs.slides for shape in slide.shapes
                 if shape.has_text_frame]
        parts += [slide.notes_slide.notes_text_frame.text for slide in prs.slides
                  if slide.has_notes_slide]
        parts += [c.text for slide in prs.slides for shape in slide.shapes if shape.has_table
                  for row in shape.table.rows for c in row.cells]
        return "\n".join(parts)
    doc = Document(io.BytesIO(files[name]))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    parts += [p.text for s in doc.sections for p in s.header.paragraphs]
    return "\n".join(parts)


def everything(files: dict) -> str:
    return "\n".join(text_of(files, n) for n in files if n.endswith((".pptx", ".docx")))


@pytest.mark.parametrize("nation", FORCES)
@pytest.mark.parametrize("ks", KEY_STAGES)
def test_stage_and_years_in_the_nations_words(ks, nation):
    files = _pack(ks, nation)
    name, years = STAGES[nation][ks]
    title_slide = Presentation(io.BytesIO(files["slides.pptx"])).slides[0]
    title_text = "\n".join(s.text_frame.text for s in title_slide.shapes if s.has_text_frame)
    assert name in title_text and (years is None or years in title_text)
    plan = text_of(files, "lesson-plan.docx").splitlines()
    assert any(line.startswith(name) for line in plan[:3]), plan[:3]
    assert name in text_of(files, "parent-letter.docx")
    manifest = json.loads(files["manifest.json"])
    assert manifest["inputs"]["nation"] == nation and manifest["inputs"]["stage"].startswith(name)
    assert manifest["inputs"]["key_stage"] == ks  # folders and scripts keep ks2 to ks5
    if nation != "england":
        for phrase in ENGLAND_ONLY:
            assert phrase not in everything(files), f"{nation} {ks}: {phrase!r}"


def test_scotland_names_the_curriculum_for_excellence_level_and_s5_choice():
    plan = text_of(_pack("ks3", "scotland"), "lesson-plan.docx")
    assert "Curriculum for Excellence: third and fourth levels" in plan
    assert "S5 fits either" in text_of(_pack("ks4", "scotland"), "lesson-plan.docx")
    assert "progression steps" in text_of(_pack("ks3", "wales"), "lesson-plan.docx")


@pytest.mark.parametrize("nation", FORCES)
def test_the_role_by_its_own_name(nation):
    files = _pack("ks3", nation)
    help_slide = text_of(files, "slides.pptx")
    assert f"your {ROLES[nation]}" in help_slide
    for other, role in ROLES.items():
        if other != nation:
            assert role not in everything(files).lower(), f"{nation} pack says {role!r}"


@pytest.mark.parametrize("nation", FORCES)
def test_the_nations_guidance_in_letter_and_plan(nation):
    files = _pack("ks4", nation)
    plan = text_of(files, "lesson-plan.docx")
    assert GUIDANCE[nation] in plan
    letter = text_of(files, "parent-letter.docx")
    assert ("RSHE" in letter) == (nation == "england")
    assert ("Sharing nudes and semi-nudes" in plan) == (nation == "england"), (
        "UKCIS's advice is England's procedure")


@pytest.mark.parametrize("nation", FORCES)
def test_the_nations_law_at_ks4_and_ks5_only(nation):
    for ks in KEY_STAGES:
        slides = text_of(_pack(ks, nation), "slides.pptx")
        assert (LAW[nation] in slides) == (ks in ("ks4", "ks5")), (ks, nation)


@pytest.mark.parametrize("nation", FORCES)
@pytest.mark.parametrize("ks", KEY_STAGES)
def test_the_nations_own_help_routes_and_no_age_limit_on_the_police(ks, nation):
    files = _pack(ks, nation)
    slides = text_of(files, "slides.pptx")
    for other, (name, number, stages) in OWN_ROUTE.items():
        listed = number in slides
        assert listed == (other == nation and ks in stages), (ks, nation, name)
    for line in slides.splitlines():
        if re.search(r"\b101\b", line) and "Police" in line:
            assert not re.search(r"18 and over|under 18|\b1[68]\+", line), line
    if ks == "ks5":
        assert ("Report Fraud" in slides) == (nation != "scotland")


def test_with_no_force_the_pack_is_for_england_unless_told(tmp_path):
    result = lessonpack("generate", "-k", "ks3", "--nation", "wales", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "designated safeguarding person must know" in result.output
    manifest = json.loads((tmp_path / "school" / "ks3" / "manifest.json").read_text())
    assert manifest["inputs"]["nation"] == "wales"
    slides = Presentation(str(tmp_path / "school" / "ks3" / "slides.pptx"))
    assert "Meic" in "\n".join(s.text_frame.text for slide in slides.slides for s in slide.shapes
                               if s.has_text_frame)


def test_check_warns_when_the_school_files_force_and_nation_disagree(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[school]\nname = "Glen School"\nnation = "scotland"\n\n'
                    '[lesson]\nforce = "northumbria"\nkey_stages = ["ks3"]\n')
    result = lessonpack("check", "--school", str(path))
    assert "warning" in result.output and "nation is Scotland, but Northumbria Police serves England" in (
        result.output)


def test_init_writes_the_school_file_in_the_nations_words(tmp_path):
    path = tmp_path / "school.toml"
    result = lessonpack("init", str(path), "--nation", "northern-ireland")
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert "designated teacher for child protection" in text and 'nation = "northern-ireland"' in text
    assert "designated safeguarding lead" not in text and 'force = "psni"' in text
    assert lessonpack("check", "--school", str(path)).exit_code == 0


def test_forces_lists_each_forces_nation():
    result = lessonpack("forces")
    lines = result.output.splitlines()
    assert len(lines) == 45
    assert any(line.startswith("police-scotland") and "(Scotland)" in line for line in lines)
    assert any(line.startswith("psni") and "(Northern Ireland)" in line for line in lines)
    assert sum("(Wales)" in line for line in lines) == 4


@pytest.mark.parametrize("nation", ["scotland", "wales", "northern-ireland"])
def test_document_properties_and_footers_use_the_nations_words(nation):
    files = _pack("ks3", nation)
    prs = Presentation(io.BytesIO(files["slides.pptx"]))
    props = [prs.core_properties]
    props += [Document(io.BytesIO(files[n])).core_properties for n in files if n.endswith(".docx")]
    for p in props:
        assert "RSHE" not in f"{p.keywords} {p.subject} {p.title}", nation
    name, _ = STAGES[nation]["ks3"]
    footer = [s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame][-1]
    assert footer.startswith(name) and "Key Stage 3" not in footer.replace(name, "")

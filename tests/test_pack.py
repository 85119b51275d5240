"""Open every generated file and check what a teacher, a DSL or a force would check."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Emu

from .conftest import (
    FORCES,
    KEY_STAGES,
    SEED_FORCES,
    docx_text,
    pack_text,
    slide_texts,
    words_found,
)

PACK_FILES = {
    "slides.pptx", "worksheet.docx", "worksheet-answers.docx", "parent-letter.docx",
    "lesson-plan.docx", "support-card.docx", "card-sort.docx", "manifest.json",
}
PUPIL_FILES = ("slides.pptx", "worksheet.docx")
ALL_DOCS = ("slides.pptx", "worksheet.docx", "worksheet-answers.docx", "parent-letter.docx",
            "lesson-plan.docx", "support-card.docx")

# The help routes as CONTENT.md gives them (the spec), and which decks must list them.
ROUTE_CONTACTS = {
    "childline": "0800 1111",
    "ceop": "www.ceop.police.uk/safety-centre",
    "report-remove": "www.childline.org.uk/remove",
    "take-it-down": "takeitdown.ncmec.org",
    "iwf": "www.iwf.org.uk/report",
    "samaritans": "116 123",
    "shout": "85258",
    "papyrus": "0800 068 4141",
    "stopncii": "stopncii.org",
    "revenge-porn-helpline": "0345 6000 459",
    "report-fraud": "0300 123 2040",
    "nspcc": "0808 800 5000",
    "meic": "080 880 23456",
    "breathing-space": "0800 83 85 87",
    "lifeline": "0808 808 8000",
}
UNDER_18 = {"childline", "ceop", "report-remove", "take-it-down", "iwf"}
CRISIS = {"samaritans", "shout", "papyrus"}
ADULT = {"stopncii", "revenge-porn-helpline", "report-fraud"}
EXPECTED_ON_SLIDES = {
    "ks2": {"childline", "ceop"},
    "ks3": UNDER_18 | CRISIS,
    "ks4": UNDER_18 | CRISIS,
    "ks5": UNDER_18 | CRISIS | ADULT,
}
NATIONS = {None: "england", "police-scotland": "scotland", "psni": "northern-ireland"}


ROLES = {"england": "designated safeguarding lead", "scotland": "child protection coordinator",
         "northern-ireland": "designated teacher for child protection"}


def expected_routes(ks: str, force: str | None) -> set[str]:
    routes = set(EXPECTED_ON_SLIDES[ks])
    nation = NATIONS.get(force, "england")
    if nation == "scotland":
        routes.discard("report-fraud")  # Scotland reports fraud to Police Scotland on 101
        if ks in ("ks4", "ks5"):
            routes.add("breathing-space")  # 16 and over
    if nation == "northern-ireland" and ks != "ks2":
        routes.add("lifeline")
    return routes


def test_every_pack_has_every_file(packs):
    for (ks, force), pack in packs.items():
        assert {p.name for p in pack.iterdir()} == PACK_FILES, (ks, force)


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_slide_sequence_follows_the_lesson(packs, ks):
    titles = [t for t, _, _ in slide_texts(packs[(ks, "hampshire")] / "slides.pptx")]
    wanted = [
        r"^(Sextortion|Pressure)",
        r"ground rules",
        r"Where are we starting from",
        r"What we will learn",
        r"^What is",
        r"^How it",
        r"^Made-up chat",
        r"^A real case",
        r"^Myth or fact",
        r"^If it happens",
        r"^What stops people asking for help",
        r"^What could a friend do",
        r"^Where to get help",
        r"^Looking back",
        r"^Exit ticket",
        r"^Remember",
        r"^Leaving the lesson behind",
        r"^Extension",
    ]
    positions = []
    for pattern in wanted:
        hits = [i for i, t in enumerate(titles) if re.search(pattern, t, re.I)]
        assert hits, f"{ks}: no slide titled like {pattern!r} in {titles}"
        positions.append(hits[0])
    assert positions == sorted(positions), f"{ks}: slides out of order: {titles}"
    assert sum(t.endswith(": questions") for t in titles) == 1, "the real case has its questions"


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_every_slide_has_speaker_notes_and_every_step_says_what_to_do(packs, ks):
    steps: dict[str, str] = {}
    current = ""
    for title, _, notes in slide_texts(packs[(ks, None)] / "slides.pptx"):
        lines = notes.strip().splitlines()
        assert len(lines) >= 2, f"{ks}: slide {title!r} has no notes beyond its step"
        head = lines[0]
        if head.startswith("Extension"):
            continue
        match = re.match(r"Step \d+ of \d+: (.+?)([.?]? \d+ minutes?\.|, continued\.)$", head)
        assert match, f"{ks}: {title!r} notes start {head!r}"
        current = match.group(1) if not head.endswith("continued.") else current
        steps[current] = steps.get(current, "") + "\n".join(lines[1:])
    for step, notes in steps.items():
        assert re.search(r"\b(Say|Ask|Draw out|Explain|Read|Go through)", notes), (
            f"{ks}: {step} says nothing to do")
    watched = [step for step, notes in steps.items() if "Watch for" in notes]
    assert len(watched) >= len(steps) // 2, f"{ks}: only {watched} say what to watch for"


def test_deck_is_16_by_9(packs):
    prs = Presentation(str(packs[("ks3", None)] / "slides.pptx"))
    assert round(prs.slide_width / prs.slide_height, 3) == round(16 / 9, 3)


@pytest.mark.parametrize("force", FORCES)
@pytest.mark.parametrize("ks", KEY_STAGES)
def test_help_routes_match_key_stage_and_nation(packs, ks, force):
    slides = pack_text(packs[(ks, force)], "slides.pptx")
    expected = expected_routes(ks, force)
    for route, contact in ROUTE_CONTACTS.items():
        if route in expected:
            assert contact in slides, f"{ks}/{force}: {route} ({contact}) missing from slides"
        else:
            assert contact not in slides, f"{ks}/{force}: {route} ({contact}) should not be listed"
    assert ROLES[NATIONS.get(force, "england")] in slides.lower()
    if ks == "ks5" and force == "police-scotland":
        assert "Police Scotland" in slides and "Report Fraud" not in slides


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_crisis_line_from_ks3_up(packs, ks):
    slides = pack_text(packs[(ks, None)], "slides.pptx")
    has_crisis = "116 123" in slides
    assert has_crisis == (ks != "ks2")


FORCE_DETAILS = {
    "hampshire": ["Hampshire and Isle of Wight Constabulary", "101", "18001 101", "minicom", "999"],
    "gloucestershire": ["Gloucestershire Constabulary", "101@gloucestershire.police.uk"],
    "northumbria": ["Northumbria Police", "www.northumbria.police.uk", "101"],
    "staffordshire": ["Staffordshire Police", "staffordshire.police.uk"],
    "cumbria": ["Cumbria Constabulary", "101", "999"],
}


def help_slide(pack) -> str:
    return "\n".join(
        body for title, body, _ in slide_texts(pack / "slides.pptx") if title.startswith("Where to get help")
    )


@pytest.mark.parametrize("force", SEED_FORCES)
def test_force_details_reach_slides_letter_and_plan(packs, force):
    for name in ("slides.pptx", "parent-letter.docx", "lesson-plan.docx"):
        text = pack_text(packs[("ks3", force)], name)
        for detail in FORCE_DETAILS[force]:
            assert detail in text, f"{force}: {detail!r} missing from {name}"
    for detail in FORCE_DETAILS[force]:
        assert detail in help_slide(packs[("ks3", force)]), f"{force}: help slide lacks {detail!r}"
    # Without a force, the help slide names no force (the national 101 and 999 apply).
    assert FORCE_DETAILS[force][0] not in help_slide(packs[("ks3", None)])


def test_gloucestershire_points_to_report_fraud_not_action_fraud(packs):
    for name in ALL_DOCS:
        text = pack_text(packs[("ks5", "gloucestershire")], name)
        assert "Action Fraud" not in text.replace("replaced Action Fraud", ""), name
    assert "Report Fraud" in pack_text(packs[("ks5", "gloucestershire")], "slides.pptx")


def test_key_stages_really_differ(packs):
    text = {ks: pack_text(packs[(ks, None)], "slides.pptx") for ks in KEY_STAGES}
    assert "sextortion" not in text["ks2"].lower()
    assert "sextortion" in text["ks3"].lower()
    for ks in ("ks4", "ks5"):  # the law, taught factually, and fake or AI-made images
        assert re.search(r"illegal", text[ks]) and re.search(r"\bAI\b", text[ks]), ks
    assert "illegal" not in text["ks3"]
    assert "StopNCII" in text["ks5"] and "StopNCII" not in text["ks4"]
    assert "Gary" not in text["ks2"]  # no adult cases at KS2
    counts = {ks: len(slide_texts(packs[(ks, None)] / "slides.pptx")) for ks in KEY_STAGES}
    assert counts["ks2"] < counts["ks3"] < counts["ks4"] <= counts["ks5"], counts


def test_gary_keeps_his_changed_name_marked(packs, library):
    gary_stages = [ks for ks in KEY_STAGES if "Gary" in pack_text(packs[(ks, None)], "slides.pptx")]
    assert gary_stages, "Gary's case is in no deck"
    for ks in gary_stages:
        assert "not his real name" in pack_text(packs[(ks, None)], "slides.pptx")


@pytest.mark.parametrize("force", FORCES)
def test_ks2_pack_has_no_sexual_words(packs, library, force):
    forbidden = library.content.safety.ks2_forbidden
    for name in ("slides.pptx", "worksheet.docx", "worksheet-answers.docx", "lesson-plan.docx"):
        found = words_found(pack_text(packs[("ks2", force)], name), forbidden)
        assert not found, f"KS2 {name} uses {found}"
    # The same check finds the words where they belong, so it is not vacuous.
    assert words_found(pack_text(packs[("ks3", force)], "slides.pptx"), forbidden)


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_no_victim_blaming_anywhere(packs, library, ks):
    phrases = library.content.safety.victim_blaming
    for force in FORCES:
        for name in ALL_DOCS:
            found = words_found(pack_text(packs[(ks, force)], name), phrases)
            assert not found, f"{ks}/{force} {name} says {found}"


def test_lesson_plan_has_what_a_teacher_needs(packs):
    text = pack_text(packs[("ks3", "northumbria")], "lesson-plan.docx")
    for heading in ("Learning objectives", "Before the lesson", "Ground rules", "Timings",
                    "Adapting the lesson", "Teaching it safely", "If a pupil discloses", "Sources"):
        assert heading in text, heading
    assert "must know this lesson is happening" in text
    # Citations a teacher can follow, not the project's file names.
    for cited in ("Northumbria Police: Press release", "Staffordshire Police: Press release"):
        assert cited in text, f"the plan does not cite {cited}"
    assert ".txt" not in text


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_parent_letter_contacts_and_promises(packs, ks):
    text = pack_text(packs[(ks, "hampshire")], "parent-letter.docx")
    for contact in ("0808 800 5000", "0800 1111", "www.ceop.police.uk/safety-centre",
                    "www.childline.org.uk/remove", "takeitdown.ncmec.org", "18001 101",
                    "designated safeguarding lead"):
        assert contact in text, f"{ks}: letter lacks {contact}"
    assert re.search(r"see everything we use", text)
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d", text), "the letter is not dated"
    assert "never to blame" in text.lower() or "not your child's fault" in text.lower() or (
        "not to blame" in text.lower()
    )


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_worksheet_and_answers_match(packs, library, ks):
    pupil = docx_text(packs[(ks, None)] / "worksheet.docx")
    teacher = docx_text(packs[(ks, None)] / "worksheet-answers.docx")
    for step in library.content.lesson(ks).steps:
        if step.worksheet:
            assert step.worksheet in pupil and step.worksheet in teacher
    if ks != "ks2":  # KS2 talks about its real case in groups, with nothing to write
        assert "Points to draw out" in teacher and "Points to draw out" not in pupil
    cards = [m for m in library.content.myths if ks in m.key_stages]
    for card in cards:
        assert card.statement in pupil and card.why not in pupil and card.why in teacher
    doc = Document(str(packs[(ks, None)] / "worksheet.docx"))
    # Years 5 and 6 write four answers (issue 19), the older key stages more.
    assert len(ruled_lines(doc)) >= (4 if ks == "ks2" else 6), "the pupil copy needs space to write"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def ruled_lines(doc) -> list[list[float]]:
    """Each answer space's lines to write on, as their heights in cm: a one-column table
    with no text, a rule under every row and rows of fixed height."""
    spaces = []
    for table in doc.tables:
        borders = table._tbl.tblPr.find(f"{W}tblBorders")
        if len(table.columns) != 1 or table._tbl.xpath("string(.)").strip() or borders is None:
            continue
        ruled = {b.tag.split("}")[1] for b in borders if b.get(f"{W}val") == "single"}
        if {"insideH", "bottom"} <= ruled:
            spaces.append([row.height.cm for row in table.rows])
    return spaces


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_answer_spaces_are_lines_to_write_on_and_ks2_writes_at_most_four(packs, ks):
    doc = Document(str(packs[(ks, None)] / "worksheet.docx"))
    spaces = ruled_lines(doc)
    assert all(0.9 <= h <= 1.2 for lines in spaces for h in lines)
    # Sized to the answer: a name takes one line, a stop point's answer three.
    assert max(len(lines) for lines in spaces) == 3 and min(len(lines) for lines in spaces) == 1
    if ks == "ks2":
        assert len(spaces) <= 4
    answers = Document(str(packs[(ks, None)] / "worksheet-answers.docx"))
    assert not ruled_lines(answers), "the teacher copy has answers, not lines"


def test_manifest_records_inputs_and_hashes(packs, library):
    pack = packs[("ks4", "cumbria")]
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["inputs"]["key_stage"] == "ks4"
    assert manifest["inputs"]["force"] == "cumbria"
    assert manifest["content_version"] == library.content.meta.version
    names = {f["name"] for f in manifest["files"]}
    assert names == PACK_FILES - {"manifest.json"}
    for entry in manifest["files"]:
        data = (pack / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_text_stays_inside_each_slide(packs, ks):
    prs = Presentation(str(packs[(ks, None)] / "slides.pptx"))
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width, shape.name
            assert shape.top + shape.height <= prs.slide_height + Emu(1), shape.name
            if shape.has_text_frame:
                for p in shape.text_frame.paragraphs:
                    for r in p.runs:
                        if r.font.size and shape != slide.shapes.title and "/" not in r.text[-6:]:
                            assert r.font.size.pt >= 20, f"{r.text[:30]!r} under 20 pt"


def test_documents_carry_title_subject_and_language(packs):
    pack = packs[("ks3", None)]
    prs = Presentation(str(pack / "slides.pptx"))
    assert prs.core_properties.language == "en-GB" and prs.core_properties.title
    for name in ALL_DOCS[1:]:
        props = Document(str(pack / name)).core_properties
        assert props.language == "en-GB" and props.title and props.subject, name

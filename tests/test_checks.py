"""The checks behind `lessonpack check`: built-in packs pass, and each broken pack fails."""

from __future__ import annotations

import copy
import io
import math
import re
import socket
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from lessonpack.check import reading
from lessonpack.check.contacts import check_contacts, gather_contacts
from lessonpack.check.pack import check_pack
from lessonpack.check.passages import passages
from lessonpack.check.problems import Problem
from lessonpack.check.reading import ReadingStats, reading_levels, syllables, text_stats
from lessonpack.pack import Library, build_pack
from lessonpack.rendering.context import PackRequest

from .conftest import KEY_STAGES, slide_texts

CRISIS_CONTACTS = ("116 123", "SHOUT to 85258", "0800 068 4141")


@pytest.fixture(scope="module")
def built(library: Library) -> dict[str, dict[str, bytes]]:
    """One pack per key stage, built once for this module (the national default, no school)."""
    return {ks: build_pack(library, PackRequest(key_stage=ks, force=None)) for ks in KEY_STAGES}


# --- editing built files, as a DSL's custom template or a bad edit would ------------------


def edit_deck(data: bytes, edit: Callable[[object], None]) -> bytes:
    prs = Presentation(io.BytesIO(data))
    edit(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def edit_docx(data: bytes, edit: Callable[[object], None]) -> bytes:
    doc = Document(io.BytesIO(data))
    edit(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def deck_runs(prs) -> Iterator:
    """Every run of text in a deck: titles, bodies, tables and speaker notes."""
    for slide in prs.slides:
        frames = [shape.text_frame for shape in slide.shapes if shape.has_text_frame]
        frames += [cell.text_frame for shape in slide.shapes if shape.has_table
                   for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            frames.append(slide.notes_slide.notes_text_frame)
        for frame in frames:
            for paragraph in frame.paragraphs:
                yield from paragraph.runs


def replace_in_deck(data: bytes, pattern: str, new: str) -> bytes:
    def edit(prs) -> None:
        for run in deck_runs(prs):
            run.text = re.sub(pattern, new, run.text, flags=re.IGNORECASE)

    return edit_deck(data, edit)


def slide_titled(prs, prefix: str):
    return next(s for s in prs.slides if s.shapes.title and s.shapes.title.text.startswith(prefix))


def add_to_slide(data: bytes, prefix: str, text: str) -> bytes:
    """Append a paragraph to the body of the first slide whose title starts with `prefix`."""
    def edit(prs) -> None:
        slide = slide_titled(prs, prefix)
        body = next(s for s in slide.shapes if s.has_text_frame and s != slide.shapes.title)
        body.text_frame.add_paragraph().text = text

    return edit_deck(data, edit)


def delete_slides(data: bytes, prefix: str) -> bytes:
    def edit(prs) -> None:
        ids = prs.slides._sldIdLst
        for slide_id in list(ids):
            slide = prs.part.related_part(slide_id.rId).slide
            if slide.shapes.title and slide.shapes.title.text.startswith(prefix):
                prs.part.drop_rel(slide_id.rId)
                ids.remove(slide_id)

    return edit_deck(data, edit)


def add_paragraph(data: bytes, text: str) -> bytes:
    return edit_docx(data, lambda doc: doc.add_paragraph(text))


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "warning"]


def deck_words(data: bytes) -> str:
    return "\n".join("\n".join(parts) for parts in slide_texts(io.BytesIO(data)))


# --- clean input passes --------------------------------------------------------------------


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_built_in_packs_pass_every_check(built, library, ks):
    assert check_pack(ks, built[ks], library.content) == []


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_reading_levels_are_measured_per_pupil_document_and_suit_the_key_stage(built, library, ks):
    levels = reading_levels(built[ks])
    assert set(levels) == {"slides.pptx", "worksheet.docx"}  # not the answers, letter or plan
    for name, grade in levels.items():
        assert 0 < grade <= library.content.key_stage(ks).max_reading_grade, (ks, name, grade)


def test_built_in_contacts_are_all_valid(library):
    contacts, routes = gather_contacts(library.content)
    assert routes and all(r.contacts for r in routes)
    assert check_contacts(contacts, routes) == []
    for force in library.content.forces:
        assert check_contacts(*gather_contacts(force=force)) == [], force.slug


# --- victim-blaming wording ----------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["you shouldn't have", "You shouldn’t have"])  # curly apostrophe too
def test_victim_blaming_on_a_slide_is_an_error_naming_phrase_and_document(built, library, phrase):
    files = {**built["ks3"], "slides.pptx": add_to_slide(
        built["ks3"]["slides.pptx"], "How it", f"If they have your picture, {phrase} sent it.")}
    found = errors(check_pack("ks3", files, library.content))
    # One problem for one piece of wording, naming both listed phrases it holds.
    assert len(found) == 1, found
    assert found[0].where == "ks3/slides.pptx"
    assert "you shouldn't have" in found[0].message and "shouldn't have sent" in found[0].message
    assert re.search(r"in slide \d+:", found[0].message)  # which slide, so a DSL can find it


@pytest.mark.parametrize("name", ["lesson-plan.docx", "parent-letter.docx", "worksheet-answers.docx",
                                  "support-card.docx"])
def test_victim_blaming_in_any_document_is_an_error(built, library, name):
    files = {**built["ks4"], name: add_paragraph(built["ks4"][name], "It was their own fault.")}
    found = errors(check_pack("ks4", files, library.content))
    assert [(p.where, "their own fault" in p.message) for p in found] == [(f"ks4/{name}", True)]


def test_separate_blaming_words_in_one_paragraph_are_separate_problems(built, library):
    files = {**built["ks3"], "worksheet.docx": add_paragraph(built["ks3"]["worksheet.docx"],
                                                             "Was she gullible, or just careless?")}
    found = errors(check_pack("ks3", files, library.content))
    assert sorted(re.findall(r"'(\w+)'", " ".join(p.message for p in found))) == ["careless", "gullible"]
    assert len(found) == 2


def test_victim_blaming_in_speaker_notes_is_an_error(built, library):
    def edit(prs) -> None:
        slide_titled(prs, "Myth or fact").notes_slide.notes_text_frame.text = "Say: how stupid of them."

    files = {**built["ks3"], "slides.pptx": edit_deck(built["ks3"]["slides.pptx"], edit)}
    found = errors(check_pack("ks3", files, library.content))
    assert len(found) == 1 and "'stupid'" in found[0].message and "notes" in found[0].message


# --- KS2 words -----------------------------------------------------------------------------


def test_ks2_worksheet_with_a_sexual_word_is_an_error(built, library):
    files = {**built["ks2"], "worksheet.docx": add_paragraph(built["ks2"]["worksheet.docx"],
                                                             "They asked for a naked picture.")}
    found = errors(check_pack("ks2", files, library.content))
    assert len(found) == 1
    assert found[0].where == "ks2/worksheet.docx" and "'naked'" in found[0].message


def test_ks2_slides_and_lesson_plan_are_checked_for_sexual_words(built, library):
    files = {
        **built["ks2"],
        "slides.pptx": add_to_slide(built["ks2"]["slides.pptx"], "How it", "Sextortion is a crime."),
        "lesson-plan.docx": add_paragraph(built["ks2"]["lesson-plan.docx"], "Explain what nudes are."),
    }
    found = errors(check_pack("ks2", files, library.content))
    assert {p.where for p in found} == {"ks2/slides.pptx", "ks2/lesson-plan.docx"}
    assert any("'sextortion'" in p.message and "'sex'" not in p.message for p in found)
    assert any("'nudes'" in p.message for p in found)


def test_the_ks2_parent_letter_and_older_key_stages_may_name_the_topic(built, library):
    for ks, name in (("ks2", "parent-letter.docx"), ("ks3", "worksheet.docx")):
        files = {**built[ks], name: add_paragraph(built[ks][name], "This is about sextortion and nudes.")}
        assert check_pack(ks, files, library.content) == [], (ks, name)


def test_ks2_words_match_at_word_starts_only(built, library):
    # "Essex" and "Middlesex" hold "sex" but do not start a word with it.
    files = {**built["ks2"], "worksheet.docx": add_paragraph(built["ks2"]["worksheet.docx"],
                                                             "Essex and Middlesex are counties.")}
    assert check_pack("ks2", files, library.content) == []


# --- the help slide, the DSL and the crisis lines --------------------------------------------


@pytest.mark.parametrize("ks", ["ks2", "ks4"])
def test_a_deck_without_the_help_slide_is_an_error(built, library, ks):
    deck = delete_slides(built[ks]["slides.pptx"], "Where to get help")
    titles = [t for t, _, _ in slide_texts(io.BytesIO(deck))]
    assert not any(t.startswith("Where to get help") for t in titles)
    assert any(t.startswith("Remember") for t in titles)  # which still lists Childline's number
    found = errors(check_pack(ks, {**built[ks], "slides.pptx": deck}, library.content))
    assert [p.where for p in found] == [f"{ks}/slides.pptx"]
    assert "help-routes slide" in found[0].message


def test_a_renamed_help_slide_still_counts_by_the_routes_it_lists(built, library):
    deck = replace_in_deck(built["ks3"]["slides.pptx"], r"Where to get help", "Help and support")
    assert "Where to get help" not in deck_words(deck)
    assert check_pack("ks3", {**built["ks3"], "slides.pptx": deck}, library.content) == []


def test_a_ks3_deck_without_crisis_lines_is_an_error(built, library):
    deck = replace_in_deck(built["ks3"]["slides.pptx"], "|".join(map(re.escape, CRISIS_CONTACTS)), "your GP")
    assert not any(c in deck_words(deck) for c in CRISIS_CONTACTS)
    found = errors(check_pack("ks3", {**built["ks3"], "slides.pptx": deck}, library.content))
    assert [p.where for p in found] == ["ks3/slides.pptx"]
    assert "crisis line" in found[0].message and "Samaritans" in found[0].message


def test_one_crisis_line_is_enough(built, library):
    deck = replace_in_deck(built["ks5"]["slides.pptx"], "|".join(map(re.escape, CRISIS_CONTACTS[1:])),
                           "your GP")
    assert CRISIS_CONTACTS[0] in deck_words(deck)
    assert check_pack("ks5", {**built["ks5"], "slides.pptx": deck}, library.content) == []


def test_content_without_any_crisis_route_fails_from_ks3(built, library):
    # Content the model itself would refuse (Scotland and NI name crisis lines as their
    # own routes): made by hand, to show that the pack check stands on its own.
    content = copy.copy(library.content)
    object.__setattr__(content, "help_routes", [r for r in content.help_routes if not r.crisis])
    content.__dict__.pop("routes_by_id", None)
    found = errors(check_pack("ks3", built["ks3"], content))
    assert [p.where for p in found] == ["ks3/slides.pptx"] and "crisis" in found[0].message
    assert check_pack("ks2", built["ks2"], content) == []


DSL = r"designated safeguarding lead|\bDSL\b"


def test_a_deck_that_never_mentions_the_dsl_is_an_error(built, library):
    deck = replace_in_deck(built["ks4"]["slides.pptx"], DSL, "a member of staff")
    assert not re.search(DSL, deck_words(deck), re.IGNORECASE)
    found = errors(check_pack("ks4", {**built["ks4"], "slides.pptx": deck}, library.content))
    assert [p.where for p in found] == ["ks4/slides.pptx"]
    assert "designated safeguarding lead" in found[0].message


def test_the_dsl_may_be_mentioned_by_name(built, library):
    deck = replace_in_deck(built["ks4"]["slides.pptx"], DSL, "Ms A Example")
    files = {**built["ks4"], "slides.pptx": deck}
    assert check_pack("ks4", files, library.content, dsl_names=["Ms A Example"]) == []
    assert errors(check_pack("ks4", files, library.content, dsl_names=["Mr Someone Else"]))


def test_a_pack_without_slides_or_with_a_broken_file_is_an_error(built, library):
    files = {k: v for k, v in built["ks3"].items() if k != "slides.pptx"}
    assert [p.where for p in errors(check_pack("ks3", files, library.content))] == ["ks3/slides.pptx"]
    files = {**built["ks3"], "worksheet.docx": b"not a zip file"}
    found = errors(check_pack("ks3", files, library.content))
    assert [(p.where, "cannot be opened" in p.message) for p in found] == [("ks3/worksheet.docx", True)]


# --- contacts ------------------------------------------------------------------------------


def test_invalid_phone_and_email_are_errors_naming_where_they_are():
    problems = check_contacts([
        ("school.toml:12", "phone", "0800 11"),
        ("school.toml:13", "email", "dsl@"),
        ("school.toml:14", "phone", "01234 567890"),
        ("school.toml:15", "email", "dsl@example.sch.uk"),
    ])
    assert [(p.level, p.where) for p in problems] == [
        ("error", "school.toml:12"), ("error", "school.toml:13"),
    ]
    assert "0800 11" in problems[0].message and "dsl@" in problems[1].message


@pytest.mark.parametrize("kind,value", [
    ("phone", "999"), ("phone", "101"), ("phone", "116 123"), ("phone", "0800 1111"),
    ("textphone", "18000"), ("textphone", "18001 101"), ("text", "SHOUT to 85258"),
    ("phone", "+44 1234 567890"), ("website", "https://example.gov.uk"),
])
def test_uk_numbers_and_short_codes_are_valid(kind, value):
    assert check_contacts([("x", kind, value)]) == []


@pytest.mark.parametrize("kind,value", [
    ("phone", "12345"), ("phone", "not a number"), ("textphone", "18001 12"),
    ("text", "SHOUT to nobody"), ("email", "dsl example.sch.uk"), ("phone", "  "),
])
def test_bad_contacts_are_errors(kind, value):
    assert [p.level for p in check_contacts([("x", kind, value)])] == ["error"]


def test_a_help_route_without_a_contact_is_an_error():
    problems = check_contacts(routes=[
        ("school.toml:20", "Exampleshire Children's Services", []),
        ("school.toml:26", "Local helpline", [("school.toml:28", "phone", "01234 000000")]),
    ])
    assert [(p.level, p.where) for p in problems] == [("error", "school.toml:20")]
    assert "Exampleshire Children's Services" in problems[0].message


def test_gather_contacts_reads_a_schools_dsl_and_routes():
    school = SimpleNamespace(
        dsl=SimpleNamespace(phone="0800 11", email="dsl@example.sch.uk"),
        deputy_dsl=SimpleNamespace(phone=None, email="dsl@"),
        help_routes=[SimpleNamespace(name="Nowhere", phone=None, website=None, email=None)],
    )
    problems = check_contacts(*gather_contacts(school=school))
    assert [p.where for p in problems] == [
        "school.toml: dsl.phone", "school.toml: deputy_dsl.email", "school.toml: help_routes[0]",
    ]


# --- reading level -------------------------------------------------------------------------


def test_syllables_and_sentences_counted_by_hand():
    stats = text_stats([
        "Talk to a teacher. The police will listen!",  # two sentences
        "Childline can help: 0800 1111",  # a fragment is a sentence; numbers are not words
        "www.childline.org.uk",  # an address alone: no words, no sentence
    ])
    # Talk(1) to(1) a(1) teacher(2) | The(1) police(2) will(1) listen(2) | Childline(2) can(1) help(1)
    assert stats == ReadingStats(words=11, sentences=3, syllables=15)
    assert stats.grade == pytest.approx(0.39 * 11 / 3 + 11.8 * 15 / 11 - 15.59)
    assert stats.grade == pytest.approx(1.93, abs=0.01)


def test_syllables_of_awkward_words():
    assert syllables("don't") == syllables("dont") == 1  # apostrophes dropped
    assert syllables("a") == syllables("I") == 1
    assert syllables("18") == 1  # no letters: the floor
    assert syllables("information") == 4
    assert syllables("safe-guarding") == syllables("safeguarding") == 3


def one_slide_deck(text: list[str]) -> bytes:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Staying safe"
    body = slide.placeholders[1].text_frame
    body.text = text[0]
    for line in text[1:]:
        body.add_paragraph().text = line
    slide.notes_slide.notes_text_frame.text = "Say: read it aloud."
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


LONG_SENTENCES = [
    "Criminals sometimes pretend to be teenagers, then threaten to share pictures unless they are paid.",
    "Investigators want everybody receiving threats to report them to an adult they trust.",
] * 4


def test_long_polysyllabic_sentences_warn_for_ks2_but_suit_ks5(library):
    files = {"slides.pptx": one_slide_deck(LONG_SENTENCES)}
    grade = reading_levels(files)["slides.pptx"]
    assert 6 < grade < 12  # between KS2's and KS5's limits
    ks2 = warnings(check_pack("ks2", files, library.content))
    assert [p.where for p in ks2] == ["ks2/slides.pptx"]
    assert f"{grade:.1f}" in ks2[0].message and "6" in ks2[0].message
    assert warnings(check_pack("ks5", files, library.content)) == []


def test_short_plain_sentences_suit_ks2(library):
    files = {"slides.pptx": one_slide_deck(["It is not your fault.", "Tell an adult you trust."])}
    assert reading_levels(files)["slides.pptx"] < 6
    assert warnings(check_pack("ks2", files, library.content)) == []


def test_notes_footers_and_letterheads_do_not_count_towards_reading_level(built):
    deck = built["ks2"]["slides.pptx"]

    def wordy_notes(prs) -> None:
        for slide in prs.slides:
            slide.notes_slide.notes_text_frame.text = " ".join(LONG_SENTENCES) * 3

    before = reading_levels({"slides.pptx": deck})
    assert reading_levels({"slides.pptx": edit_deck(deck, wordy_notes)}) == before
    footers = [p for p in passages("slides.pptx", deck) if re.search(r"·\s+\d+/\d+$", p.text)]
    assert footers and not any(p.reading for p in footers)  # the running footer is boilerplate
    kinds = {(p.place, p.reading) for p in passages("worksheet.docx", built["ks2"]["worksheet.docx"])}
    assert ("", True) in kinds and not any(place == "header" and reading for place, reading in kinds)


def test_reading_level_works_offline(built, monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    reading._hyphenator.cache_clear()  # load the dictionary again, with the network gone
    syllables.cache_clear()
    assert set(reading_levels(built["ks3"])) == {"slides.pptx", "worksheet.docx"}


# --- never raises --------------------------------------------------------------------------

# Text that python-pptx and python-docx can store: XML forbids most control characters.
storable = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
                   | st.sampled_from("\n\t .!?’'-"), max_size=300)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=storable, ks=st.sampled_from(KEY_STAGES))
def test_check_pack_never_raises_on_text_in_a_worksheet(built, library, text, ks):
    # The worksheet alone keeps each example fast; the missing deck is one more error.
    files = {"worksheet.docx": add_paragraph(built[ks]["worksheet.docx"], text)}
    problems = check_pack(ks, files, library.content)
    assert all(isinstance(p, Problem) and p.level in ("error", "warning") for p in problems)
    assert Problem("error", f"{ks}/slides.pptx", "the pack has no slides") in problems
    assert all(math.isfinite(g) for g in reading_levels(files).values())


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=storable)
def test_check_pack_never_raises_on_text_on_a_slide(built, library, text):
    files = {**built["ks3"], "slides.pptx": add_to_slide(built["ks3"]["slides.pptx"], "How it", text)}
    problems = check_pack("ks3", files, library.content)
    assert all(isinstance(p, Problem) for p in problems)
    # Inserted text can add problems (a blaming word) but never take the help slide away.
    assert not any("help-routes slide" in p.message for p in problems)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(max_size=200), max_size=5))
def test_text_stats_never_raises_and_the_grade_is_finite(texts):
    stats = text_stats(texts)
    assert stats.sentences <= stats.words
    assert stats.syllables >= stats.words
    assert math.isfinite(stats.grade)


def test_every_table_cell_is_read_once():
    # A card-sort table of eight statements: each one is read (and checked for wording),
    # once; an earlier version lost cells whose lxml proxies were given a reused id().
    doc = Document()
    table = doc.add_table(rows=9, cols=3)
    for number, row in enumerate(table.rows[1:], start=1):
        row.cells[0].text = f"{number}. Statement {number}."
        row.cells[1].text = row.cells[2].text = "☐"
    merged = table.rows[0].cells[0].merge(table.rows[0].cells[2])
    merged.text = "Card"
    buffer = io.BytesIO()
    doc.save(buffer)
    texts = [p.text for p in passages("worksheet.docx", buffer.getvalue()) if p.place == "table"]
    assert texts.count("Card") == 1
    assert [t for t in texts if t.endswith(".")] == [f"{n}. Statement {n}." for n in range(1, 9)]
    assert texts.count("☐") == 16

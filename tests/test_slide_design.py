"""Slides for the back of the room (issue 19), read back from the written decks with
python-pptx and lxml: body text sizes, the chat drawn as a chat, the sequence as chevrons,
the checklist's icons, and alternative text on every picture and icon."""

from __future__ import annotations

import pytest
from pptx import Presentation
from pptx.util import Emu

from .conftest import KEY_STAGES

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
# Labels, not body text: the sender's name over their messages and the phone's header.
LABELS = ("Sender", "Chat header")


def deck(packs, ks):
    return Presentation(str(packs[(ks, None)] / "slides.pptx"))


def timed(prs):
    slides = list(prs.slides)
    end = next(i for i, s in enumerate(slides) if s.shapes.title.text_frame.text.startswith("Extension"))
    return slides[1:end]


def body_sizes(slide, height):
    """Point sizes of every run of body text: not the title, the footer or a label."""
    sizes = []
    for shape in slide.shapes:
        if shape == slide.shapes.title or shape.top > height * 0.85 or shape.name.startswith(LABELS):
            continue
        if shape.has_text_frame:
            sizes += [(r.font.size.pt, r.text) for p in shape.text_frame.paragraphs for r in p.runs
                      if r.text.strip()]
    return sizes


def geometry(shape) -> str | None:
    found = shape._element.find(f"{P}spPr/{A}prstGeom")
    return found.get("prst") if found is not None else None


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_body_text_is_24_pt_or_more_on_every_timed_slide(packs, ks):
    prs = deck(packs, ks)
    for slide in timed(prs):
        sizes = body_sizes(slide, prs.slide_height)
        title = slide.shapes.title.text_frame.text
        assert sizes, f"{title}: no body text"
        small = [(size, text) for size, text in sizes if size < 24]
        assert not small, f"{title}: {small[:3]}"


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_one_idea_slides_are_28_pt_or_more(packs, ks):
    prs = deck(packs, ks)
    one_idea = [s for s in prs.slides if s.shapes.title.text_frame.text in
                ("What is sextortion?", "What is pressure to share pictures?", "Remember",
                 "Leaving the lesson behind")]
    assert len(one_idea) >= 3
    for slide in one_idea:
        assert min(size for size, _ in body_sizes(slide, prs.slide_height)) >= 28


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_chat_is_bubbles_in_a_phone_each_sender_on_their_side(packs, ks, library):
    prs = deck(packs, ks)
    chat = next(c for c in library.content.chat_scenarios if ks in c.key_stages)
    me = chat.title.split()[0]
    slides = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Made-up chat")]
    assert len(slides) == len(chat.parts)
    for slide, part in zip(slides, chat.parts, strict=True):
        shapes = list(slide.shapes)
        phone = next(s for s in shapes if s.name.startswith("Phone frame"))
        assert geometry(phone) == "roundRect"
        middle = phone.left + phone.width / 2
        bubbles = [s for s in shapes if geometry(s) == "wedgeRoundRectCallout"]
        said = [line for line in part.lines if line.who != "Story"]
        assert [b.text_frame.text for b in bubbles] == [line.text for line in said]
        for bubble, line in zip(bubbles, said, strict=True):
            inside = phone.left <= bubble.left and bubble.left + bubble.width <= phone.left + phone.width
            assert inside and phone.top <= bubble.top <= phone.top + phone.height
            if line.who == me:
                assert bubble.left + bubble.width > middle and bubble.left > phone.left + Emu(20 * 12700)
            else:
                right_edge = phone.left + phone.width - 20 * 12700
                assert bubble.left < middle and bubble.left + bubble.width < right_edge
        texts = [s.text_frame.text for s in shapes if s.has_text_frame]
        if part is chat.parts[0]:  # labelled on the slide, as the worksheet labels it
            assert "Made up: not a real person or case." in texts
        assert f"Stop: {part.question}" in texts
        assert any(s.shape_type == 6 and "stop sign" in s._element[0][0].get("descr") for s in shapes)


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_how_it_happens_is_a_chevron_sequence(packs, ks, library):
    prs = deck(packs, ks)
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text.startswith("How it"))
    arrows = [s for s in slide.shapes if geometry(s) in ("chevron", "homePlate")]
    methods = [m for m in library.content.methods if ks in m.key_stages]
    assert [a.text_frame.text for a in arrows] == [str(n) for n in range(1, len(methods) + 1)]
    labels = [s.text_frame.text for s in slide.shapes if s.name.startswith("Step text")]
    assert labels == [m.title for m in methods]


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_what_to_do_is_an_icon_checklist(packs, ks, library):
    prs = deck(packs, ks)
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == "If it happens: what to do")
    icons = [s for s in slide.shapes if s.shape_type == 6]  # groups
    items = [s.text_frame.text for s in slide.shapes if s.name.startswith("Checklist text")]
    assert len(icons) == len(items) >= 4
    kinds = {g._element[0][0].get("descr") for g in icons}
    assert len(kinds) == len(icons), "each step has its own icon"


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_every_picture_and_icon_has_alt_text(packs, ks):
    prs = deck(packs, ks)
    count = 0
    for slide in prs.slides:
        tree = slide.shapes._spTree
        for element in tree.iter(f"{P}pic", f"{P}grpSp"):
            if element is tree:
                continue
            props = element.find(f"{P}nvPicPr/{P}cNvPr")
            if props is None:
                props = element.find(f"{P}nvGrpSpPr/{P}cNvPr")
            title = slide.shapes.title.text_frame.text
            assert props is not None and (props.get("descr") or "").strip(), title
            count += 1
    assert count >= 10


def test_school_logo_on_every_slide(tmp_path):
    from tests.full_school import write_full_school

    from .helpers import lessonpack

    school = write_full_school(tmp_path)
    assert lessonpack("generate", "--school", school, "-k", "ks3", "--out", tmp_path / "out").exit_code == 0
    pptx = next((tmp_path / "out").rglob("slides.pptx"))
    for slide in Presentation(str(pptx)).slides:
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1 and pictures[0]._element[0][0].get("descr")


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_answer_slides_hold_cards_with_the_reason(packs, ks, library):
    prs = deck(packs, ks)
    cards = [s for slide in prs.slides if slide.shapes.title.text_frame.text.startswith("Myth or fact? The")
             for s in slide.shapes if s.name.startswith("Card")]
    myths = [m for m in library.content.myths if ks in m.key_stages]
    assert len(cards) == len(myths)
    for card, myth in zip(cards, myths, strict=True):
        lines = [p.text for p in card.text_frame.paragraphs]
        assert lines[0].split(". ", 1)[1] == myth.statement
        assert lines[1] == f"{'Fact' if myth.fact else 'Myth'}. {myth.why}"
        assert geometry(card) == "roundRect"


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_help_route_cards_hold_their_words_in_the_middle(packs, ks):
    # Words at the top of a card left its lower half empty (the help slides, issue 19).
    from pptx.enum.text import MSO_ANCHOR

    prs = deck(packs, ks)
    cards = [s for slide in prs.slides if slide.shapes.title.text_frame.text.startswith("Where to get help")
             for s in slide.shapes if s.name.startswith("Card")]
    assert len(cards) >= 4
    assert all(card.text_frame.vertical_anchor == MSO_ANCHOR.MIDDLE for card in cards)
    assert all(any(p.text for p in card.text_frame.paragraphs) for card in cards)

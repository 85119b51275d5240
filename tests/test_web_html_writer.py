"""The HTML preview holds exactly the words of the files it previews."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html
from pptx import Presentation

from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.pack import SLIDES, Library, build_pack, render_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.school.models import Person, School
from lessonpack.writers.html import deck_html, document_html
from lessonpack.xmltext import clean_text

TEXT = ".//*[self::p or self::h4 or self::h5 or self::h6 or self::li or self::th or self::td]"


def _texts(element) -> list[str]:
    return [t for t in (e.text_content() for e in element.xpath(TEXT)) if t]


# Shapes that a designed slide adds to the words (the writers' own labels: a chevron's
# number, the phone's header, a sender's name over their messages), not the slide's text.
DECORATION = ("Step ", "Chat header", "Sender")
NUMBERED = re.compile(r"^\d+\. ")


def in_any_order(texts: list[str]) -> list[str]:
    """A designed slide lays its words out in space (a phone, cards, a side panel) rather
    than in the source's order (a label may head a paragraph in one, sit apart in the
    other), a card carries its list number in its text and a chat bubble needs no quotation
    marks: the words, numbers and quotation marks off, sorted."""
    return sorted(word.strip('"“”') for t in texts for word in NUMBERED.sub("", t).split())


def pptx_slides(data: bytes) -> list[tuple[list[str], str]]:
    """Each slide's non-empty paragraphs, shape by shape, and its notes, as python-pptx reads them."""
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        texts = []
        for shape in slide.shapes:
            if shape.name.startswith(DECORATION) and not shape.name.startswith("Step text"):
                continue
            if shape.has_text_frame:
                # A bubble shows who sent it by its side of the phone; the source names them.
                sender = shape.name.removeprefix("Message from ").rsplit(" ", 1)[0] \
                    if shape.name.startswith("Message from ") else ""
                texts += [f"{sender}: {p.text}" if sender else p.text for p in shape.text_frame.paragraphs]
            elif shape.has_table:
                texts += [p.text for row in shape.table.rows for cell in row.cells
                          for p in cell.text_frame.paragraphs]
        out.append((in_any_order([t for t in texts if t]), slide.notes_slide.notes_text_frame.text))
    return out


def html_slides(fragment: str) -> list[tuple[list[str], str]]:
    root = html.fromstring(fragment)
    out = []
    for article in root.find_class("slide"):
        card = article.find_class("card")[0]
        notes = article.find_class("notes")[0].xpath("./p")[1:]
        out.append((in_any_order(_texts(card)), "\n".join(p.text_content() for p in notes)))
    return out


def docx_parts(data: bytes) -> dict[str, list[str]]:
    doc = open_docx(io.BytesIO(data))
    section = doc.sections[0]

    def texts(element) -> list[str]:
        paragraphs = (DocxParagraph(p, None).text for p in element.iter(qn("w:p")))
        return [t for t in paragraphs if t]

    parts = {"body": texts(doc.element.body)}
    if section.different_first_page_header_footer:
        parts["letterhead"] = texts(section.first_page_header._element)
    if not section.header.is_linked_to_previous:
        parts["header"] = texts(section.header._element)
    return parts


def html_parts(fragment: str) -> dict[str, list[str]]:
    root = html.fromstring(fragment)
    parts = {"body": [t for body in root.find_class("doc-body") for t in _texts(body)]}
    for name in ("letterhead", "header"):
        found = root.find_class(f"doc-{name}")
        if found:
            parts[name] = _texts(found[0])
    return parts


def assert_preview_matches(library: Library, request: PackRequest) -> None:
    files = build_pack(library, request)
    models = render_pack(library, request)
    assert html_slides(deck_html(models.deck, models.deck_meta)) == pptx_slides(files[SLIDES[0]])
    assert set(models.documents) == {n for n in files if n.endswith(".docx")}
    for name, (document, meta) in models.documents.items():
        assert html_parts(document_html(document, meta)) == docx_parts(files[name]), name


SCHOOL = School(
    name="St Mary's *C of E* <Academy> & Sixth Form", address=["1 High Street", "Town"],
    dsl=Person(name="Ms A Example", email="dsl@example.sch.uk", phone="01234 567890"),
    deputy_dsl=Person(name="Mr C Deputy"), signatory=Person(name="Mr B Head", role="Headteacher"),
)


@pytest.mark.parametrize("key_stage", KEY_STAGE_IDS)
def test_every_slide_and_page_matches_the_files(library: Library, key_stage: str) -> None:
    force = library.content.forces_by_slug["hampshire"]
    assert_preview_matches(library, PackRequest(key_stage, force, school=SCHOOL))


def test_default_pack_matches(library: Library) -> None:
    assert_preview_matches(library, PackRequest("ks3", None, large_print=True))


def test_notes_and_numbers_show(library: Library) -> None:
    models = render_pack(library, PackRequest("ks3", None))
    root = html.fromstring(deck_html(models.deck, models.deck_meta))
    slides = root.find_class("slide")
    assert len(slides) == len(models.deck.slides)
    assert all(s.find_class("notes")[0].text_content().strip() for s in slides)
    assert slides[1].find_class("slide-number")[0].text_content() == f"Slide 2 of {len(slides)}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=60).filter(lambda s: s.strip()))
def test_any_school_name_is_text_never_markup(library: Library, name: str) -> None:
    try:
        school = School(name=name)
    except ValueError:
        return  # control characters: refused before any writer sees them
    models = render_pack(library, PackRequest("ks2", None, school=school))
    root = html.fromstring(deck_html(models.deck, models.deck_meta))
    assert not root.xpath("//script | //*[@onload] | //*[@onerror]")
    footers = [f.text_content() for f in root.find_class("slide-footer")]
    # The name is there as typed (white space folded, as in the files), not as markup.
    assert footers and all(clean_text(school.name) in f for f in footers)

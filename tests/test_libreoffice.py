"""A real client: every file converts to PDF in headless LibreOffice, and what it renders fits.

Outside CI these tests skip when LibreOffice is missing; under CI=true they fail instead
(see conftest.soffice), because .ci/run installs it.
"""

from __future__ import annotations

import pytest
from pptx import Presentation
from pypdf import PdfReader

from lessonpack.pack import build_pack, pack_dir, write_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.school.models import School

from .conftest import KEY_STAGES, to_pdf

DOCS = ("slides.pptx", "worksheet.docx", "worksheet-answers.docx", "parent-letter.docx",
        "lesson-plan.docx", "support-card.docx")
LONG_NAME = ("The Very Long Named Church of England Voluntary Aided Academy of Saint "
             "Mary-le-Bow & Saint Aldhelm, Upper Exampleton")[:120]


@pytest.fixture(scope="module")
def rendered(packs, library, tmp_path_factory):
    """PDFs of every document for every key stage (national contacts), plus a KS4 pack for a
    school with a 120-character name, all converted in one LibreOffice run."""
    root = tmp_path_factory.mktemp("pdf")
    long_pack = pack_dir(root / "long", "long", "ks4")
    write_pack(build_pack(library, PackRequest(
        key_stage="ks4", force=library.content.forces_by_slug["northumbria"],
        school=School(name=LONG_NAME))), long_pack, overwrite=False)
    sources = {f"{ks}-{doc.split('.')[0]}": packs[(ks, None)] / doc for ks in KEY_STAGES for doc in DOCS}
    sources.update({f"long-{doc.split('.')[0]}": long_pack / doc for doc in DOCS})
    pdfs = to_pdf(sources, root / "out")
    return {name: (sources[name], pdf) for name, pdf in pdfs.items()}


def text_items(page) -> list[tuple[float, float, float, str]]:
    """(x, baseline y, font size, text) for each piece of text LibreOffice drew."""
    items = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            items.append((x, y, size * (abs(tm[3]) or 1) * (abs(cm[3]) or 1), text))

    page.extract_text(visitor_text=visit)
    return items


def test_every_document_converts_to_a_pdf(rendered):
    for name, (_source, pdf) in rendered.items():
        assert pdf.exists() and pdf.stat().st_size > 1000, f"{name} did not convert"
        assert len(PdfReader(pdf).pages) >= 1


def test_one_pdf_page_per_slide(rendered):
    for name, (source, pdf) in rendered.items():
        if name.endswith("slides"):
            assert len(PdfReader(pdf).pages) == len(Presentation(str(source)).slides), name


def test_parent_letter_is_at_most_two_pages(rendered):
    for name, (_, pdf) in rendered.items():
        if name.endswith("parent-letter"):
            assert len(PdfReader(pdf).pages) <= 2, f"{name} runs to {len(PdfReader(pdf).pages)} pages"


def test_no_slide_text_runs_off_the_slide_or_into_the_footer(rendered):
    for name, (_, pdf) in rendered.items():
        if not name.endswith("slides"):
            continue
        for number, page in enumerate(PdfReader(pdf).pages, start=1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            items = text_items(page)
            assert items, f"{name} slide {number} rendered no text"
            for x, y, size, text in items:
                assert 0 <= x < width and 0 < y < height, f"{name} slide {number}: {text!r} off the slide"
                if size >= 18:  # body and titles; the footer is the only small text
                    assert y > 44, f"{name} slide {number}: {text!r} runs into the footer (y={y:.0f})"


def test_rendered_slide_body_text_is_at_least_20_pt(rendered):
    _, pdf = rendered["ks3-slides"]
    sizes = [size for page in PdfReader(pdf).pages for _, _, size, _ in text_items(page)]
    body = [s for s in sizes if s > 12.5]
    assert body and min(body) >= 20


def test_long_school_name_fits_the_title_slide_and_letterhead(rendered):
    _, slides = rendered["long-slides"]
    first = " ".join(t for *_, t in text_items(PdfReader(slides).pages[0]))
    assert "Upper Exampleton"[:8] in first.replace("\n", " ") or "Exampleton" in first
    _, letter = rendered["long-parent-letter"]
    assert len(PdfReader(letter).pages) <= 2
    text = " ".join(page.extract_text() for page in PdfReader(letter).pages)
    assert "Northumbria Police" in " ".join(text.split())


def test_support_card_prints_eight_fronts_then_eight_backs(rendered):
    for name, (_, pdf) in rendered.items():
        if name.endswith("support-card"):
            pages = PdfReader(pdf).pages
            assert len(pages) == 2, f"{name} runs to {len(pages)} pages"
            front, back = (" ".join(p.extract_text().split()) for p in pages)
            assert front.count("It is never your fault.") == 8 and back.count("0800 1111") == 8, name


def test_words_per_slide_as_rendered(rendered):
    """What LibreOffice draws, not what the XML holds: the timed slides carry few words.

    Titles (the band along the top) and the footer (the small text along the bottom)
    are left out, as a teacher counts them, and so are the answer slides' one-line reasons
    (issue 19 puts them there: they are read as the cards are sorted).
    """
    for ks in KEY_STAGES:
        source, pdf = rendered[f"{ks}-slides"]
        deck = Presentation(str(source))
        titles = [s.shapes.title.text_frame.text if s.shapes.title else "" for s in deck.slides]
        reasons = sum(len(p.text.split()) for s in deck.slides for shape in s.shapes if shape.has_text_frame
                      for p in shape.text_frame.paragraphs if p.text.startswith(("Myth. ", "Fact. ")))
        extension = next(i for i, t in enumerate(titles) if t.startswith("Extension"))
        counts = []
        for page in PdfReader(pdf).pages[1:extension]:
            items = text_items(page)
            top = float(page.mediabox.height) * 0.78  # the title's band, above the body
            body = [t for _, y, _, t in items if 44 < y < top]
            counts.append(len(" ".join(body).split()))
        assert max(counts) <= 60, (ks, counts)
        assert sorted(counts)[len(counts) // 2] <= 40, (ks, counts)
        assert sum(counts) - reasons <= 1200, (ks, sum(counts), reasons)

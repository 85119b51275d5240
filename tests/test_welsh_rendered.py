"""The Welsh packs as LibreOffice renders them: Welsh runs 15-25% longer than English,
and still every letter keeps to two pages, every card to one, and no slide text runs off
its slide or into the footer (as tests/test_libreoffice.py checks the English)."""

from __future__ import annotations

import pytest
from pptx import Presentation
from pypdf import PdfReader

from lessonpack.pack import build_pack, pack_dir, write_pack
from lessonpack.rendering.context import PackRequest

from .conftest import KEY_STAGES, to_pdf
from .test_libreoffice import text_items

DOCS = ("slides.pptx", "parent-letter.docx", "support-card.docx", "card-sort.docx")
PACKS = [(ks, "south-wales") for ks in KEY_STAGES] + [("ks5", None)]


@pytest.fixture(scope="module")
def rendered(library, tmp_path_factory):
    root = tmp_path_factory.mktemp("welsh-pdf")
    sources = {}
    for ks, force in PACKS:
        folder = pack_dir(root / (force or "wales"), "school", ks)
        write_pack(build_pack(library, PackRequest(
            key_stage=ks, force=library.content.forces_by_slug[force] if force else None,
            nation="wales", language="cy")), folder, overwrite=False)
        sources.update({f"{force}-{ks}-{doc.split('.')[0]}": folder / doc for doc in DOCS})
    pdfs = to_pdf(sources, root / "out")
    return {name: (sources[name], pdf) for name, pdf in pdfs.items()}


def test_welsh_letters_keep_to_two_pages_and_cards_to_their_sheet(rendered):
    for name, (_, pdf) in rendered.items():
        pages = len(PdfReader(pdf).pages)
        if name.endswith("parent-letter"):
            assert pages <= 2, f"{name} runs to {pages} pages"
        if name.endswith("support-card"):  # eight fronts, then eight backs, as the English
            assert pages == 2, f"{name} runs to {pages} pages"


def test_welsh_slides_fit(rendered):
    for name, (source, pdf) in rendered.items():
        if not name.endswith("slides"):
            continue
        reader = PdfReader(pdf)
        assert len(reader.pages) == len(Presentation(str(source)).slides), name
        for number, page in enumerate(reader.pages, start=1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            for x, y, size, text in text_items(page):
                assert 0 <= x < width and 0 < y < height, f"{name} slide {number}: {text!r} off the slide"
                if size >= 18:
                    assert y > 44, f"{name} slide {number}: {text!r} runs into the footer"

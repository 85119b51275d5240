"""What a screen reader hears of a slide's drawings is in the deck's language: the icons'
and the phone outline's alternative text in a Welsh deck is Welsh, in an English deck
English, and a bilingual pack has each in its own deck."""

from __future__ import annotations

import io
import zipfile
from functools import cache

import pytest
from lxml import etree

from lessonpack.pack import Library, build_pack
from lessonpack.rendering.alt_text import DRAWINGS
from lessonpack.rendering.context import PackRequest

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
# Words of the English alternative texts that no Welsh one uses.
ENGLISH_WORDS = {"icon", "a", "sign", "crossed", "out", "two", "simple", "figures", "side", "by",
                 "plain", "outline", "no", "real", "app", "school", "building", "question",
                 "mark", "speech", "bubble", "heart", "flag", "pound"}


@cache
def pack(language: str) -> dict[str, bytes]:
    library = Library.load()
    force = next(f for f in library.content.forces if f.slug == "gwent")
    return build_pack(library, PackRequest(key_stage="ks3", force=force, language=language))


def drawing_texts(deck: bytes) -> list[str]:
    """Each grouped drawing's and the phone frame's `descr`, slide by slide."""
    texts = []
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        for name in sorted(n for n in archive.namelist() if n.startswith("ppt/slides/slide")):
            root = etree.fromstring(archive.read(name))
            for nv in root.iter(f"{P}cNvPr"):
                if nv.get("name", "").startswith(("Icon", "Phone frame")) and nv.get("descr"):
                    texts.append(nv.get("descr"))
    return texts


def test_an_english_deck_describes_its_drawings_in_english():
    texts = drawing_texts(pack("en")["slides.pptx"])
    assert len(texts) >= 10 and set(texts) <= set(DRAWINGS.values())
    assert "A plain phone outline (no real app)" in texts and "Icon: a stop sign" in texts


@pytest.mark.parametrize(("language", "deck"), [("cy", "slides.pptx"), ("en+cy", "slides.cy.pptx")])
def test_a_welsh_deck_describes_its_drawings_in_welsh(language, deck):
    texts = drawing_texts(pack(language)[deck])
    english = drawing_texts(pack("en")["slides.pptx"])
    assert len(texts) == len(english)  # the same drawings, each described
    for text in texts:
        words = {w.strip(":()").lower() for w in text.split()}
        assert text.startswith(("Eicon: ", "Amlinell ffôn")), text
        assert not words & ENGLISH_WORDS - {"camera"}, text
    assert "Eicon: arwydd stop" in texts and "Amlinell ffôn plaen (nid ap go iawn)" in texts


def test_the_bilingual_pack_keeps_english_drawings_in_its_english_deck():
    assert drawing_texts(pack("en+cy")["slides.pptx"]) == drawing_texts(pack("en")["slides.pptx"])


def qr_texts(document: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return {e.get("descr") for e in root.iter("{*}docPr", "{*}cNvPr") if e.get("descr")}


@pytest.mark.parametrize(("language", "wanted"), [
    ("en", {"QR code that opens https://www.childline.org.uk"}),
    ("cy", {"Cod QR sy’n agor https://www.childline.org.uk"}),
    # One card in both languages: its QR code says both, Welsh first.
    ("en+cy", {"Cod QR sy’n agor https://www.childline.org.uk / QR code that opens https://www.childline.org.uk"}),
])
def test_the_support_cards_qr_code_says_where_it_goes_in_the_cards_language(language: str, wanted: set[str]):
    assert qr_texts(pack(language)["support-card.docx"]) == wanted

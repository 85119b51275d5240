"""Cards to cut out (issue 19), read back from the files: the card sort's cards against the
deck's statements and its mat, and the pocket-sized support cards: their size, how many
to a sheet, their routes and their QR code."""

from __future__ import annotations

import io
import zipfile

import pytest
import segno
from docx import Document
from docx.shared import Mm
from PIL import Image
from pptx import Presentation

from .conftest import KEY_STAGES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def cut_lines(table) -> set[str]:
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    return {b.tag.split("}")[1] for b in borders if b.get(f"{W}val") == "dashed"}


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_card_sort_has_one_deck_statement_per_card_and_a_mat(packs, library, ks):
    doc = Document(str(packs[(ks, None)] / "card-sort.docx"))
    cards_table, mat = doc.tables
    cards = [c.text for row in cards_table.rows for c in row.cells if c.text.strip()]
    myths = [m for m in library.content.myths if ks in m.key_stages]
    assert cards == [f"{n}. {m.statement}" for n, m in enumerate(myths, start=1)]
    # The deck's answer cards give the same statements, in the same order.
    deck = Presentation(str(packs[(ks, None)] / "slides.pptx"))
    reveal = [s for s in deck.slides if s.shapes.title.text_frame.text.startswith("Myth or fact? The")]
    shown = [s.text_frame.paragraphs[0].text for slide in reveal for s in slide.shapes
             if s.name.startswith("Card")]
    assert shown == cards
    assert cut_lines(cards_table) == {"top", "left", "bottom", "right", "insideH", "insideV"}
    assert all(row.height.mm >= 40 for row in cards_table.rows)
    assert [c.text for c in mat.rows[0].cells] == ["Myth", "Fact", "Not sure"]
    assert mat.rows[1].height.mm > 150
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # The worksheet's card part points to it; the teacher copy has the answers.
    worksheet = "\n".join(p.text for p in Document(str(packs[(ks, None)] / "worksheet.docx")).paragraphs)
    assert "card-sort sheet" in worksheet
    manifest = (packs[(ks, None)] / "manifest.json").read_text()
    assert '"card-sort.docx"' in manifest


def test_send_advice_names_the_card_sort(packs):
    plan = "\n".join(p.text for p in Document(str(packs[("ks3", None)] / "lesson-plan.docx")).paragraphs)
    assert "card-sort.docx" in plan


@pytest.mark.parametrize("ks", KEY_STAGES)
def test_support_cards_are_credit_card_size_eight_to_a_sheet(packs, library, ks):
    path = packs[(ks, None)] / "support-card.docx"
    doc = Document(str(path))
    fronts, backs = doc.tables[:2]
    for grid in (fronts, backs):
        assert len(grid.rows) * len(grid.columns) >= 8
        assert cut_lines(grid) >= {"insideH", "insideV", "top", "bottom"}
        assert all(abs(row.height - Mm(55)) < Mm(0.5) for row in grid.rows)
        assert all(abs(cell.width - Mm(85)) < Mm(0.5) for cell in grid.rows[0].cells)
    front = fronts.rows[0].cells[0].text
    assert "It is never your fault." in front
    assert "your designated safeguarding lead" in front.lower()  # no lead named: the role
    back = backs.rows[0].cells[0].tables[0].rows[0].cells[0]
    routes = [p.text for p in back.paragraphs if ":" in p.text]
    assert 2 <= len(routes) <= 6
    assert all(len(r) < 80 for r in routes), "one route a line, said briefly"
    assert not any("nude" in r or "image" in r for r in routes), "discreet words"
    # The plan and the letter keep the full list.
    plan = "\n".join(p.text for p in Document(str(packs[(ks, None)] / "lesson-plan.docx")).paragraphs)
    assert "Childline" in plan


def test_support_card_qr_code_opens_childline(packs):
    path = packs[("ks3", None)] / "support-card.docx"
    doc = Document(str(path))
    pictures = doc.element.body.findall(".//{*}docPr")
    assert len(pictures) == 8
    assert all(p.get("descr") == "QR code that opens https://www.childline.org.uk" for p in pictures)
    with zipfile.ZipFile(path) as z:
        png = next(n for n in z.namelist() if n.startswith("word/media/qr"))
        image = Image.open(io.BytesIO(z.read(png))).convert("L")
    # The image's modules, read at their centres, are the code for the address (segno's matrix).
    matrix = segno.make("https://www.childline.org.uk", error="m", micro=False).matrix
    size = len(matrix)
    module = image.width / (size + 4)  # a quiet zone of two modules on each side
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            pixel = image.getpixel((int((x + 2.5) * module), int((y + 2.5) * module)))
            assert (pixel < 128) == bool(dark)

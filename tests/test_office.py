"""PDFs, previews, large print and accessibility, checked on what LibreOffice renders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from lessonpack.school.colours import contrast
from tests.helpers import lessonpack

from .conftest import KEY_STAGES, soffice
from .test_libreoffice import text_items

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
DOCS = ("slides", "worksheet", "worksheet-answers", "parent-letter", "lesson-plan", "support-card")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def needs_libreoffice() -> None:
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it")


def test_pdf_option_writes_a_pdf_beside_every_document(tmp_path):
    needs_libreoffice()
    result = lessonpack("generate", "-k", "ks2", "--out", str(tmp_path), "--pdf")
    assert result.exit_code == 0, result.output
    pack = tmp_path / "school" / "ks2"
    for name in DOCS:
        pdf = pack / f"{name}.pdf"
        assert pdf.exists() and str(pdf) in result.output
        assert len(PdfReader(pdf).pages) >= 1
    assert len(PdfReader(pack / "slides.pdf").pages) == len(Presentation(str(pack / "slides.pptx")).slides)


def test_pdf_without_libreoffice_says_how_to_install_and_keeps_the_pack(tmp_path):
    result = lessonpack("generate", "-k", "ks3", "--out", str(tmp_path), "--pdf",
                        env={"PATH": str(tmp_path / "empty-bin")})
    assert result.exit_code == 1
    assert "LibreOffice" in result.output and "apt-get install" in result.output
    assert "The other files were written" in result.output and "Traceback" not in result.output
    pack = tmp_path / "school" / "ks3"
    assert (pack / "slides.pptx").exists() and (pack / "manifest.json").exists()


def test_preview_is_a_png_with_one_tile_per_slide_and_document(tmp_path):
    needs_libreoffice()
    assert lessonpack("generate", "-k", "ks3", "--out", str(tmp_path)).exit_code == 0
    pack = tmp_path / "school" / "ks3"
    result = lessonpack("preview", str(pack))
    assert result.exit_code == 0, result.output
    png = pack / "preview.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(png) as image:
        image.verify()
    with Image.open(png) as image:
        tiles = json.loads(image.text["lessonpack:tiles"])
        width, height = image.size
    slides = len(Presentation(str(pack / "slides.pptx")).slides)
    assert tiles[:slides] == [f"Slide {n}" for n in range(1, slides + 1)]
    assert tiles[slides:] == ["Worksheet", "Worksheet answers", "Parent letter", "Lesson plan",
                              "Support card", "Card sort"]
    rows = -(-len(tiles) // 5)
    assert width == 5 * 332 + 12 and height > rows * 150, "the sheet has room for every tile"
    assert png.stat().st_size < 1_500_000, "small enough to email"
    assert not (pack / "slides.pdf").exists(), "preview leaves the pack as it was"


def test_preview_of_a_folder_that_is_not_a_pack(tmp_path):
    result = lessonpack("preview", str(tmp_path))
    assert result.exit_code == 1 and "not a lesson pack" in result.output


def test_large_print_worksheet_and_letter(tmp_path):
    assert lessonpack("generate", "-k", "ks3", "--out", str(tmp_path), "--large-print").exit_code == 0
    pack = tmp_path / "school" / "ks3"
    for name in ("worksheet.docx", "parent-letter.docx"):
        doc = Document(str(pack / name))
        normal = doc.styles["Normal"]
        assert normal.font.size.pt >= 16 and normal.font.name == "Arial", name
        assert normal.paragraph_format.line_spacing == 1.5
        assert doc.sections[0].left_margin.cm >= 2.49
    plan = Document(str(pack / "lesson-plan.docx"))
    assert plan.styles["Normal"].font.size.pt == 11, "the teacher's plan stays standard"
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["inputs"]["large_print"] is True


def test_large_print_renders_at_16_pt_or_more(tmp_path):
    needs_libreoffice()
    result = lessonpack("generate", "-k", "ks3", "--out", str(tmp_path), "--large-print", "--pdf")
    assert result.exit_code == 0
    for name in ("worksheet", "parent-letter"):
        sizes = [size for page in PdfReader(tmp_path / "school" / "ks3" / f"{name}.pdf").pages
                 for _, _, size, _ in text_items(page)]
        assert sizes and min(sizes) >= 15.9, f"{name}: smallest text {min(sizes)} pt"


def test_documents_body_text_renders_at_11_pt_or_more(tmp_path):
    needs_libreoffice()
    assert lessonpack("generate", "-k", "ks4", "--out", str(tmp_path), "--pdf").exit_code == 0
    for name in (*DOCS[1:], "card-sort"):
        sizes = [size for page in PdfReader(tmp_path / "school" / "ks4" / f"{name}.pdf").pages
                 for _, _, size, _ in text_items(page)]
        # A pocket card is 85 x 55 mm: its back lists six routes at 8 pt; its front is 12 pt,
        # down to 9 pt for a front that names the school and its lead with their contacts.
        smallest = 7.9 if name == "support-card" else 10.9
        assert min(sizes) >= smallest, f"{name}: smallest text {min(sizes)} pt"


FIVE_ROUTES = "".join(
    f'\n[[help_routes]]\nname = "Local Support Service Number {n} for Young People and Families"\n'
    f'audience = "anyone in Exampleshire worried about a child or young person"\n'
    f'phone = "01234 00000{n}"\nwebsite = "https://example.gov.uk/safeguarding/service-{n}"\n'
    for n in range(5)
)


def test_long_name_and_five_extra_routes_never_run_off_a_slide_or_page(tmp_path):
    needs_libreoffice()
    name = ("The Very Long Named Church of England Voluntary Aided Academy of Saint Mary-le-Bow "
            "and Saint Aldhelm, Upper Exampleton")[:120]
    (tmp_path / "school.toml").write_text(f'[school]\nname = "{name}"\n' + FIVE_ROUTES)
    result = lessonpack("generate", "--school", str(tmp_path / "school.toml"), "-k", "all", "--out",
                        str(tmp_path / "o"), "--pdf")
    assert result.exit_code == 0, result.output
    for ks in KEY_STAGES:
        pack = next((tmp_path / "o").iterdir()) / ks
        slides_text = ""
        for number, page in enumerate(PdfReader(pack / "slides.pdf").pages, start=1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            for x, y, size, text in text_items(page):
                slides_text += text
                assert 0 <= x < width and 0 < y < height, f"{ks} slide {number}: {text!r}"
                if size >= 18:
                    assert y > 44, f"{ks} slide {number}: {text!r} runs into the footer"
        assert "Local Support Service Number 4" in " ".join(slides_text.split())
        for doc in DOCS[1:]:
            for page in PdfReader(pack / f"{doc}.pdf").pages:
                width, height = float(page.mediabox.width), float(page.mediabox.height)
                for x, y, _, text in text_items(page):
                    assert 0 <= x < width and 0 < y < height, f"{ks} {doc}: {text!r} off the page"


def test_every_slide_has_a_title_for_screen_readers(packs):
    for (ks, force), pack in packs.items():
        for number, slide in enumerate(Presentation(str(pack / "slides.pptx")).slides, start=1):
            title = slide.shapes.title
            assert title is not None and title.text_frame.text.strip(), f"{ks}/{force} slide {number}"


def test_documents_use_real_headings_and_header_rows(packs):
    pack = packs[("ks3", None)]
    for name in ("worksheet.docx", "worksheet-answers.docx", "parent-letter.docx", "lesson-plan.docx"):
        doc = Document(str(pack / name))
        styles = {p.style.name for p in doc.paragraphs}
        assert {"Heading 1", "Heading 2"} & styles, name
        for table in doc.tables:
            # Lines to write on and cards to cut out are layout, not data: no header row.
            if not table.rows[0]._tr.xpath("string(.)").strip() or len(table.columns) == 1:
                continue
            trpr = table.rows[0]._tr.trPr
            assert trpr is not None and trpr.find(f"{W}tblHeader") is not None, name


def test_colours_meet_wcag_aa(packs):
    slide = Presentation(str(packs[("ks3", None)] / "slides.pptx")).slides[1]
    title = slide.shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb
    assert contrast(f"#{title}", "#FFFFFF") >= 4.5
    # Text on a shape filled with a solid colour (the school's, or a bubble's grey).
    checked = 0
    for s in Presentation(str(packs[("ks3", None)] / "slides.pptx")).slides:
        for shape in s.shapes:
            fill = shape._element.find(f"{P}spPr/{A}solidFill/{A}srgbClr")
            if fill is None or len(fill) or not shape.has_text_frame or not shape.text_frame.text.strip():
                continue  # no fill, a tint (lumMod: nearly white, under dark text), or no text
            for run in (r for p in shape.text_frame.paragraphs for r in p.runs):
                assert contrast(f"#{fill.get('val')}", f"#{run.font.color.rgb}") >= 4.5, shape.name
                checked += 1
    assert checked >= 10


def test_preview_image_in_the_readme_exists():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "docs/preview.png" in readme
    with Image.open(Path(__file__).resolve().parents[1] / "docs" / "preview.png") as image:
        assert image.width > 1000

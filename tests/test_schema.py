"""Every .pptx and .docx lessonpack writes is valid Office 2016 XML, re-opens in
python-pptx/python-docx and converts in LibreOffice, whatever text goes in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from lessonpack.resources import data_dir
from tests.helpers import lessonpack

from .conftest import KEY_STAGES, docx_text, slide_texts, to_pdf
from .full_school import write_full_school

openxml_audit = pytest.importorskip("openxml_audit")  # in the test extras: never absent in CI

C0 = "".join(chr(c) for c in range(0x20))
HOSTILE = f"C0[{C0}] PUA[\ue000\ue001] \ue0000\ue001 NC[\ufffe\uffff] RTL[مرحبا שלום] emoji[🙂👩🏽‍🏫]"
OFFICE = (".pptx", ".docx")


def pack_files(pack: Path) -> list[Path]:
    """Every file the pack's manifest lists, which must be every file in the folder: a new
    document is checked here the day it is added to a pack, with no list to keep."""
    listed = [f["name"] for f in json.loads((pack / "manifest.json").read_text())["files"]]
    assert sorted(p.name for p in pack.iterdir()) == sorted([*listed, "manifest.json"])
    unknown = [name for name in listed if not name.endswith(OFFICE)]
    assert not unknown, f"{pack}: {unknown} are not .pptx or .docx: validate them here too"
    assert any(n.endswith(".pptx") for n in listed) and any(n.endswith(".docx") for n in listed)
    return [pack / name for name in listed]


def validate(pack: Path) -> None:
    """Every file of the pack: zero schema errors, and it opens in python-pptx or python-docx."""
    validate_files(pack_files(pack))


def validate_files(paths: list[Path]) -> None:
    validator = openxml_audit.OpenXmlValidator(file_format=openxml_audit.FileFormat.OFFICE_2016)
    for path in paths:
        result = validator.validate(path)
        assert result.is_valid, f"{path}: {[str(e) for e in result.errors[:5]]}"
        if path.suffix == ".pptx":
            deck = Presentation(str(path))
            assert all(slide.shapes.title is not None for slide in deck.slides)
        else:
            assert Document(str(path)).paragraphs


def converts(packs: list[Path], tmp_path: Path) -> None:
    """All the packs' files in one LibreOffice run: each gives a PDF with pages."""
    files = {f"{i}-{path.stem}": path for i, pack in enumerate(packs) for path in pack_files(pack)}
    for name, pdf in to_pdf(files, tmp_path / "pdf").items():
        assert pdf.exists() and pdf.stat().st_size > 1000, name


def generated(*args: str) -> None:
    result = lessonpack(*args, "--date", "2026-12-01")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def school(tmp_path_factory) -> Path:
    """A full school file: logo (a wide banner), brand colour, deputy DSL, five local
    routes and large print."""
    return write_full_school(tmp_path_factory.mktemp("school"))


def test_default_packs_for_every_key_stage(tmp_path):
    generated("generate", "-k", "all", "--out", str(tmp_path / "out"))
    packs = [tmp_path / "out" / "school" / ks for ks in KEY_STAGES]
    for pack in packs:
        validate(pack)
    converts(packs, tmp_path)


def test_a_bilingual_pack_has_every_file_in_both_languages_and_each_is_valid(tmp_path):
    """`--language en+cy`: the Welsh files beside the English, all in the manifest, all valid."""
    generated("generate", "--force", "south-wales", "--language", "en+cy", "-k", "ks3", "--out",
              str(tmp_path / "out"))
    pack = tmp_path / "out" / "school" / "ks3"
    names = {path.name for path in pack_files(pack)}
    assert {"slides.cy.pptx", "worksheet.cy.docx", "slides.pptx", "parent-letter.docx"} <= names
    validate(pack)


def test_full_school_file_with_large_print(school, tmp_path):
    if "large_print" not in school.read_text():
        pytest.fail("fixture lost its large print")
    text = school.read_text().replace("large_print = true\n", "")  # the option is on the command line
    school.write_text(text, encoding="utf-8")
    generated("generate", "--school", str(school), "-k", "ks3", "--large-print", "--out",
              str(tmp_path / "out"))
    pack = next((tmp_path / "out").glob("*/ks3"))
    validate(pack)
    letter = Document(str(pack / "parent-letter.docx"))
    header = letter.sections[0].first_page_header
    pictures = header._element.xpath(".//wp:inline")
    assert len(pictures) == 1
    extent = pictures[0].find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    section = letter.sections[0]
    assert 0 < int(extent.get("cx")) <= section.page_width - section.left_margin - section.right_margin
    assert "Local route 5" in docx_text(pack / "parent-letter.docx")
    deck = Presentation(str(pack / "slides.pptx"))
    logo = [s for s in deck.slides[0].shapes if s.shape_type == 13][0]
    assert logo.left + logo.width <= deck.slide_width and logo.height >= 1
    converts([pack], tmp_path)


def test_batch_with_a_force_file_holding_hostile_text(tmp_path):
    """A force file's `closing` with every control character cannot corrupt a deck, and
    a forged placeholder prints itself, not another value."""
    escaped = "".join(f"\\x{c:02x}" for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))
    force = tmp_path / "force.yaml"
    force.write_text(f'slug: northumbria\nclosing: "Thanks{escaped} from us \\ue0000\\ue001 done"\n',
                     encoding="utf-8")
    schools = tmp_path / "schools.csv"
    schools.write_text("name,key_stages\nHexham Academy,ks3\n", encoding="utf-8")
    generated("batch", "--force-file", str(force), "--schools", str(schools), "--out", str(tmp_path / "out"),
              "--jobs", "1")
    pack = tmp_path / "out" / "hexham-academy" / "ks3"
    validate(pack)
    closing = [s for s in slide_texts(pack / "slides.pptx") if s[0] == "With thanks"][0]
    assert "Thanks from us 0 done" in closing[1]
    assert "Sextortion" not in closing[1].split("Thanks from us")[1].split("done")[0]


def test_templates_and_values_with_every_hostile_character(tmp_path):
    """Custom templates whose literal text holds every C0 control, U+E000/U+E001, U+FFFE,
    right-to-left text and emoji, in every document."""
    custom = tmp_path / "templates"
    shutil.copytree(data_dir("templates"), custom, ignore=shutil.ignore_patterns("theme"))
    for template in custom.glob("*.md.j2"):
        if template.name.startswith("_"):
            continue
        source = template.read_text(encoding="utf-8")
        # A heading, a paragraph, a list item and a table at the end (a slide of its own).
        notes = f"\n::: notes close\nSay: {HOSTILE}\n:::\n" if template.name == "slides.md.j2" else ""
        template.write_text(source + f"\n\n## Heading {HOSTILE}\n\n{HOSTILE}\n\n- item {HOSTILE}\n\n"
                            f"| a {HOSTILE} | b |\n|---|---|\n| {HOSTILE} | x |\n{notes}",
                            encoding="utf-8")
    school = tmp_path / "school.toml"
    school.write_text('[school]\nname = "مدرسة 🙂 School"\n\n[templates]\ndir = "templates"\n',
                      encoding="utf-8")
    generated("generate", "--school", str(school), "-k", "ks4", "--out", str(tmp_path / "out"))
    pack = next((tmp_path / "out").glob("*/ks4"))
    validate(pack)
    text = "\n".join("\n".join(s) for s in slide_texts(pack / "slides.pptx")) + docx_text(
        pack / "lesson-plan.docx")
    assert "RTL[مرحبا שלום] emoji[🙂👩🏽‍🏫]" in text
    # (python-pptx reads a line break in the notes, written for a vertical tab, as "\v".)
    assert not any(ch in text for ch in "\x00\x01\x0c\x1f\ue000\ue001\ufffe\uffff")
    converts([pack], tmp_path)


def test_lone_surrogates_and_controls_reach_the_writers_and_are_dropped(library, tmp_path):
    """Lone surrogates cannot be in a UTF-8 file, but Python strings can hold them."""
    import datetime as dt

    from lessonpack.pack import build_time  # noqa: F401  (the writers are used directly here)
    from lessonpack.rendering.document import Deck, Heading, Paragraph, Slide, Span, Table
    from lessonpack.rendering.document import Document as Doc
    from lessonpack.writers.docx import write_docx
    from lessonpack.writers.meta import DocMeta
    from lessonpack.writers.pptx import write_pptx

    nasty = HOSTILE + " \ud800 \udfff"
    meta = DocMeta(title=nasty, subject=nasty, author=nasty, keywords=nasty, footer=nasty,
                   when=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), logo_alt=nasty)
    blocks = [Heading(1, (Span(nasty),)), Paragraph((Span(nasty, bold=True),)),
              Table(((Span(nasty),),), (((Span(nasty),),),))]
    deck = library.pptx_theme.paginate(Deck(nasty, [Slide(nasty, blocks=[], notes=nasty, is_title=True),
                                                    Slide(nasty, blocks=blocks, notes=nasty)]))
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "slides.pptx").write_bytes(write_pptx(deck, library.pptx_theme, meta))
    (pack / "document.docx").write_bytes(write_docx(
        Doc(nasty, blocks, header=blocks[:1], letterhead=blocks[1:2]), library.docx_theme, meta))
    validate_files([pack / "slides.pptx", pack / "document.docx"])
    assert Presentation(str(pack / "slides.pptx")).core_properties.title.startswith("C0[\t\n\r]")

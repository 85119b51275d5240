"""`batch` takes each Welsh school's language medium: Welsh medium → the Welsh pack, dual
language and transitional → both, English medium → English with a bilingual letter; a
`language` column overrides it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from lessonpack.batch.schools.language import pack_language
from lessonpack.batch.schools.plan import plan_rows
from lessonpack.batch.schools.reading import read_schools
from tests.helpers import lessonpack
from tests.nation_fixtures import write_wales


def schools_file(folder: Path, rows: list[list[str]], language_column: bool = False) -> Path:
    path = folder / "schools.csv"
    header = ["name", "key_stages", "Welsh Medium Type", *(["language"] if language_column else [])]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def title_of(deck: Path) -> str:
    return Presentation(deck).slides[0].shapes.title.text_frame.text


def test_each_school_gets_its_language_medium_and_a_column_overrides_it(tmp_path):
    path = schools_file(tmp_path, [
        ["Ysgol Gyfun Gymraeg", "ks3", "Welsh medium", ""],
        ["Ysgol Ddwyieithog", "ks3", "Dual Language", ""],
        ["Ysgol Drawsnewid", "ks3", "Transitional", ""],
        ["Pentre High School", "ks3", "English medium", ""],
        ["Ysgol Saesneg Trwy Ddewis", "ks3", "Welsh medium", "en"],
    ], language_column=True)
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "south-wales", "--schools", path, "--out", out,
                        "--jobs", "1", "--date", "2026-12-01")
    assert result.exit_code == 0, result.output

    welsh = out / "ysgol-gyfun-gymraeg" / "ks3"
    assert title_of(welsh / "slides.pptx").startswith("Blacmel rhywiol")
    assert json.loads((welsh / "manifest.json").read_text())["inputs"]["language"] == "cy"
    assert "Annwyl riant neu ofalwr," in [p.text for p in Document(welsh / "parent-letter.docx").paragraphs]

    for both in ("ysgol-ddwyieithog", "ysgol-drawsnewid"):
        folder = out / both / "ks3"
        assert title_of(folder / "slides.cy.pptx").startswith("Blacmel rhywiol")
        assert title_of(folder / "slides.pptx").startswith("Sextortion")
        assert (folder / "lesson-plan.cy.docx").exists()

    english = out / "pentre-high-school" / "ks3"
    assert title_of(english / "slides.pptx").startswith("Sextortion")
    assert not (english / "slides.cy.pptx").exists()
    letter = [p.text for p in Document(english / "parent-letter.docx").paragraphs]
    assert letter.index("Annwyl riant neu ofalwr,") < letter.index("Dear parent or carer,")

    chosen = out / "ysgol-saesneg-trwy-ddewis" / "ks3"
    assert title_of(chosen / "slides.pptx").startswith("Sextortion")
    chosen_letter = [p.text for p in Document(chosen / "parent-letter.docx").paragraphs]
    assert "Annwyl riant neu ofalwr," not in chosen_letter

    # A rerun finds every pack, bilingual ones included, complete and keeps it.
    again = lessonpack("batch", "--force", "south-wales", "--schools", path, "--out", out,
                       "--jobs", "1", "--date", "2026-12-01")
    assert again.exit_code == 0 and again.output.count("] skipped") == 5, again.output


def test_the_welsh_governments_list_gives_each_school_its_language(tmp_path):
    path = write_wales(tmp_path / "address-list-of-schools.ods")
    plans = {p.name: p for p in plan_rows(read_schools(path, areas=["all"], force_nation="wales"))}
    assert plans["Ysgol Gynradd Bro Derw"].language == "cy"  # Welsh medium
    assert plans["Ysgol Calon Powys"].language == "en+cy"  # dual stream
    assert plans["Pentre Comprehensive School"].language == "en+cy-letter"  # English medium


def test_a_bad_language_cell_is_the_rows_one_problem(tmp_path):
    path = schools_file(tmp_path, [["Ysgol A", "ks3", "", "Klingon"]], language_column=True)
    plan, = plan_rows(read_schools(path))
    assert plan.school is None and plan.error.startswith("language: 'Klingon'")


@pytest.mark.parametrize(("language", "medium", "pack"), [
    ("", "Welsh medium", "cy"), ("", "Dual Language", "en+cy"), ("", "Transitional", "en+cy"),
    ("", "English medium", "en+cy-letter"), ("", "", "en"), ("Cymraeg", "English medium", "cy"),
    ("both", "", "en+cy"), ("English", "Welsh medium", "en"),
])
def test_pack_language(language, medium, pack):
    assert pack_language(language, medium) == pack

"""A school's reference .pptx/.docx is an input like any other: odd ones give a warning
or a one-line error naming the file, never a traceback."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from lessonpack import office
from lessonpack.errors import LessonpackError
from lessonpack.resources import data_dir
from tests.helpers import lessonpack

THEME = data_dir("templates") / "theme"


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of a zip with each part's bytes passed through change(name, data)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def renamed(name: str, data: bytes, keep_type: bool) -> bytes:
    if not name.startswith("ppt/slideLayouts/slideLayout"):
        return data
    text = data.decode()
    text = re.sub(r'<p:cSld name="([^"]*)"', lambda m: f'<p:cSld name="Gosodiad {m.group(1)}"', text)
    if not keep_type:
        text = re.sub(r' type="\w+"( preserve)', r' type="cust"\1', text, count=1)
    return text.encode()


def school(tmp_path: Path, pptx: Path | None = None, docx: Path | None = None) -> Path:
    lines = ['[school]\nname = "Test School"\n\n[templates]\n']
    if pptx:
        lines.append(f'reference_pptx = "{pptx.name}"\n')
    if docx:
        lines.append(f'reference_docx = "{docx.name}"\n')
    path = tmp_path / "school.toml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def generate(tmp_path: Path, settings: Path):
    return lessonpack("generate", "--school", str(settings), "-k", "ks3", "--out", str(tmp_path / "out"),
                      "--date", "2026-12-01")


def check(settings: Path):
    return lessonpack("check", "--school", str(settings))


def test_renamed_layouts_are_found_by_type_with_a_warning(tmp_path):
    deck = rewrite(THEME / "reference.pptx", tmp_path / "brand.pptx",
                   lambda n, d: renamed(n, d, keep_type=True))
    result = generate(tmp_path, school(tmp_path, pptx=deck))
    assert result.exit_code == 0, result.output
    assert "Warning: brand.pptx: no layout called 'Title Only'; using 'Gosodiad Title Only'" in result.output
    slides = Presentation(str(next((tmp_path / "out").glob("*/ks3/slides.pptx")))).slides
    assert slides[0].slide_layout.name == "Gosodiad Title Slide"
    assert {s.slide_layout.name for s in list(slides)[1:]} == {"Gosodiad Title Only"}
    report = check(school(tmp_path, pptx=deck))
    assert f"{deck}" in report.output and "no layout called 'Title Slide'" in report.output


def test_missing_layouts_fall_back_to_the_built_in_deck(tmp_path):
    deck = rewrite(THEME / "reference.pptx", tmp_path / "brand.pptx",
                   lambda n, d: renamed(n, d, keep_type=False))
    result = generate(tmp_path, school(tmp_path, pptx=deck))
    assert result.exit_code == 0, result.output
    assert "using the built-in deck instead" in result.output
    slides = Presentation(str(next((tmp_path / "out").glob("*/ks3/slides.pptx")))).slides
    assert slides[1].slide_layout.name == "Title Only"
    report = check(school(tmp_path, pptx=deck))
    assert report.exit_code != 0 and "brand.pptx" in report.output and "built-in deck" in report.output


def _not_a_zip(path: Path, source: Path) -> Path:
    path.write_bytes(b"this is not an Office file")
    return path


def _empty_zip(path: Path, source: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return path


def _no_main_part(path: Path, source: Path) -> Path:
    return rewrite(source, path, lambda n, d: None if n in ("ppt/presentation.xml", "word/document.xml")
                   else d)


def _broken_xml(path: Path, source: Path) -> Path:
    return rewrite(source, path, lambda n, d: d[:200] if n.endswith(("presentation.xml", "document.xml"))
                   else d)


def _no_relationships(path: Path, source: Path) -> Path:
    return rewrite(source, path, lambda n, d: None if n == "_rels/.rels" else d)


@pytest.mark.parametrize("kind", ["pptx", "docx"])
@pytest.mark.parametrize("make", [_not_a_zip, _empty_zip, _no_main_part, _broken_xml, _no_relationships])
def test_odd_reference_documents_give_one_line_naming_the_file(tmp_path, kind, make):
    odd = make(tmp_path / f"brand.{kind}", THEME / f"reference.{kind}")
    settings = school(tmp_path, **{kind: odd})
    result = generate(tmp_path, settings)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "brand." + kind in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pptx"))
    report = check(settings)
    assert report.exit_code == 1 and "Traceback" not in report.output
    assert f"{odd}" in report.output


def test_check_accepts_the_built_in_references(tmp_path):
    settings = school(tmp_path, pptx=THEME / "reference.pptx", docx=THEME / "reference.docx")
    text = settings.read_text().replace('"reference.pptx"', f'"{THEME / "reference.pptx"}"').replace(
        '"reference.docx"', f'"{THEME / "reference.docx"}"')
    settings.write_text(text)
    report = check(settings)
    assert "reference.pptx" not in report.output and "reference.docx" not in report.output, report.output


def test_pdftoppm_failure_is_a_lessonpack_error(tmp_path):
    if not office.shutil.which("pdftoppm"):
        pytest.skip("poppler is not installed; CI installs it")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(LessonpackError, match="pdftoppm could not read bad.pdf"):
        office.pdf_pages_to_png(bad, tmp_path, dpi=30)

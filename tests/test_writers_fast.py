"""The writers' own zip and XML assembly: valid zips, fixed stamps, the logo's alt text."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from PIL import Image
from pptx import Presentation

from lessonpack.pack import build_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.school.logo import Logo
from lessonpack.school.models import School
from lessonpack.writers.opc import ZipEntry, write_zip


def test_write_zip_is_a_valid_zip_stamped_with_the_given_time():
    when = dt.datetime(2026, 3, 4, 5, 6, 8, tzinfo=dt.UTC)
    data = write_zip([ZipEntry.of("a.xml", b"<a/>" * 50), ZipEntry.of("ü/b.bin", b"")], when)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.read("a.xml") == b"<a/>" * 50
        assert archive.namelist() == ["a.xml", "ü/b.bin"]
        assert {i.date_time for i in archive.infolist()} == {(2026, 3, 4, 5, 6, 8)}


def test_title_slide_logo_has_alt_text_and_every_slide_has_notes(library, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (29, 79, 145)).save(logo, "PNG")
    request = PackRequest(key_stage="ks3", force=None,
                          school=School(name="A & B <School>", logo=Logo.read(logo)))
    files = build_pack(library, request)
    assert build_pack(library, request) == files  # byte-identical
    deck = Presentation(io.BytesIO(files["slides.pptx"]))
    pictures = [s for s in deck.slides[0].shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == "Logo of A & B <School>"
    assert pictures[0].width <= 914400 * 2.6
    for slide in deck.slides:
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text

"""Issue 10, item 3: any PNG or JPEG that Pillow opens is embedded correctly, turned by its
EXIF orientation; a decompression bomb is a clear error, never Pillow's raw warning."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from pptx import Presentation

from lessonpack.pack import build_pack
from lessonpack.rendering.context import PackRequest
from lessonpack.school.logo import Logo
from lessonpack.school.models import School

from .hostile import (
    jpeg_density_zero,
    jpeg_rotated,
    jpeg_xmp_first,
    lessonpack,
    png,
    png_claiming_size,
    png_with_phys,
    school_toml,
)


def embedded(files: dict[str, bytes]) -> tuple[Image.Image, Image.Image, tuple[int, int]]:
    """The logo as the letter and the slides hold it, and its drawn size in the letter (EMU)."""
    letter = Document(io.BytesIO(files["parent-letter.docx"]))
    header = letter.sections[0].first_page_header
    [blip] = header._element.xpath(".//a:blip")
    part = header.part.related_parts[blip.get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")]
    [extent] = header._element.xpath(".//wp:extent")
    deck = Presentation(io.BytesIO(files["slides.pptx"]))
    pictures = [s for s in deck.slides[0].shapes if s.shape_type == 13]
    return (Image.open(io.BytesIO(part.blob)), Image.open(io.BytesIO(pictures[0].image.blob)),
            (int(extent.get("cx")), int(extent.get("cy"))))


@pytest.mark.parametrize("make", [
    lambda p: png_with_phys(p / "logo.png", 12),
    lambda p: png_with_phys(p / "logo.png", 0),
    lambda p: jpeg_density_zero(p / "logo.jpg"),
    lambda p: jpeg_xmp_first(p / "logo.jpg"),
], ids=["png-12-px-per-metre", "png-0-px-per-metre", "jpeg-density-0", "jpeg-xmp-first"])
def test_everyday_logos_are_embedded_at_their_shape(library, tmp_path, make):
    path = make(tmp_path)
    with Image.open(path) as original:
        width, height = original.size
    files = build_pack(library, PackRequest(key_stage="ks3", force=None,
                                            school=School(name="Logo School", logo=Logo.read(path))))
    in_letter, on_slide, (cx, cy) = embedded(files)
    assert in_letter.size == on_slide.size == (width, height)
    assert cx / cy == pytest.approx(width / height, rel=0.02)  # not squashed by an odd dpi


def test_exif_orientation_is_applied(library, tmp_path):
    path = jpeg_rotated(tmp_path / "logo.jpg", size=(300, 100))
    files = build_pack(library, PackRequest(key_stage="ks3", force=None,
                                            school=School(name="Turned", logo=Logo.read(path))))
    in_letter, _, (cx, cy) = embedded(files)
    assert in_letter.size == (100, 300)  # upright: taller than wide, as the camera meant
    assert cy > cx


def test_normalised_logos_carry_no_metadata(tmp_path):
    path = jpeg_rotated(tmp_path / "logo.jpg")
    with Image.open(io.BytesIO(Logo.read(path).data)) as image:
        assert not image.getexif() and image.info.get("dpi") == (96, 96)


@pytest.mark.parametrize(("side", "message"), [
    (10_000, "10000×10000 pixels; use one under 40 megapixels"),  # Pillow warns at this size
    (60_000, "too many pixels to open safely"),  # Pillow refuses this one itself
])
def test_a_decompression_bomb_is_a_clear_error_not_a_warning(tmp_path, side, message):
    png_claiming_size(tmp_path / "bomb.png", side, side)
    school_toml(tmp_path, school='logo = "bomb.png"')
    result = lessonpack("check", "--school", "school.toml", cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "line 3: school.logo" in result.stdout and message in result.stdout
    assert "DecompressionBombWarning" not in result.stderr + result.stdout


def test_a_damaged_png_is_named_as_such(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 100)
    with pytest.raises(ValueError, match="damaged PNG"):
        Logo.read(path)


def test_a_png_with_transparency_stays_a_png(tmp_path):
    path = tmp_path / "logo.png"
    Image.new("RGBA", (50, 20), (10, 20, 30, 0)).save(path)
    data = Logo.read(path).data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"


def test_generate_with_a_zero_dpi_logo_succeeds(tmp_path):
    jpeg_density_zero(tmp_path / "logo.jpg")
    png(tmp_path / "unused.png")
    school_toml(tmp_path, school='logo = "logo.jpg"')
    result = lessonpack("generate", "--school", "school.toml", "--date", "2026-12-01",
                        cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(tmp_path / "output" / "hostile-high" / "ks3" / "parent-letter.docx").is_file()

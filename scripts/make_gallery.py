"""Regenerate docs/gallery/*.png, the README's gallery of designed slides and sheets, and
docs/preview.png (scripts/make_preview.py).

    python scripts/make_gallery.py

Makes the KS3 pack for a made-up school with its own colour and logo (so the school's
branding shows), renders it in headless LibreOffice, and keeps a few pages as 128-colour
PNGs. Needs LibreOffice and poppler-utils. The date is fixed, so the pictures only change
when the pack does.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw
from pptx import Presentation

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "docs" / "gallery"
SLIDES = {  # file name → the title of the slide it shows
    "slide-statement": "What is sextortion?",
    "slide-sequence": "How it happens",
    "slide-chat": 'Made-up chat: Ellie and "Jay" (1 of 3)',
    "slide-answers": "Myth or fact? The answers (1 of 4)",
    "slide-checklist": "If it happens: what to do",
    "slide-help": "Where to get help: outside school",
}
SHEETS = {"worksheet": ("worksheet", 1), "card-sort": ("card-sort", 1),
          "support-card-front": ("support-card", 1), "support-card-back": ("support-card", 2)}
SCHOOL = """\
[school]
name = "Oakfield Academy"
logo = "logo.png"
colour = "#0B6E4F"

[dsl]
name = "Ms R Patel"
email = "safeguarding@oakfield.sch.uk"
phone = "01234 567890"

[lesson]
force = "hampshire"
"""


def page_png(pdf: Path, page: int, out: Path, dpi: int) -> None:
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-singlefile", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    str(pdf), str(stem)], check=True)
    Image.open(out).convert("RGB").quantize(128).save(out, optimize=True)


def main() -> None:
    GALLERY.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        logo = Image.new("RGB", (400, 160), "white")
        draw = ImageDraw.Draw(logo)
        draw.ellipse((10, 10, 150, 150), fill=(11, 110, 79))
        draw.rectangle((170, 50, 390, 110), fill=(11, 110, 79))
        logo.save(work / "logo.png")
        (work / "school.toml").write_text(SCHOOL)
        subprocess.run([sys.executable, "-m", "lessonpack.commands.cli", "generate", "--school",
                        str(work / "school.toml"), "-k", "ks3", "--out", str(work / "out"), "--date",
                        "2026-12-01", "--pdf"], check=True, capture_output=True)
        pack = next((work / "out").glob("*/ks3"))
        titles = [s.shapes.title.text_frame.text for s in Presentation(str(pack / "slides.pptx")).slides]
        for name, title in SLIDES.items():
            page_png(pack / "slides.pdf", titles.index(title) + 1, GALLERY / f"{name}.png", 48)
        for name, (document, page) in SHEETS.items():
            page_png(pack / f"{document}.pdf", page, GALLERY / f"{name}.png", 40)
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_preview.py")], check=True)


if __name__ == "__main__":
    main()

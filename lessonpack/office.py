"""Headless LibreOffice and poppler: PDFs of a pack, and a contact-sheet preview.

The optional extras that need programs outside Python; everything here fails with a
clear message saying how to install what is missing.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from lessonpack.errors import LessonpackError, MissingProgramError, ProgramFailedError
from lessonpack.processes import pid_alive, terminate_as_interrupt

DOCUMENT_ORDER = ("slides.pptx", "worksheet.docx", "worksheet-answers.docx", "parent-letter.docx",
                  "lesson-plan.docx", "support-card.docx", "card-sort.docx")
INSTALL_LIBREOFFICE = (
    "install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-impress "
    "libreoffice-writer; Windows/macOS: https://www.libreoffice.org)"
)
INSTALL_POPPLER = "install poppler (Debian/Ubuntu: sudo apt-get install poppler-utils)"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise MissingProgramError(f"LibreOffice (soffice) is not installed: {INSTALL_LIBREOFFICE}")
    return found


def to_pdf(files: list[Path], timeout: int = 600) -> list[Path]:
    """Convert each file to a PDF beside it, in one LibreOffice process.

    A private profile folder keeps a running LibreOffice (the user's own) from
    swallowing the request, and lets conversions run in parallel.
    """
    exe = soffice()
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        by_folder.setdefault(path.parent, []).append(path)
    sweep_profiles()
    with terminate_as_interrupt(), tempfile.TemporaryDirectory(
            prefix=f"lessonpack-lo-{os.getpid()}-") as profile:
        for folder, group in by_folder.items():
            try:
                subprocess.run(
                    [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                     "--convert-to", "pdf", "--outdir", str(folder), *map(str, group)],
                    check=True, capture_output=True, timeout=timeout,
                )
            except subprocess.CalledProcessError as exc:
                detail = exc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
                raise ProgramFailedError(f"LibreOffice could not convert {folder}: {detail[0]}") from None
            except subprocess.TimeoutExpired:
                raise ProgramFailedError(f"LibreOffice took over {timeout} s to convert {folder}") from None
    pdfs = [path.with_suffix(".pdf") for path in files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise LessonpackError(f"LibreOffice did not write {', '.join(missing)}")
    return pdfs


def sweep_profiles() -> None:
    """Remove LibreOffice profiles that a killed run left in the temporary folder.

    A profile is removed at the end of its conversion (or on Ctrl-C and SIGTERM); one
    whose run was killed outright (-9) names a process that no longer exists.
    """
    for folder in Path(tempfile.gettempdir()).glob("lessonpack-lo-*-*"):
        match = re.fullmatch(r"lessonpack-lo-(\d+)-\w+", folder.name)
        if match and not pid_alive(int(match[1])) and _mine(folder):
            shutil.rmtree(folder, ignore_errors=True)


def _mine(folder: Path) -> bool:
    try:
        return folder.lstat().st_uid == os.getuid() and folder.is_dir() and not folder.is_symlink()
    except OSError:
        return False


def pdf_pages_to_png(pdf: Path, folder: Path, dpi: int, first: int = 1,
                     last: int | None = None) -> list[Path]:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise MissingProgramError(f"pdftoppm is not installed: {INSTALL_POPPLER}")
    prefix = folder / pdf.stem
    command = [exe, "-png", "-r", str(dpi), "-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    try:
        subprocess.run([*command, str(pdf), str(prefix)], check=True, capture_output=True, timeout=300)
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise ProgramFailedError(f"pdftoppm could not read {pdf.name}: {detail[0]}") from None
    except subprocess.TimeoutExpired:
        raise ProgramFailedError(f"pdftoppm took over 300 s to read {pdf.name}") from None
    return sorted(folder.glob(f"{pdf.stem}-*.png"))


TILE_WIDTH = 320
LABEL_HEIGHT = 22
GAP = 12
COLUMNS = 5


def preview(pack: Path, out: Path | None = None) -> Path:
    """A contact sheet of every slide and the first page of each document.

    PDFs already beside the files are used; missing ones are converted first.
    """
    if not (pack / "manifest.json").exists():
        raise LessonpackError(f"{pack} is not a lesson pack (no manifest.json)")
    target = out or pack / "preview.png"
    _check_target(target)  # before the minute LibreOffice takes
    documents = [pack / name for name in DOCUMENT_ORDER if (pack / name).exists()]
    pdfs = {d.stem: d.with_suffix(".pdf") for d in documents if d.with_suffix(".pdf").exists()}
    with tempfile.TemporaryDirectory(prefix="lessonpack-preview-") as tmp:
        copies = []
        for document in documents:
            if document.stem not in pdfs:  # convert a copy: the pack itself stays as it was
                copies.append(Path(tmp) / document.name)
                shutil.copyfile(document, copies[-1])
        if copies:
            pdfs.update({pdf.stem: pdf for pdf in to_pdf(copies)})
        return _sheet(documents, pdfs, target)


def _check_target(target: Path) -> None:
    """The preview goes to a new file or over an earlier preview: never through a link,
    over one of a pack's own files, or over anything that is not a PNG."""
    why = ""
    if target.is_symlink():
        why = "it is a link; name a new file"
    elif target.name in _PACK_OWN and (target.parent / "manifest.json").exists():
        why = "it is one of the pack's own files"
    elif target.exists():
        try:
            with target.open("rb") as handle:
                if handle.read(8) != b"\x89PNG\r\n\x1a\n":
                    why = "it exists and is not a PNG; name a new file"
        except OSError as exc:
            why = f"it cannot be read ({exc.strerror or exc})"
    if why:
        raise LessonpackError(f"refusing to write the preview to {target}: {why}")


_PACK_OWN = {*DOCUMENT_ORDER, *(Path(n).with_suffix(".pdf").name for n in DOCUMENT_ORDER),
             "manifest.json", "card-sort.docx", "card-sort.pdf"}


def _replace(target: Path, data: bytes) -> None:
    """A new file beside `target`, renamed over it: a link put there meanwhile is replaced,
    never written through."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _sheet(documents: list[Path], pdfs: dict[str, Path], target: Path) -> Path:
    tiles: list[tuple[str, Image.Image]] = []
    with tempfile.TemporaryDirectory(prefix="lessonpack-png-") as tmp:
        for document in documents:
            pdf = pdfs[document.stem]
            slides = document.suffix == ".pptx"
            pages = pdf_pages_to_png(pdf, Path(tmp), dpi=36 if slides else 30,
                                     last=None if slides else 1)
            for number, page in enumerate(pages, start=1):
                with Image.open(page) as opened:
                    image = opened.convert("RGB")
                    scale = TILE_WIDTH / image.width
                    tile = image.resize((TILE_WIDTH, round(image.height * scale)),
                                        Image.Resampling.LANCZOS)
                label = f"Slide {number}" if slides else document.stem.replace("-", " ").capitalize()
                tiles.append((label, tile))
    rows = [tiles[i:i + COLUMNS] for i in range(0, len(tiles), COLUMNS)]
    heights = [max(t.height for _, t in row) + LABEL_HEIGHT + GAP for row in rows]
    sheet = Image.new("RGB", (COLUMNS * (TILE_WIDTH + GAP) + GAP, sum(heights) + GAP), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    y = GAP
    for row, height in zip(rows, heights, strict=True):
        for column, (label, tile) in enumerate(row):
            x = GAP + column * (TILE_WIDTH + GAP)
            draw.text((x, y + 4), label, fill=(40, 40, 40), font=font)
            sheet.paste(tile, (x, y + LABEL_HEIGHT))
            draw.rectangle((x - 1, y + LABEL_HEIGHT - 1, x + tile.width, y + LABEL_HEIGHT + tile.height),
                           outline=(180, 180, 180))
        y += height
    info = PngImagePlugin.PngInfo()
    info.add_text("lessonpack:tiles", json.dumps([label for label, _ in tiles]))
    # A 128-colour palette keeps the sheet small enough to email; slides are flat colour.
    png = io.BytesIO()
    sheet.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(png, "PNG", optimize=True,
                                                                     pnginfo=info)
    _check_target(target)
    _replace(target, png.getvalue())
    return target

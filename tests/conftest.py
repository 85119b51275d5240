"""Shared fixtures: the built-in library, and packs generated once per test session."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from lessonpack.pack import Library, build_pack, pack_dir, write_pack
from lessonpack.rendering.context import PackRequest

# Tests, and the commands they start, cache in a folder of their own, never the user's.
_CACHE = tempfile.mkdtemp(prefix="lessonpack-test-cache-")
os.environ["LESSONPACK_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
KEY_STAGES = ("ks2", "ks3", "ks4", "ks5")
SEED_FORCES = ("gloucestershire", "cumbria", "staffordshire", "northumbria", "hampshire")
FORCES = (None, *SEED_FORCES, "police-scotland", "psni")
# The seed press releases by source id (shared/seeds/README.md names each file).
SEED_FILES = {
    "seed-gloucestershire": "000_387a3fcd406a1c74.txt",
    "seed-cumbria": "001_99c8a0d6e97f43ec.txt",
    "seed-staffordshire": "002_0ebb0b938215513e.txt",
    "seed-northumbria": "003_22250ca9d49a6efe.txt",
    "seed-hampshire": "004_4fef92b5dc445ff9.txt",
}


@pytest.fixture(scope="session")
def library() -> Library:
    return Library.load()


@pytest.fixture(scope="session")
def packs(library: Library, tmp_path_factory) -> dict[tuple[str, str | None], Path]:
    """Every key stage for the national default and each seed force (and both non-English
    nations), written to disk as the CLI writes them."""
    root = tmp_path_factory.mktemp("packs")
    out: dict[tuple[str, str | None], Path] = {}
    for force in FORCES:
        for ks in KEY_STAGES:
            request = PackRequest(
                key_stage=ks,
                force=library.content.forces_by_slug[force] if force else None,
            )
            target = pack_dir(root / (force or "national"), request.school.slug, ks)
            write_pack(build_pack(library, request), target, overwrite=False)
            out[(ks, force)] = target
    return out


def slide_texts(path: Path) -> list[tuple[str, str, str]]:
    """(title, body text, notes) for each slide."""
    slides = []
    for slide in Presentation(str(path) if isinstance(path, Path) else path).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title else ""
        body = []
        for shape in slide.shapes:
            if shape == slide.shapes.title:
                continue
            if shape.has_text_frame:
                body.append(shape.text_frame.text)
            if shape.has_table:
                body += [cell.text for row in shape.table.rows for cell in row.cells]
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append((title, "\n".join(body), notes))
    return slides


def docx_text(path: Path) -> str:
    doc = Document(str(path) if isinstance(path, Path) else path)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.first_page_header.paragraphs]
    return "\n".join(parts)


def pack_text(pack: Path, name: str) -> str:
    if name.endswith(".pptx"):
        return "\n".join("\n".join(s) for s in slide_texts(pack / name))
    return docx_text(pack / name)


def words_found(text: str, phrases: list[str]) -> list[str]:
    """Which phrases start a word in `text` ("sex" finds "sexual" too, not "Sussex")."""
    lowered = re.sub(r"\s+", " ", text.lower())
    return [p for p in phrases if re.search(r"\b" + re.escape(p.lower()), lowered)]


def soffice() -> str | None:
    """LibreOffice, which CI must have; elsewhere a test may skip without it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("CI") == "true":
        pytest.fail("CI=true but LibreOffice (soffice) is not installed: .ci/run must install it")
    return found


def to_pdf(files: dict[str, Path], outdir: Path) -> dict[str, Path]:
    """Convert with headless LibreOffice, one process for all the files.

    `files` maps a unique name (without extension) to each file, since packs share
    file names.
    """
    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it")
    staging = outdir / "in"
    staging.mkdir(parents=True, exist_ok=True)
    inputs = []
    for name, path in files.items():
        copy = staging / f"{name}{path.suffix}"
        shutil.copyfile(path, copy)
        inputs.append(copy)
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{outdir / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, inputs)],
        check=True, capture_output=True, timeout=900,
    )
    return {name: outdir / f"{name}.pdf" for name in files}

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
# The project's source documents live beside the repository, not in it: CONTENT.md (the
# help routes and the safe-teaching rules) and seeds/ (the forces' press releases).
# LESSONPACK_SHARED points elsewhere (tests/test_source_documents.py points it at nothing).
SHARED = Path(os.environ.get("LESSONPACK_SHARED") or REPO.parent / "shared")
# What the checks that read them cover, for the note when they are not run.
SOURCE_CHECKS = (
    "every help-route and national contact is in CONTENT.md; each seed force's name and "
    "contacts are in its press release; quotes are verbatim, and figures, amounts and each "
    "case study's sentences are in the article they cite"
)
NOT_HERE = "source documents not here"  # starts the reason each such test is skipped with
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


class SourceDocuments:
    """CONTENT.md and the seed articles, read as the tests check content against them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def content_md(self) -> str:
        return (self.root / "CONTENT.md").read_text(encoding="utf-8")

    def seed(self, file: str) -> str:
        path = self.root / "seeds" / file
        assert path.is_file(), f"missing seed article {path}"
        return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def source_documents() -> SourceDocuments:
    """The one way a test reads the source documents: run whenever they are there; under
    CI=true fail when they are not; elsewhere skip, and say so at the end of the run."""
    missing = [p for p in (SHARED / "CONTENT.md", SHARED / "seeds") if not p.exists()]
    if not missing:
        return SourceDocuments(SHARED)
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {missing[0]} is missing: the content cannot be checked "
                    "against its source documents without it", pytrace=False)
    pytest.skip(f"{NOT_HERE}: {missing[0]} is missing")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "source_documents: checks content against CONTENT.md "
                            "and the seeds (given to every test that reads them)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `pytest -m source_documents` runs just these checks.
    for item in items:
        if "source_documents" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.source_documents)


def pytest_terminal_summary(terminalreporter) -> None:
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if isinstance(r.longrepr, tuple) and NOT_HERE in str(r.longrepr[2])]
    if not skipped:
        return
    terminalreporter.section("content not checked against its source documents", yellow=True)
    terminalreporter.write_line(
        f"{len(skipped)} checks did not run: {SHARED} (CONTENT.md and seeds/) is not here. "
        f"They check that {SOURCE_CHECKS}.")
    terminalreporter.write_line(
        "To run them, put the project's shared folder beside this one (../shared) or set "
        "LESSONPACK_SHARED to it, then: python -m pytest -m source_documents. "
        "CI runs them always (under CI=true they fail when the folder is missing).")


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

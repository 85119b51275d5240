"""Issue 23 (leaks): a pack carries only what lessonpack put in it.

A school's reference documents give styles, layouts, page set-up, theme and fonts; their
comments, custom properties, people, thumbnails, attached templates and anything else not
on the allow-list stay behind, and `check` says what it found. A broken one is one line.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

import docx
import pptx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from lessonpack.errors import LessonpackError
from lessonpack.writers.docx_reference import read_reference as read_docx
from lessonpack.writers.pptx_reference import read_reference as read_pptx

from .hostile import (
    SECRETS,
    THEME,
    leaky_docx,
    leaky_pptx,
    lessonpack,
    refused_quickly,
    zip_member_patched,
)

PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def school(folder: Path, docx_name: str | None = None, pptx_name: str | None = None) -> Path:
    lines = ['[school]\nname = "Leaky School"\n[templates]\n']
    if docx_name:
        lines.append(f'reference_docx = "{docx_name}"\n')
    if pptx_name:
        lines.append(f'reference_pptx = "{pptx_name}"\n')
    (folder / "school.toml").write_text("".join(lines))
    return folder / "school.toml"


def dangling(archive: zipfile.ZipFile) -> list[str]:
    """Internal relationships whose target part is not in the file."""
    names = set(archive.namelist())
    out = []
    for name in names:
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        for rel in etree.fromstring(archive.read(name)).iter(f"{PR}Relationship"):
            if rel.get("TargetMode") == "External":
                out.append(f"{name}: external {rel.get('Target')}")
                continue
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            if part not in names:
                out.append(f"{name}: {target}")
    return out


def test_a_working_documents_private_parts_never_reach_a_pack(tmp_path):
    leaky_docx(tmp_path / "letterhead.docx")
    leaky_pptx(tmp_path / "deck.pptx")
    for original in ("letterhead.docx", "deck.pptx"):  # the leaks are really there
        with zipfile.ZipFile(tmp_path / original) as archive:
            blob = b"".join(archive.read(n) for n in archive.namelist())
        assert any(secret in blob for secret in SECRETS)
    school(tmp_path, "letterhead.docx", "deck.pptx")
    result = lessonpack("generate", "--school", "school.toml", "-k", "ks3", "--out", "out",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pack = tmp_path / "out" / "leaky-school" / "ks3"
    files = sorted(pack.glob("*.docx")) + sorted(pack.glob("*.pptx"))
    assert len(files) >= 6
    for path in files:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            blob = b"".join(archive.read(n) for n in names)
            assert not [s for s in SECRETS if s in blob], path
            assert not [n for n in names if any(w in n.lower() for w in (
                "comment", "custom", "people", "thumbnail", "docprops/app"))], (path, names)
            assert dangling(archive) == [], path
        (docx.Document if path.suffix == ".docx" else pptx.Presentation)(str(path))
    # The school's styles still arrive: the letterhead's style ids are those of its source.
    assert docx.Document(str(pack / "parent-letter.docx")).styles["Heading 1"] is not None


def test_check_says_what_a_reference_document_holds_that_packs_leave_out(tmp_path):
    leaky_docx(tmp_path / "letterhead.docx")
    leaky_pptx(tmp_path / "deck.pptx")
    school(tmp_path, "letterhead.docx", "deck.pptx")
    result = lessonpack("check", "--school", "school.toml", cwd=tmp_path, timeout=120)
    lines = result.stdout.splitlines()
    assert (f"warning: {tmp_path}/letterhead.docx: left out of every pack: custom document "
            "properties, comments, people, an attached template "
            "(https://outside.example/t.dotm)") in lines, result.stdout
    assert (f"warning: {tmp_path}/deck.pptx: left out of every pack: a thumbnail picture, "
            "comment authors") in lines, result.stdout


def test_the_built_in_references_hold_nothing_to_leave_out():
    from lessonpack.writers.opc import Package
    from lessonpack.writers.sanitise import sanitise

    for name in ("reference.docx", "reference.pptx"):
        path = THEME / name
        assert sanitise(Package(path, path.read_bytes())) == []


BROKEN = {
    "encrypted": (lambda src, dst: zip_member_patched(src, dst, "word/styles.xml", encrypted=True),
                  "docx", "is encrypted (a part needs a password); save it again without one"),
    "deflate64": (lambda src, dst: zip_member_patched(src, dst, "word/styles.xml", method=9),
                  "docx", "is compressed in a way Office files never are"),
    "unknown method": (lambda src, dst: zip_member_patched(src, dst, "ppt/presentation.xml",
                                                           method=99),
                       "pptx", "is compressed in a way Office files never are"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_zip_member_is_one_line_in_generate_and_check(tmp_path, case):
    make, kind, words = BROKEN[case]
    make(THEME / f"reference.{kind}", tmp_path / f"own.{kind}")
    school(tmp_path, **{f"{kind}_name": f"own.{kind}"})
    line = refused_quickly("generate", "--school", "school.toml", "-k", "ks3", "--out", "out",
                           cwd=tmp_path)
    assert line.startswith(f"Error: own.{kind} ") and words in line, line
    assert not (tmp_path / "out").exists()
    line = refused_quickly("check", "--school", "school.toml", cwd=tmp_path, limit=10)
    assert words in line, line


def test_a_slide_size_that_is_not_a_number_is_one_line(tmp_path):
    with zipfile.ZipFile(THEME / "reference.pptx") as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["ppt/presentation.xml"] = parts["ppt/presentation.xml"].replace(
        b'cx="12192000"', b'cx="wide"')
    with zipfile.ZipFile(tmp_path / "own.pptx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    school(tmp_path, pptx_name="own.pptx")
    line = refused_quickly("generate", "--school", "school.toml", "-k", "ks3", "--out", "out",
                           cwd=tmp_path)
    assert line == "Error: own.pptx: the slide size is not a number (cx='wide', cy='6858000')", line


def test_a_deck_given_as_the_document_and_the_other_way_are_one_line(tmp_path):
    (tmp_path / "deck.docx").write_bytes((THEME / "reference.pptx").read_bytes())
    school(tmp_path, docx_name="deck.docx")
    line = refused_quickly("generate", "--school", "school.toml", "-k", "ks3", "--out", "out",
                           cwd=tmp_path)
    assert line.startswith("Error: deck.docx is a PowerPoint deck or another file, not a Word "
                           "document"), line
    (tmp_path / "letter.pptx").write_bytes((THEME / "reference.docx").read_bytes())
    school(tmp_path, pptx_name="letter.pptx")
    line = refused_quickly("generate", "--school", "school.toml", "-k", "ks3", "--out", "out",
                           cwd=tmp_path)
    assert line.startswith("Error: letter.pptx is a Word document or another file, not a "
                           "PowerPoint deck"), line


# --- fuzzing: any damage to a reference document is a ReferenceDocumentError -------------

SOURCES = {kind: (THEME / f"reference.{kind}").read_bytes() for kind in ("docx", "pptx")}
PARTS = {kind: zipfile.ZipFile(THEME / f"reference.{kind}").namelist() for kind in SOURCES}


@st.composite
def damaged(draw):
    """A reference document with one part's XML cut, flipped or replaced, or its zip
    bytes flipped."""
    import io

    kind = draw(st.sampled_from(sorted(SOURCES)))
    data = SOURCES[kind]
    if draw(st.booleans()):
        blob = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            blob[draw(st.integers(0, len(blob) - 1))] = draw(st.integers(0, 255))
        return kind, bytes(blob)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    name = draw(st.sampled_from(PARTS[kind]))
    how = draw(st.sampled_from(["cut", "text", "drop"]))
    if how == "cut":
        parts[name] = parts[name][:draw(st.integers(0, len(parts[name])))]
    elif how == "text":
        parts[name] = draw(st.binary(max_size=200))
    else:
        del parts[name]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part, body in parts.items():
            archive.writestr(part, body)
    return kind, out.getvalue()


@settings(max_examples=120, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_a_damaged_reference_document_is_a_lessonpack_error_or_usable(case):
    kind, data = case
    path = Path(f"own.{kind}")
    try:
        (read_docx if kind == "docx" else read_pptx)(path, data)
    except LessonpackError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 400

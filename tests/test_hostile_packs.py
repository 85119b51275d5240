"""Issue 23 (data loss): nothing that is not a pack is ever deleted or replaced.

A pack folder is known by its manifest and the files it lists. `--overwrite` and a batch
replace only such a folder; a folder that holds anything else, or holds an input of the
run, is refused in one line and left exactly as it was; `preview` never writes through a
link nor over a pack's own files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lessonpack.output import not_a_pack

from .hostile import lessonpack, png, refused_quickly


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes (links as where they point)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            out[key] = path.read_bytes()
    return out


def test_overwrite_never_deletes_a_teachers_own_folder(tmp_path):
    (tmp_path / "notes" / "ks3").mkdir(parents=True)
    (tmp_path / "notes" / "ks3" / "plan.txt").write_text("my own lesson notes")
    (tmp_path / "school.toml").write_text('[school]\nname = "Notes"\n')
    before = tree(tmp_path)
    line = refused_quickly("generate", "--school", "school.toml", "--key-stage", "ks3",
                           "--out", ".", "--overwrite", cwd=tmp_path)
    assert line == (f"Error: refusing to replace {tmp_path}/notes/ks3: it holds 'plan.txt' and no "
                    "manifest.json, so it is not a lessonpack pack; move what is there, "
                    "or choose another --out"), line
    assert tree(tmp_path) == before


def test_overwrite_never_deletes_the_logo_the_run_reads(tmp_path):
    logo = png((tmp_path / "hostile-two-school" / "ks3").mkdir(parents=True) or
               tmp_path / "hostile-two-school" / "ks3" / "logo.png")
    (tmp_path / "school.toml").write_text(
        '[school]\nname = "Hostile Two School"\nlogo = "hostile-two-school/ks3/logo.png"\n')
    before = tree(tmp_path)
    line = refused_quickly("generate", "--school", "school.toml", "--key-stage", "ks3",
                           "--out", ".", "--overwrite", cwd=tmp_path)
    assert line == (f"Error: refusing to write {tmp_path}/hostile-two-school/ks3: it would replace "
                    f"the input {logo}; choose another --out"), line
    assert tree(tmp_path) == before


def test_overwrite_never_deletes_the_templates_the_run_reads(tmp_path):
    templates = tmp_path / "out" / "hostile-high" / "ks3" / "templates"
    templates.mkdir(parents=True)
    (templates / "slides.md.j2").write_text("# {{ school.name }}\n")
    (tmp_path / "school.toml").write_text(
        '[school]\nname = "Hostile High"\n[templates]\ndir = "out/hostile-high/ks3/templates"\n')
    before = tree(tmp_path)
    line = refused_quickly("generate", "--school", "school.toml", "--key-stage", "ks3",
                           "--out", "out", "--overwrite", cwd=tmp_path)
    assert "it would replace the input" in line and "templates" in line, line
    assert tree(tmp_path) == before


def test_overwrite_still_replaces_a_pack(tmp_path):
    first = lessonpack("generate", "-k", "ks3", "--out", "out", "--date", "2026-12-01", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    pack = tmp_path / "out" / "school" / "ks3"
    again = lessonpack("generate", "-k", "ks3", "--out", "out", "--date", "2027-01-15",
                       "--overwrite", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads((pack / "manifest.json").read_text())["inputs"]["date"] == "2027-01-15"


@pytest.mark.parametrize("spoil", ["extra file", "folder", "link", "manifest not ours",
                                   "manifest not json", "manifest too deep", "listed path"])
def test_a_pack_folder_with_anything_else_in_it_is_not_a_pack(tmp_path, spoil):
    result = lessonpack("generate", "-k", "ks3", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pack = tmp_path / "out" / "school" / "ks3"
    assert not_a_pack(pack) is None
    manifest = pack / "manifest.json"
    if spoil == "extra file":
        (pack / "my-notes.docx").write_bytes(b"mine")
    elif spoil == "folder":
        (pack / "photos").mkdir()
    elif spoil == "link":
        (pack / "slides.pptx").unlink()
        (pack / "slides.pptx").symlink_to(tmp_path / "elsewhere.pptx")
    elif spoil == "manifest not ours":
        manifest.write_text('{"files": []}')
    elif spoil == "manifest not json":
        manifest.write_text("not json")
    elif spoil == "manifest too deep":
        manifest.write_text("[" * 100_000 + "]" * 100_000)
    else:
        data = json.loads(manifest.read_text())
        data["files"].append({"name": "../../../private.txt"})
        manifest.write_text(json.dumps(data))
    assert not_a_pack(pack) is not None
    before = tree(tmp_path / "out")
    line = refused_quickly("generate", "-k", "ks3", "--out", "out", "--overwrite", cwd=tmp_path)
    assert line.startswith(f"Error: refusing to replace {tmp_path}/out/school/ks3: "), line
    assert tree(tmp_path / "out") == before


def test_batch_without_overwrite_never_replaces_a_folder_that_is_not_a_pack(tmp_path):
    own = tmp_path / "out" / "hostile-high" / "ks3"
    own.mkdir(parents=True)
    (own / "notes.txt").write_text("mine")
    (tmp_path / "schools.csv").write_text("name,key_stages\nHostile High,ks3\nOther School,ks3\n")
    for extra in ((), ("--overwrite",)):
        result = lessonpack("batch", "--schools", "schools.csv", "--force", "hampshire",
                            "--out", "out", *extra, cwd=tmp_path)
        assert result.returncode == 1, result.stdout + result.stderr
        assert (f"failed  row 2: Hostile High ks3: refusing to replace {own}: it holds "
                "'notes.txt' and no manifest.json") in result.stdout
        assert sorted(p.name for p in own.iterdir()) == ["notes.txt"]
        assert (own / "notes.txt").read_text() == "mine"
        assert (tmp_path / "out" / "other-school" / "ks3" / "manifest.json").is_file()


def test_preview_never_writes_through_a_link_nor_over_a_pack_file(tmp_path):
    result = lessonpack("generate", "-k", "ks3", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pack = tmp_path / "out" / "school" / "ks3"
    private = tmp_path / "private.txt"
    private.write_text("not to be touched")
    (pack / "preview.png").symlink_to(private)
    line = refused_quickly("preview", str(pack), cwd=tmp_path)
    assert line == (f"Error: refusing to write the preview to {pack}/preview.png: "
                    "it is a link; name a new file"), line
    assert private.read_text() == "not to be touched"
    deck = (pack / "slides.pptx").read_bytes()
    line = refused_quickly("preview", str(pack), "--out", str(pack / "slides.pptx"), cwd=tmp_path)
    assert line == (f"Error: refusing to write the preview to {pack}/slides.pptx: "
                    "it is one of the pack's own files"), line
    assert (pack / "slides.pptx").read_bytes() == deck
    line = refused_quickly("preview", str(pack), "--out", str(private), cwd=tmp_path)
    assert "it exists and is not a PNG" in line
    assert private.read_text() == "not to be touched"

"""Issue 23 (index): `lessonpack index` reads only files inside FOLDER, never through a
link, only the files a pack should have, each within its cap; a broken index is one line."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonpack.batch.index_read import BadManifest, read_manifest

from .hostile import lessonpack, refused_quickly


@pytest.fixture
def packs(tmp_path) -> Path:
    (tmp_path / "schools.csv").write_text("name,key_stages\nFirst School,ks3\nSecond School,ks3\n")
    result = lessonpack("batch", "--schools", "schools.csv", "--force", "hampshire", "--out", "out",
                        "--date", "2026-12-01", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path / "out"


def index(out: Path, limit: float = 2.0):
    started = time.monotonic()
    result = lessonpack("index", str(out), cwd=out.parent)
    assert time.monotonic() - started < limit
    return result, json.loads((out / "index.json").read_text()) if result.returncode != 2 else None


def entry(document: dict, folder: str) -> dict:
    slug, key_stage = folder.split("/")  # a failed pack's entry names no folder
    return next(p for p in document["packs"] if (p["slug"], p["key_stage"]) == (slug, key_stage))


def test_a_manifest_naming_a_file_outside_the_pack_is_not_followed(packs, tmp_path):
    private = tmp_path / "private.txt"
    private.write_text("private")
    manifest = packs / "first-school" / "ks3" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["files"].append({"name": "../../../private.txt", "bytes": 7, "sha256": "0" * 64})
    manifest.write_text(json.dumps(data))
    result, document = index(packs)
    assert result.returncode == 1
    first = entry(document, "first-school/ks3")
    assert first["status"] == "failed"
    assert "names '../../../private.txt', not a file a pack holds" in first["reason"]
    text = (packs / "index.json").read_text() + (packs / "index.csv").read_text()
    assert "private.txt" not in text.replace(first["reason"], "")
    assert entry(document, "second-school/ks3")["status"] == "ok"


def test_a_school_folder_that_links_out_of_folder_is_not_indexed(packs, tmp_path):
    outside = tmp_path / "elsewhere"
    (packs / "second-school").rename(outside)
    (packs / "linked-school").symlink_to(outside, target_is_directory=True)
    (packs / "index.json").unlink()
    result, document = index(packs)
    assert [(p["slug"], p["status"]) for p in document["packs"]] == [("first-school", "ok")]


@pytest.mark.parametrize("make", ["dev-zero link", "sparse 10 GB", "fifo"])
def test_a_pack_file_that_is_a_device_or_huge_is_refused_at_once(packs, make):
    deck = packs / "first-school" / "ks3" / "slides.pptx"
    deck.unlink()
    if make == "dev-zero link":
        deck.symlink_to("/dev/zero")
    elif make == "sparse 10 GB":
        with deck.open("wb") as handle:
            handle.truncate(10 * 1024**3)
    else:
        os.mkfifo(deck)
    result, document = index(packs)
    first = entry(document, "first-school/ks3")
    assert first["status"] == "failed" and first["reason"].startswith("slides.pptx: "), first
    assert "slides.pptx" not in [f["name"] for f in first.get("files", [])]


@pytest.mark.parametrize(("packs_value", "words"), [
    ([1, 2], "pack 1: is int, not an object"),
    ([{"folder": "first-school/ks3", "school": ["not", "text"]}], "pack 1: school is not text"),
    ([{"folder": "../../etc/ks3"}], "pack 1: folder '../../etc/ks3' is not <school>/<key stage>"),
    ([{"slug": "../../private"}], "pack 1: slug '../../private' is not a folder name"),
    ([{"row": "2"}], "pack 1: row is not a row number"),
    ("nested", "nested too deeply"),
])
def test_an_index_that_lessonpack_did_not_write_is_one_line(packs, packs_value, words):
    path = packs / "index.json"
    if packs_value == "nested":
        path.write_text('{"packs": ' + "[" * 100_000 + "]" * 100_000 + "}")
    else:
        path.write_text(json.dumps({"packs": packs_value}))
    line = refused_quickly("index", str(packs), cwd=packs.parent)
    assert line.startswith(f"Error: {path}: ") and words in line, line


def test_a_manifest_nested_100000_deep_fails_its_pack_in_one_line(packs):
    (packs / "first-school" / "ks3" / "manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    result, document = index(packs)
    first = entry(document, "first-school/ks3")
    assert first["reason"] == "manifest.json unreadable: nested too deeply to be one lessonpack wrote"


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.sampled_from(["inputs", "files", "school", "name",
                                                       "sha256", "x"]), inner, max_size=4),
                    max_leaves=30)


@settings(max_examples=300, deadline=500)
@given(JSON)
def test_any_json_as_a_manifest_is_read_or_refused_in_one_line(tmp_path_factory, value):
    folder = tmp_path_factory.mktemp("pack")
    (folder / "manifest.json").write_text(json.dumps(value))
    try:
        _, school, listed = read_manifest(folder)
    except BadManifest as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 200
    else:
        assert isinstance(school, str)
        assert all("/" not in name and not name.startswith(".") for name in listed)

"""The batch's own work around each pack: rows sent to workers several at a time, leftovers
found with one listing per folder, and the index still true to what is on disk."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lessonpack.batch.row import _add_record, clean_stale, zip_leftovers_by_school
from lessonpack.errors import OutputError
from lessonpack.output import check_not_inputs
from tests.helpers import lessonpack

DATE = "2026-12-01"


def batch(schools: Path, out: Path, *extra: str):
    return lessonpack("batch", "--force", "kent", "--schools", str(schools), "--out", str(out), "--date",
                      DATE, *extra)


def files_on_disk(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith("index")}


def test_many_rows_in_two_workers_give_every_pack_in_order_and_resume(tmp_path):
    # 40 rows with --jobs 2: each task carries several rows.
    rows = [f"Pool School {i},{'ks3;ks4' if i % 10 == 0 else 'ks3'}" for i in range(40)]
    rows[17] = "Broken Row School,ks9"
    schools = tmp_path / "schools.csv"
    schools.write_text("name,key_stages\n" + "\n".join(rows) + "\n", encoding="utf-8")
    two, one = tmp_path / "two", tmp_path / "one"

    result = batch(schools, two, "--jobs", "2", "--zip")
    assert result.exit_code == 1, result.output  # the broken row
    index = json.loads((two / "index.json").read_text())
    packs = index["packs"]
    assert [(p["row"], p["key_stage"]) for p in packs] == [
        (line, ks) for line, row in enumerate(rows, start=2)
        for ks in ([None] if "ks9" in row else row.split(",")[1].split(";"))
    ]
    assert index["summary"] == {"packs": 44, "ok": 43, "skipped": 0, "failed": 1}
    failed = [p for p in packs if p["status"] == "failed"]
    assert [p["row"] for p in failed] == [19] and "key_stages" in failed[0]["reason"]
    for entry in packs:
        if entry["status"] == "ok":
            listed = {f["name"]: f for f in entry["files"]}
            assert set(listed) == {"slides.pptx", "worksheet.docx", "worksheet-answers.docx",
                                   "parent-letter.docx", "lesson-plan.docx", "support-card.docx",
                                   "card-sort.docx", "manifest.json"}
            for name, f in listed.items():
                data = (two / entry["folder"] / name).read_bytes()
                assert f["bytes"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest()
            raw = (two / entry["folder"] / "manifest.json").read_text(encoding="utf-8")
            manifest = json.loads(raw)
            assert list(manifest)[-1] == "batch" and len(manifest["batch"]["inputs_sha256"]) == 64
            assert raw == json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
            zipped = (two / entry["zip"]["name"]).read_bytes()
            assert entry["zip"]["sha256"] == hashlib.sha256(zipped).hexdigest()
    fingerprints = [json.loads((two / "pool-school-0" / ks / "manifest.json").read_text())
                    ["batch"]["inputs_sha256"] for ks in ("ks3", "ks4")]
    assert fingerprints[0] != fingerprints[1]  # each key stage has its own

    # The same packs, byte for byte, from one process.
    assert batch(schools, one, "--jobs", "1", "--zip").exit_code == 1
    assert files_on_disk(one) == files_on_disk(two)

    # Run again: every good pack is complete and current, so each is skipped.
    again = batch(schools, two, "--jobs", "2", "--zip")
    summary = json.loads((two / "index.json").read_text())["summary"]
    assert summary == {"packs": 44, "ok": 0, "skipped": 43, "failed": 1}, again.output


def test_leftovers_are_the_schools_own_and_nothing_else(tmp_path):
    out = tmp_path / "out"
    school = out / "alpha"
    (school / "ks3").mkdir(parents=True)
    (school / "ks3" / "slides.pptx").write_bytes(b"new")
    for name in (".ks3.partial-x1", ".ks4.partial-x2", ".ks3.old-77", ".ks5.old-78"):
        (school / name).mkdir()
        (school / name / "slides.pptx").write_bytes(name.encode())
    (school / ".keep").write_text("not ours")
    (school / ".partial-lookalike").write_text("not ours either")
    for name in (".alpha.zip.partial-1-a", ".alpha-2.zip.partial-1-b", ".other.zip.partial-2-c"):
        (out / name).write_bytes(b"half a zip")

    found = zip_leftovers_by_school(out)
    assert found == {"alpha": [".alpha.zip.partial-1-a"], "alpha-2": [".alpha-2.zip.partial-1-b"],
                     "other": [".other.zip.partial-2-c"]}
    clean_stale(out, "alpha", found["alpha"])

    # ks5's old pack had no new one: it is put back. ks3's new pack arrived: the old goes.
    assert sorted(p.name for p in school.iterdir()) == [".keep", ".partial-lookalike", "ks3", "ks5"]
    assert (school / "ks3" / "slides.pptx").read_bytes() == b"new"
    assert (school / "ks5" / "slides.pptx").read_bytes() == b".ks5.old-78"
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == [
        ".alpha-2.zip.partial-1-b", ".other.zip.partial-2-c"]
    # --out may itself be a link to the real folder.
    linked = tmp_path / "linked-out"
    linked.symlink_to(out)
    assert zip_leftovers_by_school(linked) == {"alpha-2": [".alpha-2.zip.partial-1-b"],
                                               "other": [".other.zip.partial-2-c"]}


def test_a_linked_school_folder_is_not_listed_or_cleaned(tmp_path):
    victim = tmp_path / "victim"
    (victim / ".ks3.partial-x").mkdir(parents=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "alpha").symlink_to(victim)
    clean_stale(out, "alpha")
    assert (victim / ".ks3.partial-x").is_dir()


def test_outputs_that_would_replace_an_input_are_refused(tmp_path):
    out = tmp_path / "out"
    (out / "alpha").mkdir(parents=True)
    schools = tmp_path / "schools.csv"
    schools.write_text("name,key_stages\n")
    logo = out / "alpha" / "ks3" / "crest.png"  # inside a pack folder that would be replaced
    logo.parent.mkdir()
    logo.write_bytes(b"png")
    outputs = [out / "index.csv", out / "alpha" / "ks3", out / "alpha.zip", out / "beta" / "ks3"]

    with pytest.raises(OutputError, match=r"alpha/ks3: it would replace the input .*crest\.png"):
        check_not_inputs(outputs, [schools, logo])
    (out / "index.csv").write_text("name,key_stages\n")  # the schools file, named index.csv
    with pytest.raises(OutputError, match="index.csv"):
        check_not_inputs(outputs, [out / "index.csv"])
    os.link(schools, out / "alpha.zip")  # the same file under the zip's name
    with pytest.raises(OutputError, match="alpha.zip"):
        check_not_inputs(outputs, [schools])
    (out / "alpha.zip").unlink()
    (out / "beta").symlink_to(tmp_path / "elsewhere")  # a dangling link: nothing to replace
    check_not_inputs(outputs, [schools, tmp_path / "missing.png"])
    (tmp_path / "elsewhere" / "ks3").mkdir(parents=True)
    (tmp_path / "elsewhere" / "ks3" / "logo.png").write_bytes(b"png")
    with pytest.raises(OutputError, match="beta/ks3"):  # through the link, into the input's folder
        check_not_inputs(outputs, [tmp_path / "elsewhere" / "ks3" / "logo.png"])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8)


@given(st.dictionaries(st.text(), JSON_VALUES, max_size=5), st.text())
def test_the_batch_record_is_added_as_json_would_write_it(manifest, fingerprint):
    raw = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    added = _add_record(raw, {"inputs_sha256": fingerprint})
    expected = {**manifest, "batch": {"inputs_sha256": fingerprint}}
    if added is None:  # only where splicing cannot be right: the caller encodes it all
        assert not manifest or "batch" in manifest
    else:
        assert added == (json.dumps(expected, indent=2, ensure_ascii=False) + "\n").encode()

"""Issue 10, items 4, 5, 6 and 9 (output): writing never touches the inputs or anything
outside --out; --overwrite is atomic; interruptions and a full disk say what was written."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
from pathlib import Path

import pytest

from lessonpack.output import write as output
from tests.helpers import lessonpack

from .hostile import png

DATE = "2026-12-01"
KS = ("ks2", "ks3", "ks4", "ks5")


def generate(out: Path, *args: str):
    return lessonpack("generate", "--out", str(out), "--date", DATE, *args)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def manifest_date(pack: Path) -> str:
    return json.loads((pack / "manifest.json").read_text())["inputs"]["date"]


# --- item 4: the input is never overwritten ----------------------------------------------


@pytest.mark.parametrize("name", ["index.csv", "index.json"])
def test_batch_never_writes_over_its_schools_file(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    text = "name,key_stages\nA School,ks3\n"
    (tmp_path / name).write_text(text)
    result = lessonpack("batch", "--force", "kent", "--schools", name, "--out", ".")
    assert result.exit_code == 2
    assert f"it would replace the input {name}" in result.output
    assert (tmp_path / name).read_text() == text
    assert not (tmp_path / "a-school").exists()


def test_batch_never_replaces_a_pack_folder_holding_an_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-school" / "ks3").mkdir(parents=True)
    png(tmp_path / "a-school" / "ks3" / "logo.png")
    (tmp_path / "schools.csv").write_text("name,key_stages,logo\nA School,ks3,a-school/ks3/logo.png\n")
    result = lessonpack("batch", "--force", "kent", "--schools", "schools.csv", "--out", ".")
    assert result.exit_code == 2 and "would replace the input" in result.output
    assert (tmp_path / "a-school" / "ks3" / "logo.png").is_file()


# --- item 5: clean-up never follows a link out of --out ----------------------------------


def test_stale_clean_up_does_not_follow_a_linked_school_folder(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    keep = [victim / ".project.partial-keep", victim / ".backup.old-2024", victim / ".ks3.old-1"]
    for path in keep:
        path.mkdir()
        (path / "precious.txt").write_text("mine")
    out = tmp_path / "out"
    out.mkdir()
    (out / "school-a").symlink_to(victim)
    (tmp_path / "schools.csv").write_text("name,key_stages\nSchool A,ks3\n")
    result = lessonpack("batch", "--force", "kent", "--schools", str(tmp_path / "schools.csv"), "--out",
                        str(out), "--jobs", "1")
    assert result.exit_code == 1
    index = json.loads((out / "index.json").read_text())
    assert "refusing to write through the link" in index["packs"][0]["reason"]
    assert all((path / "precious.txt").read_text() == "mine" for path in keep)
    assert sorted(p.name for p in victim.iterdir()) == sorted(p.name for p in keep)


def test_generate_refuses_a_linked_pack_folder(tmp_path):
    (tmp_path / "victim").mkdir()
    (tmp_path / "out" / "school").mkdir(parents=True)
    (tmp_path / "out" / "school" / "ks3").symlink_to(tmp_path / "victim")
    result = generate(tmp_path / "out", "--overwrite")
    assert result.exit_code != 0 and "refusing to write" in result.output
    assert not any((tmp_path / "victim").iterdir())


# --- item 6: atomic --overwrite, and recovery from a kill between the renames -------------


def test_a_kill_between_the_renames_is_recovered_next_run(tmp_path):
    out = tmp_path / "out"
    assert generate(out).exit_code == 0
    pack = out / "school" / "ks3"
    old = digest(pack)
    # What a kill between "old pack aside" and "new pack in place" leaves:
    pack.rename(pack.with_name(".ks3.old-4242"))
    (pack.parent / ".ks3.partial-x1").mkdir()
    (pack.parent / ".ks3.partial-x1" / "slides.pptx").write_bytes(b"half")
    result = generate(out)  # no --overwrite: the old pack is back, and kept
    assert result.exit_code == 1 and "already exists" in result.output
    assert digest(pack) == old
    assert sorted(p.name for p in pack.parent.iterdir()) == ["ks3"]


def test_a_leftover_old_pack_is_removed_when_the_new_one_made_it(tmp_path):
    out = tmp_path / "out"
    assert generate(out).exit_code == 0
    new = digest(out / "school" / "ks3")
    (out / "school" / ".ks3.old-4242").mkdir()
    assert generate(out, "--overwrite", "--date", "2027-01-15").exit_code == 0
    assert manifest_date(out / "school" / "ks3") == "2027-01-15" and new
    assert sorted(p.name for p in (out / "school").iterdir()) == ["ks3"]


def test_a_failed_rename_leaves_the_old_pack_in_place(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert generate(out).exit_code == 0
    old = digest(out / "school" / "ks3")
    real = Path.rename

    def failing(self, target):
        if self.name.startswith(".ks3.partial-"):
            raise OSError(errno.EIO, "I/O error", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    result = generate(out, "--overwrite", "--date", "2027-01-15")
    assert result.exit_code == 2 and "I/O error" in result.output
    assert digest(out / "school" / "ks3") == old
    assert sorted(p.name for p in (out / "school").iterdir()) == ["ks3"]


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_multi_pack_run_says_exactly_what_was_written(tmp_path, monkeypatch, how):
    out = tmp_path / "out"
    assert generate(out, "-k", "all").exit_code == 0
    real = output.write_pack
    calls = []

    def interrupted(files, target, overwrite):
        calls.append(target.name)
        if len(calls) == 3:
            if how == "ctrl-c":
                raise KeyboardInterrupt
            os.kill(os.getpid(), signal.SIGTERM)  # raised as an interrupt by the handler
        return real(files, target, overwrite)

    monkeypatch.setattr(output, "write_pack", interrupted)
    result = generate(out, "-k", "all", "--overwrite", "--date", "2027-01-15")
    assert result.exit_code == 130
    message = " ".join(result.output.split())
    assert "Interrupted while writing" in message and "nothing half-written" not in message
    written, _, rest = message.partition("Not written")
    assert all(f"school/{ks}" in written for ks in ("ks2", "ks3"))
    assert all(f"school/{ks}" in rest for ks in ("ks4", "ks5"))
    dates = {ks: manifest_date(out / "school" / ks) for ks in KS}
    assert dates == {"ks2": "2027-01-15", "ks3": "2027-01-15", "ks4": DATE, "ks5": DATE}
    assert sorted(p.name for p in (out / "school").iterdir()) == list(KS)


def test_a_full_disk_says_what_was_and_was_not_written(tmp_path, monkeypatch):
    real = output._write_new  # every file of a pack is written through this
    written = []

    def full(path, data):
        if path.parent.name.startswith(".ks4.partial-"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(path)
        return real(path, data)

    monkeypatch.setattr(output, "_write_new", full)
    out = tmp_path / "out"
    result = generate(out, "-k", "all")
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert message.startswith("Error: No space left on device while writing")
    done, _, rest = message.partition("Not written")
    assert "school/ks2" in done and "school/ks3" in done and "school/ks4" in rest
    assert "--overwrite" in message
    assert sorted(p.name for p in (out / "school").iterdir()) == ["ks2", "ks3"]

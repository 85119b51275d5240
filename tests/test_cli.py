"""The command line as a teacher uses it, including every kind of bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import lessonpack

from .conftest import REPO, docx_text

PACK = {"slides.pptx", "worksheet.docx", "worksheet-answers.docx", "parent-letter.docx",
        "lesson-plan.docx", "support-card.docx", "card-sort.docx", "manifest.json"}


def test_generate_with_no_options_makes_a_ks3_national_pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = lessonpack("generate")
    assert result.exit_code == 0, result.output
    pack = tmp_path / "output" / "school" / "ks3"
    assert {p.name for p in pack.iterdir()} == PACK
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["inputs"]["force"] is None and manifest["inputs"]["key_stage"] == "ks3"
    # It says what it wrote, when the help routes were reviewed, and to tell the DSL.
    for name in PACK:
        assert str(pack / name) in result.output
    assert "last reviewed on" in result.output
    assert "designated safeguarding lead" in result.output


def test_generate_several_key_stages_force_and_date(tmp_path):
    result = lessonpack("generate", "-k", "ks2", "--key-stage", "KS4", "--force", "Hampshire", "--out",
                        str(tmp_path), "--date", "2027-01-15")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "school").iterdir()) == ["ks2", "ks4"]
    letter = docx_text(tmp_path / "school" / "ks4" / "parent-letter.docx")
    assert "15 January 2027" in letter and "18001 101" in letter


def test_all_key_stages(tmp_path):
    result = lessonpack("generate", "-k", "all", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "school").iterdir()) == ["ks2", "ks3", "ks4", "ks5"]


def test_unknown_key_stage_lists_the_valid_ones(tmp_path):
    result = lessonpack("generate", "-k", "ks9", "--out", str(tmp_path))
    assert result.exit_code == 2
    for ks in ("ks2", "ks3", "ks4", "ks5", "all"):
        assert ks in result.output
    assert "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


def test_unknown_force_suggests_the_nearest(tmp_path):
    result = lessonpack("generate", "--force", "hampshir", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "unknown force 'hampshir'" in result.output and "hampshire" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())
    near = lessonpack("generate", "--force", "northumberland", "--out", str(tmp_path))
    assert near.exit_code == 2 and "northumbria" in near.output


def test_existing_pack_is_kept_without_overwrite(tmp_path):
    assert lessonpack("generate", "--out", str(tmp_path), "--date", "2026-12-01").exit_code == 0
    letter = tmp_path / "school" / "ks3" / "parent-letter.docx"
    before = letter.read_bytes()
    again = lessonpack("generate", "--out", str(tmp_path), "--date", "2027-02-02")
    assert again.exit_code == 1
    assert "already exists" in again.output and "--overwrite" in again.output
    assert letter.read_bytes() == before
    replaced = lessonpack("generate", "--out", str(tmp_path), "--date", "2027-02-02", "--overwrite")
    assert replaced.exit_code == 0
    assert "2 February 2027" in docx_text(letter)
    leftovers = [p.name for p in (tmp_path / "school").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_one_existing_key_stage_stops_the_whole_run_before_writing(tmp_path):
    assert lessonpack("generate", "-k", "ks4", "--out", str(tmp_path)).exit_code == 0
    result = lessonpack("generate", "-k", "ks3", "-k", "ks4", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert not (tmp_path / "school" / "ks3").exists(), "nothing is written when any pack exists"


def broken_lessons(tmp_path: Path, file: str, old: str, new: str) -> Path:
    lessons = tmp_path / "lessons"
    shutil.copytree(REPO / "lessons", lessons)
    path = lessons / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return lessons


def test_broken_yaml_names_file_and_line(tmp_path):
    lessons = broken_lessons(tmp_path, "activities.yaml", "myths:", "myths: [\n")
    result = lessonpack("generate", "--out", str(tmp_path / "out"), env={"LESSONPACK_LESSONS": str(lessons)})
    assert result.exit_code == 1
    assert "activities.yaml" in result.output and "line " in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_invalid_content_value_names_file_line_and_field(tmp_path):
    lessons = broken_lessons(tmp_path, "help_routes.yaml", 'value: "0800 1111"', 'value: "0800 11"')
    result = lessonpack("generate", "--out", str(tmp_path / "out"), env={"LESSONPACK_LESSONS": str(lessons)})
    assert result.exit_code == 1
    line = next(n for n, text in enumerate((lessons / "help_routes.yaml").read_text().splitlines(), 1)
                if '"0800 11"' in text)
    assert f"help_routes.yaml: line {line}" in result.output
    assert "not a valid UK phone number" in result.output


def test_output_folder_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "output"
    blocker.write_text("not a folder")
    result = lessonpack("generate", "--out", str(blocker / "inside"))
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "Error" in result.output


def test_forces_lists_every_force_with_nation_and_searches():
    result = lessonpack("forces")
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 45
    assert any(line.startswith("hampshire ") and "(England)" in line for line in lines)
    assert any(line.startswith("police-scotland ") and "(Scotland)" in line for line in lines)
    found = lessonpack("forces", "york").output.strip().splitlines()
    assert found and all("york" in line.lower() for line in found)
    assert lessonpack("forces", "zzzz").exit_code == 1


def test_help_explains_every_option_with_an_example():
    top = lessonpack("--help").output
    assert "generate" in top and "forces" in top and "Example" in top
    generate = lessonpack("generate", "--help").output
    for option in ("--key-stage", "--force", "--out", "--overwrite", "--date", "--minutes"):
        assert option in generate
    assert generate.count("Example") >= 4


def test_minutes_rescale_the_plan_and_still_add_up(tmp_path):
    assert lessonpack("generate", "--out", str(tmp_path), "--minutes", "50").exit_code == 0
    from docx import Document

    doc = Document(str(tmp_path / "school" / "ks3" / "lesson-plan.docx"))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["Step", "Minutes"])
    minutes = {r.cells[0].text.split(". ", 1)[1]: int(r.cells[1].text) for r in table.rows[1:-1]}
    assert sum(minutes.values()) == 50
    # A shorter lesson leaves out a whole step rather than squeezing every one, and the
    # safeguarding end keeps its time.
    assert "A real case: what the police told us" not in minutes
    assert minutes["Where to get help"] == 5 and minutes["Looking back, exit ticket and close"] == 4


def test_python_generate_py_works_like_the_console_script(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "generate.py"), "generate", "-k", "ks2", "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "school" / "ks2" / "slides.pptx").exists()


@pytest.mark.parametrize("args", [["generate", "--date", "2026-13-45"], ["generate", "--minutes", "5"]])
def test_bad_option_values_are_usage_errors(tmp_path, args):
    result = lessonpack(*args, "--out", str(tmp_path))
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_pack_folders_are_readable_by_others_as_the_umask_allows(tmp_path):
    import os

    assert lessonpack("generate", "--out", str(tmp_path)).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    mode = (tmp_path / "school" / "ks3").stat().st_mode & 0o777
    assert mode == 0o777 & ~mask, oct(mode)

"""Issue 10, items 1, 7, 8 and 9 (inputs): no file a user or a stranger supplies can hang
lessonpack, exhaust its memory, or make it read a file it should not.

The cases that could hang run the CLI in a child process with a time limit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessonpack.batch.schools import plan_rows, read_schools
from lessonpack.content.yamlfile import load_yaml_with_lines
from lessonpack.errors import ContentError, SchoolFileError
from lessonpack.safe_io import InputFileError, path_in_folder, read_input
from lessonpack.school.config import load_school_file

from .hostile import billion_laughs, lessonpack, png, school_toml, zip_bomb

CSV_HEADER = "name,key_stages,logo\n"


# --- item 1: FIFOs and devices are refused at once ---------------------------------------


def test_fifo_logo_in_school_toml_is_refused_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "p.png")
    school_toml(tmp_path, school='logo = "p.png"')
    result = lessonpack("generate", "--school", "school.toml", cwd=tmp_path, timeout=30)
    assert result.returncode != 0
    assert "pipe (FIFO)" in result.stderr and "p.png" in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("option", ["generate --school", "batch --force kent --schools",
                                    "batch --force kent --schools schools.csv --force-file"])
def test_dev_zero_is_refused_in_a_moment(tmp_path, option):
    (tmp_path / "schools.csv").write_text(CSV_HEADER + "A School,ks3,\n")
    result = lessonpack(*option.split(), "/dev/zero", cwd=tmp_path, timeout=30)
    assert result.returncode == (1 if option.startswith("generate") else 2), result.stderr
    assert "/dev/zero" in result.stderr and "device" in result.stderr


def test_fifo_and_device_logos_in_a_csv_fail_their_row_only(tmp_path):
    os.mkfifo(tmp_path / "fifo.png")
    png(tmp_path / "good.png")
    (tmp_path / "schools.csv").write_text(
        CSV_HEADER + "Pipe School,ks3,fifo.png\nTty School,ks3,/dev/tty\nGood School,ks3,good.png\n")
    plans = plan_rows(read_schools(tmp_path / "schools.csv"))
    assert "pipe (FIFO)" in plans[0].error
    assert "no absolute path" in plans[1].error  # a CSV may not name /dev/tty at all
    assert plans[2].error is None and plans[2].school.logo.source == (tmp_path / "good.png").resolve()


@pytest.mark.parametrize("make", [os.mkfifo, os.mkdir])
def test_read_input_refuses_anything_but_a_regular_file(tmp_path, make):
    make(tmp_path / "thing")
    with pytest.raises(InputFileError, match="not a file"):
        read_input(tmp_path / "thing", "template")


def test_every_kind_has_its_cap(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (256 * 1024 + 1))
    with pytest.raises(SchoolFileError, match="limit is 256 kB"):
        load_school_file(big)


# --- item 1: bombs ------------------------------------------------------------------------


def test_zip_bomb_reference_docx_is_refused_before_unpacking(tmp_path):
    zip_bomb(tmp_path / "bomb.docx", member_mb=5)
    school_toml(tmp_path, '[templates]\nreference_docx = "bomb.docx"\n')
    with pytest.raises(SchoolFileError, match="zip bomb") as caught:
        load_school_file(tmp_path / "school.toml")
    assert "line 5: templates.reference_docx" in str(caught.value)


def test_billion_laughs_in_content_extra_is_refused(tmp_path):
    (tmp_path / "extra.yaml").write_text(billion_laughs())
    school_toml(tmp_path, '[content]\nextra = "extra.yaml"\n')
    result = lessonpack("check", "--school", "school.toml", cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "extra.yaml: expands to more than 200,000 values" in result.stdout


def test_billion_laughs_force_file_is_refused(tmp_path):
    (tmp_path / "force.yaml").write_text("slug: kent\n" + billion_laughs())
    (tmp_path / "schools.csv").write_text(CSV_HEADER + "A School,ks3,\n")
    result = lessonpack("batch", "--schools", "schools.csv", "--force-file", "force.yaml",
                        cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert "force.yaml: expands to more than" in result.stderr


def test_yaml_20000_deep_is_one_line(tmp_path):
    with pytest.raises(ContentError, match="deep.yaml: line 1"):
        load_yaml_with_lines(Path("deep.yaml"), b"[" * 20000 + b"]" * 20000)
    with pytest.raises(ContentError, match="nested more than 50 levels"):
        load_yaml_with_lines(Path("deep.yaml"), b"[" * 60 + b"]" * 60)


def test_toml_330_deep_is_one_line(tmp_path):
    path = tmp_path / "school.toml"
    path.write_text('[school]\nname = "x"\n[content]\nexclude = ' + "[" * 330 + "]" * 330 + "\n")
    with pytest.raises(SchoolFileError, match="nested more than 20 levels deep"):
        load_school_file(path)


def test_duplicate_yaml_keys_name_both_lines():
    with pytest.raises(ContentError, match=r"f.yaml: line 3: key 'slug' given twice \(first on line 1\)"):
        load_yaml_with_lines(Path("f.yaml"), b"slug: kent\nname: Kent\nslug: essex\n")


def test_aliases_within_limits_still_work():
    data, _ = load_yaml_with_lines(Path("ok.yaml"), b"a: &x [1, 2]\nb: *x\nc: {<<: {d: 1}}\n")
    assert data["b"] == [1, 2] and data["c"] == {"d": 1}


# --- item 7: a CSV or a force file names only files beside it ----------------------------


@pytest.mark.parametrize("value", ["../private-photo.png", "/etc/private.png", "~/private.png",
                                   "sub/../../private-photo.png"])
def test_csv_logo_outside_its_folder_is_refused(tmp_path, value):
    png(tmp_path / "private-photo.png")
    (tmp_path / "csvs").mkdir()
    (tmp_path / "csvs" / "schools.csv").write_text(CSV_HEADER + f"A School,ks3,{value}\n")
    [plan] = plan_rows(read_schools(tmp_path / "csvs" / "schools.csv"))
    assert plan.school is None and "same folder" in plan.error


def test_csv_logo_that_links_out_is_refused(tmp_path):
    png(tmp_path / "private-photo.png")
    (tmp_path / "csvs").mkdir()
    (tmp_path / "csvs" / "logo.png").symlink_to(tmp_path / "private-photo.png")
    (tmp_path / "csvs" / "schools.csv").write_text(CSV_HEADER + "A School,ks3,logo.png\n")
    [plan] = plan_rows(read_schools(tmp_path / "csvs" / "schools.csv"))
    assert plan.school is None and "outside" in plan.error


def test_school_toml_may_name_an_absolute_logo(tmp_path):
    logo = png(tmp_path / "elsewhere.png")
    (tmp_path / "school").mkdir()
    school_toml(tmp_path / "school", school=f'logo = "{logo}"')
    assert load_school_file(tmp_path / "school" / "school.toml").school.logo.source == logo


# --- item 8 and 9: smaller things ---------------------------------------------------------


def test_template_dir_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "templates").write_text("not a folder")
    school_toml(tmp_path, '[templates]\ndir = "templates"\n')
    with pytest.raises(SchoolFileError, match="line 5: templates.dir: template folder is not a folder"):
        load_school_file(tmp_path / "school.toml")


@pytest.mark.parametrize("value", ["A\nSchool", "A\tSchool", "Fake\r\n[1/1] ok  Other"])
def test_line_breaks_and_tabs_in_csv_names_are_refused(tmp_path, value):
    (tmp_path / "schools.csv").write_text(CSV_HEADER + f'"{value}",ks3,\n')
    [plan] = plan_rows(read_schools(tmp_path / "schools.csv"))
    assert plan.school is None and "name: contains a line break or tab" in plan.error


def test_a_250_digit_shard_is_refused_before_anything_is_built(tmp_path):
    (tmp_path / "schools.csv").write_text(CSV_HEADER + "A School,ks3,\n")
    result = lessonpack("batch", "--force", "kent", "--schools", "schools.csv",
                        "--shard", "1/" + "9" * 250, cwd=tmp_path, timeout=30)
    assert result.returncode == 2 and "--shard" in result.stderr
    assert not (tmp_path / "packs").exists()


@pytest.mark.parametrize("command", ["generate", "batch --force kent --schools schools.csv"])
def test_a_date_after_2107_is_refused(tmp_path, command):
    (tmp_path / "schools.csv").write_text(CSV_HEADER + "A School,ks3,\n")
    result = lessonpack(*command.split(), "--date", "2108-01-01", cwd=tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "2108-01-01 is outside what Office files can record" in result.stderr


def test_an_out_folder_that_is_a_link_loop_is_one_line(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = lessonpack("generate", "--out", "loop/packs", cwd=tmp_path, timeout=60)
    assert result.returncode != 0
    assert "loop" in result.stderr and result.stderr.count("\n") <= 2


def test_a_source_date_epoch_after_2107_is_refused(tmp_path):
    import subprocess
    import sys

    from .hostile import ENV

    result = subprocess.run([sys.executable, "-m", "lessonpack.commands.cli", "generate"], cwd=tmp_path,
                            env={**ENV, "SOURCE_DATE_EPOCH": "4500000000"}, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "after 2107" in result.stderr
    assert "Traceback" not in result.stderr


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_a_name_in_a_csv_never_resolves_outside_its_folder(value):
    base = Path(__file__).parent
    try:
        found = path_in_folder(base, value, "logo")
    except ValueError:
        return
    assert found.is_relative_to(base.resolve())

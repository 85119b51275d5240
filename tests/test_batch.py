"""`lessonpack batch`: many schools from a CSV, as a force's schools officer runs it.

Each test opens what was written. Packs take ~0.3 s each, so most tests use one key
stage and a few schools; the CSV-reading rules are tested without building anything.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from lessonpack import pack as pack_module
from lessonpack.batch.schools import (
    assign_slugs,
    parse_key_stages,
    parse_shard,
    plan_rows,
    read_schools,
    shard_of,
)
from lessonpack.errors import LessonpackError
from lessonpack.pack import PACK_FILES, pack_dir
from tests.helpers import lessonpack, wait_for

from .conftest import docx_text, pack_text

DATE = "2026-12-01"
HEADER = "name,key_stages,urn,dsl_name,dsl_email,dsl_phone,logo,website,address"


def write_csv(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def logo(path: Path) -> Path:
    Image.new("RGB", (40, 20), (29, 79, 145)).save(path, "PNG")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def index_json(out: Path, name: str = "index") -> dict:
    return json.loads((out / f"{name}.json").read_text())


def statuses(out: Path, name: str = "index") -> dict[tuple[int, str | None], str]:
    return {(p["row"], p["key_stage"]): p["status"] for p in index_json(out, name)["packs"]}


# --- a few schools, end to end -----------------------------------------------------------

E2E_CSV = (
    # Excel's BOM, and column names as people type them.
    " Name ,KEY STAGES,Urn,DSL-Name,dsl_EMAIL,Dsl_Phone,LOGO,Website,Address\n"
    "Ashby Wolds Academy,KS3,100001,Ms Priya Shah,p.shah@ashby.example.org,0191 496 0123,"
    "logo.png,https://ashby.example.org,\"1 Church Lane; Ashby; NE1 1AA\"\n"
    "St Mary's *C of E* School & Sixth Form,ks3,,Mr Tom O'Neill,,,,,\n"
)


@pytest.fixture(scope="module")
def e2e(tmp_path_factory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("e2e")
    logo(root / "logo.png")
    schools = write_csv(root / "schools.csv", E2E_CSV, bom=True)
    out = root / "packs"
    result = lessonpack("batch", "--force", "northumbria", "--schools", str(schools), "--out", str(out),
                        "--date", DATE, "--zip", "--jobs", "1")
    return schools, out, result


def test_batch_makes_a_pack_per_school(e2e):
    _, out, result = e2e
    assert result.exit_code == 0, result.output
    for slug in ("ashby-wolds-academy", "st-mary-s-c-of-e-school-sixth-form"):
        assert {p.name for p in (out / slug / "ks3").iterdir()} == set(PACK_FILES)
    # Plain progress lines when not on a terminal.
    assert "[1/2] ok  Ashby Wolds Academy ks3" in result.stdout
    assert "2 packs: 2 made" in result.stdout


def test_school_and_dsl_details_reach_the_documents(e2e):
    _, out, _ = e2e
    pack = out / "ashby-wolds-academy" / "ks3"
    letter = docx_text(pack / "parent-letter.docx")
    for text in ("Ashby Wolds Academy", "Ms Priya Shah", "0191 496 0123", "p.shah@ashby.example.org",
                 "1 Church Lane", "https://ashby.example.org", "1 December 2026", "Northumbria Police"):
        assert text in letter, text
    assert "Ashby Wolds Academy" in pack_text(pack, "slides.pptx")
    # A name full of Markdown stays literal text.
    other = out / "st-mary-s-c-of-e-school-sixth-form" / "ks3"
    assert "St Mary's *C of E* School & Sixth Form" in docx_text(other / "parent-letter.docx")
    assert "Mr Tom O'Neill" in docx_text(other / "parent-letter.docx")
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["inputs"] | {"key_stage": "ks3", "force": "northumbria",
                                 "school": "Ashby Wolds Academy", "date": DATE,
                                 "minutes": 60} == manifest["inputs"]
    assert len(manifest["batch"]["inputs_sha256"]) == 64


def test_index_lists_every_file_with_its_sha256(e2e):
    _, out, _ = e2e
    document = index_json(out)
    assert document["summary"] == {"packs": 2, "ok": 2, "skipped": 0, "failed": 0}
    assert document["force"] == "northumbria" and document["date"] == DATE
    first = document["packs"][0]
    assert (first["row"], first["school"], first["urn"], first["slug"], first["key_stage"],
            first["status"]) == (2, "Ashby Wolds Academy", "100001", "ashby-wolds-academy", "ks3", "ok")
    assert [f["name"] for f in first["files"]] == list(PACK_FILES)
    for entry in document["packs"]:
        for f in entry["files"]:
            assert f["sha256"] == sha(out / entry["folder"] / f["name"])
    raw = (out / "index.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so that Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["row"] for r in rows] == ["2", "3"]
    assert rows[1]["school"] == "St Mary's *C of E* School & Sixth Form"
    for row in rows:
        for name in PACK_FILES:
            assert row[f"{name} sha256"] == sha(out / row["folder"] / name)
        assert row["zip sha256"] == sha(out / row["zip"])


def test_zip_holds_the_schools_packs(e2e):
    _, out, _ = e2e
    with zipfile.ZipFile(out / "ashby-wolds-academy.zip") as archive:
        names = archive.namelist()
        assert names == [f"ashby-wolds-academy/ks3/{n}" for n in PACK_FILES]
        for info in archive.infolist():
            assert info.date_time == (2026, 12, 1, 0, 0, 0)
            assert archive.read(info) == (out / info.filename).read_bytes()


def test_same_inputs_give_identical_bytes_with_two_jobs(e2e, tmp_path):
    schools, out, _ = e2e
    again = tmp_path / "again"
    result = lessonpack("batch", "--force", "northumbria", "--schools", str(schools), "--out", str(again),
                        "--date", DATE, "--zip", "--jobs", "2")
    assert result.exit_code == 0, result.output
    first, second = tree(out), tree(again)
    assert first.keys() == second.keys()
    assert any(name.endswith(".zip") for name in first)
    for name in first:
        assert first[name] == second[name], name


def test_source_date_epoch_fixes_the_times(tmp_path):
    schools = write_csv(tmp_path / "s.csv", "name,key_stages\nEpoch School,ks3\n")
    env = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01 00:00 UTC
    outs = [tmp_path / "a", tmp_path / "b"]
    for out, day in zip(outs, (DATE, DATE), strict=True):
        assert lessonpack("batch", "--force", "kent", "--schools", str(schools), "--out", str(out), "--zip",
                          "--date", day, env=env).exit_code == 0
    assert tree(outs[0]) == tree(outs[1])
    with zipfile.ZipFile(outs[0] / "epoch-school.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    props = Document(str(outs[0] / "epoch-school" / "ks3" / "worksheet.docx")).core_properties
    assert props.created.year == 2026 and props.created.month == 1


# --- reading the CSV ----------------------------------------------------------------------


def test_bom_odd_case_and_unknown_columns_are_read(tmp_path):
    path = write_csv(tmp_path / "s.csv", " NAME ,Key_Stages,DSL Name,dsl_phne,Notes\n"
                     "A School,ks3,Ann,0191 496 0000,x\n", bom=True)
    schools = read_schools(path)
    assert schools.rows[0].values["name"] == "A School"
    assert schools.rows[0].values["dsl_name"] == "Ann"
    assert schools.rows[0].line == 2
    assert any("'dsl_phne'" in w and "did you mean 'dsl_phone'" in w for w in schools.warnings)
    assert any("'Notes'" in w for w in schools.warnings)


def test_row_numbers_count_lines_with_crlf_blank_lines_and_quoted_newlines(tmp_path):
    path = write_csv(tmp_path / "s.csv", 'name,key_stages,address\r\n'
                     'A,ks3,"1 High St\r\nTown"\r\n\r\n,,\r\nB,ks3,\r\n')
    rows = read_schools(path).rows
    assert [(r.line, r.values["name"]) for r in rows] == [(2, "A"), (6, "B")]
    assert rows[0].values["address"] == "1 High St\r\nTown"
    (plan, _) = plan_rows(read_schools(path))
    assert plan.school is not None and plan.school.address == ["1 High St", "Town"]


def test_semicolon_separated_csv_from_a_european_excel(tmp_path):
    path = write_csv(tmp_path / "s.csv", "name;key_stages\nA School;ks3,ks4\n")
    values = read_schools(path).rows[0].values
    assert (values["name"], values["key_stages"]) == ("A School", "ks3,ks4")


@pytest.mark.parametrize(("text", "expected"), [
    ("ks3;ks4", ["ks3", "ks4"]), ("KS4, KS3", ["ks3", "ks4"]), ("ks2 ks5", ["ks2", "ks5"]),
    ("all", ["ks2", "ks3", "ks4", "ks5"]), ("3/4", ["ks3", "ks4"]), ("ks3;ks3", ["ks3"]),
])
def test_key_stage_spellings(text, expected):
    assert parse_key_stages(text) == expected


@pytest.mark.parametrize("text", ["", "ks6", "ks3;year 9", "key stage 3"])
def test_bad_key_stages(text):
    with pytest.raises(ValueError):
        parse_key_stages(text)


@pytest.mark.parametrize(("content", "message"), [
    (b"name,key_stages\n\x81\x8d,ks3\n", "neither UTF-8 nor Windows-1252"),
    (b"pupils,key_stages\nA,ks3\n", "no 'name' column"),
    (b"name,stages\nA,ks3\n", "no 'key_stages' column"),
    (b"name,key_stages\n", "no schools"),
    (b"", "no header row"),
    # Files that are not school lists at all: one line saying what each is.
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "Excel 97-2003 workbook (.xls)"),
    (b"\x89PNG\r\n\x1a\n" + bytes(20), "is a PNG image"),
    (b"\x00\x01\x02\x03binary" * 10, "is a binary file"),
    (b"PK\x03\x04broken", "is a damaged zip file"),
])
def test_unusable_csv_is_one_line_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "schools.csv"
    path.write_bytes(content)
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "kent", "--schools", str(path), "--out", str(out))
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_a_force_is_required_and_an_unknown_one_suggested(tmp_path):
    schools = write_csv(tmp_path / "s.csv", "name,key_stages\nA,ks3\n")
    result = lessonpack("batch", "--schools", str(schools), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "--force" in result.output
    result = lessonpack("batch", "--force", "northumbira", "--schools", str(schools), "--out",
                        str(tmp_path / "o"))
    assert result.exit_code == 2 and "northumbria" in result.output
    assert not (tmp_path / "o").exists()


# --- bad rows -----------------------------------------------------------------------------


def test_bad_rows_are_reported_and_the_rest_still_made(tmp_path):
    logo(tmp_path / "good.png")
    (tmp_path / "notes.txt").write_text("not a picture")
    (tmp_path / "empty.png").write_bytes(b"")
    schools = write_csv(tmp_path / "schools.csv", "\n".join([
        HEADER + ",dsl_phne",
        'Good School,ks3,,Ann Lee,,0191 496 0000,good.png,,"1 High Street',  # lines 2-3: a
        'Town",',                                                             # quoted newline
        ",ks3,,,,,,,,",                                                       # 4: no name
        "Stage Six School,ks6,,,,,,,,",                                       # 5
        "Missing Logo School,ks3,,,,,missing.png,,,",                         # 6
        "Text Logo School,ks3,,,,,notes.txt,,,",                              # 7
        "Empty Logo School,ks3,,,,,empty.png,,,",                             # 8
        "Bad Phone School,ks3,,Bo,,12345,,,,",                                # 9
        "Bad Email School,ks3,,Cy,cy at school,,,,,",                         # 10
        "Phone No Name School,ks3,,,,0191 496 0000,,,,",                      # 11
        "Comma School,ks3,,,,,,,1 High Street,Town,NE1 1AA",                 # 12: unquoted commas
        ",,,,,,,,",                                                          # 13: blank: ignored
    ]) + "\n")
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "northumbria", "--schools", str(schools), "--out", str(out),
                        "--date", DATE, "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert "did you mean 'dsl_phone'" in result.stderr
    packs = {p["row"]: p for p in index_json(out)["packs"]}
    assert packs[2]["status"] == "ok"
    assert "1 High Street" in docx_text(out / "good-school" / "ks3" / "parent-letter.docx")
    expected = {
        4: "name: empty", 5: "unknown key stage 'ks6'", 6: "does not exist",
        7: "not a PNG or JPEG", 8: "not a PNG or JPEG", 9: "dsl_phone: not a valid UK phone",
        10: "dsl_email: not an email address", 11: "dsl_name", 12: "unquoted comma",
    }
    assert set(packs) == {2, *expected}
    for line, reason in expected.items():
        assert packs[line]["status"] == "failed", line
        assert reason in packs[line]["reason"], (line, packs[line]["reason"])
        assert f"row {line}:" in result.stdout
    assert packs[5]["key_stage"] is None  # the key stages themselves were unusable
    assert sorted(p.name for p in out.iterdir()) == ["good-school", "index.csv", "index.json"]


def test_ctrl_c_leaves_complete_packs_only(tmp_path, monkeypatch):
    schools = write_csv(tmp_path / "s.csv", "name,key_stages\nFirst School,ks3\nSecond School,ks3\n")
    real, calls = pack_module.build_pack, []

    def interrupted(library, request):
        calls.append(request)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(library, request)

    monkeypatch.setattr("lessonpack.batch.row.make_pack", interrupted)
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "kent", "--schools", str(schools), "--out", str(out), "--date",
                        DATE, "--jobs", "1")
    assert result.exit_code == 130
    assert "same command again" in result.output
    assert {p.name for p in (out / "first-school" / "ks3").iterdir()} == set(PACK_FILES)
    assert not (out / "second-school").exists() or not any((out / "second-school").iterdir())
    assert not list(out.rglob(".*partial*"))


# --- resuming -------------------------------------------------------------------------------


def test_resume_rebuilds_only_missing_or_damaged_packs(tmp_path):
    schools = write_csv(tmp_path / "schools.csv", "name,key_stages\n"
                        "Alpha School,ks3\nBravo School,ks3\nCharlie School,ks3\n")
    out = tmp_path / "packs"
    args = ("--force", "northumbria", "--schools", str(schools), "--out", str(out),
            "--date", DATE, "--zip", "--jobs", "1")
    assert lessonpack("batch", *args).exit_code == 0
    before = tree(out)

    # What a killed run and a careless hand leave behind:
    alpha, bravo, charlie = (out / f"{n}-school" / "ks3" for n in ("alpha", "bravo", "charlie"))
    for path in alpha.iterdir():
        path.unlink()
    alpha.rmdir()
    with (bravo / "worksheet.docx").open("ab") as handle:
        handle.write(b"corrupt")
    partial = charlie.parent / ".ks3.partial-k1ll3d"
    partial.mkdir()
    (partial / "slides.pptx").write_bytes(b"half")
    (out / ".charlie-school.zip.partial-k1ll3d").write_bytes(b"half a zip")
    kept = {p.name: p.stat().st_mtime_ns for p in charlie.iterdir()}

    result = lessonpack("batch", *args)
    assert result.exit_code == 0, result.output
    assert statuses(out) == {(2, "ks3"): "ok", (3, "ks3"): "ok", (4, "ks3"): "skipped"}
    assert "1 already complete" in result.stdout
    assert {p.name: p.stat().st_mtime_ns for p in charlie.iterdir()} == kept  # untouched
    assert not list(out.rglob(".*partial*"))
    # Rebuilt byte for byte, zips included; the index differs only in saying "skipped".
    assert {k: v for k, v in tree(out).items() if not k.startswith("index.")} == {
        k: v for k, v in before.items() if not k.startswith("index.")}
    after = index_json(out)["packs"][2]
    assert after["status"] == "skipped" and after["files"][0]["sha256"] == sha(charlie / "slides.pptx")


def test_changed_inputs_are_rebuilt_and_overwrite_rebuilds_all(tmp_path):
    schools = tmp_path / "schools.csv"
    out = tmp_path / "packs"
    args = ("--force", "kent", "--schools", str(schools), "--out", str(out), "--date", DATE,
            "--jobs", "1")
    write_csv(schools, "name,key_stages,dsl_name,dsl_phone\nDelta School,ks3,Di,0191 496 0000\n")
    assert lessonpack("batch", *args).exit_code == 0
    assert statuses(out) == {(2, "ks3"): "ok"}
    assert lessonpack("batch", *args).exit_code == 0
    assert statuses(out) == {(2, "ks3"): "skipped"}
    # The manifest names the school but not its DSL: a new phone number still means a rebuild.
    write_csv(schools, "name,key_stages,dsl_name,dsl_phone\nDelta School,ks3,Di,0191 496 0999\n")
    assert lessonpack("batch", *args).exit_code == 0
    assert statuses(out) == {(2, "ks3"): "ok"}
    assert "0191 496 0999" in docx_text(out / "delta-school" / "ks3" / "parent-letter.docx")
    assert lessonpack("batch", *args, "--overwrite").exit_code == 0
    assert statuses(out) == {(2, "ks3"): "ok"}


def test_a_school_that_now_fails_loses_its_old_zip(tmp_path):
    schools = tmp_path / "schools.csv"
    out = tmp_path / "packs"
    args = ("--force", "kent", "--schools", str(schools), "--out", str(out), "--date", DATE,
            "--zip", "--jobs", "1")
    write_csv(schools, "name,key_stages,dsl_name,dsl_phone\nEcho School,ks3,Ed,0191 496 0000\n")
    assert lessonpack("batch", *args).exit_code == 0 and (out / "echo-school.zip").exists()
    write_csv(schools, "name,key_stages,dsl_name,dsl_phone\nEcho School,ks3,Ed,0191\n")
    assert lessonpack("batch", *args).exit_code == 1
    assert statuses(out) == {(2, "ks3"): "failed"}
    assert not (out / "echo-school.zip").exists()  # no zip is better than one that is out of date


# --- shards, folder names -------------------------------------------------------------------


@pytest.mark.parametrize("rows", [0, 1, 2, 3, 7, 10])
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_every_row_is_in_exactly_one_shard(rows, n):
    items = list(range(rows))
    parts = [shard_of(items, k, n) for k in range(1, n + 1)]
    assert sorted(x for part in parts for x in part) == items
    assert max(map(len, parts)) - min(map(len, parts)) <= 1  # equal, give or take one


def test_shards_from_the_command_line_cover_the_file(tmp_path):
    # Rows that fail cheaply: nothing is built, but each must land in one shard's index.
    lines = [f"School {i},ks9" for i in range(7)]
    schools = write_csv(tmp_path / "s.csv", "name,key_stages\n" + "\n".join(lines) + "\n")
    seen: list[int] = []
    for k in (1, 2, 3):
        result = lessonpack("batch", "--force", "kent", "--schools", str(schools), "--out",
                            str(tmp_path / "o"), "--shard", f"{k}/3")
        assert result.exit_code == 1
        seen += [p["row"] for p in index_json(tmp_path / "o", f"index-{k}-of-3")["packs"]]
        assert index_json(tmp_path / "o", f"index-{k}-of-3")["shard"] == f"{k}/3"
    assert sorted(seen) == list(range(2, 9))
    assert not (tmp_path / "o" / "index.json").exists()


@pytest.mark.parametrize("shard", ["0/3", "4/3", "3", "a/b"])
def test_bad_shard_is_a_usage_error(tmp_path, shard):
    schools = write_csv(tmp_path / "s.csv", "name,key_stages\nA,ks3\n")
    result = lessonpack("batch", "--force", "kent", "--schools", str(schools), "--shard", shard)
    assert result.exit_code == 2 and "--shard" in result.output
    with pytest.raises(ValueError):
        parse_shard(shard)


def test_folder_names_are_distinct_and_deterministic():
    rows = [("St Mary's School", "111"), ("ST MARY'S SCHOOL", ""), ("St Mary's School!", ""),
            ("St Mary's School", "222"), ("Other", ""), ("St Mary's School 2", ""), ("", ""),
            ("!!!", ""), ("???", "")]
    slugs = assign_slugs(rows)
    assert slugs == ["st-mary-s-school-111", "st-mary-s-school", "st-mary-s-school-2",
                     "st-mary-s-school-222", "other", "st-mary-s-school-2-2", "", "school",
                     "school-2"]
    assert assign_slugs(rows) == slugs


def test_slug_collision_gives_each_school_its_own_pack(tmp_path):
    schools = write_csv(tmp_path / "s.csv", "name,key_stages,urn\n"
                        "St Anne's School,ks3,123456\nST ANNE'S SCHOOL,ks3,\n")
    out = tmp_path / "packs"
    assert lessonpack("batch", "--force", "kent", "--schools", str(schools), "--out", str(out), "--date",
                      DATE, "--jobs", "1").exit_code == 0
    first = docx_text(out / "st-anne-s-school-123456" / "ks3" / "parent-letter.docx")
    second = docx_text(out / "st-anne-s-school" / "ks3" / "parent-letter.docx")
    assert "St Anne's School" in first and "ST ANNE'S SCHOOL" in second


def test_a_name_cannot_escape_the_output_folder(tmp_path):
    names = ["../../etc", "..\\..\\windows\\system32", "/etc/passwd", "~root/.ssh", ".."]
    for name, slug in zip(names, assign_slugs([(n, "") for n in names]), strict=True):
        assert "/" not in slug and "\\" not in slug and not slug.startswith("."), name
        assert pack_dir(tmp_path / "out", slug, "ks3").is_relative_to((tmp_path / "out").resolve())
    with pytest.raises(LessonpackError):
        pack_dir(tmp_path / "out", "../escape", "ks3")  # the last guard, should a slug ever slip
    base = tmp_path / "deep" / "er"
    schools = write_csv(tmp_path / "s.csv", "name,key_stages\n../../etc,ks3\n")
    out = base / "packs"
    assert lessonpack("batch", "--force", "kent", "--schools", str(schools), "--out", str(out), "--date",
                      DATE, "--jobs", "1").exit_code == 0
    assert (out / "etc" / "ks3" / "slides.pptx").exists()
    assert sorted(p.name for p in base.iterdir()) == ["packs"]
    assert not (tmp_path / "etc").exists()


def test_plan_reads_logos_relative_to_the_csv(tmp_path, monkeypatch):
    (tmp_path / "csv").mkdir()
    logo(tmp_path / "csv" / "crest.png")
    path = write_csv(tmp_path / "csv" / "s.csv", "name,key_stages,logo\nA,ks3,crest.png\n")
    monkeypatch.chdir(tmp_path)
    (plan,) = plan_rows(read_schools(Path("csv/s.csv")))
    assert plan.error is None and plan.school is not None
    assert plan.school.logo is not None and plan.school.logo.kind == "PNG"
    assert plan.school.logo.source == (path.parent / "crest.png").resolve()  # read once, from there
    assert os.path.isabs(plan.school.logo.source)


def test_a_killed_run_resumes(tmp_path):
    """The real thing: SIGKILL the command and its workers mid-run, then run it again."""
    names = "\n".join(f"Kilo School {i},ks3" for i in range(6))
    schools = write_csv(tmp_path / "schools.csv", f"name,key_stages\n{names}\n")
    out = tmp_path / "packs"
    args = ["batch", "--force", "kent", "--schools", str(schools), "--out", str(out),
            "--date", DATE, "--jobs", "2"]
    process = subprocess.Popen([sys.executable, "-m", "lessonpack.commands.cli", *args],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    wait_for("two packs written, or the run ended", lambda: process.poll() is not None
             or len(list(out.glob("*/ks3/manifest.json"))) >= 2, 60)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / "index.json").exists() or process.returncode == 0

    result = lessonpack("batch", *args[1:])
    assert result.exit_code == 0, result.output
    found = statuses(out)
    assert len(found) == 6 and set(found.values()) <= {"ok", "skipped"}
    assert "skipped" in found.values()
    assert not list(out.rglob(".*partial*"))
    for entry in index_json(out)["packs"]:
        for f in entry["files"]:
            assert f["sha256"] == sha(out / entry["folder"] / f["name"])


def test_brand_colour_column_is_used_and_checked(tmp_path):
    from pptx import Presentation

    from lessonpack.school.colours import contrast

    schools = write_csv(tmp_path / "schools.csv", "\n".join([
        "name,key_stages,colour",
        "Gold School,ks3,#FFD700",
        "Navy School,ks3,#1D4F91",
        "Bad Colour School,ks3,blue",
    ]) + "\n")
    result = lessonpack("batch", "--force", "cumbria", "--schools", str(schools), "--out",
                        str(tmp_path / "p"), "--date", DATE, "--jobs", "1")
    assert result.exit_code == 1
    assert "row 4" in result.output and "colour" in result.output
    for slug, expected in (("gold-school", None), ("navy-school", "1D4F91")):
        deck = Presentation(str(tmp_path / "p" / slug / "ks3" / "slides.pptx"))
        title = deck.slides[1].shapes.title.text_frame.paragraphs[0].runs[0].font.color.rgb
        assert contrast(f"#{title}", "#FFFFFF") >= 4.5
        if expected:
            assert str(title) == expected


@pytest.mark.parametrize("own", [b"the DSL's own notes, not a zip",
                                 "zip of other files", "link"])
def test_a_zip_of_the_users_own_is_never_replaced_or_removed(tmp_path, own):
    schools = tmp_path / "schools.csv"
    out = tmp_path / "packs"
    out.mkdir()
    target = out / "echo-school.zip"
    if own == "zip of other files":
        import zipfile
        with zipfile.ZipFile(target, "w") as z:
            z.writestr("minutes/2026-11-30.txt", "governors' minutes")
    elif own == "link":
        elsewhere = tmp_path / "elsewhere.zip"
        elsewhere.write_bytes(b"kept")
        target.symlink_to(elsewhere)
    else:
        target.write_bytes(own)
    before = target.read_bytes()
    args = ("--force", "kent", "--schools", str(schools), "--out", str(out), "--date", DATE,
            "--zip", "--jobs", "1")
    write_csv(schools, "name,key_stages,dsl_name,dsl_phone\nEcho School,ks3,Ed,0191 496 0000\n")
    result = lessonpack("batch", *args)
    assert result.exit_code == 1
    reasons = [line for line in result.output.splitlines() if "echo-school.zip" in line]
    assert reasons and "lessonpack made" in reasons[0] and "Traceback" not in result.output
    assert target.read_bytes() == before and target.is_symlink() == (own == "link")
    # A failing row keeps it too.
    write_csv(schools, "name,key_stages,dsl_name,dsl_phone\nEcho School,ks3,Ed,0191\n")
    assert lessonpack("batch", *args).exit_code == 1
    assert target.read_bytes() == before


@pytest.mark.parametrize("name,own", [("index.csv", "School,Notes\nEcho School,call back on Monday\n"),
                                      ("index.json", '{"my": "own notes"}')])
def test_an_index_of_the_users_own_is_refused_before_anything_is_made(tmp_path, name, own):
    schools = write_csv(tmp_path / "schools.csv",
                        "name,key_stages,dsl_name,dsl_phone\nEcho School,ks3,Ed,0191 496 0000\n")
    out = tmp_path / "packs"
    out.mkdir()
    (out / name).write_text(own)
    result = lessonpack("batch", "--force", "kent", "--schools", str(schools), "--out", str(out),
                        "--date", DATE, "--jobs", "1")
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and name in lines[0] and "not an index lessonpack wrote" in lines[0]
    assert (out / name).read_text() == own
    assert sorted(p.name for p in out.iterdir()) == [name]  # no pack was made first


@pytest.mark.parametrize("name,own,says", [
    ("index.csv", "School,Notes\nEcho School,call back on Monday\n", "not an index lessonpack wrote"),
    ("index.json", '{"my": "own notes"}', "not a lessonpack index")])
def test_index_keeps_an_index_of_the_users_own(tmp_path, name, own, says):
    schools = write_csv(tmp_path / "schools.csv",
                        "name,key_stages,dsl_name,dsl_phone\nEcho School,ks3,Ed,0191 496 0000\n")
    out = tmp_path / "packs"
    assert lessonpack("batch", "--force", "kent", "--schools", str(schools), "--out", str(out),
                      "--date", DATE, "--jobs", "1").exit_code == 0
    (out / name).write_text(own)
    result = lessonpack("index", str(out))
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code != 0 and len(lines) == 1 and says in lines[0] and name in lines[0]
    assert (out / name).read_text() == own


def test_a_run_replaces_its_own_index(tmp_path):
    schools = write_csv(tmp_path / "schools.csv",
                        "name,key_stages,dsl_name,dsl_phone\nEcho School,ks3,Ed,0191 496 0000\n")
    out = tmp_path / "packs"
    args = ("batch", "--force", "kent", "--schools", str(schools), "--out", str(out), "--date", DATE,
            "--jobs", "1")
    assert lessonpack(*args).exit_code == 0
    assert lessonpack(*args).exit_code == 0
    assert lessonpack("index", str(out)).exit_code == 0
    assert json.loads((out / "index.json").read_text())["summary"]["packs"] == 1

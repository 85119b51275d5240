"""School lists as forces save them: .xlsx, CSV in UTF-8, UTF-16 and Windows-1252, commas,
semicolons and tabs, the column names people use; CSV injection in the index; shards from a
scheduler; `lessonpack index` merging shards."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lessonpack.batch.index_files import excel_text
from lessonpack.batch.schools import ALIASES, parse_shard, plan_rows, read_schools
from lessonpack.batch.schools.table import BatchInputError
from tests.helpers import lessonpack

from .spreadsheets import write_ods, write_xlsx

REPO = Path(__file__).resolve().parents[1]
DATE = "2026-12-01"


def names_and_stages(path: Path, **options) -> list[tuple[int, str, str]]:
    return [(r.line, r.values["name"], r.values["key_stages"])
            for r in read_schools(path, **options).rows]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    return write_ods(path, sheets) if path.suffix == ".ods" else write_xlsx(path, sheets)


# --- formats and encodings -----------------------------------------------------------------

ROWS = [["School Name", "Key Stages", "URN"], ["Ashby Wolds Academy", "KS3, KS4", 100001],
        ["Ysgol Gymraeg Bro Dinefwr", "ks2", 100002]]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_xlsx_first_sheet_with_numbers_and_a_title_above_the_header(tmp_path, suffix):
    path = workbook(tmp_path / f"schools{suffix}", {
        "Schools": [["Northumbria schools, autumn term"], [], *ROWS],
        "Other": [["name", "key_stages"], ["Wrong Sheet School", "ks2"]],
    })
    schools = read_schools(path)
    assert [(r.line, r.values["name"], r.values["urn"]) for r in schools.rows] == [
        (4, "Ashby Wolds Academy", "100001"), (5, "Ysgol Gymraeg Bro Dinefwr", "100002")]
    assert [p.key_stages for p in plan_rows(schools)] == [("ks3", "ks4"), ("ks2",)]


def test_xlsx_sheet_by_name_and_a_missing_sheet(tmp_path):
    path = workbook(tmp_path / "schools.xlsx", {"Primary": ROWS[:1], "Secondary": ROWS})
    assert [n for _, n, _ in names_and_stages(path, sheet="Secondary")][0] == "Ashby Wolds Academy"
    with pytest.raises(BatchInputError, match="no sheet 'Special'; the sheets are: 'Primary', 'Secondary'"):
        read_schools(path, sheet="Special")


def test_xlsx_end_to_end(tmp_path):
    path = workbook(tmp_path / "schools.xlsx", {"Sheet1": ROWS[:2]})
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "northumbria", "--schools", str(path), "--out", str(out),
                        "--jobs", "1", "--date", DATE)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "ashby-wolds-academy").iterdir()) == ["ks3", "ks4"]


CSV_TEXT = "name,key_stages,dsl_name\nÉcole St Thérèse’s,ks3,Siân O’Brien\nB School,ks2,\n"
EXPECTED = [(2, "École St Thérèse’s", "ks3"), (3, "B School", "ks2")]


@pytest.mark.parametrize("encoded", [
    CSV_TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"),
    CSV_TEXT.replace(",", "\t").encode("utf-16"),  # Excel's "Unicode text": BOM, tabs
    CSV_TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]),
    CSV_TEXT.replace(",", ";").encode("utf-8"),
    CSV_TEXT.replace("\n", "\r\n").encode("utf-8"),
], ids=["utf8", "utf8-bom", "utf16-tabs", "utf16-be", "semicolons", "crlf"])
def test_csv_encodings_and_separators(tmp_path, encoded):
    path = tmp_path / "schools.csv"
    path.write_bytes(encoded)
    schools = read_schools(path)
    assert names_and_stages(path) == EXPECTED
    assert schools.rows[0].values["dsl_name"] == "Siân O’Brien"
    assert schools.notes == []


def test_windows_1252_is_read_and_said_once(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(CSV_TEXT.encode("cp1252"))  # Excel's "CSV (Comma delimited)" on a UK PC
    assert names_and_stages(path) == EXPECTED
    result = lessonpack("batch", "--force", "kent", "--schools", str(path), "--dry-run")
    notes = [line for line in result.stderr.splitlines() if "Windows-1252" in line]
    assert notes == [f"Note: {path}: not UTF-8 (line 2 is the first that is not); read as Windows-1252"]


@pytest.mark.parametrize(("members", "kind"), [
    ({"readme.txt": "hello"},
     ": is a zip archive with no workbook or CSV in it, not a school list; "
     "save the school list as .xlsx, .ods or CSV"),
    ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"},
     ": is a Word document (.docx), not a school list; save the school list as .xlsx, .ods or CSV"),
    ({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"},
     ": is an OpenDocument file but not a spreadsheet; save the school list as .xlsx, .ods or CSV"),
    ({"a.csv": "name,key_stages\n", "b.csv": "name,key_stages\n"},
     ": is a zip archive holding 'a.csv', 'b.csv'; unzip it and give the one school list"),
])
def test_a_zip_that_is_not_a_workbook_says_what_it_is(tmp_path, members, kind):
    path = tmp_path / "schools.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    with pytest.raises(BatchInputError) as raised:
        read_schools(path)
    assert str(raised.value) == f"{path}{kind}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(st.characters(codec="cp1252", exclude_categories=("Cc", "Cs")),
                              min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=5),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
       separator=st.sampled_from([",", ";", "\t"]))
def test_any_names_survive_any_encoding_and_separator(tmp_path, names, encoding, separator):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator)
    writer.writerow(["School Name", "Key Stages"])
    writer.writerows([name, "ks3"] for name in names)
    raw = buffer.getvalue().encode(encoding)
    if encoding == "cp1252":
        # Windows-1252 bytes that are also valid UTF-8 ("à" then two no-break spaces is
        # U+0820) cannot be told apart; real names almost never are.
        assume(not _valid_utf8(raw) or raw.decode("utf-8") == raw.decode("cp1252"))
    path = tmp_path / "schools.csv"
    path.write_bytes(raw)
    assert [r.values["name"] for r in read_schools(path).rows] == [n.strip() for n in names]


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- columns ------------------------------------------------------------------------------


def test_the_issues_trailing_unknown_column_makes_every_pack(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("name,key_stages,dsl_name,dsl_email,dsl_phone,colour_of_gate\n"
                    "A School,ks3,Ann Lee,a.lee@a.example.org,0191 496 0000,red\n"
                    "B School,ks2,,,,\n", encoding="utf-8")
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "northumbria", "--schools", str(path), "--out", str(out),
                        "--jobs", "1", "--date", DATE)
    assert result.exit_code == 0, result.output
    index = json.loads((out / "index.json").read_text())
    assert [(p["school"], p["status"]) for p in index["packs"]] == [("A School", "ok"), ("B School", "ok")]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    assert len(warnings) == 1 and "'colour_of_gate'" in warnings[0]


def test_unknown_columns_anywhere_give_one_warning_and_extra_cells_count_past_the_header(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("Notes,name,Ofsted,key_stages,Governors\n"
                    "x,A School,Good,ks3,y\n"
                    "x,B School,Good,ks3,y,1 High Street\n", encoding="utf-8")
    schools = read_schools(path)
    assert len(schools.warnings) == 1
    assert "3 unknown columns are ignored: 'Notes', 'Ofsted', 'Governors'" in schools.warnings[0]
    plans = plan_rows(schools)
    assert plans[0].school is not None
    assert plans[1].school is None and plans[1].line == 3
    assert plans[1].error == ("1 more cell than the header has columns; is there an unquoted "
                              "comma, e.g. in an address?")


# Written out here, not taken from lessonpack's table: what a spreadsheet says → the column.
ALIAS_CASES = [
    ("School", "name"), ("School Name", "name"), ("EstablishmentName", "name"),
    ("Establishment name", "name"), ("URN", "urn"), ("Key Stages", "key_stages"),
    ("Phase", "key_stages"), ("DSL", "dsl_name"), ("DSL Name", "dsl_name"),
    ("Designated Safeguarding Lead", "dsl_name"), ("DSL Email", "dsl_email"),
    ("DSL e-mail", "dsl_email"), ("DSL Phone", "dsl_phone"), ("DSL Telephone", "dsl_phone"),
    ("School Website", "website"), ("LA (name)", "la"), ("Local Authority", "la"),
    ("Post Code", "postcode"), ("Address Line 1", "street"), ("Brand Colour", "colour"),
]


@pytest.mark.parametrize(("header", "column"), ALIAS_CASES)
def test_column_aliases(tmp_path, header, column):
    headers = {"name": "name", "key_stages": "key_stages", column: header}
    values = {"name": "A School", "key_stages": "ks3", "dsl_phone": "0191 496 0000",
              "colour": "#1D4F91"}
    values.setdefault(column, "X1")
    path = tmp_path / "schools.csv"
    path.write_text(",".join(headers.values()) + "\n" + ",".join(values[c] for c in headers) + "\n",
                    encoding="utf-8")
    schools = read_schools(path)
    assert schools.warnings == []
    assert schools.rows[0].values[column] == values[column]


def test_phase_is_the_key_stages_only_when_there_is_no_key_stages_column(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("School,Phase\nA,Secondary\nB,Primary\nC,All-through\nD,Secondary; sixth form\n")
    assert [p.key_stages for p in plan_rows(read_schools(path))] == [
        ("ks3", "ks4"), ("ks2",), ("ks2", "ks3", "ks4"), ("ks3", "ks4", "ks5")]
    path.write_text("School,Phase,Key Stages\nA,Secondary,ks4\n")
    schools = read_schools(path)
    assert schools.rows[0].values["key_stages"] == "ks4"
    assert "'Phase'" in schools.warnings[0]


def test_two_columns_for_one_thing_are_refused(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("School,School Name,Key Stages\nA,A,ks3\n")
    with pytest.raises(BatchInputError, match="columns 'School' and 'School Name' both give 'name'"):
        read_schools(path)


def test_address_parts_make_the_letterhead_and_la_filters_a_forces_list(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("School,Key Stages,Street,Town,Postcode,Local Authority\n"
                    "A,ks3,1 High Street,Ashby,NE1 1AA,Gateshead\nB,ks3,,,,Sunderland\n")
    plans = plan_rows(read_schools(path, areas=["gateshead"]))
    assert [(p.name, p.school.address if p.school else None) for p in plans] == [
        ("A", ["1 High Street", "Ashby", "NE1 1AA"])]


def test_the_manual_lists_every_alias():
    readme = (REPO / "docs" / "schools-file.md").read_text(encoding="utf-8")
    for column, aliases in ALIASES.items():
        line = next((line for line in readme.splitlines() if line.startswith(f"| `{column}` |")), "")
        for alias in aliases:
            assert f"`{alias}`" in line, (column, alias)


# --- the index: CSV injection -------------------------------------------------------------


def test_index_csv_shows_formulas_as_text_and_json_keeps_them(tmp_path):
    names = ["=HYPERLINK(\"http://x.example\",\"Click\")", "+44 Academy", "-Minus School", "@SUM(A1)"]
    path = tmp_path / "s.csv"
    path.write_text("name,key_stages\n" + "".join(f'"{n.replace(chr(34), 2 * chr(34))}",ks9\n'
                                                   for n in names))
    out = tmp_path / "packs"
    lessonpack("batch", "--force", "kent", "--schools", str(path), "--out", str(out))
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8-sig"))))
    assert [r["school"] for r in rows] == [f"'{n}" for n in names]
    assert [p["school"] for p in json.loads((out / "index.json").read_text())["packs"]] == names


@pytest.mark.parametrize(("cell", "shown"), [
    ("\tTab", "'\tTab"), ("\rReturn", "'\rReturn"), ("=1+1", "'=1+1"), ("Plain", "Plain"),
    ("A-level", "A-level"), (12, 12), ("", ""),
])
def test_excel_text(cell, shown):
    assert excel_text(cell) == shown


# --- shards -------------------------------------------------------------------------------


def test_shard_auto_reads_a_kubernetes_indexed_job(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name,key_stages\n" + "".join(f"School {i},ks9\n" for i in range(6)))
    out = tmp_path / "packs"
    env = {"JOB_COMPLETION_INDEX": "1", "JOB_COMPLETIONS": "3"}
    result = lessonpack("batch", "--force", "kent", "--schools", str(path), "--out", str(out), "--shard",
                        "auto", env=env)
    assert result.exit_code == 1  # its rows fail (ks9): cheap, and each still indexed
    index = json.loads((out / "index-2-of-3.json").read_text())
    assert index["shard"] == "2/3" and [p["row"] for p in index["packs"]] == [4, 5]


@pytest.mark.parametrize(("env", "message"), [
    ({}, "JOB_COMPLETION_INDEX is not set"),
    ({"JOB_COMPLETION_INDEX": "0"}, "JOB_COMPLETIONS is not set"),
    ({"JOB_COMPLETION_INDEX": "3", "JOB_COMPLETIONS": "3"}, "K must be between 1 and N"),
    ({"JOB_COMPLETION_INDEX": "x", "JOB_COMPLETIONS": "3"}, "not a whole number"),
])
def test_shard_auto_without_a_usable_environment(env, message):
    with pytest.raises(ValueError, match=message):
        parse_shard("auto", env)


def test_a_huge_shard_count_is_refused_before_anything_is_read(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name,key_stages\nA,ks3\n")
    started = time.monotonic()
    result = lessonpack("batch", "--force", "kent", "--schools", str(path), "--out", str(tmp_path / "o"),
                        "--shard", "1/" + "9" * 250)
    assert result.exit_code == 2 and "N must be between 1 and 10,000" in result.output
    assert time.monotonic() - started < 2 and not (tmp_path / "o").exists()
    assert parse_shard("3/10000") == (3, 10000)


# --- lessonpack index: merging shards -----------------------------------------------------


def test_index_merges_shards_and_checks_every_file(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name,key_stages,urn\nAshby Academy,ks3,100001\nBad Row,ks9,100002\n"
                    "Carr Primary,ks2,100003\n")
    out = tmp_path / "packs"
    for k in (1, 2):
        lessonpack("batch", "--force", "kent", "--schools", str(path), "--out", str(out), "--shard", f"{k}/2",
                   "--jobs", "1", "--date", DATE)
    result = lessonpack("index", str(out))
    assert result.exit_code == 1  # the bad row is still a failure
    index = json.loads((out / "index.json").read_text())
    assert [(p["row"], p["urn"], p["key_stage"], p["status"]) for p in index["packs"]] == [
        (2, "100001", "ks3", "ok"), (3, "100002", None, "failed"), (4, "100003", "ks2", "ok")]
    assert index["merged"] == ["index-1-of-2.json", "index-2-of-2.json"]
    for entry in index["packs"][::2]:
        for f in entry["files"]:
            data = (out / entry["folder"] / f["name"]).read_bytes()
            assert f["sha256"] == hashlib.sha256(data).hexdigest()
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8-sig"))))
    assert [r["status"] for r in rows] == ["ok", "failed", "ok"]

    (out / "carr-primary" / "ks2" / "worksheet.docx").write_bytes(b"changed")
    lessonpack("index", str(out))
    entry = json.loads((out / "index.json").read_text())["packs"][2]
    assert entry["status"] == "failed" and "worksheet.docx has changed" in entry["reason"]

    for shard_index in out.glob("index-*"):
        shard_index.unlink()
    (out / "index.json").unlink()
    (out / "index.csv").unlink()
    lessonpack("index", str(out))
    packs = json.loads((out / "index.json").read_text())["packs"]
    assert [(p["school"], p["key_stage"]) for p in packs] == [("Ashby Academy", "ks3"),
                                                              ("Carr Primary", "ks2")]


def test_index_of_a_folder_without_packs_is_one_line(tmp_path):
    result = lessonpack("index", str(tmp_path))
    assert result.exit_code == 2 and "no packs" in result.output
    assert len(result.output.strip().splitlines()) == 1

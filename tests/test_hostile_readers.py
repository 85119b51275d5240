"""Issue 23 (malformed files): every reader answers one line, never a traceback.

The xlsx, YAML and JSON cases the sweep found, then each reader fuzzed with hypothesis
(school.toml, the schools file as CSV and as a workbook, the force file, lesson YAML),
each example under a time limit.
"""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonpack.batch.force_file import load_force_file
from lessonpack.batch.schools import plan_rows, read_schools
from lessonpack.content.yamlfile import load_yaml_with_lines
from lessonpack.errors import LessonpackError
from lessonpack.school.config import load_school_file

from .hostile import _with_parts, refused_quickly
from .spreadsheets import write_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def workbook(tmp_path: Path, change=None, name: str = "schools.xlsx") -> Path:
    """A good .xlsx of two schools, then `change(parts)` applied to its parts."""
    path = write_xlsx(tmp_path / name, {"Schools": [["name", "key_stages", "urn"],
                                                    ["First School", "ks3", 100001],
                                                    ["Second School", "ks4", 100002]]})
    return path if change is None else _with_parts(path, path, change)


def _sheet(parts: dict, old: bytes, new: bytes) -> None:
    assert re.search(old, parts[SHEET]), parts[SHEET][:600]
    parts[SHEET] = re.sub(old, new, parts[SHEET], count=1)


XLSX = {
    "sheet not XML": (lambda p: p.__setitem__(SHEET, b"not xml <<<"), "cannot be read (syntax error"),
    "shared string out of range": (
        lambda p: _sheet(p, rb'<c r="A2" t="inlineStr"><is><t>First School</t></is></c>',
                         b'<c r="A2" t="s"><v>99999</v></c>'),
        "Cell string index not found in shared strings table"),
    "number cell not a number": (
        lambda p: _sheet(p, rb'(<c r="C2"[^>]*>\s*<v>)100001', rb"\g<1>abc"), "Parse float error"),
    "row number not a number": (lambda p: _sheet(p, rb'<row r="2"', b'<row r="two"'),
                                "Range is missing the expected row component"),
    "no sheets": (lambda p: p.__setitem__("xl/workbook.xml", re.sub(
        rb"<sheets>.*</sheets>", b"<sheets/>", p["xl/workbook.xml"], flags=re.S)), "with no sheets"),
}


@pytest.mark.parametrize("case", sorted(XLSX))
def test_a_broken_workbook_is_one_line(tmp_path, case):
    change, words = XLSX[case]
    workbook(tmp_path, change)
    line = refused_quickly("batch", "--schools", "schools.xlsx", "--force", "hampshire",
                           "--out", "out", cwd=tmp_path)
    assert line.startswith("Error: schools.xlsx: ") and words in line, line
    assert not (tmp_path / "out").exists()


def test_a_cell_beyond_column_zzz_is_the_rows_problem_not_the_runs(tmp_path):
    workbook(tmp_path, lambda p: _sheet(p, rb'r="C2"', b'r="ZZZZ2"'))
    plans = plan_rows(read_schools(tmp_path / "schools.xlsx"))
    assert [p.school is not None for p in plans] == [False, True]
    assert "more cell" in plans[0].error


def test_a_workbook_of_wide_rows_is_refused_before_it_is_parsed(tmp_path):
    """75 MB of sheet XML (3.4 million numbers) in a few MB of file; 64 MB unpacked is the
    limit, and is checked before the reader parses a cell."""
    rows = "".join("<row>" + "".join(f"<c><v>{r * 1000 + c}</v></c>" for c in range(1000))
                   + "</row>" for r in range(4, 3400))

    def wide(parts: dict) -> None:
        parts[SHEET] = parts[SHEET].replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    workbook(tmp_path, wide)
    line = refused_quickly("batch", "--schools", "schools.xlsx", "--force", "hampshire",
                           "--out", "out", cwd=tmp_path)
    assert re.fullmatch(r"Error: schools\.xlsx: its sheets unpack to \d+ MB; a workbook may hold "
                        r"at most 64 MB of sheets: keep only the schools' rows and columns, or "
                        r"save it as CSV", line), line


# --- YAML: typed values that are not what they say -----------------------------------------

FORCE = "slug: hostile\nname: Hostile Police\nnation: england\nwebsite: https://example.police.uk\n"


@pytest.mark.parametrize(("extra", "words"), [
    ("reviewed: 2026-13-45", "line 5: '2026-13-45' is not a valid timestamp"),
    ("x: !!float abc", "line 5: 'abc' is not a valid float"),
    ("x: !!int abc", "line 5: 'abc' is not a valid int"),
    ("!!timestamp notatime: 1", "line 5: 'notatime' is not a valid timestamp"),
    ("2026-13-45: x", "line 5: '2026-13-45' is not a valid timestamp"),
    ("n: " + "9" * 5000, "line 5: '" + "9" * 39 + "… (5,000 characters) is not a valid int"),
])
def test_a_force_file_with_a_bad_typed_value_is_one_line(tmp_path, extra, words):
    (tmp_path / "force.yaml").write_text(FORCE + extra + "\n")
    (tmp_path / "schools.csv").write_text("name,key_stages\nA School,ks3\n")
    line = refused_quickly("batch", "--schools", "schools.csv", "--force-file", "force.yaml",
                           "--out", "out", cwd=tmp_path)
    assert line.startswith("Error: force.yaml: ") and words in line, line


def test_extra_content_with_a_bad_date_is_one_line(tmp_path):
    (tmp_path / "extra.yaml").write_text("help_routes:\n  - id: x\n    reviewed: 2026-13-45\n")
    (tmp_path / "school.toml").write_text('[school]\nname = "A"\n[content]\nextra = "extra.yaml"\n')
    line = refused_quickly("generate", "--school", "school.toml", "-k", "ks3", "--out", "out",
                           cwd=tmp_path)
    assert line == (f"Error: {tmp_path}/extra.yaml: line 3: '2026-13-45' is not a valid timestamp; "
                    "put it in quotes if it is text"), line


# --- register ages --------------------------------------------------------------------------


def test_an_age_is_two_ascii_digits():
    from lessonpack.batch.schools.published import age

    for text in ("²", "٣", "１１", "9" * 5000, "123", "-1", "1.5"):
        problems: list[str] = []
        assert age(text, "StatutoryLowAge", problems) is None
        assert problems == [f"StatutoryLowAge: {problems[0].split(': ', 1)[1]}"]
        assert problems[0].endswith("is not an age in years") and len(problems[0]) < 150
    assert age("11", "StatutoryLowAge", []) == 11


@pytest.mark.parametrize("low", ["²", "9" * 5000, "1" * 40])  # as the register's cp1252 holds
def test_a_register_age_of_odd_digits_fails_its_row_only(tmp_path, low):
    import tests.test_register as register
    from tests.test_register import write_register

    real = register.establishment

    def odd(i: int) -> dict[str, str]:
        row = real(i)
        if i == register.BAD_AGE_ROW:  # a school the register's filters keep
            row["StatutoryLowAge"] = low
        return row

    register.establishment = odd
    try:
        path = write_register(tmp_path / "edubasealldata20261101.csv", count=40)
    finally:
        register.establishment = real
    plans = plan_rows(read_schools(path, areas=["all"]))
    failed = {p.line: p.error for p in plans if p.school is None}
    line = register.BAD_AGE_ROW + 2
    assert failed[line].startswith("StatutoryLowAge: ") and "is not an age" in failed[line]
    assert len(failed[line]) < 300


# --- fuzzing the readers ---------------------------------------------------------------------


def _within(seconds: float, read, *args) -> None:
    started = time.monotonic()
    try:
        read(*args)
    except LessonpackError as exc:
        assert len(str(exc).splitlines()[0]) < 1000
    assert time.monotonic() - started < seconds


TOML_PIECES = st.sampled_from([
    "[school]\n", 'name = "A"\n', "[dsl]\n", 'email = "a@b.c"\n', "[[help_routes]]\n",
    'phone = "0800 1111"\n', "[lesson]\n", "minutes = 9" + "9" * 4400 + "\n", "minutes = 50\n",
    'key_stages = ["ks3", 3, {a = 1}]\n', "x = 1979-05-27T07:32:00Z\n", "a = { b = { c = 1 } }\n",
    "[content]\n", 'extra = "/dev/zero"\n', '"\\u0000" = 1\n', "= 1\n", "[[school]]\n",
    'colour = "#GGGGGG"\n', 'name = "' + "x" * 400 + '"\n', "nation = 1\n",
])


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TOML_PIECES, max_size=14), st.binary(max_size=20))
def test_fuzz_school_toml(tmp_path, pieces, noise):
    path = tmp_path / "school.toml"
    path.write_bytes("".join(pieces).encode() + noise)
    _within(2, load_school_file, path)


CSV_CELLS = st.sampled_from(["A School", "ks3", "all", "Secondary", "", "100001", '"', "a,b",
                             "\x00", "=1+1", "é", "ks9", "\r\n", "9" * 5000, "dsl@x.uk",
                             "a@" + "b." * 2000 + " x", "../logo.png", "#1D4F91"])
CSV_HEADERS = st.sampled_from(["name", "key_stages", "urn", "dsl_email", "logo", "colour",
                               "address", "Phase", "website", "EstablishmentName", ""])


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CSV_HEADERS, min_size=1, max_size=6),
       st.lists(st.lists(CSV_CELLS, max_size=7), max_size=8),
       st.sampled_from(["utf-8", "utf-16", "cp1252", "xlsx"]))
def test_fuzz_schools_file(tmp_path, header, rows, encoding):
    def read(path: Path) -> None:
        plan_rows(read_schools(path))

    if encoding == "xlsx":
        clean = [[c.replace("\x00", "") for c in r] for r in rows]
        path = write_xlsx(tmp_path / "schools.xlsx", {"Schools": [header, *clean]})
    else:
        text = "\r\n".join(",".join(r) for r in [header, *rows])
        path = tmp_path / "schools.csv"
        path.write_bytes(text.encode(encoding, "replace"))
    _within(3, read, path)


YAML_VALUES = st.sampled_from(["x", "1", "2026-13-45", "!!float abc", "!!int 1e5", "[a, b]",
                               "{a: 1}", "&a [1]", "*a", "null", "9" * 4400, "!!binary AAA",
                               "'quoted'", "? [a]", "!!python/object:os.system x", "|\n  text",
                               "2026-01-01", "a@b.c", "+44 800 1111"])
YAML_KEYS = st.sampled_from(["slug", "name", "nation", "website", "contacts", "schools_email",
                             "logo", "closing", "reviewed", "2026-13-45", "!!float x", "extra"])


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(YAML_KEYS, YAML_VALUES), max_size=10))
def test_fuzz_force_file(tmp_path, pairs):
    path = tmp_path / "force.yaml"
    path.write_text(FORCE + "".join(f"{k}: {v}\n" for k, v in pairs))
    _within(3, load_force_file, path, _content())


@functools.cache
def _content():
    from lessonpack.pack import Library

    return Library.load().content


@settings(max_examples=200, deadline=2000)
@given(st.lists(st.tuples(YAML_KEYS, YAML_VALUES), max_size=10), st.integers(0, 3))
def test_fuzz_yaml_with_lines(pairs, indent):
    text = "".join(f"{' ' * indent if i else ''}{k}: {v}\n" for i, (k, v) in enumerate(pairs))
    _within(2, load_yaml_with_lines, Path("content.yaml"), text.encode())

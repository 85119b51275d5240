"""The DfE register's rows that cannot be trusted, and choosing a force's schools from it:
misaligned rows, GIAS's zip, doubled URNs, council names, the nearest names, --la outside
the force's area. Registers are written with tests/test_register.py's published header."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonpack.batch.schools import plan_rows, read_schools
from lessonpack.batch.schools.areas import la_key, nearest
from lessonpack.batch.schools.columns import alignment
from lessonpack.batch.schools.table import BatchInputError
from tests.helpers import lessonpack

from .test_register import write_register


def misaligned_register(path: Path) -> Path:
    """Five establishments; the first's street holds an unquoted comma, as in a hand-edited
    register: every cell after it moves one column along (its town becomes its postcode,
    its website the headteacher's title)."""
    write_register(path, count=5)
    lines = path.read_bytes().split(b"\r\n")
    lines[1] = lines[1].replace(b"0 Church Lane", b"Robson House, 74 Stanhope Street", 1)
    path.write_bytes(b"\r\n".join(lines))
    return path


def test_a_misaligned_register_row_fails_and_never_reaches_a_letterhead(tmp_path):
    path = misaligned_register(tmp_path / "edubasealldata20261101.csv")
    plans = plan_rows(read_schools(path, areas=["all"]))
    # 100001 and 100004 are open; 100002 is an infant school, 100003 closed: left out.
    assert [(p.line, p.urn, p.school is not None) for p in plans] == [
        (2, "100000", False), (3, "100001", True), (6, "100004", True)]
    assert plans[0].error == ("1 more cell than the header has columns; is there an unquoted comma, "
                              "e.g. in an address?")


def test_a_trailing_comma_in_an_address_line_is_not_printed_twice(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("name,key_stages,street,locality,postcode\n"
                    "Robson House,ks3,\"Robson House,\",74 Stanhope Street,NE1 1AA\n", encoding="utf-8")
    school = plan_rows(read_schools(path))[0].school
    assert school is not None and school.address == ["Robson House", "74 Stanhope Street", "NE1 1AA"]


@pytest.mark.parametrize(("website", "street", "problem"), [
    ("Anton", "1 High Street", "website: 'Anton' is not a web address"),
    ("www.a.example.org.uk", "http://www.stpaulsacademy.org.uk/",
     "address: 'http://www.stpaulsacademy.org.uk/' is a web address, not an address line"),
    ("www.a.example.org.uk", "Mrs", "address: 'Mrs' is a title, not an address line"),
])
def test_a_website_must_look_like_one_and_an_address_line_like_an_address(tmp_path, website, street,
                                                                         problem):
    path = tmp_path / "schools.csv"
    path.write_text(f"name,key_stages,website,street,town\nA School,ks3,{website},{street},Ashby\n",
                    encoding="utf-8")
    plan = plan_rows(read_schools(path))[0]
    assert plan.school is None and plan.error == problem


def test_gias_zip_is_read_directly(tmp_path):
    csv_path = write_register(tmp_path / "edubasealldata20261101.csv", count=40)
    zipped = tmp_path / "extract.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(csv_path, "edubasealldata20261101.csv")
        archive.writestr("readme.txt", "Get Information about Schools")
    schools = read_schools(zipped, force_areas=["Kent"], force_name="Kent Police", force_nation="england")
    direct = read_schools(csv_path, force_areas=["Kent"], force_name="Kent Police", force_nation="england")
    assert [r.values for r in schools.rows] == [r.values for r in direct.rows] and schools.rows
    assert schools.notes[0] == f"{zipped}: read edubasealldata20261101.csv from the zip"


def test_a_doubled_urn_is_warned(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("name,key_stages,urn\nA School,ks3,100001\nB School,ks3,100002\n"
                    "A School,ks3,100001\n", encoding="utf-8")
    assert read_schools(path).warnings == [
        f"{path}: URN 100001 is on 2 rows (2, 4): each gets its own folder; remove the extra rows "
        "if they are one school"]


LAS_CSV = ("name,key_stages,la\n"
           "Poole High,ks3,\"Bournemouth, Christchurch and Poole\"\n"
           "Tyne Primary,ks2,Newcastle upon Tyne\nMorpeth First,ks2,Northumberland\n"
           "Camden School,ks3,Camden\nYsgol Caerdydd,ks2,Cardiff\nCity School,ks3,City of London\n")


@pytest.fixture
def las_file(tmp_path) -> Path:
    path = tmp_path / "schools.csv"
    path.write_text(LAS_CSV, encoding="utf-8")
    return path


@pytest.mark.parametrize(("given_name", "school"), [
    ("Camden London Borough Council", "Camden School"), ("London Borough of Camden", "Camden School"),
    ("Northumberland County Council", "Morpeth First"), ("Newcastle upon Tyne City Council", "Tyne Primary"),
    ("City of London", "City School"), ("Cardiff Council", "Ysgol Caerdydd"),
])
def test_council_names_match_their_local_authority(las_file, given_name, school):
    assert [p.name for p in plan_rows(read_schools(las_file, areas=[given_name]))] == [school]


@pytest.mark.parametrize(("typed", "hint"), [
    ("Poole", "'Bournemouth, Christchurch and Poole'"),
    ("Newcastle", "'Newcastle upon Tyne'"),
    ("Northumbrland", "'Northumberland'"),
])
def test_hints_name_the_nearest_local_authorities(las_file, typed, hint):
    with pytest.raises(BatchInputError) as raised:
        read_schools(las_file, areas=["Camden", typed])
    assert str(raised.value).startswith(
        f"{las_file}: no schools in local authority {typed!r} (--la): did you mean {hint}")


def test_an_la_outside_the_forces_area_warns(las_file):
    northumbria = ["Gateshead", "Newcastle upon Tyne", "North Tyneside", "Northumberland",
                   "South Tyneside", "Sunderland"]
    schools = read_schools(las_file, areas=["Northumberland", "Cardiff"], force_areas=northumbria,
                           force_name="Northumbria Police")
    assert [r.values["name"] for r in schools.rows] == ["Morpeth First", "Ysgol Caerdydd"]
    assert schools.warnings == [f"{las_file}: local authority 'Cardiff' (--la) is outside "
                                "Northumbria Police's area in forces.yaml"]


def test_straight_and_curly_apostrophes_give_one_folder(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("name,key_stages\nSt Mary's School,ks3\n", encoding="utf-8")
    curly = tmp_path / "curly.csv"
    curly.write_text("name,key_stages\nSt Mary\u2019s School,ks3\n", encoding="utf-8")
    assert plan_rows(read_schools(path))[0].slug == plan_rows(read_schools(curly))[0].slug


def test_a_dry_run_says_one_school(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("name,key_stages\nA School,ks3\n", encoding="utf-8")
    result = lessonpack("batch", "--force", "kent", "--schools", str(path), "--dry-run")
    assert result.stdout.splitlines()[0] == "Would make 1 pack for 1 school. Nothing was written."


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.text(max_size=3), max_size=8), width=st.integers(0, 8))
def test_a_row_is_trusted_only_when_its_cells_fit_its_header(cells, width):
    problem = alignment(cells, width, width)
    assert (problem is None) == (len(cells) == width)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=40))
def test_any_la_text_gives_a_key_and_at_most_three_hints(typed):
    assert isinstance(la_key(typed), tuple)
    near = nearest(typed, ["Bournemouth, Christchurch and Poole", "Newcastle upon Tyne", "Camden"])
    assert len(near) <= 3


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40))
def test_any_website_or_address_text_is_a_letterhead_or_a_named_problem(tmp_path_factory, text):
    import csv

    path = tmp_path_factory.mktemp("any") / "schools.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["name", "key_stages", "website", "street"],
                                      ["A School", "ks3", text, text]])
    plan = plan_rows(read_schools(path))[0]
    if plan.school is None:
        assert plan.error and plan.error.split(":")[0] in {"website", "address", "name"}, plan.error
    else:
        for line in plan.school.address:
            assert not line.lower().startswith(("http://", "https://", "www.")) and line != "Mr"



def _far_register(path: Path, count: int, monkeypatch) -> Path:
    """The register with its first 500 establishments in the fixture's authorities and the
    rest in Cornwall: a bigger register, the same Northumbria."""
    import tests.test_register as fixture

    own = fixture.establishment

    def establishment(i: int) -> dict[str, str]:
        row = own(i)
        if i >= 500:
            row["LA (name)"] = "Cornwall"
        return row

    monkeypatch.setattr(fixture, "establishment", establishment)
    return write_register(path, count)


def test_a_dry_runs_memory_is_flat_in_the_registers_size(tmp_path, monkeypatch):
    import tracemalloc

    def peak(path: Path) -> int:
        tracemalloc.start()
        try:
            plan_rows(read_schools(path, force_areas=["Northumberland", "Gateshead"],
                                   force_name="Northumbria Police", force_nation="england"))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # read_input reserves the schools file's whole cap for its read, which tracemalloc
    # counts however small the file; the file's bytes are what matter here.
    monkeypatch.setattr("lessonpack.batch.schools.table.read_input",
                        lambda path, kind: Path(path).read_bytes())
    small = _far_register(tmp_path / "small.csv", 1_000, monkeypatch)
    large = _far_register(tmp_path / "large.csv", 10_000, monkeypatch)
    peak(small)  # first: whatever is imported or cached once is not the register's
    grown = -peak(small) + peak(large)
    # The file's own bytes are read whole (within the schools file's cap); nothing else may
    # grow with it: holding every open school in England and the decoded text was 14 times this.
    assert grown < 1.5 * (large.stat().st_size - small.stat().st_size), grown

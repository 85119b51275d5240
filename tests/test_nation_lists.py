"""The Welsh, Scottish and Northern Irish lists of schools read as their publishers
publish them (tests/nation_fixtures.py): every sheet that holds schools, their address
lines, their stages, their closed schools, and rows that cannot be trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonpack.batch.schools import plan_rows, read_schools
from lessonpack.batch.schools.table import BatchInputError
from tests.helpers import lessonpack

from .conftest import docx_text
from .nation_fixtures import NI_HEADER, write_ni, write_scotland, write_wales

SOUTH_WALES = ["Bridgend", "Cardiff", "Merthyr Tydfil", "Neath Port Talbot", "Rhondda Cynon Taf",
               "Swansea", "Vale of Glamorgan"]


def made(path: Path, **kwargs) -> dict[str, list[str]]:
    """School number → key stages, for every row that would be made."""
    plans = plan_rows(read_schools(path, **kwargs))
    return {p.urn: list(p.key_stages) for p in plans if p.school is not None}


# --- Wales ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".ods", ".xlsx"])
def test_welsh_list_every_sheet_as_published(tmp_path, suffix):
    path = write_wales(tmp_path / f"address-list-of-schools{suffix}")
    schools = read_schools(path, force_areas=SOUTH_WALES, force_name="South Wales Police",
                           force_nation="wales")
    assert made(path, force_areas=SOUTH_WALES, force_nation="wales") == {
        "6812001": ["ks2"],                          # primary
        "6725001": ["ks2", "ks3", "ks4", "ks5"],     # "Middle": all-age, 3-16 or 3-19
        "6704001": ["ks3", "ks4", "ks5"],            # secondary
        "6737001": ["ks2", "ks3", "ks4", "ks5"],     # special
        "6816001": ["ks3", "ks4", "ks5"],            # the Independent sheet
        "6741101": ["ks3", "ks4"],                   # the PRU sheet, which gives no sector
    }
    assert f"{path}: sheet 'Notes' holds no schools; not read" in schools.notes
    assert schools.left_out == {"nursery or infant only, or no ages or phase": 2}
    failed = {(p.sheet, p.line): p.error for p in plan_rows(schools) if p.school is None}
    assert failed == {
        ("Maintained", 11): "address: 'Mr' is a title, not an address line",
        ("Maintained", 12): "1 more cell than the header has columns; is there an unquoted comma, "
                            "e.g. in an address?",
    }


def test_welsh_letterhead_has_all_four_address_lines_and_keeps_the_language_medium(tmp_path):
    path = write_wales(tmp_path / "address-list-of-schools.ods")
    plans = {p.urn: p for p in plan_rows(read_schools(path, areas=["Cardiff", "Swansea"],
                                                      force_nation="wales"))}
    assert plans["6812001"].school.address == ["Heol y Felin", "Llandaf", "Cardiff", "CF5 2AA"]
    assert plans["6704001"].school.address == ["Ffordd y Parc", "Sketty", "Swansea", "SA2 0AA"]
    assert plans["6812001"].language_medium == "Welsh medium"
    assert plans["6704001"].language_medium == "English medium"


def test_welsh_ods_makes_a_pack_with_the_town_on_the_letter(tmp_path):
    path = write_wales(tmp_path / "address-list-of-schools.ods")
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "south-wales", "--schools", str(path), "--la",
                        "Rhondda Cynon Taf", "--out", str(out), "--jobs", "1", "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    letter = docx_text(out / "tonyrefail-learning-centre" / "ks3" / "parent-letter.docx")
    for line in ("Tonyrefail Learning Centre", "Heol Gwyn", "Tonyrefail", "Porth", "CF39 8AA"):
        assert line in letter, line


def test_welsh_dry_run_counts(tmp_path):
    path = write_wales(tmp_path / "address-list-of-schools.ods")
    result = lessonpack("batch", "--force", "south-wales", "--schools", str(path), "--dry-run")
    assert result.exit_code == 1, result.output  # two rows would fail
    assert result.stdout.splitlines() == [
        "Would make 17 packs for 6 schools; 2 rows would fail. Nothing was written.",
        "Local authority    Schools  KS2  KS3  KS4  KS5  Packs",
        "Bridgend                 1    1    1    1    1      4",
        "Cardiff                  2    1    1    1    1      4",
        "Rhondda Cynon Taf        1    0    1    1    0      2",
        "Swansea                  1    0    1    1    1      3",
        "Vale of Glamorgan        1    1    1    1    1      4",
        "Total                    6    3    5    5    4     17",
        "Left out: 2 nursery or infant only, or no ages or phase",
        "sheet 'Maintained' row 11: Tir Glas Primary School: address: 'Mr' is a title, not an address line",
        "sheet 'Maintained' row 12: Ysgol Nant: 1 more cell than the header has columns; is there an "
        "unquoted comma, e.g. in an address?",
    ]
    # Merthyr Tydfil's one establishment in the list is an infant school.
    assert [line for line in result.stderr.splitlines() if line.startswith("Warning")] == [
        f"Warning: {path}: no school in local authority 'Merthyr Tydfil' (South Wales Police's area "
        "in forces.yaml) has a key stage the lessons cover: each establishment there is closed, a "
        "nursery or infant school, or for adults"]
    assert "Traceback" not in result.output


# --- Scotland ---------------------------------------------------------------------------------


def test_scottish_stages_from_rolls_and_departments(tmp_path):
    path = write_scotland(tmp_path / "school-contact-details.xlsx")
    assert made(path, force_nation="scotland") == {
        "5230001": ["ks2"],                          # P1-P7
        "5240001": ["ks3", "ks4", "ks5"],            # S1-S6: S5 fits KS4 or KS5
        "5240002": ["ks3", "ks4"],                   # S1-S4 only
        "5250001": ["ks2", "ks3", "ks4", "ks5"],     # no rolls: its special department
        "5260001": ["ks2", "ks3", "ks4", "ks5"],     # an independent school, P1-S6
    }


def test_scottish_seed_and_website_reach_the_letterhead(tmp_path):
    path = write_scotland(tmp_path / "school-contact-details.xlsx")
    plans = {p.urn: p for p in plan_rows(read_schools(path, force_nation="scotland"))}
    assert plans["5230001"].school.website == "www.hillcrest.glasgow.sch.uk"
    assert plans["5230001"].school.urn == "5230001"
    assert plans["5240001"].school.website == "https://castlebrae.edin.sch.uk/"


def test_scottish_dry_run_counts(tmp_path):
    path = write_scotland(tmp_path / "school-contact-details.xlsx")
    result = lessonpack("batch", "--force", "police-scotland", "--schools", str(path), "--dry-run")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "Would make 14 packs for 5 schools; 1 row would fail. Nothing was written.",
        "Local authority  Schools  KS2  KS3  KS4  KS5  Packs",
        "Aberdeen City          1    1    1    1    1      4",
        "Edinburgh City         1    0    1    1    1      3",
        "Fife                   1    1    1    1    1      4",
        "Glasgow City           1    1    0    0    0      1",
        "Highland               1    0    1    1    0      2",
        "Total                  5    3    4    4    3     14",
        "Left out: 1 closed or not yet open; 1 nursery or infant only, or no ages or phase",
        "sheet 'Open at September 2026' row 11: Pitcorthie Primary School: website: 'Anton' is not "
        "a web address",
    ]


def test_an_la_typo_stops_the_run_with_the_nearest_names(tmp_path):
    path = write_scotland(tmp_path / "school-contact-details.xlsx")
    result = lessonpack("batch", "--force", "police-scotland", "--schools", str(path), "--la", "Fife", "--la",
                        "Glasgw", "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: {path}: no schools in local authority 'Glasgw' (--la): did you mean "
        "'Glasgow City'? Correct it, or add --keep-going to make the others")
    result = lessonpack("batch", "--force", "police-scotland", "--schools", str(path), "--la", "Fife", "--la",
                        "Glasgw", "--dry-run", "--keep-going")
    assert result.exit_code == 1, result.output  # Fife's Pitcorthie row would fail
    assert result.stdout.splitlines()[0] == ("Would make 4 packs for 1 school; 1 row would fail. "
                                             "Nothing was written.")
    assert "Warning: " in result.stderr and "'Glasgw'" in result.stderr


# --- Northern Ireland -------------------------------------------------------------------------


def test_ni_types_statuses_and_a_misaligned_row(tmp_path):
    path = write_ni(tmp_path / "institutions.csv")
    schools = read_schools(path, force_nation="northern-ireland")
    assert made(path, force_nation="northern-ireland") == {
        "1011234": ["ks2"],                          # primary
        "4211234": ["ks3", "ks4", "ks5"],            # grammar
        "2231234": ["ks3", "ks4", "ks5"],            # secondary
        "5231234": ["ks2", "ks3", "ks4", "ks5"],     # special
        "4021234": ["ks2"],                          # a grammar school's preparatory department
    }
    assert schools.left_out == {"closed or not yet open": 2,
                                "nursery or infant only, or no ages or phase": 1}
    failed = [(p.line, p.name, p.error) for p in plan_rows(schools) if p.school is None]
    assert failed == [(10, "Hill", "1 more cell than the header has columns; is there "
                       "an unquoted comma, e.g. in an address?")]


def test_ni_dry_run_counts(tmp_path):
    path = write_ni(tmp_path / "institutions.csv")
    result = lessonpack("batch", "--force", "psni", "--schools", str(path), "--dry-run")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[:4] == [
        "Would make 12 packs for 5 schools; 1 row would fail. Nothing was written.",
        "Local authority             Schools  KS2  KS3  KS4  KS5  Packs",
        "(no local authority given)        5    3    3    3    3     12",
        "Left out: 2 closed or not yet open; 1 nursery or infant only, or no ages or phase",
    ]


# --- workbooks --------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "kind"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "an Excel 97-2003 workbook (.xls)"),
])
def test_an_unreadable_workbook_is_one_line(tmp_path, data, kind):
    path = tmp_path / "schools.xls"
    path.write_bytes(data)
    result = lessonpack("batch", "--force", "kent", "--schools", str(path), "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}: looks like {kind} but cannot be read (Cannot detect file format); "
        "open it and save it again as .xlsx, .ods or CSV"]


def test_a_damaged_ods_is_one_line(tmp_path):
    import zipfile

    path = tmp_path / "schools.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<not-closed")
    result = lessonpack("batch", "--force", "kent", "--schools", str(path), "--dry-run")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"Error: {path}: looks like an OpenDocument spreadsheet (.ods) "
                                    "but cannot be read")


def test_an_english_force_given_the_welsh_list_is_told_its_own(tmp_path):
    path = write_wales(tmp_path / "address-list-of-schools.ods")
    result = lessonpack("batch", "--force", "northumbria", "--schools", str(path), "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {path}: is the Welsh Government's address list of schools, which lists schools in "
        "Wales; Northumbria Police serves England: use the DfE register (Get Information about "
        "Schools, 'Establishment fields' CSV)"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.text(max_size=20), status=st.sampled_from(["Open", "Closed", "Proposed", "open", ""]),
       management=st.text(max_size=20))
def test_any_ni_type_is_made_left_out_or_a_named_problem(tmp_path_factory, kind, status, management):
    import csv

    path = tmp_path_factory.mktemp("ni") / "institutions.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([NI_HEADER, ["1011234", "A School", "1 Main Street", "", "",
                                                  "Belfast", "Antrim", "BT1 1AA", "", "", management,
                                                  kind, status, ""]])
    try:
        schools = read_schools(path, force_nation="northern-ireland")
    except BatchInputError as exc:  # every row left out ("no schools"), or a NUL: one line
        assert "\n" not in str(exc) and str(exc).startswith(f"{path}: ")
        return
    plan, = plan_rows(schools)
    if plan.school is None:
        assert plan.error.startswith(("Institution Type: ", "key_stages: ")), plan.error
    else:
        assert set(plan.key_stages) <= {"ks2", "ks3", "ks4", "ks5"} and plan.key_stages


def test_a_failed_row_in_the_index_names_its_sheet(tmp_path):
    path = write_wales(tmp_path / "address-list-of-schools.ods")
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "south-wales", "--schools", str(path), "--la",
                        "Neath Port Talbot", "--out", str(out), "--jobs", "1", "--date", "2026-12-01")
    assert result.exit_code == 1, result.output
    packs = json.loads((out / "index.json").read_text())["packs"]
    assert [(p["row"], p["status"], p["reason"]) for p in packs] == [
        (11, "failed", "sheet 'Maintained': address: 'Mr' is a title, not an address line")]


def test_a_forces_own_list_with_a_publishers_columns_is_its_own(tmp_path):
    path = tmp_path / "scottish-schools.csv"
    path.write_text("SEED Code,School Name,Website Address,Centre Type,Key Stages\n"
                    "5230001,Hillcrest Primary School,www.hillcrest.glasgow.sch.uk,Local authority,ks2\n",
                    encoding="utf-8")
    schools = read_schools(path, force_nation="scotland")
    assert not schools.register
    plan, = plan_rows(schools)
    assert (plan.urn, plan.key_stages, plan.school.website) == (
        "5230001", ("ks2",), "www.hillcrest.glasgow.sch.uk")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sector=st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20),
       medium=st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=20))
def test_any_welsh_sector_is_made_left_out_or_a_named_problem(tmp_path_factory, sector, medium):
    import csv

    path = tmp_path_factory.mktemp("wales") / "address-list-of-schools.csv"  # saved as CSV
    header = ["Local Authority", "School Number", "School Name", "Address 1", "Address 4", "Postcode",
              "Sector", "Welsh Medium Type - see notes"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, ["Cardiff", "6812001", "Ysgol A", "Heol B", "Cardiff",
                                               "CF5 2AA", sector, medium]])
    try:
        schools = read_schools(path, force_nation="wales")
    except BatchInputError as exc:  # a nursery sector leaves no schools: one line
        assert "\n" not in str(exc) and str(exc).startswith(f"{path}: ")
        return
    plan, = plan_rows(schools)
    assert plan.language_medium == medium.strip()
    if plan.school is None:
        assert plan.error.startswith("Sector: "), plan.error
    else:
        assert plan.key_stages and plan.school.address == ["Heol B", "Cardiff", "CF5 2AA"]

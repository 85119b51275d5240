"""The DfE register (Get Information about Schools) as a force downloads it.

The fixture is a synthetic extract in the register's real layout: its published column
names, written out here (not taken from lessonpack's constants), Windows-1252, CRLF,
2,000 establishments of mixed phases, statuses and local authorities. Each row comes from
an archetype whose expected key stages are written out by hand.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lessonpack.batch.schools import plan_rows, read_schools
from lessonpack.batch.schools import register as register_module
from lessonpack.batch.schools.table import BatchInputError
from tests.helpers import lessonpack

from .conftest import docx_text

# "Establishment fields" as published by Get Information about Schools, in its order.
PUBLISHED = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)", "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)", "CloseDate",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)", "OfficialSixthForm (code)",
    "OfficialSixthForm (name)", "Gender (code)", "Gender (name)", "ReligiousCharacter (code)",
    "ReligiousCharacter (name)", "ReligiousEthos (name)", "Diocese (code)", "Diocese (name)",
    "AdmissionsPolicy (code)", "AdmissionsPolicy (name)", "SchoolCapacity", "SpecialClasses (code)",
    "SpecialClasses (name)", "CensusDate", "NumberOfPupils", "NumberOfBoys", "NumberOfGirls",
    "PercentageFSM", "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)",
    "Trusts (name)", "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)",
    "Federations (code)", "Federations (name)", "UKPRN", "FEHEIdentifier",
    "FurtherEducationType (name)", "OfstedLastInsp", "OfstedSpecialMeasures (code)",
    "OfstedSpecialMeasures (name)", "LastChangedDate", "Street", "Locality", "Address3", "Town",
    "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum", "HeadTitle (name)",
    "HeadFirstName", "HeadLastName", "HeadPreferredJobTitle", "BSOInspectorateName (name)",
    "InspectorateReport", "DateOfLastInspectionVisit", "NextInspectionVisit", "TeenMoth (name)",
    "TeenMothPlaces", "CCF (name)", "SENPRU (name)", "EBD (name)", "PlacesPRU", "FTProv (name)",
    "EdByOther (name)", "Section41Approved (name)", "SEN1 (name)", "SEN2 (name)", "SEN3 (name)",
    "TypeOfResourcedProvision (name)", "ResourcedProvisionOnRoll", "ResourcedProvisionCapacity",
    "SenUnitOnRoll", "SenUnitCapacity", "GOR (code)", "GOR (name)",
    "DistrictAdministrative (code)", "DistrictAdministrative (name)", "AdministrativeWard (code)",
    "AdministrativeWard (name)", "ParliamentaryConstituency (code)",
    "ParliamentaryConstituency (name)", "UrbanRural (code)", "UrbanRural (name)",
    "GSSLACode (name)", "Easting", "Northing", "MSOA (name)", "LSOA (name)",
    "InspectorateName (name)", "SENStat", "SENNoStat", "BoardingEstablishment (name)",
    "PropsName", "PreviousLA (code)", "PreviousLA (name)", "PreviousEstablishmentNumber",
    "OfstedRating (name)", "RSCRegion (name)", "Country (name)", "UPRN", "SiteName",
    "QABName (code)", "QABName (name)", "EstablishmentAccredited (code)",
    "EstablishmentAccredited (name)", "QABReport", "CHNumber", "MSOA (code)", "LSOA (code)", "FSM",
    "AccreditationExpiryDate",
]
# The columns lessonpack reads: a register without one of these is refused by name.
NEEDED = ["URN", "EstablishmentName", "LA (name)", "EstablishmentStatus (name)",
          "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge", "OfficialSixthForm (name)"]

ALL = ["ks2", "ks3", "ks4", "ks5"]
# (phase, low age, high age, sixth form, type) → the key stages a pack is made for;
# None: left out (no key stage the lessons cover, or not a school).
ARCHETYPES = [
    ("Primary", "4", "11", "Not applicable", "Community school", ["ks2"]),
    ("Primary", "3", "11", "Does not have a sixth form", "Voluntary aided school", ["ks2"]),
    ("Primary", "4", "7", "Not applicable", "Community school", None),  # an infant school
    ("Secondary", "11", "16", "Does not have a sixth form", "Academy converter", ["ks3", "ks4"]),
    ("Secondary", "11", "18", "Has a sixth form", "Foundation school", ["ks3", "ks4", "ks5"]),
    ("Secondary", "11", "19", "Does not have a sixth form", "Academy sponsor led", ["ks3", "ks4"]),
    ("All-through", "4", "18", "Has a sixth form", "Free schools", ALL),
    ("All-through", "3", "16", "Does not have a sixth form", "Academy converter",
     ["ks2", "ks3", "ks4"]),
    ("Middle deemed primary", "8", "12", "Not applicable", "Community school", ["ks2", "ks3"]),
    ("Middle deemed secondary", "9", "13", "Not applicable", "Academy converter", ["ks2", "ks3"]),
    # A further-education college is for adults as much as for 16-18s: no pack. A sixth
    # form college (its FurtherEducationType) teaches 16-19s: KS5.
    ("16 plus", "16", "19", "Has a sixth form", "Further education", None),
    ("Not applicable", "2", "19", "Not applicable", "Community special school", ALL),
    ("Not applicable", "11", "16", "Not applicable", "Pupil referral unit", ["ks3", "ks4"]),
    ("Nursery", "2", "5", "Not applicable", "Local authority nursery school", None),
    ("Not applicable", "", "", "Not applicable", "Higher education institutions", None),
    ("Secondary", "", "", "Has a sixth form", "Other independent school", ["ks3", "ks4", "ks5"]),
    ("Primary", "", "", "Not applicable", "Other independent school", ["ks2"]),
    ("16 plus", "16", "99", "Not applicable", "Further education", None),  # adult learning
    ("Not applicable", "18", "99", "Not applicable", "Miscellaneous", None),
    ("Not applicable", "19", "99", "Not applicable", "Miscellaneous", None),  # not "infant only"
    ("16 plus", "16", "19", "Has a sixth form", "Further education/Sixth Form College", ["ks5"]),
]
# Why each archetype left out is left out, as the dry run counts it.
ADULT, YOUNG, CLOSED = ("colleges and adult or higher education (ages past 19)",
                        "nursery or infant only, or no ages or phase", "closed or not yet open")
WHY = {2: YOUNG, 10: ADULT, 13: YOUNG, 14: ADULT, 17: ADULT, 18: ADULT, 19: ADULT}
STATUSES = ["Open", "Open, but proposed to close", "Closed", "Proposed to open", "Open"]
KEPT = {"Open", "Open, but proposed to close"}
LAS = ["Kent", "Medway", "Northumberland", "Newcastle upon Tyne", "Gateshead", "Sunderland",
       "North Tyneside", "South Tyneside", "Bristol, City of", "Surrey", "Camden"]
BAD_AGE_ROW, HIGH_BELOW_LOW_ROW = 5, 19  # establishments (0-based) with unusable ages


def establishment(i: int) -> dict[str, str]:
    phase, low, high, sixth, kind, _ = ARCHETYPES[i % len(ARCHETYPES)]
    kind, _, further = kind.partition("/")
    if i == BAD_AGE_ROW:
        low = "eleven"
    if i == HIGH_BELOW_LOW_ROW:
        low, high = "16", "11"
    la = LAS[i % len(LAS)]
    row = dict.fromkeys(PUBLISHED, "")
    row.update({
        "URN": str(100000 + i), "LA (code)": str(800 + LAS.index(la)), "LA (name)": la,
        "EstablishmentNumber": str(2000 + i),
        # Windows-1252 characters, as real names have: é and a typographic apostrophe.
        "EstablishmentName": f"St Thérèse’s {phase} School {i}",
        "TypeOfEstablishment (name)": kind, "EstablishmentStatus (name)": STATUSES[i % len(STATUSES)],
        "PhaseOfEducation (name)": phase, "StatutoryLowAge": low, "StatutoryHighAge": high,
        "OfficialSixthForm (name)": sixth, "FurtherEducationType (name)": further or "Not applicable",
        "Street": f"{i} Church Lane", "Locality": "Upper Ashby",
        "Town": "Ashby", "County (name)": "Kent", "Postcode": "ME1 1AA",
        "SchoolWebsite": f"www.school{i}.example.org.uk", "TelephoneNum": "01632960000",
        "HeadTitle (name)": "Mrs", "HeadFirstName": "Ann", "HeadLastName": "Lee",
        "OpenDate": "01-09-1999", "Gender (name)": "Mixed", "Country (name)": "United Kingdom",
        "GOR (name)": "South East", "UrbanRural (name)": "(England/Wales) Urban city and town",
    })
    return row


def write_register(path: Path, count: int = 2000) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=PUBLISHED, lineterminator="\r\n")
    writer.writeheader()
    for i in range(count):
        writer.writerow(establishment(i))
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def expected(las: set[str], count: int = 2000) -> dict[str, list[str]]:
    """URN → key stages, for the open schools in these local authorities."""
    out = {}
    for i in range(count):
        row = establishment(i)
        stages = ARCHETYPES[i % len(ARCHETYPES)][-1]
        if (row["LA (name)"] in las and row["EstablishmentStatus (name)"] in KEPT
                and stages is not None and i not in (BAD_AGE_ROW, HIGH_BELOW_LOW_ROW)):
            out[row["URN"]] = stages
    return out


def left_out(las: set[str], count: int = 2000) -> str:
    """The dry run's "Left out" line for these local authorities, from the archetypes."""
    counts = dict.fromkeys([CLOSED, "not schools", ADULT, YOUNG], 0)
    for i in range(count):
        row = establishment(i)
        if row["LA (name)"] not in las or i in (BAD_AGE_ROW, HIGH_BELOW_LOW_ROW):
            continue
        if row["EstablishmentStatus (name)"] not in KEPT:
            counts[CLOSED] += 1
        elif i % len(ARCHETYPES) in WHY:
            counts[WHY[i % len(ARCHETYPES)]] += 1
    return "Left out: " + "; ".join(f"{n:,} {why}" for why, n in counts.items() if n)


@pytest.fixture(scope="module")
def register_file(tmp_path_factory) -> Path:
    return write_register(tmp_path_factory.mktemp("gias") / "edubasealldata20261101.csv")


def test_the_fixture_is_the_registers_encoding_and_layout(register_file):
    raw = register_file.read_bytes()
    assert b"Th\xe9r\xe8se\x92s" in raw  # Windows-1252: not UTF-8
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.split(b"\r\n", 1)[0].decode("cp1252").split(",")[:5] == [
        "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName"]
    assert len(PUBLISHED) > 100


def test_the_code_reads_only_published_columns():
    # A typo in lessonpack's own column names would make it miss real registers.
    read = {*register_module.REQUIRED, *register_module.OPTIONAL}
    assert read <= set(PUBLISHED), read - set(PUBLISHED)
    assert set(register_module.REQUIRED) == set(NEEDED)


def test_kent_gets_its_open_schools_with_the_right_key_stages(register_file):
    schools = read_schools(register_file, force_areas=["Kent", "Medway"], force_name="Kent Police")
    assert schools.register
    plans = plan_rows(schools)
    made = {p.urn: list(p.key_stages) for p in plans if p.school is not None}
    assert made == expected({"Kent", "Medway"})
    assert {p.la for p in plans} == {"Kent", "Medway"}
    assert any("Windows-1252" in note for note in schools.notes)


def test_bad_ages_are_failed_rows_with_their_line_numbers(register_file):
    plans = plan_rows(read_schools(register_file, areas=["all"]))
    failed = {p.line: p.error for p in plans if p.school is None}
    # The header is line 1, so establishment i is on line i + 2.
    assert set(failed) == {BAD_AGE_ROW + 2, HIGH_BELOW_LOW_ROW + 2}
    assert "StatutoryLowAge: 'eleven' is not an age" in failed[BAD_AGE_ROW + 2]
    assert "StatutoryLowAge 16 is above StatutoryHighAge 11" in failed[HIGH_BELOW_LOW_ROW + 2]
    assert len([p for p in plans if p.school is not None]) == len(expected(set(LAS)))


def test_la_names_match_however_they_are_written(register_file):
    plans = plan_rows(read_schools(register_file, areas=["City of Bristol", "surrey"]))
    assert {p.urn for p in plans if p.school} == set(expected({"Bristol, City of", "Surrey"}))


def test_an_unknown_la_is_refused_with_a_suggestion(register_file, tmp_path):
    result = lessonpack("batch", "--force", "kent", "--schools", str(register_file), "--la", "Kentt", "--out",
                        str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "'Kent'" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_force_without_local_authorities_must_name_them(register_file, tmp_path):
    force = tmp_path / "btp.yaml"  # a force of its own: England's, with no area in forces.yaml
    force.write_text("slug: british-transport-police\nname: British Transport Police\n"
                     "nation: england\n", encoding="utf-8")
    result = lessonpack("batch", "--force-file", str(force), "--schools", str(register_file), "--out",
                        str(tmp_path / "o"))
    assert result.exit_code == 2 and "--la" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("force", "name", "nation", "own"), [
    ("south-wales", "South Wales Police", "Wales",
     "the Welsh Government's address list of schools (gov.wales, .ods or .xlsx)"),
    ("police-scotland", "Police Scotland", "Scotland",
     "the Scottish Government's school contact details (gov.scot, .xlsx)"),
    ("psni", "Police Service of Northern Ireland", "Northern Ireland",
     "the Department of Education's institution search export (education-ni.gov.uk)"),
])
def test_a_force_outside_england_is_told_its_nations_list(register_file, tmp_path, force, name,
                                                          nation, own):
    result = lessonpack("batch", "--force", force, "--schools", str(register_file), "--out",
                        str(tmp_path / "o"), "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: {register_file}: is the DfE register, which lists schools in England; "
        f"{name} serves {nation}: use {own}"]
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("column", NEEDED)
def test_a_register_missing_a_needed_column_is_refused_by_name(tmp_path, column):
    header = [c for c in PUBLISHED if c != column]
    path = tmp_path / "edubase.csv"
    path.write_bytes((",".join(f'"{c}"' for c in header) + "\r\n" + ",".join("1" * len(header)))
                     .encode("cp1252"))
    with pytest.raises(BatchInputError, match=f"no '{column}'".replace("(", r"\(").replace(")", r"\)")):
        read_schools(path, areas=["all"])


def test_dry_run_counts_by_local_authority_and_key_stage(register_file, tmp_path):
    out = tmp_path / "packs"
    result = lessonpack("batch", "--force", "northumbria", "--schools", str(register_file), "--out", str(out),
                        "--dry-run")
    assert result.exit_code == 1, result.output  # a row would fail: a check in CI says so
    assert not out.exists()
    areas = ["Gateshead", "Newcastle upon Tyne", "North Tyneside", "Northumberland",
             "South Tyneside", "Sunderland"]
    want = expected(set(areas))
    lines = result.stdout.splitlines()
    packs = sum(len(v) for v in want.values())
    assert lines[0] == (f"Would make {packs:,} packs for {len(want):,} schools; 1 row would fail. "
                        "Nothing was written.")
    assert lines[-1] == (f"row {BAD_AGE_ROW + 2}: St Thérèse’s Secondary School {BAD_AGE_ROW}: "
                         "StatutoryLowAge: 'eleven' is not an age in years")
    assert lines[-2] == left_out(set(areas))
    table = {line.rsplit(None, 6)[0]: line.rsplit(None, 6)[1:] for line in lines[2:-2]}
    assert list(table) == [*areas, "Total"]
    for area in areas:
        urns = {u for u, ks in want.items() if establishment(int(u) - 100000)["LA (name)"] == area}
        row = [len(urns), *(sum(ks in want[u] for u in urns) for ks in ALL),
               sum(len(want[u]) for u in urns)]
        assert table[area] == [f"{n:,}" for n in row], area


def test_a_register_school_gets_its_address_and_website_on_the_letterhead(tmp_path):
    path = write_register(tmp_path / "edubasealldata20261101.csv", count=5)
    out = tmp_path / "packs"
    # Establishment 0 is an open primary in Kent; 1 (Medway) is proposed to close: kept.
    result = lessonpack("batch", "--force", "kent", "--schools", str(path), "--out", str(out), "--jobs", "1",
                        "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    index = json.loads((out / "index.json").read_text())
    assert [(p["urn"], p["key_stage"]) for p in index["packs"]] == [("100000", "ks2"),
                                                                   ("100001", "ks2")]
    letter = docx_text(out / index["packs"][0]["folder"] / "parent-letter.docx")
    for text in ("St Thérèse’s Primary School 0", "0 Church Lane", "Upper Ashby", "Ashby",
                 "ME1 1AA", "www.school0.example.org.uk"):
        assert text in letter, text


@pytest.mark.parametrize(("phase", "low", "high", "sixth", "stages"), [
    ("Primary", 4, 11, "Not applicable", ["ks2"]),
    ("Secondary", 11, 16, "Does not have a sixth form", ["ks3", "ks4"]),
    ("Secondary", 11, 18, "Has a sixth form", ["ks3", "ks4", "ks5"]),
    ("All-through", 4, 16, "Does not have a sixth form", ["ks2", "ks3", "ks4"]),
    ("Not applicable", 7, 19, "Not applicable", ALL),  # a special school: by its ages
    ("Not applicable", 3, 7, "Not applicable", []),
    ("Primary", 5, 11, "Has a sixth form", ["ks2"]),  # a register error: no ks5 for a primary
    ("16 plus", None, None, "Not applicable", ["ks5"]),
    ("Nursery", None, None, "Not applicable", []),
])
def test_key_stages_from_phase_ages_and_sixth_form(phase, low, high, sixth, stages):
    assert register_module.key_stages(phase, low, high, sixth) == stages

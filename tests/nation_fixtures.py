"""The Welsh, Scottish and Northern Irish lists of schools in their publishers' shapes:
headers (and sheets, and the title rows above them) as published, rows made up.

Each row's expected key stages, or why it is left out, is written beside it by hand.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .spreadsheets import write_ods, write_xlsx

# --- Wales: the Welsh Government's "Address list of schools" ---------------------------------

WALES_MAINTAINED = ["Local Authority", "School Number", "School Name", "Address 1", "Address 2",
                    "Address 3", "Address 4", "Postcode", "Phone Number", "Sector",
                    "Governance - see notes", "Welsh Medium Type - see notes", "School Type"]
WALES_INDEPENDENT = ["Local Authority", "School Number", "School Name", "Address 1", "Address 2",
                     "Address 3", "Address 4", "Postcode", "Phone Number", "Sector",
                     "Welsh Medium Type - see notes"]
WALES_PRU = ["Local Authority", "School Number", "School Name", "Address 1", "Address 2",
             "Address 3", "Address 4", "Postcode", "Phone Number", "Welsh Medium Type - see notes"]


def wales_sheets() -> dict[str, list[list[object]]]:
    maintained: list[list[object]] = [
        ["Address list of schools in Wales: maintained schools"], [], WALES_MAINTAINED,
        ["Cardiff", 6812001, "Ysgol Gynradd Bro Derw", "Heol y Felin", "Llandaf", "", "Cardiff",
         "CF5 2AA", "029 2000 0001", "Primary", "Community", "Welsh medium", ""],
        ["Bridgend", 6725001, "Ysgol Cwm Derw", "Heol Ddu", "", "", "Bridgend", "CF31 1AA",
         "01656 000001", "Middle", "Community", "Welsh medium", ""],
        ["Swansea", 6704001, "Pentre Comprehensive School", "Ffordd y Parc", "Sketty", "",
         "Swansea", "SA2 0AA", "01792 000001", "Secondary", "Voluntary Aided", "English medium", ""],
        ["Swansea", 6701001, "Ysgol Feithrin Glan", "Stryd Fawr", "", "", "Swansea", "SA1 1AA",
         "", "Nursery", "Community", "Welsh medium", ""],
        ["Vale of Glamorgan", 6737001, "Ysgol y Deri", "Sully Road", "Penarth", "", "Vale of Glamorgan",
         "CF64 2AA", "", "Special", "Community", "English medium", ""],
        ["Merthyr Tydfil", 6752001, "Gellideg Infants School", "Heol Gwyn", "", "", "Merthyr Tydfil",
         "CF47 8AA", "", "Primary", "Community", "English medium", "Infants"],
        ["Powys", 6662001, "Ysgol Calon Powys", "Ffordd y Castell", "", "", "Llandrindod Wells",
         "LD1 5AA", "", "Secondary", "Community", "Dual stream", ""],
        # Cells moved along by hand: a headteacher's title where the first address line is.
        ["Neath Port Talbot", 6712001, "Tir Glas Primary School", "Mr", "Heol Fawr", "", "Neath",
         "SA11 1AA", "", "Primary", "Community", "English medium", ""],
        ["Cardiff", 6812099, "Ysgol Nant", "Heol Nant", "", "", "Cardiff", "CF14 1AA", "",
         "Primary", "Community", "Welsh medium", "", "see note 3"],  # a cell past the header
    ]
    independent: list[list[object]] = [
        ["Address list of schools in Wales: independent schools"], [], WALES_INDEPENDENT,
        ["Cardiff", 6816001, "Coleg Bryn School", "1 Park Place", "", "", "Cardiff", "CF10 3AA", "",
         "Secondary", "English medium"],
    ]
    pru: list[list[object]] = [
        ["Address list of schools in Wales: pupil referral units"], [], WALES_PRU,
        ["Rhondda Cynon Taf", 6741101, "Tonyrefail Learning Centre", "Heol Gwyn", "Tonyrefail", "",
         "Porth", "CF39 8AA", "", "English medium"],
    ]
    notes = [["Address list of schools: notes"], ["Sector: the phase of education the school provides"]]
    return {"Notes": notes, "Maintained": maintained, "Independent": independent, "PRU": pru}


def write_wales(path: Path) -> Path:
    sheets = wales_sheets()
    return write_ods(path, sheets) if path.suffix == ".ods" else write_xlsx(path, sheets)


# --- Scotland: the Scottish Government's "School contact details" ----------------------------

SCOTLAND_HEADER = ["SEED Code", "LA Name", "Centre Type", "School Name", "Address 1", "Address 2",
                   "Address 3", "Post Code", "Phone Number", "E-mail", "Website Address",
                   "Primary Department", "Secondary Department", "Special Department",
                   "P1", "P2", "P3", "P4", "P5", "P6", "P7", "S1", "S2", "S3", "S4", "S5", "S6"]


def _scottish(seed: int, la: str, centre: str, name: str, website: str, departments: str,
              rolls: list[object]) -> list[object]:
    yes = ["Yes" if d in departments else "" for d in "PSX"]  # primary, secondary, special (X)
    return [seed, la, centre, name, f"1 {name.split()[0]} Road", "", la.split()[0], "G1 1AA",
            "0141 000 0000", "office@example.sch.uk", website, *yes, *rolls]


def scotland_sheets() -> dict[str, list[list[object]]]:
    primary = [20] * 7 + [""] * 6
    over = [""] * 11 + ["School type", "", "", "Pupil rolls by stage"] + [""] * 12
    open_rows = [
        _scottish(5230001, "Glasgow City", "Local authority", "Hillcrest Primary School",
                  "www.hillcrest.glasgow.sch.uk", "P", primary),                                # ks2
        _scottish(5230002, "Glasgow City", "Local authority", "Burnside Infant School",
                  "www.burnside.glasgow.sch.uk", "P", [20, 20, 20, 0, 0, 0, 0] + [""] * 6),    # left out
        _scottish(5240001, "Edinburgh City", "Local authority", "Castlebrae High School",
                  "https://castlebrae.edin.sch.uk/", "S", [""] * 7 + [100] * 6),               # ks3-5
        _scottish(5240002, "Highland", "Local authority", "Glen Academy", "",
                  "S", [""] * 7 + [50, 50, 50, 50, 0, 0]),                                     # ks3-4
        _scottish(5250001, "Fife", "Local authority", "Kirk Special School", "", "X",
                  [""] * 13),                                                                  # all
        _scottish(5260001, "Aberdeen City", "Independent", "Dee Independent School",
                  "www.dee-school.org.uk", "PS", [10] * 13),                                   # all
        _scottish(5270001, "Fife", "Local authority", "Pitcorthie Primary School", "Anton",
                  "P", primary),                                                               # fails
    ]
    return {
        "Notes": [["School contact details: notes"]],
        "Open at September 2026": [["School contact details, September 2026"], [], over,
                                   SCOTLAND_HEADER, *open_rows],
        "Closed since September 2025": [SCOTLAND_HEADER, _scottish(
            5230099, "Glasgow City", "Local authority", "Old Glen Primary School", "", "P", primary)],
    }


def write_scotland(path: Path) -> Path:
    return write_xlsx(path, scotland_sheets())


# --- Northern Ireland: the Department of Education's institution search export -----------

NI_HEADER = ["Institution Reference Number", "Institution Name", "Address Line 1", "Address Line 2",
             "Address Line 3", "Town", "County", "Postcode", "Telephone", "Email", "Management",
             "Type", "Status", "Date Closed"]


def _ni(number: str, name: str, management: str, kind: str, status: str = "Open",
        closed: str = "") -> list[str]:
    return [number, name, "1 Main Street", "", "", "Belfast", "Antrim", "BT1 1AA", "028 9000 0000",
            "info@example.ni.sch.uk", management, kind, status, closed]


NI_ROWS = [
    _ni("1011234", "St Brigid's Primary School", "Catholic Maintained", "Primary"),      # ks2
    _ni("4211234", "Lagan Grammar School", "Voluntary", "Grammar"),                     # ks3-5
    _ni("2231234", "Foyle High School", "Controlled", "Secondary"),                     # ks3-5
    _ni("5231234", "Riverside Special School", "Controlled", "Special"),                # all
    _ni("1031234", "Little Acorns Nursery School", "Controlled", "Nursery"),            # left out
    _ni("4021234", "Lagan Grammar Preparatory Department", "Voluntary", "Preparatory"), # ks2
    _ni("1041234", "Old Mill Primary School", "Controlled", "Primary", "Closed", "31/08/2024"),
    _ni("1051234", "New Bridge Integrated Primary", "Controlled Integrated", "Primary", "Proposed"),
]


def write_ni(path: Path) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(NI_HEADER)
    writer.writerows(NI_ROWS)
    # An unquoted comma in a name, as a hand-edited export has: one cell too many.
    text = buffer.getvalue() + ",".join(_ni("1061234", "Hill, Top Primary School", "Controlled",
                                             "Primary")) + "\r\n"
    path.write_text(text, encoding="utf-8")
    return path

"""The DfE's register of schools (Get Information about Schools), read as downloaded.

The "Establishment fields" CSV (edubasealldataYYYYMMDD.csv, Windows-1252) lists every
establishment in England, open or closed, with some 130 columns. This module keeps the
open schools, and gives each its key stages (from its phase, statutory ages and sixth
form), letterhead address, website and local authority.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lessonpack.batch.schools.columns import COLUMNS, Row, key
from lessonpack.batch.schools.table import BatchInputError, Table

# The register's own column names, as its download spells them.
URN, NAME, LA = "URN", "EstablishmentName", "LA (name)"
STATUS, PHASE, TYPE = "EstablishmentStatus (name)", "PhaseOfEducation (name)", "TypeOfEstablishment (name)"
LOW, HIGH, SIXTH = "StatutoryLowAge", "StatutoryHighAge", "OfficialSixthForm (name)"
REQUIRED = (URN, NAME, LA, STATUS, PHASE, LOW, HIGH, SIXTH)
# Read when present: the letterhead (Street ... Postcode) and the website.
OPTIONAL = {"Street": "street", "Locality": "locality", "Address3": "address3", "Town": "town",
            "Postcode": "postcode", "SchoolWebsite": "website", TYPE: "type"}
# Columns only the register has: three of them make a file the register.
MARKERS = (STATUS, PHASE, TYPE, LOW, HIGH, SIXTH)

OPEN = {key("Open"), key("Open, but proposed to close")}
# Establishments on the register that are not schools a lesson pack is for.
NOT_SCHOOLS = {key(t) for t in ("Higher education institutions", "Children's centre",
                                "Children's centre linked site", "Online provider",
                                "British schools overseas", "Offshore schools")}
# The ages each key stage teaches: a school teaching any of them gets that key stage.
KEY_STAGE_AGES = {"ks2": (7, 11), "ks3": (11, 14), "ks4": (14, 16), "ks5": (16, 19)}
# Used only when the register gives no ages.
PHASE_KEY_STAGES = {
    key("Primary"): ("ks2",), key("Middle deemed primary"): ("ks2", "ks3"),
    key("Middle deemed secondary"): ("ks2", "ks3"), key("Secondary"): ("ks3", "ks4"),
    key("All-through"): ("ks2", "ks3", "ks4"), key("16 plus"): ("ks5",),
}
HAS_SIXTH, NO_SIXTH = key("Has a sixth form"), key("Does not have a sixth form")


def is_register(header: list[str]) -> bool:
    keys = {key(cell) for cell in header}
    return sum(key(m) in keys for m in MARKERS) >= 3


@dataclass
class Register:
    rows: list[Row]
    establishments: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # why → how many

    def note(self, path: Path) -> str:
        why = "; ".join(f"{n:,} {reason}" for reason, n in self.skipped.items() if n)
        return (f"{path.name}: the DfE register: {self.establishments:,} establishments, "
                f"{len(self.rows):,} open schools with a key stage the lessons cover"
                + (f" (left out: {why})" if why else ""))


def read_register(path: Path, table: Table) -> Register:
    """The register's open schools as rows; BatchInputError if a column it needs is missing."""
    index = {key(cell): i for i, cell in enumerate(table.header)}
    missing = [c for c in REQUIRED if key(c) not in index]
    if missing:
        raise BatchInputError(
            f"{path}: line {table.header_line}: looks like the DfE register but has no "
            f"{', '.join(map(repr, missing))} column; download the 'Establishment fields' CSV again")
    where = {c: index[key(c)] for c in (*REQUIRED, *OPTIONAL) if key(c) in index}
    register = Register([], skipped=dict.fromkeys(
        ("closed or not yet open", "not schools", "nursery or infant only, or no ages or phase"), 0))
    for line, cells in table.records:
        if not any(c.strip() for c in cells):
            continue
        register.establishments += 1
        cell = {c: (cells[i].strip() if i < len(cells) else "") for c, i in where.items()}
        if key(cell[STATUS]) not in OPEN:
            register.skipped["closed or not yet open"] += 1
        elif key(cell.get(TYPE, "")) in NOT_SCHOOLS:
            register.skipped["not schools"] += 1
        else:
            row = _row(line, cell)
            if row is None:
                register.skipped["nursery or infant only, or no ages or phase"] += 1
            else:
                register.rows.append(row)
    return register


def _row(line: int, cell: dict[str, str]) -> Row | None:
    values = dict.fromkeys(COLUMNS, "")
    values.update(name=cell[NAME], urn=cell[URN], la=cell[LA])
    values.update({column: cell[c] for c, column in OPTIONAL.items() if c in cell and column in values})
    problems: list[str] = []
    ages = [_age(cell[c], c, problems) for c in (LOW, HIGH)]
    if problems:
        return Row(line, values, problems=tuple(problems))
    low, high = ages
    if low is not None and high is not None and low > high:
        return Row(line, values, problems=(f"{LOW} {low} is above {HIGH} {high}",))
    stages = key_stages(cell[PHASE], low, high, cell[SIXTH])
    if not stages:
        return None
    values["key_stages"] = ";".join(stages)
    return Row(line, values)


def _age(text: str, column: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 0 <= int(text) <= 99:
        problems.append(f"{column}: {text!r} is not an age in years")
        return None
    return int(text)


def key_stages(phase: str, low: int | None, high: int | None, sixth: str) -> list[str]:
    """The key stages a school teaches, from the register's phase, ages and sixth form.

    By age range where the register gives one (a primary 4-11 → ks2; a secondary 11-16 →
    ks3, ks4; special and all-through schools likewise), else by phase; then a school
    that "Has a sixth form" gets ks5 and one that "Does not have a sixth form" does not.
    """
    if low is not None and high is not None:
        stages = {ks for ks, (start, end) in KEY_STAGE_AGES.items() if low < end and high > start}
    else:
        stages = set(PHASE_KEY_STAGES.get(key(phase), ()))
    if key(sixth) == NO_SIXTH:
        stages.discard("ks5")
    elif key(sixth) == HAS_SIXTH and stages and (high is None or high >= 16):
        stages.add("ks5")
    return [ks for ks in KEY_STAGE_AGES if ks in stages]

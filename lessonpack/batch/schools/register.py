"""The DfE's register of schools (Get Information about Schools), read as downloaded.

The "Establishment fields" CSV (edubasealldataYYYYMMDD.csv, Windows-1252, or the zip it
comes in) lists every establishment in England, open or closed, with some 130 columns.
This module keeps the open schools with pupils of school age, and gives each its key
stages (from its phase, statutory ages and sixth form), letterhead address, website and
local authority.
"""

from __future__ import annotations

from lessonpack.batch.schools.columns import Row, key
from lessonpack.batch.schools.published import (
    ADULT,
    CLOSED,
    KEY_STAGE_AGES,
    NOT_SCHOOLS,
    SCHOOL_AGE_END,
    YOUNG,
    Published,
    Publisher,
    age,
    new_values,
    stages_by_age,
)

# The register's own column names, as its download spells them.
URN, NAME, LA = "URN", "EstablishmentName", "LA (name)"
STATUS, PHASE, TYPE = "EstablishmentStatus (name)", "PhaseOfEducation (name)", "TypeOfEstablishment (name)"
LOW, HIGH, SIXTH = "StatutoryLowAge", "StatutoryHighAge", "OfficialSixthForm (name)"
FE_TYPE = "FurtherEducationType (name)"
REQUIRED = (URN, NAME, LA, STATUS, PHASE, LOW, HIGH, SIXTH)
# Read when present: the letterhead (Street ... Postcode) and the website.
LETTERHEAD = {"Street": "street", "Locality": "locality", "Address3": "address3", "Town": "town",
              "Postcode": "postcode", "SchoolWebsite": "website"}
OPTIONAL = (*LETTERHEAD, TYPE, FE_TYPE)
# Columns only the register has: three of them make a file the register.
MARKERS = (STATUS, PHASE, TYPE, LOW, HIGH, SIXTH)

OPEN = {key("Open"), key("Open, but proposed to close")}
# Establishments on the register that are not schools a lesson pack is for.
NOT_SCHOOL_TYPES = {key(t) for t in ("Children's centre", "Children's centre linked site",
                                     "Online provider", "British schools overseas", "Offshore schools")}
# Colleges for adults as much as for 16-18s: a sixth form college is the exception (below).
ADULT_TYPES = {key(t) for t in ("Further education", "Higher education institutions")}
# Used only when the register gives no ages.
PHASE_KEY_STAGES = {
    key("Primary"): ("ks2",), key("Middle deemed primary"): ("ks2", "ks3"),
    key("Middle deemed secondary"): ("ks2", "ks3"), key("Secondary"): ("ks3", "ks4"),
    key("All-through"): ("ks2", "ks3", "ks4"), key("16 plus"): ("ks5",),
}
HAS_SIXTH, NO_SIXTH = key("Has a sixth form"), key("Does not have a sixth form")


def _row(line: int, cell: dict[str, str], found: Published) -> Row | None:
    if key(cell[STATUS]) not in OPEN:
        found.skip(CLOSED)
        return None
    kind = key(cell[TYPE])
    if kind in NOT_SCHOOL_TYPES:
        found.skip(NOT_SCHOOLS)
        return None
    values = new_values(name=cell[NAME], urn=cell[URN], la=cell[LA])
    values.update({column: cell[c] for c, column in LETTERHEAD.items()})
    problems: list[str] = []
    low, high = (age(cell[c], c, problems) for c in (LOW, HIGH))
    if problems:
        return Row(line, values, problems=tuple(problems))
    if low is not None and high is not None and low > high:
        return Row(line, values, problems=(f"{LOW} {low} is above {HIGH} {high}",))
    sixth_form_college = "sixthform" in key(cell[FE_TYPE])
    if (high is not None and high > SCHOOL_AGE_END) or (kind in ADULT_TYPES and not sixth_form_college):
        found.skip(ADULT)
        return None
    stages = key_stages(cell[PHASE], low, high, cell[SIXTH])
    if not stages:
        found.skip(YOUNG)
        return None
    values["key_stages"] = ";".join(stages)
    return Row(line, values)


def key_stages(phase: str, low: int | None, high: int | None, sixth: str) -> list[str]:
    """The key stages a school teaches, from the register's phase, ages and sixth form.

    By age range where the register gives one (a primary 4-11 → ks2; a secondary 11-16 →
    ks3, ks4; special and all-through schools likewise), else by phase; then a school
    that "Has a sixth form" gets ks5 and one that "Does not have a sixth form" does not.
    """
    if low is not None and high is not None:
        stages = set(stages_by_age(low, high))
    else:
        stages = set(PHASE_KEY_STAGES.get(key(phase), ()))
    if key(sixth) == NO_SIXTH:
        stages.discard("ks5")
    elif key(sixth) == HAS_SIXTH and stages and (high is None or high >= 16):
        stages.add("ks5")
    return [ks for ks in KEY_STAGE_AGES if ks in stages]


GIAS = Publisher(
    name="the DfE register", nation="england", markers=MARKERS, required=REQUIRED,
    optional=OPTIONAL, read_row=_row, identity=(NAME, URN, LA), enough=3,
    hint="download the 'Establishment fields' CSV again from Get Information about Schools")

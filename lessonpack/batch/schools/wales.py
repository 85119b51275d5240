"""The Welsh Government's "Address list of schools", as published (.ods, or saved as .xlsx).

One sheet per kind of school (maintained, independent, pupil referral units), each
with its own header; the letterhead is "Address 1" to "Address 4" (the fourth is
usually the town). The list gives a sector, not ages: a "Middle" school in Wales is an
all-age school (3-16 or 3-19), not England's 8-12 or 9-13 middle school.
"""

from __future__ import annotations

from lessonpack.batch.schools.columns import Row, key
from lessonpack.batch.schools.published import SHEET, YOUNG, Published, Publisher, new_values

NUMBER, NAME, LA, SECTOR, TYPE = "School Number", "School Name", "Local Authority", "Sector", "School Type"
ADDRESS = {"Address 1": "street", "Address 2": "locality", "Address 3": "address3",
           "Address 4": "town", "Postcode": "postcode"}
MEDIUM = ("Welsh Medium Type - see notes", "Welsh Medium Type", "Language Medium")
# The list does not say which secondary and all-age schools have a sixth form: each
# gets a KS5 pack, as one pack too many is set aside, and one too few is a lesson not taught.
SECTOR_STAGES = {
    key("Primary"): ("ks2",),
    key("Middle"): ("ks2", "ks3", "ks4", "ks5"),
    key("Secondary"): ("ks3", "ks4", "ks5"),
    key("Special"): ("ks2", "ks3", "ks4", "ks5"),
    # Pupil referral units teach mostly Years 7-11.
    key("PRU"): ("ks3", "ks4"), key("Pupil referral unit"): ("ks3", "ks4"),
}
PRU = {key("PRU"), key("Pupil referral unit"), key("Pupil referral units"), key("PRUs")}
YOUNG_SECTORS = {key("Nursery"), key("Infant"), key("Infants")}


def _row(line: int, cell: dict[str, str], found: Published) -> Row | None:
    values = new_values(name=cell[NAME], urn=cell[NUMBER], la=cell[LA])
    values.update({column: cell[c] for c, column in ADDRESS.items()})
    values["language_medium"] = next((cell[c] for c in MEDIUM if cell[c]), "")
    # A PRU sheet may give no sector: its name says what its schools are.
    sector = cell[SECTOR] or next((c for c in (cell[TYPE], cell[SHEET]) if key(c) in PRU), "")
    if key(sector) in YOUNG_SECTORS or key(cell[TYPE]) in YOUNG_SECTORS:
        found.skip(YOUNG)
        return None
    stages = SECTOR_STAGES.get(key(sector))
    if stages is None:
        known = "Nursery, Primary, Middle, Secondary, Special or PRU"
        return Row(line, values, problems=(f"{SECTOR}: {sector!r} is not a sector the list uses "
                                           f"({known})",))
    values["key_stages"] = ";".join(stages)
    return Row(line, values)


WALES = Publisher(
    name="the Welsh Government's address list of schools", nation="wales",
    markers=(NUMBER, "Address 4", SECTOR, *MEDIUM, "Governance - see notes"),
    required=(NUMBER, NAME, LA), optional=(*ADDRESS, SECTOR, TYPE, *MEDIUM),
    read_row=_row, identity=(NAME, NUMBER, LA),
    hint="download the address list of schools again from gov.wales")

"""The Scottish Government's "School contact details", as published (.xlsx).

A school's stages come from its roll by stage (P1-P7, S1-S6) where the sheet gives
one, else from its departments (primary, secondary, special). Scottish pupils are
about half a year older for their stage: S5 fits either of the two older lessons, so
a school with S5 pupils gets both and chooses (the lesson plan says so).
"""

from __future__ import annotations

from lessonpack.batch.schools.columns import Row, key
from lessonpack.batch.schools.published import YOUNG, Published, Publisher, new_values
from lessonpack.diagnostics import shown

SEED, NAME, LA, CENTRE = "SEED Code", "School Name", "LA Name", "Centre Type"
ADDRESS = {"Address 1": "street", "Address 2": "locality", "Address 3": "town",
           "Post Code": "postcode", "Website Address": "website"}
DEPARTMENTS = {"Primary Department": ("ks2",), "Secondary Department": ("ks3", "ks4", "ks5"),
               "Special Department": ("ks2", "ks3", "ks4", "ks5")}
SECTOR = "School Type"  # older releases: one column, "Primary", "Secondary" or "Special"
STAGES = {"P6": ("ks2",), "P7": ("ks2",), "S1": ("ks3",), "S2": ("ks3",), "S3": ("ks3",),
          "S4": ("ks4",), "S5": ("ks4", "ks5"), "S6": ("ks5",)}
YOUNGER = ("P1", "P2", "P3", "P4", "P5")
YES = {key(w) for w in ("Yes", "Y", "True", "1")}
ORDER = ("ks2", "ks3", "ks4", "ks5")


def _row(line: int, cell: dict[str, str], found: Published) -> Row | None:
    values = new_values(name=cell[NAME], urn=cell[SEED], la=cell[LA])
    values.update({column: cell[c] for c, column in ADDRESS.items()})
    stages: set[str] = set()
    rolls = {s: cell[s] for s in (*YOUNGER, *STAGES) if cell[s]}
    if rolls:
        bad = [s for s, n in rolls.items() if not (n.isascii() and n.isdecimal() and len(n) <= 6)]
        if bad:
            return Row(line, values, problems=(
                f"{bad[0]}: {shown(rolls[bad[0]])} is not a number of pupils",))
        for stage, lessons in STAGES.items():
            if int(rolls.get(stage, "0")):
                stages.update(lessons)
    else:
        for column, lessons in DEPARTMENTS.items():
            if key(cell[column]) in YES:
                stages.update(lessons)
        sector = key(cell[SECTOR])
        stages.update(next((lessons for c, lessons in DEPARTMENTS.items()
                            if sector and key(c).startswith(sector)), ()))
    if not stages:
        found.skip(YOUNG)
        return None
    values["key_stages"] = ";".join(ks for ks in ORDER if ks in stages)
    return Row(line, values)


SCOTLAND = Publisher(
    name="the Scottish Government's school contact details", nation="scotland",
    markers=(SEED, "Seedcode", CENTRE, "Website Address", *DEPARTMENTS),
    required=(SEED, NAME, LA), optional=(*ADDRESS, CENTRE, *DEPARTMENTS, SECTOR, *YOUNGER, *STAGES),
    read_row=_row, identity=(NAME, SEED, LA),
    hint="download the school contact details again from gov.scot")

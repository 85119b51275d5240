"""The Department of Education's institution search export (Northern Ireland), as saved.

Every institution, open or closed, with its management type (controlled, maintained,
voluntary grammar, integrated, independent) and its type: nursery, primary, preparatory
(a grammar school's primary department), secondary, grammar or special.
"""

from __future__ import annotations

from lessonpack.batch.schools.columns import Row, key
from lessonpack.batch.schools.published import (
    ADULT,
    CLOSED,
    YOUNG,
    Published,
    Publisher,
    new_values,
)

NUMBER, NAME, STATUS = "Institution Reference Number", "Institution Name", "Status"
TYPES, MANAGEMENT, CLOSED_ON = ("Institution Type", "Type"), ("Management Type", "Management"), "Date Closed"
ADDRESS = {"Address Line 1": "street", "Address Line 2": "locality", "Address Line 3": "address3",
           "Town": "town", "Postcode": "postcode", "Website": "website"}
LA = "Local Authority"  # not in the export: NI has one education authority
# Most post-primary schools in NI teach to Year 14; the export does not say which do not.
TYPE_STAGES = {
    key("Primary"): ("ks2",), key("Preparatory"): ("ks2",),
    key("Secondary"): ("ks3", "ks4", "ks5"), key("Post Primary"): ("ks3", "ks4", "ks5"),
    key("Grammar"): ("ks3", "ks4", "ks5"),
    key("Special"): ("ks2", "ks3", "ks4", "ks5"),
}
YOUNG_TYPES = {key("Nursery")}
ADULT_TYPES = {key("Further Education"), key("Higher Education")}


def _row(line: int, cell: dict[str, str], found: Published) -> Row | None:
    kind = next((cell[c] for c in TYPES if cell[c]), "")
    management = next((cell[c] for c in MANAGEMENT if cell[c]), "")
    if key(cell[STATUS]) != key("Open") or cell[CLOSED_ON]:
        found.skip(CLOSED)
        return None
    if key(kind) in ADULT_TYPES or key(management) in ADULT_TYPES:
        found.skip(ADULT)
        return None
    if key(kind) in YOUNG_TYPES:
        found.skip(YOUNG)
        return None
    values = new_values(name=cell[NAME], urn=cell[NUMBER], la=cell[LA])
    values.update({column: cell[c] for c, column in ADDRESS.items()})
    stages = TYPE_STAGES.get(key(kind))
    if stages is None:
        known = "Nursery, Primary, Preparatory, Secondary, Grammar or Special"
        return Row(line, values, problems=(f"{TYPES[0]}: {kind!r} is not a type the export uses "
                                           f"({known})",))
    values["key_stages"] = ";".join(stages)
    return Row(line, values)


NORTHERN_IRELAND = Publisher(
    name="the Department of Education's institution list (Northern Ireland)", nation="northern-ireland",
    markers=(NUMBER, NAME, *MANAGEMENT, TYPES[0]),
    required=(NUMBER, NAME, STATUS), optional=(*ADDRESS, *TYPES, *MANAGEMENT, CLOSED_ON, LA),
    read_row=_row, identity=(NAME, NUMBER, LA),
    hint="export the institutions again from the Department of Education's institution search")

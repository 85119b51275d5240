"""The four nations' published lists of schools, and which list each nation publishes."""

from __future__ import annotations

from lessonpack.batch.schools.columns import ALIASES, WEAK_ALIASES, key
from lessonpack.batch.schools.northern_ireland import NORTHERN_IRELAND
from lessonpack.batch.schools.published import Publisher
from lessonpack.batch.schools.register import GIAS
from lessonpack.batch.schools.scotland import SCOTLAND
from lessonpack.batch.schools.wales import WALES

PUBLISHERS = (GIAS, WALES, SCOTLAND, NORTHERN_IRELAND)
# What a force in each nation should download instead, said in one line.
NATION_LISTS = {
    "england": "the DfE register (Get Information about Schools, 'Establishment fields' CSV)",
    "wales": "the Welsh Government's address list of schools (gov.wales, .ods or .xlsx)",
    "scotland": "the Scottish Government's school contact details (gov.scot, .xlsx)",
    "northern-ireland": "the Department of Education's institution search export (education-ni.gov.uk)",
}
NATION_NAMES = {"england": "England", "wales": "Wales", "scotland": "Scotland",
                "northern-ireland": "Northern Ireland"}
# Every publisher's own column names: a header row is found by them as well as by lessonpack's.
MARKER_KEYS = {key(m) for p in PUBLISHERS for m in p.markers}


# A key stages column makes a file a force's own list, however many of a publisher's
# columns it kept (a list exported from Scotland's, with "SEED Code" and "Key Stages").
_OWN = {key(a) for a in ("key_stages", *ALIASES["key_stages"])} - WEAK_ALIASES


def find_publisher(header: list[str]) -> Publisher | None:
    if any(key(cell) in _OWN for cell in header):
        return None
    return next((p for p in PUBLISHERS if p.recognises(header)), None)


def wrong_nation(publisher: Publisher, force_nation: str, force_name: str) -> str | None:
    """One line when a force is given another nation's list, else None."""
    if not force_nation or force_nation == publisher.nation:
        return None
    where = NATION_NAMES.get(publisher.nation, publisher.nation)
    own = NATION_LISTS.get(force_nation, "its own nation's list of schools")
    return (f"is {publisher.name}, which lists schools in {where}; {force_name} serves "
            f"{NATION_NAMES.get(force_nation, force_nation)}: use {own}")

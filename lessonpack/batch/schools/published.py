"""What every published list of schools has in common, whichever nation publishes it:
its rows checked against its header, its establishments counted, and those left out
counted under their reason (the dry run and the note say how many, and why).

Each publisher (register.py for England, wales.py, scotland.py, northern_ireland.py)
says how to recognise its file by its header and how to read a row.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lessonpack.batch.schools.areas import la_key
from lessonpack.batch.schools.columns import COLUMNS, Row, alignment, key
from lessonpack.batch.schools.table import BatchInputError, Table
from lessonpack.diagnostics import shown

# Why an establishment on a published list gets no pack.
CLOSED = "closed or not yet open"
NOT_SCHOOLS = "not schools"
ADULT = "colleges and adult or higher education (ages past 19)"
YOUNG = "nursery or infant only, or no ages or phase"
REASONS = (CLOSED, NOT_SCHOOLS, ADULT, YOUNG)
# The ages each key stage teaches: a school teaching any of them gets that key stage.
KEY_STAGE_AGES = {"ks2": (7, 11), "ks3": (11, 14), "ks4": (14, 16), "ks5": (16, 19)}
SHEET = "(sheet)"  # the sheet's name, beside a row's cells: a publisher's sheet may say what its schools are
SCHOOL_AGE_END = 19  # Childline and the lessons stop at 18; a range past 19 is adult education


@dataclass
class Published:
    """A publisher's list, read: its schools as rows, and what was left out."""

    name: str  # "the DfE register", "the Welsh Government's address list of schools"
    rows: list[Row] = field(default_factory=list)
    establishments: int = 0
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    # The same, by local authority: a force's dry run counts only its own area's.
    by_area: dict[tuple[str, ...], Counter[str]] = field(default_factory=dict)
    area: tuple[str, ...] = ()  # the row being read
    present: dict[tuple[str, ...], str] = field(default_factory=dict)  # every authority seen

    def note(self, path: Path, chosen: bool = False) -> str:
        """What was read; `chosen`: the rows are those of the chosen areas only."""
        if chosen:
            return (f"{path.name}: {self.name}: {self.establishments:,} establishments in "
                    f"{len(self.present):,} local authorities; {len(self.rows):,} rows in the chosen ones")
        why = "; ".join(f"{n:,} {reason}" for reason, n in self.skipped.items() if n)
        word = "school" if len(self.rows) == 1 else "schools"
        return (f"{path.name}: {self.name}: {self.establishments:,} establishments, "
                f"{len(self.rows):,} open {word} with a key stage the lessons cover"
                + (f" (left out: {why})" if why else ""))

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1
        self.by_area.setdefault(self.area, Counter())[reason] += 1

    def left_out(self, areas: set[tuple[str, ...]] | None) -> dict[str, int]:
        """Why establishments got no pack, in these areas (None: all), by reason."""
        total: Counter[str] = Counter()
        for area, counts in self.by_area.items():
            if areas is None or area in areas:
                total.update(counts)
        return {reason: total[reason] for reason in REASONS if total[reason]}


# A row's cells by the publisher's own column names ("" when absent), or why not.
RowReader = Callable[[int, dict[str, str], "Published"], Row | None]


@dataclass(frozen=True)
class Publisher:
    name: str
    nation: str  # the nation whose schools it lists: forces.yaml's nation ids
    markers: tuple[str, ...]  # columns only this list has: `enough` of them make a file this list
    required: tuple[str, ...]  # columns it cannot be read without
    optional: tuple[str, ...]  # read when present
    read_row: RowReader
    identity: tuple[str, str, str]  # its name, number and local authority columns
    enough: int = 2
    hint: str = ""  # where to get it again

    def recognises(self, header: list[str]) -> bool:
        keys = {key(cell) for cell in header}
        return sum(key(m) in keys for m in self.markers) >= self.enough


def read_published(path: Path, table: Table, publisher: Publisher, found: Published,
                   areas: set[tuple[str, ...]] | None = None) -> None:
    """Add the table's schools (and its left-out establishments) to `found`: only those in
    `areas` (None: all), chosen as the rows go by, so that a force's run holds its own
    schools and not England's."""
    index: dict[str, int] = {}
    for i, heading in enumerate(table.header):
        index.setdefault(key(heading), i)
    missing = [c for c in publisher.required if key(c) not in index]
    if missing:
        raise BatchInputError(
            f"{path}: {table.place}: looks like {publisher.name} but has no "
            f"{', '.join(map(repr, missing))} column{'s' if len(missing) > 1 else ''}; {publisher.hint}")
    where = {c: index[key(c)] for c in (*publisher.required, *publisher.optional) if key(c) in index}
    width = header_width(table.header)
    closed_sheet = "closed" in key(table.sheet)  # Scotland's "Closed since ..." beside "Open at ..."
    for line, cells in table.records:
        if not any(c.strip() for c in cells):
            continue  # Excel leaves rows of empty cells behind
        found.establishments += 1
        cell = {c: (cells[i].strip() if i < len(cells) else "") for c, i in where.items()}
        for c in publisher.optional:
            cell.setdefault(c, "")
        cell[SHEET] = table.sheet
        la = cell.get(publisher.identity[2], "")
        found.area = la_key(la)
        found.present.setdefault(found.area, la)
        if areas is not None and found.area not in areas:
            continue
        if closed_sheet:
            found.skip(CLOSED)
            continue
        misaligned = alignment(cells, width, len(table.header))
        if misaligned:
            # Its cells may be under the wrong columns: no letterhead from them, ever.
            found.rows.append(untrusted(line, cell, publisher.identity, misaligned, table.sheet))
            continue
        row = publisher.read_row(line, cell, found)
        if row is not None:
            found.rows.append(dataclasses.replace(row, sheet=table.sheet))


def untrusted(line: int, cell: dict[str, str], identity: tuple[str, str, str], problem: str,
              sheet: str) -> Row:
    """A failed row, named by its first cells (a shift is in the address, further along)."""
    name, number, la = identity
    values = new_values(name=cell.get(name, ""), urn=cell.get(number, ""), la=cell.get(la, ""))
    return Row(line, values, problems=(problem,), sheet=sheet)


def header_width(header: list[str]) -> int:
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1  # Excel's trailing empty header cells are not columns
    return width


def stages_by_age(low: int, high: int) -> list[str]:
    return [ks for ks, (start, end) in KEY_STAGE_AGES.items() if low < end and high > start]


def age(text: str, column: str, problems: list[str]) -> int | None:
    if not text:
        return None
    # ASCII digits only, and few: "²".isdigit() and a 5,000-digit age both broke int().
    if not (text.isascii() and text.isdecimal() and len(text) <= 2):
        problems.append(f"{column}: {shown(text)} is not an age in years")
        return None
    return int(text)


def new_values(**given: str) -> dict[str, str]:
    values = dict.fromkeys(COLUMNS, "")
    values.update(given)
    return values

"""A school list → its rows, chosen and checked before anything is made: a force's own
list (first sheet, or --sheet), or one of the four nations' published lists (every
sheet that holds schools)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lessonpack.batch.schools.areas import Choice, select_areas
from lessonpack.batch.schools.columns import (
    COLUMNS,
    Row,
    locate_header,
    make_row,
    map_header,
    unknown_warning,
)
from lessonpack.batch.schools.published import Published, read_published
from lessonpack.batch.schools.publishers import GIAS, MARKER_KEYS, find_publisher, wrong_nation
from lessonpack.batch.schools.table import BatchInputError, Table, read_tables

MAX_SCHOOLS = 100_000  # four times every open school in the UK: past this, a file is wrong


@dataclass
class SchoolsFile:
    path: Path
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was read, for the user to know
    register: bool = False  # a nation's published list, rather than a force's own
    left_out: dict[str, int] = field(default_factory=dict)  # reason → establishments, in the chosen areas


@dataclass(frozen=True)
class Force:
    """What read_schools needs of the force: its name, nation and area (forces.yaml)."""

    name: str = ""
    nation: str = ""
    areas: Sequence[str] = ()


def read_schools(path: Path, sheet: str | None = None, areas: Sequence[str] = (),
                 force_areas: Sequence[str] = (), force_name: str = "", force_nation: str = "",
                 keep_going: bool = False) -> SchoolsFile:
    """Read the whole file, and choose its schools, before anything is written.

    `areas` (--la) choose local authorities, and a name with no schools stops the run
    unless `keep_going`; for a published list, the force's own areas (`force_areas`,
    from forces.yaml) are the default.
    """
    force = Force(force_name, force_nation, force_areas)
    tables = [locate_header(t, MARKER_KEYS) for t in read_tables(path, sheet)]
    if not any(any(cell.strip() for cell in t.header) for t in tables):
        raise BatchInputError(f"{path}: no header row; the first line must name the columns, "
                              f"for example: {','.join(COLUMNS[:3])}")
    warnings: list[str] = []
    notes = [n for t in tables for n in t.notes]
    publisher = next((p for t in tables if (p := find_publisher(t.header))), None)
    choice: Choice | None = None
    if areas:
        choice = Choice(list(areas), "--la", not keep_going, force.areas, force.name)
    elif publisher is not None and force.areas:
        choice = Choice(list(force.areas), f"{force.name}'s area in forces.yaml")
    found: Published | None = None
    if publisher is not None:
        problem = wrong_nation(publisher, force.nation, force.name)
        if problem:
            raise BatchInputError(f"{path}: {problem}")
        if publisher is GIAS and choice is None:
            raise BatchInputError(f"{path}: the DfE register lists every school in England; choose "
                                  "the force's area with --la NAME (repeat it; --la all for every school)")
        found = Published(publisher.name)
        for table in tables:
            if publisher.recognises(table.header):
                read_published(path, table, publisher, found, choice.keys() if choice else None)
            elif table.sheet:
                notes.append(f"{path}: sheet {table.sheet!r} holds no schools; not read")
        rows = found.rows
        notes.append(found.note(path, chosen=choice is not None and not choice.everything))
    else:
        rows = _own_list(path, next(t for t in tables if any(c.strip() for c in t.header)), warnings)
    if choice is not None:
        rows = select_areas(path, rows, choice, warnings, found.present if found else None)
    if not rows:
        raise BatchInputError(f"{path}: no schools; add one row per school below the header")
    if len(rows) > MAX_SCHOOLS:
        raise BatchInputError(f"{path}: {len(rows):,} schools; one run makes packs for at most "
                              f"{MAX_SCHOOLS:,} (England's register has about 25,000 open)")
    warnings += duplicates(path, rows)
    left_out = found.left_out(choice.keys() if choice else None) if found else {}
    return SchoolsFile(path, rows, warnings, notes, found is not None, left_out)


def _own_list(path: Path, table: Table, warnings: list[str]) -> list[Row]:
    header = map_header(path, table)
    rows = [make_row(line, cells, header, table.sheet) for line, cells in table.records
            if any(cell.strip() for cell in cells)]  # Excel leaves rows of empty cells behind
    warning = unknown_warning(path, table, header.unknown)
    warnings += [warning] if warning else []
    return rows


def duplicates(path: Path, rows: list[Row], limit: int = 5) -> list[str]:
    """One warning for each URN (or SEED, school number) given on more than one row."""
    lines: dict[str, list[int]] = {}
    for row in rows:
        if row.values["urn"]:
            lines.setdefault(row.values["urn"], []).append(row.line)
    doubled = [(urn, at) for urn, at in lines.items() if len(at) > 1]
    out = [f"{path}: URN {urn} is on {len(at)} rows ({', '.join(map(str, at))}): "
           "each gets its own folder; remove the extra rows if they are one school"
           for urn, at in doubled[:limit]]
    if len(doubled) > limit:
        out.append(f"{path}: {len(doubled) - limit} more URNs are on more than one row")
    return out

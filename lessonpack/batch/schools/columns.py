"""A school list's column names → lessonpack's columns, and each record → a Row.

Schools officers' spreadsheets rarely say `name`: `ALIASES` is the table of the names
people (and the DfE) give each column. The README lists it; a test keeps the two equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lessonpack.batch.schools.table import BatchInputError, Table
from lessonpack.diagnostics import close_matches

# Every column lessonpack reads, and the other names it is known by. Matching ignores
# case, spaces and punctuation: "DSL e-mail" is "dsl_email", "LA (name)" is "la".
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("School", "School Name", "Name of School", "Establishment Name", "EstablishmentName",
             "Setting Name"),
    "key_stages": ("Key Stages", "Key Stage", "KS", "Key Stages Taught", "Phase"),
    "urn": ("URN", "Unique Reference Number", "School URN", "SEED", "DE Reference"),
    "dsl_name": ("DSL", "DSL Name", "Designated Safeguarding Lead", "Safeguarding Lead",
                 "DSL Full Name"),
    "dsl_email": ("DSL Email", "DSL E-mail", "DSL Email Address", "Safeguarding Email"),
    "dsl_phone": ("DSL Phone", "DSL Telephone", "DSL Tel", "DSL Phone Number", "Safeguarding Phone"),
    "logo": ("Logo", "Logo File", "Crest"),
    "website": ("Website", "School Website", "SchoolWebsite", "Web Address", "URL"),
    "address": ("Address", "School Address", "Postal Address"),
    "street": ("Street", "Address Line 1", "Address 1"),
    "locality": ("Locality", "Address Line 2", "Address 2"),
    "address3": ("Address3", "Address Line 3", "Address 3"),
    "town": ("Town", "Town/City", "City"),
    "county": ("County", "County (name)"),
    "postcode": ("Postcode", "Post Code", "Postal Code"),
    "colour": ("Colour", "Color", "Brand Colour", "School Colour"),
    "la": ("LA", "LA (name)", "LA Name", "Local Authority", "Local Authority Name"),
}
COLUMNS = tuple(ALIASES)
REQUIRED_COLUMNS = ("name", "key_stages")
# Letterhead lines, in order, when there is no `address` column.
ADDRESS_PARTS = ("street", "locality", "address3", "town", "postcode")
# Aliases that stand in only when the column itself is absent: a "Phase" beside a
# "Key Stages" column is something else.
WEAK_ALIASES = {"phase"}


def key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.strip().lower())


_BY_KEY: dict[str, str] = {key(a): c for c, names in ALIASES.items() for a in (c, *names)}


@dataclass(frozen=True)
class Row:
    line: int  # where the record starts in the file, counting the header as line 1
    values: dict[str, str]  # every known column → its trimmed text ("" when absent)
    extra_cells: int = 0  # non-empty cells beyond the header: usually an unquoted comma
    problems: tuple[str, ...] = ()  # found while reading, e.g. a register's unusable ages


@dataclass(frozen=True)
class Header:
    columns: dict[int, str]  # cell index → lessonpack column
    width: int  # the header's cells, named or not: a row's extra cells are counted beyond it
    unknown: list[str]


def locate_header(table: Table, look: int = 20) -> Table:
    """The table with its header on the first row that names a known column.

    A title ("Northumbria schools, autumn term") or a blank row above the header is
    common in a force's spreadsheet; the rows above the header are dropped.
    """
    if any(key(cell) in _BY_KEY for cell in table.header):
        return table
    for n, (line, cells) in enumerate(table.records[:look]):
        if any(key(cell) in _BY_KEY for cell in cells):
            return Table(cells, table.records[n + 1:], table.notes, line, table.where)
    return table


def map_header(path: Path, table: Table) -> Header:
    """Which cell holds which column; BatchInputError for a missing or doubled column."""
    where = f"{path}: {table.where} {table.header_line}"
    columns: dict[int, str] = {}
    weak: dict[int, str] = {}
    unknown: list[str] = []
    for index, cell in enumerate(table.header):
        column = _BY_KEY.get(key(cell))
        if not cell.strip():
            continue
        if column is None:
            unknown.append(cell.strip())
        elif key(cell) in WEAK_ALIASES:
            weak[index] = column
        elif column in columns.values():
            first = table.header[next(i for i, c in columns.items() if c == column)].strip()
            raise BatchInputError(f"{where}: columns {first!r} and {cell.strip()!r} both give "
                                  f"{column!r}; keep one")
        else:
            columns[index] = column
    for index, column in weak.items():
        if column in columns.values():
            unknown.append(table.header[index].strip())
        else:
            columns[index] = column
    for required in REQUIRED_COLUMNS:
        if required not in columns.values():
            found = ", ".join(repr(c.strip()) for c in table.header if c.strip()) or "none"
            also = ", ".join(ALIASES[required][:3])
            raise BatchInputError(f"{where}: no {required!r} column (or {also}); "
                                  f"columns found: {found}")
    width = len(table.header)
    while width and not table.header[width - 1].strip():
        width -= 1  # Excel's trailing empty header cells are not columns
    return Header(columns, width, unknown)


def unknown_warning(path: Path, table: Table, unknown: list[str], limit: int = 10) -> str | None:
    """One line for every ignored column, with the nearest known name where there is one."""
    if not unknown:
        return None
    names = []
    for cell in unknown[:limit]:
        near = close_matches(key(cell), _BY_KEY, cutoff=0.75)
        hint = f" (did you mean {_BY_KEY[near[0]]!r}?)" if near else ""
        names.append(f"{cell!r}{hint}")
    more = f" and {len(unknown) - limit} more" if len(unknown) > limit else ""
    word = "column is" if len(unknown) == 1 else "columns are"
    return (f"{path}: {table.where} {table.header_line}: {len(unknown)} unknown {word} ignored: "
            f"{', '.join(names)}{more}")


def make_row(line: int, cells: list[str], header: Header) -> Row:
    values = dict.fromkeys(COLUMNS, "")
    for index, column in header.columns.items():
        if index < len(cells):
            values[column] = cells[index].strip()
    extra = sum(1 for cell in cells[header.width:] if cell.strip())
    return Row(line, values, extra)


def address_lines(values: dict[str, str]) -> list[str]:
    """The letterhead address: the `address` column split at ';' or new lines, else its parts."""
    if values["address"]:
        return [p.strip() for p in re.split(r"[;\n]", values["address"]) if p.strip()]
    return [values[part] for part in ADDRESS_PARTS if values[part]]

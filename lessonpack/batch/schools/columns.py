"""A school list's column names → lessonpack's columns, and each record → a Row.

Schools officers' spreadsheets rarely say `name`: `ALIASES` is the table of the names
people (and the DfE) give each column. docs/schools-file.md lists it; a test keeps the two equal.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from lessonpack.batch.schools.table import BatchInputError, Table
from lessonpack.diagnostics import close_matches, shown

# Every column lessonpack reads, and the other names it is known by. Matching ignores
# case, spaces and punctuation: "DSL e-mail" is "dsl_email", "LA (name)" is "la".
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("School", "School Name", "Name of School", "Establishment Name", "EstablishmentName",
             "Setting Name", "Institution Name"),
    "key_stages": ("Key Stages", "Key Stage", "KS", "Key Stages Taught", "Phase"),
    "urn": ("URN", "Unique Reference Number", "School URN", "SEED", "SEED Code", "DE Reference",
            "School Number", "Institution Reference Number"),
    "dsl_name": ("DSL", "DSL Name", "Designated Safeguarding Lead", "Safeguarding Lead",
                 "DSL Full Name"),
    "dsl_email": ("DSL Email", "DSL E-mail", "DSL Email Address", "Safeguarding Email"),
    "dsl_phone": ("DSL Phone", "DSL Telephone", "DSL Tel", "DSL Phone Number", "Safeguarding Phone"),
    "logo": ("Logo", "Logo File", "Crest"),
    "website": ("Website", "School Website", "SchoolWebsite", "Web Address", "Website Address", "URL"),
    "address": ("Address", "School Address", "Postal Address"),
    "street": ("Street", "Address Line 1", "Address 1"),
    "locality": ("Locality", "Address Line 2", "Address 2"),
    "address3": ("Address3", "Address Line 3", "Address 3"),
    "town": ("Town", "Town/City", "City"),
    "county": ("County", "County (name)"),
    "postcode": ("Postcode", "Post Code", "Postal Code"),
    "colour": ("Colour", "Color", "Brand Colour", "School Colour"),
    "la": ("LA", "LA (name)", "LA Name", "Local Authority", "Local Authority Name"),
    # The Welsh Government's list gives each school's language medium (batch/schools/language.py).
    "language_medium": ("Language Medium", "Welsh Medium Type", "Welsh Medium Type - see notes",
                        "Medium of Instruction"),
    # The pack's language, in any schools file: overrides the language medium.
    "language": ("Pack Language", "Pack language", "Iaith"),
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
    problems: tuple[str, ...] = ()  # found while reading, e.g. a register's unusable ages
    sheet: str = ""  # the workbook's sheet, where it has several


@dataclass(frozen=True)
class Header:
    columns: dict[int, str]  # cell index → lessonpack column
    width: int  # the header's cells, named or not: a row's extra cells are counted beyond it
    unknown: list[str]
    cells: int = 0  # the header's cells, empty trailing ones too (Excel pads every row alike)


def locate_header(table: Table, also: Collection[str] = (), look: int = 20) -> Table:
    """The table with its header on the first row that names a known column (or one of `also`).

    A title ("Northumbria schools, autumn term") or a blank row above the header is
    common in a force's spreadsheet and in the nations' published lists; the rows above
    the header are dropped.
    """
    def names_a_column(cells: list[str]) -> bool:
        return any(key(cell) in _BY_KEY or key(cell) in also for cell in cells)

    if names_a_column(table.header):
        return table
    records = iter(table.records)
    first = list(itertools.islice(records, look))
    for n, (line, cells) in enumerate(first):
        if names_a_column(cells):
            return Table(cells, itertools.chain(first[n + 1:], records), table.notes, line,
                         table.where, table.sheet)
    return Table(table.header, itertools.chain(first, records), table.notes, table.header_line,
                 table.where, table.sheet)


def map_header(path: Path, table: Table) -> Header:
    """Which cell holds which column; BatchInputError for a missing or doubled column."""
    where = f"{path}: {table.place}"
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
            raise BatchInputError(f"{where}: columns {shown(first, 40)} and "
                                  f"{shown(cell.strip(), 40)} both give {column!r}; keep one")
        else:
            columns[index] = column
    for index, column in weak.items():
        if column in columns.values():
            unknown.append(table.header[index].strip())
        else:
            columns[index] = column
    for required in REQUIRED_COLUMNS:
        if required not in columns.values():
            named = [shown(c.strip(), 40) for c in table.header if c.strip()]
            found = ", ".join(named[:12]) + (f" and {len(named) - 12} more" if len(named) > 12
                                             else "") if named else "none"
            also = ", ".join(ALIASES[required][:3])
            raise BatchInputError(f"{where}: no {required!r} column (or {also}); "
                                  f"columns found: {found}")
    width = len(table.header)
    while width and not table.header[width - 1].strip():
        width -= 1  # Excel's trailing empty header cells are not columns
    return Header(columns, width, unknown, len(table.header))


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
    return (f"{path}: {table.place}: {len(unknown)} unknown {word} ignored: "
            f"{', '.join(names)}{more}")


def make_row(line: int, cells: list[str], header: Header, sheet: str = "") -> Row:
    values = dict.fromkeys(COLUMNS, "")
    for index, column in header.columns.items():
        if index < len(cells):
            values[column] = cells[index].strip()
    problem = alignment(cells, header.width, header.cells)
    return Row(line, values, (problem,) if problem else (), sheet)


def alignment(cells: list[str], width: int, header_cells: int = 0) -> str | None:
    """Why a row's cells cannot be trusted to sit under their header, or None.

    One cell too many or too few (an unquoted comma in an address, a cell deleted
    rather than emptied) moves every cell after it to the next column: a town becomes
    the website, a headteacher's title an address line. `width` is the header's named
    columns; `header_cells` its cells, empty ones too: Excel pads every row, header
    included, to the same length, so a row longer than its header has moved even when
    what it pushed out is empty.
    """
    extra = sum(1 for cell in cells[width:] if cell.strip())
    if not extra and len(cells) > max(width, header_cells):
        extra = len(cells) - max(width, header_cells)
    if extra:
        return (f"{extra} more cell{'s' if extra > 1 else ''} than the header has columns; "
                "is there an unquoted comma, e.g. in an address?")
    if len(cells) < width:
        return (f"{len(cells)} cell{'s' if len(cells) > 1 else ''}, but the header has {width} "
                "columns; is a cell or a separator missing?")
    return None


def address_lines(values: dict[str, str]) -> list[str]:
    """The letterhead address: the `address` column split at ';' or new lines, else its parts.

    A line's own trailing comma goes ("Robson House," would print "Robson House,, 74 ...").
    """
    if values["address"]:
        parts = re.split(r"[;\n]", values["address"])
    else:
        parts = [values[part] for part in ADDRESS_PARTS]
    lines = [p.strip().rstrip(",").strip() for p in parts]
    return [line for line in lines if line]

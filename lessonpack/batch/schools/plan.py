"""A school list → rows → a School, folder and key stages for each, or the row's problems.

    read_schools   the file → rows (whole-file problems raise BatchInputError, exit 2)
    plan_rows      rows → a RowPlan each: ready to build, or why it cannot be
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lessonpack.batch.force_file import looks_like_email
from lessonpack.batch.schools.areas import select_areas
from lessonpack.batch.schools.columns import (
    COLUMNS,
    Row,
    address_lines,
    locate_header,
    make_row,
    map_header,
    unknown_warning,
)
from lessonpack.batch.schools.register import is_register, read_register
from lessonpack.batch.schools.table import BatchInputError, read_table
from lessonpack.content.models import KEY_STAGE_IDS, check_uk_phone
from lessonpack.content.rules import validate
from lessonpack.main import plan_packs
from lessonpack.safe_io import path_in_folder
from lessonpack.school.models import School, check_logo, slugify

KEY_STAGE_WORDS = {*KEY_STAGE_IDS, "all"}
# What a "Phase" column says, in key stages. Phrases first: "sixth form" is two words.
PHASE_WORDS = (
    (r"all[\s-]*through", "ks2 ks3 ks4"), (r"sixth[\s-]*form|16[\s-]*plus|post[\s-]*16", "ks5"),
    (r"primary", "ks2"), (r"middle", "ks2 ks3"), (r"secondary", "ks3 ks4"),
)


@dataclass
class SchoolsFile:
    path: Path
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was read, for the user to know
    register: bool = False  # the DfE register, rather than a force's own list


def read_schools(path: Path, sheet: str | None = None, areas: Sequence[str] = (),
                 force_areas: Sequence[str] = (), force_name: str = "") -> SchoolsFile:
    """Read the whole file, and choose its schools, before anything is written.

    `areas` (--la) choose local authorities; for the register, the force's own areas
    (`force_areas`, from forces.yaml) are the default.
    """
    table = locate_header(read_table(path, sheet))
    if not any(cell.strip() for cell in table.header):
        raise BatchInputError(f"{path}: no header row; the first line must name the columns, "
                              f"for example: {','.join(COLUMNS[:3])}")
    warnings: list[str] = []
    notes = list(table.notes)
    register = is_register(table.header)
    if register:
        found = read_register(path, table)
        rows = found.rows
        notes.append(found.note(path))
    else:
        header = map_header(path, table)
        rows = [make_row(line, cells, header) for line, cells in table.records
                if any(cell.strip() for cell in cells)]  # Excel leaves rows of empty cells behind
        warning = unknown_warning(path, table, header.unknown)
        warnings += [warning] if warning else []
    if areas:
        rows = select_areas(path, rows, list(areas), "--la", warnings)
    elif register and force_areas:
        rows = select_areas(path, rows, list(force_areas), f"{force_name}'s area in forces.yaml",
                            warnings)
    elif register:
        raise BatchInputError(f"{path}: the DfE register lists every school in England; choose the "
                              f"force's area with --la NAME (repeat it; --la all for every school)")
    if not rows:
        raise BatchInputError(f"{path}: no schools; add one row per school below the header")
    return SchoolsFile(path, rows, warnings, notes, register)


@dataclass(frozen=True)
class RowPlan:
    """One row, ready to build, or the reasons it cannot be."""

    line: int
    name: str  # as the file gives it, for the index
    urn: str
    slug: str  # the school's folder under --out; "" when the row has no name
    key_stages: tuple[str, ...]  # empty when the key stages themselves are unusable
    school: School | None  # None when the row failed
    error: str | None = None
    la: str = ""  # the local authority, where the file gives one


def parse_key_stages(text: str) -> list[str]:
    """'ks3;ks4', 'KS3, KS4', 'ks3 ks4', '3/4', 'all' or a phase ('Secondary') → key stage ids."""
    text = text.strip().lower()
    for pattern, stages in PHASE_WORDS:
        text = re.sub(rf"\b(?:{pattern})\b", f" {stages} ", text)
    tokens = [t for t in re.split(r"[;,\s/&+]+", text) if t]
    if not tokens:
        raise ValueError("empty; give one or more of ks2, ks3, ks4, ks5, or all")
    tokens = [f"ks{t}" if t in {"2", "3", "4", "5"} else t for t in tokens]
    unknown = [t for t in tokens if t not in KEY_STAGE_WORDS]
    if unknown:
        raise ValueError(f"unknown key stage {unknown[0]!r}; use ks2, ks3, ks4, ks5 or all")
    return plan_packs(tokens)


def school_from_row(row: Row, base: Path) -> School:
    """The row's School; ValueError giving every problem in the row, by column name."""
    v = row.values
    problems: list[str] = list(row.problems)
    if row.extra_cells:
        problems.append(f"{row.extra_cells} more cell(s) than the header has columns; "
                        "is there an unquoted comma, e.g. in an address?")
    if not v["name"]:
        problems.append("name: empty; every row needs the school's name")
    for column, value in v.items():  # a name with a line break could forge a log line
        if column != "address" and re.search(r"[\r\n\t]", value):
            problems.append(f"{column}: contains a line break or tab; put it on one line")
    dsl = _dsl_fields(v, problems)
    logo = _logo(v["logo"], base, problems)
    if problems:
        raise ValueError("; ".join(problems))
    try:
        return validate(School, dict(
            name=v["name"],
            urn=v["urn"] or None,
            website=v["website"] or None,
            address=address_lines(v),
            logo=logo,
            colour=v["colour"] or None,
            dsl=dsl or None,  # as data, so that it is checked too
        ))
    except ValidationError as exc:
        raise ValueError("; ".join(_pydantic_problem(e) for e in exc.errors())) from None


def _dsl_fields(v: dict[str, str], problems: list[str]) -> dict[str, str]:
    dsl = {"name": v["dsl_name"], "email": v["dsl_email"], "phone": v["dsl_phone"]}
    if not any(dsl.values()):
        return {}
    if not dsl["name"]:
        problems.append("dsl_name: empty, but dsl_email or dsl_phone is given; name the DSL")
    if dsl["phone"]:
        try:
            check_uk_phone(dsl["phone"])
        except ValueError as exc:
            problems.append(f"dsl_phone: {exc}")
    if dsl["email"] and not looks_like_email(dsl["email"]):
        problems.append(f"dsl_email: not an email address: {dsl['email']!r}")
    return {key: value for key, value in dsl.items() if value}


def _logo(value: str, base: Path, problems: list[str]) -> Path | None:
    if not value:
        return None
    try:  # relative to the file, and inside its folder: a list may not name private files
        path = path_in_folder(base, value, "logo")
        check_logo(path)
    except ValueError as exc:
        problems.append(str(exc))  # "logo ... does not exist"
        return None
    return path


def _pydantic_problem(error: Any) -> str:
    loc = [str(part) for part in error["loc"] if not isinstance(part, int)]
    column = "_".join(loc) if loc[:1] == ["dsl"] else (loc[0] if loc else "row")
    return f"{column}: {error['msg'].removeprefix('Value error, ')}"


def plan_rows(schools: SchoolsFile) -> list[RowPlan]:
    """Every row's school, folder and key stages, or its problems.

    Folder names are decided over the whole file, before any sharding, so that every
    shard agrees on them and a school keeps its folder when another row is fixed.
    """
    base = schools.path.resolve().parent
    slugs = assign_slugs([(r.values["name"], r.values["urn"]) for r in schools.rows])
    plans = []
    for row, slug in zip(schools.rows, slugs, strict=True):
        problems: list[str] = []
        key_stages: list[str] = []
        if not row.problems:  # a register row with unusable ages has no key stages to parse
            try:
                key_stages = parse_key_stages(row.values["key_stages"])
            except ValueError as exc:
                problems.append(f"key_stages: {exc}")
        school: School | None = None
        try:
            school = school_from_row(row, base)
        except ValueError as exc:
            problems.append(str(exc))
        error = "; ".join(problems) or None
        plans.append(RowPlan(row.line, row.values["name"], row.values["urn"], slug,
                             tuple(key_stages), None if error else school, error,
                             row.values["la"]))
    return plans


def assign_slugs(names_and_urns: Sequence[tuple[str, str]]) -> list[str]:
    """A distinct folder name for each school, decided only by the file.

    The folder is the slugified name. Where several rows give the same one, each of
    them that has a URN gets "-<urn>" appended; the rest, in file order, keep the plain
    name, then get "-2", "-3", ... A name already taken is never reused.
    """
    bases = [(slugify(name) or "school") if name.strip() else "" for name, _ in names_and_urns]
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    wanted = [
        f"{b}-{slugify(urn)}" if b and counts[b] > 1 and slugify(urn) else b
        for b, (_, urn) in zip(bases, names_and_urns, strict=True)
    ]
    taken: set[str] = set()
    out = []
    for slug in wanted:
        if slug:
            candidate, n = slug, 1
            while candidate in taken:
                n += 1
                candidate = f"{slug}-{n}"
            slug = candidate
            taken.add(slug)
        out.append(slug)
    return out

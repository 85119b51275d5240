"""Rows → a School, folder and key stages for each, or the row's problems.

    plan_rows      rows → a RowPlan each: ready to build, or why it cannot be
    (reading.read_schools reads the file into rows: whole-file problems raise
    BatchInputError, exit 2)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lessonpack.batch.schools.columns import Row, address_lines
from lessonpack.batch.schools.language import pack_language
from lessonpack.batch.schools.reading import SchoolsFile
from lessonpack.content.models import KEY_STAGE_IDS, check_uk_phone, looks_like_email
from lessonpack.diagnostics import shown
from lessonpack.main import plan_packs
from lessonpack.safe_io import path_in_folder
from lessonpack.school.build import build_school
from lessonpack.school.logo import Logo
from lessonpack.school.models import School, slugify

KEY_STAGE_WORDS = {*KEY_STAGE_IDS, "all"}
# What a "Phase" column says, in key stages. Phrases first: "sixth form" is two words.
PHASE_WORDS = (
    (r"all[\s-]*through", "ks2 ks3 ks4"), (r"sixth[\s-]*form|16[\s-]*plus|post[\s-]*16", "ks5"),
    (r"primary", "ks2"), (r"middle", "ks2 ks3"), (r"secondary", "ks3 ks4"),
)


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
    sheet: str = ""  # the workbook's sheet, where it has several
    language_medium: str = ""  # as the Welsh Government's list gives it
    language: str = "en"  # the pack's: from a `language` column or the medium (language.py)


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
    if row.problems:  # cells that may sit under the wrong columns are never checked one by one
        raise ValueError("; ".join(problems))
    if not v["name"]:
        problems.append("name: empty; every row needs the school's name")
    for column, value in v.items():  # a name with a line break could forge a log line
        if column != "address" and re.search(r"[\r\n\t]", value):
            problems.append(f"{column}: contains a line break or tab; put it on one line")
    _letterhead(v, problems)
    dsl = _dsl_fields(v, problems)
    logo = _logo(v["logo"], base, problems)
    if problems:
        raise ValueError("; ".join(problems))
    try:
        return build_school(dict(
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


# What a letterhead never holds: a web address or a title in an address line, and in the
# website anything but a web address. Seen when a row's cells have moved a column along.
_WEBSITE = re.compile(r"(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::[0-9]+)?(?:[/?#]\S*)?",
                      re.IGNORECASE)
_URL_LIKE = re.compile(r"^(?:https?://|www\.)|^\S+\.(?:uk|com|org|net|cymru|wales|scot)(?:/\S*)?$",
                       re.IGNORECASE)
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "revd",
           "reverend", "father", "sister", "lady", "lord"}


def _letterhead(v: dict[str, str], problems: list[str]) -> None:
    if v["website"] and not _WEBSITE.fullmatch(v["website"]):
        problems.append(f"website: {v['website'][:60]!r} is not a web address")
    for line in address_lines(v):
        if _URL_LIKE.search(line):
            problems.append(f"address: {line[:60]!r} is a web address, not an address line")
        elif line.lower().rstrip(".") in _TITLES:
            problems.append(f"address: {line!r} is a title, not an address line")


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
        problems.append(f"dsl_email: not an email address: {shown(dsl['email'])}")
    return {key: value for key, value in dsl.items() if value}


def _logo(value: str, base: Path, problems: list[str]) -> Logo | None:
    if not value:
        return None
    try:  # relative to the file, and inside its folder: a list may not name private files
        return Logo.read(path_in_folder(base, value, "logo"))  # read once, into the School
    except ValueError as exc:
        problems.append(str(exc))  # "logo ... does not exist"
        return None


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
        language = "en"
        try:
            language = pack_language(row.values["language"], row.values["language_medium"])
        except ValueError as exc:
            problems.append(str(exc))
        error = "; ".join(problems) or None
        plans.append(RowPlan(row.line, row.values["name"], row.values["urn"], slug,
                             tuple(key_stages), None if error else school, error,
                             row.values["la"], row.sheet, row.values["language_medium"], language))
    return plans


def assign_slugs(names_and_urns: Sequence[tuple[str, str]]) -> list[str]:
    """A distinct folder name for each school, decided only by the file.

    The folder is the slugified name. Where several rows give the same one, each of
    them that has a URN gets "-<urn>" appended; the rest, in file order, keep the plain
    name, then get "-2", "-3", ... A name already taken is never reused.
    """
    # One folder whichever apostrophe the name is typed with: "St Mary’s" is "St Mary's".
    bases = [(slugify(name.replace("\u2019", "'")) or "school") if name.strip() else ""
             for name, _ in names_and_urns]
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    wanted = [
        f"{b}-{slugify(urn)}" if b and counts[b] > 1 and slugify(urn) else b
        for b, (_, urn) in zip(bases, names_and_urns, strict=True)
    ]
    taken: set[str] = set()
    # The first free number after each name only grows (names are only ever taken), so
    # the search resumes where it stopped: 30,000 rows of one name tried 2, 3, ... again
    # for every row, 450 million look-ups.
    after: dict[str, int] = {}
    out = []
    for slug in wanted:
        if slug:
            candidate, n = slug, after.get(slug, 1)
            while candidate in taken:
                n += 1
                candidate = f"{slug}-{n}"
            after[slug] = n
            slug = candidate
            taken.add(slug)
        out.append(slug)
    return out

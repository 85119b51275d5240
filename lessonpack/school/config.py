"""school.toml: read it, validate every setting in one run, and say where each problem is."""

from __future__ import annotations

import copy
import functools
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.diagnostics import Diagnostic, line_of
from lessonpack.errors import SchoolFileError
from lessonpack.safe_io import InputFileError, check_regular, read_input, read_zip_input
from lessonpack.school.build import build_school, school_fields
from lessonpack.school.keys import _key_lines, _unknown_keys
from lessonpack.school.models import School
from lessonpack.school.sections import (
    MAX_TOML_DEPTH,
    SchoolFile,
    Settings,
)


def load_school_file(path: Path) -> Settings:
    """Read and validate school.toml; SchoolFileError lists every problem with its line."""
    settings, found = read_school_file(path)
    if settings is None or any(d.level == "error" for d in found):
        raise SchoolFileError.of(found)
    return settings


def read_school_file(path: Path) -> tuple[Settings | None, list[Diagnostic]]:
    """school.toml's settings and every problem in it, errors first.

    With errors, the settings are the most that can be made of the file (a bad setting
    left at its default, a bad help route left out), so that `check` goes on to check the
    content and templates the file names in the same run. None when the file cannot be
    read or parsed at all.
    """
    try:
        text = _read_text(path)
        data = parse_toml(path, text)
    except SchoolFileError as exc:
        return None, [Diagnostic("error", "", str(exc))]
    lines = _key_lines(text)
    unknown: list[tuple[tuple, str, str]] = []
    data = _unknown_keys(data, SchoolFile, (), unknown)
    warnings = [Diagnostic("warning", str(path), message, _line(lines, where))
                for where, message, _near in unknown]
    problems: list[Diagnostic] = []
    parsed = _validated(path, data, lines, problems)
    # Files named in the settings are checked even when other settings are wrong, so
    # that one run reports everything.
    paths = _resolve_paths(path, data, lines, problems)
    school = _school(path, parsed, paths, lines, problems) if parsed else None
    if parsed is None or school is None:
        return None, problems + warnings
    return Settings(
        path=path, school=school, force=parsed.lesson.force,
        key_stages=[ks for ks in KEY_STAGE_IDS if ks in parsed.lesson.key_stages],
        minutes=parsed.lesson.minutes, exclude=list(parsed.content.exclude),
        warnings=[str(w) for w in warnings], extra_content=paths["extra"], template_dir=paths["dir"],
        reference_pptx=paths["reference_pptx"], reference_docx=paths["reference_docx"],
        nation=parsed.school.nation, language=parsed.school.language,
    ), problems + warnings


def _read_text(path: Path) -> str:
    if not path.exists() and not path.is_symlink():
        raise SchoolFileError(f"{path}: no such file; 'lessonpack init' writes one")
    try:
        raw = read_input(path, "school file")
    except InputFileError as exc:
        raise SchoolFileError(str(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchoolFileError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 in your editor"
        ) from None
    if not text.strip():
        raise SchoolFileError(f"{path}: the file is empty; it needs at least [school] name = \"...\"")
    return text


_GONE = object()  # marks a setting left out because it is invalid
PLACEHOLDER_NAME = "(school name)"


def _validated(path: Path, data: dict, lines: dict, problems: list[Diagnostic]) -> SchoolFile | None:
    """The settings, each invalid one reported and then left out so that the rest still count."""
    data = copy.deepcopy(data)
    for attempt in range(6):  # leaving a value out can make its parent invalid: a few rounds
        try:
            return SchoolFile.model_validate(data)
        except ValidationError as exc:
            if attempt == 0:
                problems += [_diagnostic(path, lines, error) for error in exc.errors()]
            if not all(_leave_out(data, tuple(e["loc"]), e["type"]) for e in exc.errors()):
                return None
            data = _sweep(data)
    return None


def _leave_out(data: dict, loc: tuple, kind: str) -> bool:
    """Mark the value at `loc` as gone (its parent when it is missing); False if impossible."""
    if kind == "missing" and loc in (("school",), ("school", "name")):
        section = data.get("school")
        data["school"] = {**(section if isinstance(section, dict) else {}), "name": PLACEHOLDER_NAME}
        return True
    if kind == "missing":
        loc = loc[:-1]
    if not loc:
        return False
    parent: Any = data
    for step in loc[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return True  # already gone with its parent
    if isinstance(parent, dict | list):
        try:
            parent[loc[-1]] = _GONE
        except (IndexError, TypeError):
            return False
        return True
    return False


def _sweep(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _sweep(v) for k, v in data.items() if v is not _GONE}
    if isinstance(data, list):
        return [_sweep(v) for v in data if v is not _GONE]
    return data


def parse_toml(path: Path, text: str) -> dict:
    """TOML text → data, nested at most MAX_TOML_DEPTH deep; SchoolFileError otherwise."""
    try:
        data = tomllib.loads(text)
        _check_depth(path, data)
    except tomllib.TOMLDecodeError as exc:
        raise SchoolFileError(f"{path}: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of [[[ ]]] or { a = { ... } }
        raise SchoolFileError(f"{path}: nested more than {MAX_TOML_DEPTH} levels deep") from None
    except ValueError:  # a number of over 4,300 digits: Python's own limit
        raise SchoolFileError(f"{path}: {number_too_long(text)}") from None
    return data


def number_too_long(text: str) -> str:
    """Where a number of thousands of digits is, for the one line that refuses it."""
    found = re.search(r"[0-9_]{4000,}", text)
    if found is None:
        return "a number is far too long: no setting takes more than a few digits"
    line = text.count("\n", 0, found.start()) + 1
    return (f"line {line}: a number of {len(found[0]):,} digits; "
            "no setting takes more than a few digits")


def _check_depth(path: Path, data: Any, depth: int = 0) -> None:
    if depth > MAX_TOML_DEPTH:
        raise RecursionError
    children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    for child in children:
        _check_depth(path, child, depth + 1)


_line = line_of


def _problem(path: Path, lines: dict, error: Any) -> str:
    return str(_diagnostic(path, lines, error))


def _diagnostic(path: Path, lines: dict, error: Any) -> Diagnostic:
    loc = tuple(error["loc"])
    setting = ".".join(str(p) for p in loc) or "(file)"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "required setting is missing"
    return Diagnostic("error", str(path), message, _line(lines, loc), setting)


PATH_SETTINGS = {
    "logo": ("school", "logo", "logo"),
    "extra": ("content", "extra", "content file"),
    "dir": ("templates", "dir", "template folder"),
    "reference_pptx": ("templates", "reference_pptx", "reference deck"),
    "reference_docx": ("templates", "reference_docx", "reference document"),
}


def _resolve_paths(path: Path, data: dict, lines: dict,
                   problems: list[Diagnostic]) -> dict[str, Path | None]:
    """Each file the settings name, relative to the school file's folder, if it exists."""
    resolved: dict[str, Path | None] = {}
    for key, (table, name, kind) in PATH_SETTINGS.items():
        section = data.get(table)
        value = section.get(name) if isinstance(section, dict) else None
        resolved[key] = None
        if not isinstance(value, str) or not value.strip():
            continue
        problem = functools.partial(Diagnostic, "error", str(path), line=_line(lines, (table, name)),
                                    key=f"{table}.{name}")
        try:
            candidate = (path.parent / Path(value).expanduser()).resolve()
        except (OSError, RuntimeError) as exc:  # a link loop
            problems.append(problem(f"{kind} {value!r} cannot be followed: {exc}"))
            continue
        if not candidate.exists():
            problems.append(problem(f"{kind} {value!r} not found (looked in {candidate.parent})"))
            continue
        try:
            _check_kind(key, candidate)
        except InputFileError as exc:
            problems.append(problem(f"{exc.reason} ({candidate})"))
            continue
        resolved[key] = candidate
    return resolved


def _check_kind(key: str, candidate: Path) -> None:
    """The file each setting names is of the right kind and size, before anything reads it."""
    if key == "dir":
        if not candidate.is_dir():
            raise InputFileError(candidate, "template folder is not a folder")
    elif key == "extra":
        check_regular(candidate, "YAML file")
    elif key.startswith("reference_"):
        read_zip_input(candidate, "reference document")


def _school(path: Path, parsed: SchoolFile, paths: dict, lines: dict,
            problems: list[Diagnostic]) -> School | None:
    """The school; a setting School refuses is reported, then left at its default."""
    fields = school_fields(parsed, paths["logo"])
    try:
        return build_school(fields)
    except ValidationError as exc:
        problems += [_diagnostic(path, lines, {**e, "loc": ("school", *e["loc"])}) for e in exc.errors()]
        refused = {e["loc"][0] for e in exc.errors() if e["loc"]}
    try:
        return build_school({k: v for k, v in fields.items() if k not in refused})
    except ValidationError:
        return None

"""A force's own details from a YAML file (`--force-file`): over a catalogue force, or a new one.

    slug: northumbria                # a catalogue force to override, or a new slug
    schools_email: schools@northumbria.police.uk
    logo: northumbria-logo.png       # relative to this file
    closing: This lesson was prepared with Northumbria Police's schools team.
    contacts:                        # replaces the catalogue's list as a whole
      - {kind: phone, value: "101", label: non-emergency}

A file is read by people who are not programmers: every problem is reported at once,
each with the file and line, and a misspelt key names the key that was probably meant.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lessonpack.content.lessons import Content
from lessonpack.content.models import looks_like_email
from lessonpack.content.routes import Force
from lessonpack.content.rules import validate
from lessonpack.content.yamlfile import LineMap, load_yaml_with_lines
from lessonpack.diagnostics import Diagnostic, did_you_mean, line_of, shown
from lessonpack.errors import ContentError, ForceFileError
from lessonpack.safe_io import InputFileError, path_in_folder, read_input
from lessonpack.school.models import check_logo

# The catalogue's provenance fields (`source`, `article_name`) describe the seed articles;
# a force file cannot claim them.
ALLOWED_KEYS = ("slug", "name", "nation", "website", "contacts", "schools_email", "logo",
                "closing", "reviewed")
REQUIRED_FOR_NEW = ("name", "nation")


def load_force_file(path: Path, content: Content, slug: str | None = None) -> Force:
    """The force `path` describes, merged over the catalogue force with the same slug.

    `slug` is the `--force` option, if given: the file may then leave out `slug`, and
    must not name a different one.
    """
    try:
        raw = read_input(path, "force file")
    except InputFileError as exc:
        raise ForceFileError(str(exc)) from None
    try:
        data, lines = load_yaml_with_lines(path, raw)
    except ContentError as exc:
        raise ForceFileError(str(exc)) from None
    if data is None:
        raise ForceFileError(f"{path}: the file is empty; see 'lessonpack batch --help' for an example")
    if not isinstance(data, dict):
        raise ForceFileError(f"{path}: line 1: expected keys such as 'slug:' and 'contacts:', "
                             f"not a {type(data).__name__}")

    problems = _unknown_keys(path, data, lines)
    slug = _choose_slug(path, data, lines, slug, problems)
    base = content.forces_by_slug.get(slug) if slug else None
    missing = [key for key in REQUIRED_FOR_NEW if key not in data] if base is None and slug else []
    if missing:
        why = (did_you_mean(slug or "", content.forces_by_slug)
               or "run 'lessonpack forces' to list them")
        problems += [
            _problem(path, 1, f"required for a new force ({slug!r} is not in the catalogue; {why})",
                     key)
            for key in missing
        ]
    if isinstance(data.get("logo"), str):
        data["logo"] = _check_logo(path, data["logo"], lines, problems)
    if "schools_email" in data:
        _check_email(path, data["schools_email"], lines, problems)

    known = {key: value for key, value in data.items() if key in ALLOWED_KEYS}
    force: Force | None = None
    try:
        force = validate(Force, _merge(base, known, slug or "", content))
    except ValidationError as exc:
        reported = set(missing) | ({"slug"} if slug is None else set())
        problems += _describe(path, exc, lines, reported)
    if problems or force is None:
        # sorted by line, so the file reads top to bottom
        raise ForceFileError.of(sorted(problems, key=lambda d: d.line or 0))
    return force


Problem = Diagnostic


def _problem(path: Path, line: int, message: str, key: str = "") -> Diagnostic:
    return Diagnostic("error", str(path), message, line, key)


def _unknown_keys(path: Path, data: dict, lines: LineMap) -> list[Problem]:
    problems = []
    for key in data:
        if key in ALLOWED_KEYS:
            continue
        hint = did_you_mean(str(key), ALLOWED_KEYS, cutoff=0.5) or f"allowed: {', '.join(ALLOWED_KEYS)}"
        problems.append(_problem(path, lines.get((key,), 1), f"unknown key {key!r}; {hint}"))
    return problems


def _choose_slug(path: Path, data: dict, lines: LineMap, option: str | None,
                 problems: list[Problem]) -> str | None:
    line = lines.get(("slug",), 1)
    in_file = data.get("slug")
    if in_file is not None and not isinstance(in_file, str):
        problems.append(_problem(path, line, "must be text, like northumbria", "slug"))
        return None
    in_file = (in_file or "").strip().lower()
    option = (option or "").strip().lower()
    if in_file and option and in_file != option:
        problems.append(_problem(path, line, f"the file is for {in_file!r} but --force says "
                                             f"{option!r}; make them agree or leave one out", "slug"))
    if not in_file and not option:
        problems.append(_problem(path, 1, "missing; name the force (for example "
                                          "'slug: northumbria') or give --force", "slug"))
    return in_file or option or None


def _check_logo(path: Path, value: str, lines: LineMap, problems: list[Problem]) -> Path:
    # Relative to the force file, so that the file and its logo travel together.
    # A force file comes from someone else: its logo must be beside it, not anywhere.
    try:
        logo = path_in_folder(path.parent, value, "logo")
        check_logo(logo)
    except ValueError as exc:
        problems.append(_problem(path, lines.get(("logo",), 1), str(exc)))  # "logo ... is not ..."
        return path.parent / value
    return logo


def _check_email(path: Path, value: Any, lines: LineMap, problems: list[Problem]) -> None:
    if not isinstance(value, str) or not looks_like_email(value.strip()):
        problems.append(_problem(path, lines.get(("schools_email",), 1),
                                 f"not an email address: {shown(value)}", "schools_email"))


def _merge(base: Force | None, data: dict, slug: str, content: Content) -> dict[str, Any]:
    merged: dict[str, Any] = dataclasses.asdict(base) if base else {
        # A new force that gives no contacts uses the national ones: date it alike.
        "reviewed": content.national.reviewed,
    }
    merged.update(data)
    merged["slug"] = slug
    if isinstance(merged.get("closing"), str):
        merged["closing"] = merged["closing"].strip() or None
    return merged


def _describe(path: Path, exc: ValidationError, lines: LineMap,
              reported: set[str]) -> list[Problem]:
    out = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        if loc and loc[0] in reported:
            continue  # already reported, with a better reason
        message = error["msg"].removeprefix("Value error, ")
        dotted = "/".join(str(part) for part in loc) or "force"
        out.append(_problem(path, line_of(lines, loc), message, dotted))
    return out

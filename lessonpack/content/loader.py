"""Loading lessons/: YAML files merged, validated, and every problem located."""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonpack.content.lessons import Content
from lessonpack.content.rules import validate
from lessonpack.diagnostics import Diagnostic, did_you_mean, line_of
from lessonpack.errors import ContentError

if TYPE_CHECKING:
    from pydantic import ValidationError

# Which top-level keys each YAML file under lessons/ may hold. A file may hold
# several; every key of Content except `fingerprint` must come from exactly one file.
CONTENT_KEYS = {f.name for f in fields(Content)} - {"fingerprint"}


def load_content(
    directory: Path, extra_files: list[Path] | None = None, exclude: list[str] | None = None
) -> Content:
    """Load and validate every *.yaml file in `directory` into one Content.

    `extra_files` (a school's or force's own content, same schema) add items to the
    lists; `exclude` drops built-in items by id. Errors name the file and line of the
    offending value where YAML knows it, and every problem is reported, not just the first.
    """
    # PyYAML is imported here, not with the module: a run served from the cache never
    # parses YAML (content/cache.py).
    from pydantic import ValidationError

    from lessonpack.content.yamlfile import load_yaml_with_lines

    builtin = sorted(directory.glob("*.yaml"))
    if not builtin:
        raise ContentError(f"no lesson content (*.yaml) found in {directory}")
    merged: dict[str, Any] = {}
    # For each merged value, where it came from: list sections keep one origin per item.
    origins: dict[str, list[tuple[Path, dict, tuple]]] = {}
    digest = hashlib.sha256()
    problems: list[Diagnostic] = []
    for path in [*builtin, *(extra_files or [])]:
        is_extra = path not in builtin
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ContentError(f"{path}: cannot be read: {exc.strerror}") from None
        digest.update(path.name.encode() + b"\0" + raw)
        data, lines = load_yaml_with_lines(path, raw)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Diagnostic("error", str(path), "expected a mapping of content sections", 1))
            continue
        for key, value in data.items():
            line = lines.get((key,), 1)
            if key not in CONTENT_KEYS:
                hint = did_you_mean(str(key), sorted(CONTENT_KEYS))
                problems.append(Diagnostic("error", str(path), f"unknown section {key!r}"
                                           + (f"; {hint}" if hint else ""), line))
            elif is_extra and key in merged and isinstance(merged[key], list):
                if not isinstance(value, list):
                    problems.append(Diagnostic("error", str(path), "must be a list of items", line, key))
                    continue
                merged[key] = [*merged[key], *value]
                origins[key] += [(path, lines, (key, i)) for i in range(len(value))]
            elif key in merged:
                first = origins[key][0][0].name
                problems.append(Diagnostic("error", str(path), f"section {key!r} is already in {first}"
                                + ("; extra content can only add items to lists" if is_extra else ""), line))
            else:
                merged[key] = value
                origins[key] = ([(path, lines, (key, i)) for i in range(len(value))]
                                if isinstance(value, list) else [(path, lines, (key,))])
    if exclude:
        _exclude(merged, origins, exclude, problems)
    if problems:
        raise ContentError.of(problems)
    try:
        return validate(Content, {**merged, "fingerprint": digest.hexdigest()})
    except ValidationError as exc:
        raise ContentError.of(_describe(exc, merged, origins)) from None


def _exclude(merged: dict, origins: dict, exclude: list[str], problems: list[Diagnostic]) -> None:
    """Drop items by id from every list section; an id that matches nothing is an error."""
    wanted = set(exclude)
    found: set[str] = set()
    all_ids: list[str] = []
    for key, value in merged.items():
        if not isinstance(value, list):
            continue
        keep = []
        for item, origin in zip(value, origins[key], strict=True):
            item_id = item.get("id", item.get("slug")) if isinstance(item, dict) else None
            if item_id is not None:
                all_ids.append(str(item_id))
            if item_id in wanted:
                found.add(item_id)
            else:
                keep.append((item, origin))
        merged[key] = [item for item, _ in keep]
        origins[key] = [origin for _, origin in keep]
    for missing in sorted(wanted - found):
        hint = did_you_mean(missing, all_ids)
        problems.append(Diagnostic("error", "", f"no built-in item has the id {missing!r}"
                                   + (f"; {hint}" if hint else ""), key="content.exclude"))


def _describe(exc: ValidationError, merged: dict, origins: dict) -> list[Diagnostic]:
    found = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] in ("unexpected_keyword_argument", "extra_forbidden") and loc:
            message = f"unknown key {loc[-1]!r}: not one this item has (is it misspelt?)"
        key = loc[0] if loc else None
        if key in origins and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(origins[key]):
            path, lines, base = origins[key][loc[1]]
            file_loc = (*base, *loc[2:])
        elif key in origins:
            path, lines, _ = origins[key][0] if origins[key] else (Path("lessons"), {}, ())
            file_loc = loc
        else:
            found.append(Diagnostic("error", "lessons", message))
            continue
        dotted = "/".join(str(part) for part in loc)
        found.append(Diagnostic("error", str(path), message, line_of(lines, file_loc), dotted))
    return found

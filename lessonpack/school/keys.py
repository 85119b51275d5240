"""Where a key is in school.toml: its line, and the unknown keys with a suggestion for each."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from lessonpack.diagnostics import close_matches, did_you_mean


def _key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """The line of each `key = value` and `[table]` in a TOML file, by key path.

    tomllib does not report where values are; this follows the tables and arrays of
    tables well enough to point a DSL at the right line of a hand-written file.
    """
    lines: dict[tuple[Any, ...], int] = {}
    table: tuple[Any, ...] = ()
    counts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if match := re.match(r"^\[\[\s*([\w.-]+)\s*\]\]", line):
            name = match.group(1)
            index = counts.get(name, -1) + 1
            counts[name] = index
            table = (name, index)
            lines.setdefault((name,), number)
            lines[table] = number
        elif match := re.match(r"^\[\s*([\w.-]+)\s*\]", line):
            table = tuple(match.group(1).split("."))
            lines[table] = number
        elif match := re.match(r'^"?([\w-]+)"?\s*=', line):
            lines[(*table, match.group(1))] = number
    return lines


def _nearest(name: str, valid: list[str]) -> str:
    return f"; {did_you_mean(name, valid) or 'valid keys: ' + ', '.join(valid)}"


def _unknown_keys(data: dict, model: type[BaseModel], path: tuple, found: list) -> dict:
    """Drop keys the schema does not know, noting each as (where, message, nearest valid
    key or ""): the web page says the same in the page's language from where and nearest."""
    known = list(model.model_fields)
    clean = {}
    for key, value in data.items():
        if key not in model.model_fields:
            near = close_matches(key, known)
            found.append(((*path, key), f"unknown setting {'.'.join(map(str, (*path, key)))!r}"
                          f"{_nearest(key, known)}", near[0] if near else ""))
            continue
        annotation = model.model_fields[key].annotation
        sub = _model_in(annotation)
        if sub is not None and isinstance(value, dict):
            value = _unknown_keys(value, sub, (*path, key), found)
        elif sub is not None and isinstance(value, list):
            value = [_unknown_keys(v, sub, (*path, key, i), found) if isinstance(v, dict) else v
                     for i, v in enumerate(value)]
        clean[key] = value
    return clean


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None

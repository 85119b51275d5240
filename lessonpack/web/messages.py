"""The page's words for problems and changes, from words.toml, by the field they belong to.

Every message names its field and says what to do, in the GOV.UK style; the wording
lives in words.toml so that it can be translated without touching the code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from lessonpack.web.language import gettext as _

WORDS: dict[str, dict[str, str]] = tomllib.loads(
    (Path(__file__).resolve().parent / "words.toml").read_text(encoding="utf-8"))
_ROUTE = re.compile(r"route-(\d+)(?:-(\w+))?")
# school/models.py's messages a visitor can reach from the form → their words.toml key.
_VALIDATORS = (
    ("not_email", re.compile(r"not an email address: (?P<value>.*)", re.S)),
    ("not_colour", re.compile(r"(?P<value>.*) is not a colour like \"#1D4F91\"", re.S)),
    ("empty", re.compile(r"must not be empty")),
    ("control", re.compile(r"contains control characters; remove them")),
    ("not_phone", re.compile(r"not a phone number: (?P<value>.*)", re.S)),
    ("not_uk_phone", re.compile(r"not a valid UK phone number: (?P<value>.*)", re.S)),
)


def general(name: str) -> tuple[str, dict[str, Any]]:
    """A form field's name → its key in words.toml, and the route number to fill in.

    "route-2-phone" → ("route.phone", {"n": 3}); "route-2" → ("route.contact", {"n": 3}).
    """
    if match := _ROUTE.fullmatch(name):
        return f"route.{match[2] or 'contact'}", {"n": int(match[1]) + 1}
    return name, {}


def say(section: str, key: str, **values: Any) -> str:
    """words.toml's `section.key` in the page's language, its placeholders filled in."""
    return _(WORDS[section][key]).format(**values)


def label(name: str) -> str:
    key, values = general(name)
    found = WORDS["label"].get(key)
    return _(found).format(**values) if found is not None else key


def enter(name: str) -> str:
    """What to type in field `name`: every field has its own sentence in words.toml."""
    key, values = general(name)
    text = WORDS["enter"].get(key) or WORDS["enter_blank"].get(key)
    if text is None:  # a field with no sentence of its own: its label and what is wrong
        return say("rule", "other", label=label(name), message=_(WORDS["validator"]["invalid"]))
    return _(text).format(**values)


def validator(message: str) -> str:
    """A model's own message (school/models.py) → the page's words for it, in its language.

    The ones a visitor can reach from the form have their entry in words.toml's
    [validator]; anything else is shown as it is (it names no English the page wrote).
    """
    for key, pattern in _VALIDATORS:
        if match := pattern.fullmatch(message):
            return say("validator", key, **match.groupdict())
    return message


def extract_words(fileobj: Any, keywords: Any, comment_tags: Any,
                  options: Any) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extraction method for words.toml (babel.cfg): every string, with its key."""
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text)
    lines = text.splitlines()
    for section, entries in data.items():
        for key, message in entries.items():
            lineno = next((i for i, line in enumerate(lines, 1)
                           if line.split("=", 1)[0].strip().strip('"') == key
                           and message in _toml_string(line)), 1)
            yield lineno, None, message, [f"words.toml [{section}] {key}"]


def _toml_string(line: str) -> str:
    try:
        return str(next(iter(tomllib.loads(line).values())))
    except (tomllib.TOMLDecodeError, StopIteration):
        return ""


def for_error(name: str, error: Mapping[str, Any]) -> str:
    """A pydantic error on form field `name` → what to tell the visitor."""
    key, _ = general(name)
    kind, ctx = error["type"], error.get("ctx") or {}
    message = str(error["msg"]).removeprefix("Value error, ")
    if key == "lesson.key_stages":
        if kind in ("too_short", "missing"):
            return enter(name)
        return say("rule", "key_stage_unknown", value=error.get("input", ""))
    if key == "lesson.minutes":
        if kind in ("greater_than_equal", "less_than_equal"):
            return say("rule", "minutes_range")
        return enter(name)
    if kind in ("string_too_long", "too_long"):
        rule = "too_many_lines" if key == "school.address" else "too_long"
        return say("rule", rule, label=label(name), max=ctx.get("max_length"))
    if "control characters" in message:
        return say("rule", "control", label=label(name))
    if (kind in ("missing", "string_too_short") or "must not be empty" in message
            or key in WORDS["enter"]):
        return enter(name)
    return say("rule", "other", label=label(name), message=validator(message))

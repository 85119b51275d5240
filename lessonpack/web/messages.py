"""The page's words for problems and changes, from words.toml, by the field they belong to.

Every message names its field and says what to do, in the GOV.UK style; the wording
lives in words.toml so that it can be translated without touching the code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

WORDS: dict[str, dict[str, str]] = tomllib.loads(
    (Path(__file__).resolve().parent / "words.toml").read_text(encoding="utf-8"))
_ROUTE = re.compile(r"route-(\d+)(?:-(\w+))?")


def general(name: str) -> tuple[str, dict[str, Any]]:
    """A form field's name → its key in words.toml, and the route number to fill in.

    "route-2-phone" → ("route.phone", {"n": 3}); "route-2" → ("route.contact", {"n": 3}).
    """
    if match := _ROUTE.fullmatch(name):
        return f"route.{match[2] or 'contact'}", {"n": int(match[1]) + 1}
    return name, {}


def say(section: str, key: str, **values: Any) -> str:
    return WORDS[section][key].format(**values)


def label(name: str) -> str:
    key, values = general(name)
    return WORDS["label"].get(key, key).format(**values)


def enter(name: str) -> str:
    key, values = general(name)
    text = WORDS["enter"].get(key)
    if text is None:
        return f"Enter {label(name)[0].lower()}{label(name)[1:]}"
    return text.format(**values)


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
    return say("rule", "other", label=label(name), message=message)

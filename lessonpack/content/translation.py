"""Content in another language: each item's `cy:` fields put in place of its English.

An item of lessons/ carries its Welsh beside its English, the same field names under
`cy:`, and `cy_reviewed: true` once a fluent speaker has checked it:

    - id: never-your-fault
      text: It is never your fault.
      cy:
        text: Nid dy fai di yw e byth.
      cy_reviewed: false

A field a pack prints that has no Welsh is not left in English: it is marked MISSING
(and the pack that prints it refused, pack.py), so Welsh never falls back to English
mid-slide. Names, numbers, links, ids and the article's own quotes are never translated
(`NOT_TRANSLATED`); a quote's Welsh goes to its `translation`, printed beside the English.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any

from lessonpack.cache import memoized
from lessonpack.content.lessons import Content
from lessonpack.content.models import Translated

MISSING = "\ue002"  # the same mark as rendering/i18n.py: heads text with no translation
# Fields that stay as written in every language: ids and tags, contact values, links,
# names as a source gives them, and words the code compares ("Story", "18 and over").
NOT_TRANSLATED = frozenset({
    "id", "slug", "key_stages", "sources", "source", "step", "kind", "value", "file",
    "website", "nation", "nations", "article_name", "schools_email", "logo",
    "local_authorities", "speaker", "who", "grouping", "age_limit", "extra_routes",
    "case_study", "version", "fingerprint", "publisher", "title_en", "level", "cut",
})
# Sections a pack never prints: the wording rules and the source list stay English.
NOT_PRINTED = frozenset({"safety", "sources", "meta"})



def localised(content: Content, language: str) -> Content:
    """`content` in `language`; English is the content as written."""
    if language == "en":
        return content
    return _localise(content, language)[0]


def localised_item(item: Any, language: str) -> Any:
    """One item (a force from a force file, say) in `language`; None stays None."""
    if language == "en" or item is None:
        return item
    return _item(item, language, "", {})


def untranslated(content: Content, language: str) -> dict[str, str]:
    """Every printed English text with no translation → where it is ("myths/ai-1 why")."""
    return dict(_localise(content, language)[1])


def unreviewed(content: Content, language: str) -> list[str]:
    """The items whose translation no fluent speaker has reviewed yet."""
    found: list[str] = []
    _walk_reviewed(content, language, "", found)
    return found


def _localise(content: Content, language: str) -> tuple[Content, dict[str, str]]:
    return _localised_content(content.fingerprint, language, _Same(content))


class _Same:
    """Content as a cache argument: the same content has the same fingerprint."""

    def __init__(self, content: Content) -> None:
        self.content = content

    def __hash__(self) -> int:
        return hash(self.content.fingerprint)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.content.fingerprint == self.content.fingerprint \
            and bool(self.content.fingerprint)


@memoized("localised content", 4)
def _localised_content(fingerprint: str, language: str, same: _Same) -> tuple[Content, dict[str, str]]:
    content = same.content
    missing: dict[str, str] = {}
    update = {f.name: _value(getattr(content, f.name), language, f.name, missing)
              for f in fields(content) if f.name not in NOT_PRINTED and f.name != "fingerprint"}
    return replace(content, **update), missing


def _value(value: Any, language: str, where: str, missing: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_value(v, language, where, missing) for v in value]
    if isinstance(value, dict):
        return {k: _value(v, language, f"{where}/{k}", missing) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return _item(value, language, where, missing)
    return value


def _item(item: Any, language: str, where: str, missing: dict[str, str]) -> Any:
    label = getattr(item, "id", None) or getattr(item, "slug", None)
    here = f"{where}/{label}" if label else where
    given = (getattr(item, language, None) or {}) if isinstance(item, Translated) else {}
    update: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if f.name in (language, f"{language}_reviewed") or value is None:
            continue
        if f.name in given:  # even a field that needs none, such as "SHOUT to 85258"
            if f.name == "text" and hasattr(item, "translation"):
                update["translation"] = given["text"]  # a quote: its English stays
            else:
                update[f.name] = given[f.name]
        elif f.name in NOT_TRANSLATED:
            continue
        elif isinstance(value, str) and isinstance(item, Translated):
            if f.name == "text" and hasattr(item, "translation"):
                continue  # an untranslated quote is printed in English alone
            missing[value] = f"{here} {f.name}"
            update[f.name] = MISSING + value
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            if isinstance(item, Translated):
                for v in value:
                    missing[v] = f"{here} {f.name}"
                update[f.name] = [MISSING + v for v in value]
        elif isinstance(value, list | dict) or is_dataclass(value):
            update[f.name] = _value(value, language, here, missing)
    return replace(item, **update) if update else item


def _walk_reviewed(value: Any, language: str, where: str, found: list[str]) -> None:
    if isinstance(value, list | tuple):
        for v in value:
            _walk_reviewed(v, language, where, found)
    elif isinstance(value, dict):
        for k, v in value.items():
            _walk_reviewed(v, language, f"{where}/{k}", found)
    elif is_dataclass(value) and not isinstance(value, type):
        label = getattr(value, "id", None) or getattr(value, "slug", None)
        here = f"{where}/{label}" if label else where
        if isinstance(value, Translated) and getattr(value, language, None) \
                and not getattr(value, f"{language}_reviewed", False):
            found.append(here)
        for f in fields(value):
            if f.name not in NOT_PRINTED and f.name != language:
                _walk_reviewed(getattr(value, f.name), language, f"{here}/{f.name}"
                               if not label else here, found)

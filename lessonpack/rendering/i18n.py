"""The pack's language: gettext catalogues for the templates' and code's own words.

English is the source language and needs no catalogue: every string is its own
translation, so an English pack is exactly what it was before the strings were marked.
Welsh comes from `lessonpack/locale/cy/LC_MESSAGES/messages.po`, read directly with
Babel's .po reader (no compiled .mo, so a fresh clone needs no build step). A message
marked fuzzy ("Needs work" in Poedit) is used, and counted as not yet reviewed by a
fluent speaker; a message with no translation is never replaced by its English: it comes
back marked (`MISSING`) and the pack that prints it is refused (pack.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from lessonpack.cache import memoized
from lessonpack.errors import ContentError

LANGUAGES = {"en": "en-GB", "cy": "cy-GB"}  # a pack's language → its files' BCP 47 tag
CHOICES = ("en", "cy", "en+cy")  # what a user may ask for: English, Welsh, or both
MISSING = "\ue002"  # heads a string that has no translation: never written to a file
UNREVIEWED_NOTE = "Welsh translation not yet reviewed by a fluent speaker"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
_FIELD = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Catalogue:
    language: str
    messages: dict[str, str]  # msgid → translation, translated messages only
    unreviewed: frozenset[str]  # msgids whose translation no fluent speaker has checked
    path: Path

    def lookup(self, message: str) -> str:
        found = self.messages.get(message)
        return found if found is not None else MISSING + message


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


@memoized("catalogues", 4)
def catalogue(language: str) -> Catalogue | None:
    """The catalogue for `language`; None for English, the source language."""
    if language == "en":
        return None
    from babel.messages.pofile import PoFileError, read_po  # only a Welsh pack pays for Babel

    path = catalogue_path(language)
    try:
        with path.open("rb") as f:
            po = read_po(f, locale=language, abort_invalid=True)
    except (OSError, PoFileError) as exc:
        raise ContentError(f"{path}: cannot read the {language} catalogue: {exc}") from None
    messages: dict[str, str] = {}
    unreviewed = set()
    for message in po:
        # Plural forms (tuples) are not used: every message is one string.
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        if not message.id or not message.string:
            continue
        wanted, given = set(_FIELD.findall(message.id)), set(_FIELD.findall(message.string))
        if given - wanted:
            raise ContentError(f"{path}, line {message.lineno}: the translation of "
                               f"{message.id[:40]!r} names {sorted(given - wanted)}, "
                               "which the English does not")
        messages[message.id] = message.string
        if message.fuzzy:
            unreviewed.add(message.id)
    return Catalogue(language, messages, frozenset(unreviewed), path)


_current: ContextVar[Catalogue | None] = ContextVar("catalogue", default=None)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Code and templates run inside this use `language`'s catalogue."""
    token = _current.set(catalogue(language))
    try:
        yield
    finally:
        _current.reset(token)


def current_language() -> str:
    found = _current.get()
    return found.language if found else "en"


def gettext(message: str) -> str:
    """`message` in the current language (marked MISSING when it has no translation)."""
    found = _current.get()
    return message if found is None else found.lookup(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    return message


# Words the templates translate from data (`_(s.grouping)`): listed so that extraction
# finds them and the catalogue keeps them.
DATA_WORDS = (N_("whole class"), N_("alone"), N_("pairs"), N_("groups"), N_("16 and over"),
              N_("18 and over"), N_("under 18"), N_("under 19"), N_("under 25"), N_("under 35"),
              N_("Welsh translation not yet reviewed by a fluent speaker"))


def translation_note(content: object, language: str) -> str:
    """The plan's first-page notice while a fluent speaker has not reviewed the Welsh."""
    if language == "en":
        return ""
    from lessonpack.content.translation import unreviewed

    found = catalogue(language)
    if (found and found.unreviewed) or unreviewed(content, language):  # type: ignore[arg-type]
        return gettext(UNREVIEWED_NOTE) + f" ({UNREVIEWED_NOTE}.)"
    return ""


def long_date(day: dt.date) -> str:
    """'1 December 2026', or in Welsh '1 Rhagfyr 2026'."""
    language = current_language()
    if language == "en":
        return f"{day.day} {day.strftime('%B %Y')}"
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=language)

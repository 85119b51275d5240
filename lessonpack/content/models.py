"""Lesson content's shared types: sources, contacts, phone numbers and key stages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar, dataclass_transform

from lessonpack.content.rules import FORBID, STRIPPED, Rule, length, pattern
from lessonpack.diagnostics import shown

_T = TypeVar("_T")
KeyStageId = Literal["ks2", "ks3", "ks4", "ks5"]
KEY_STAGE_IDS: tuple[KeyStageId, ...] = ("ks2", "ks3", "ks4", "ks5")
Nation = Literal["england", "wales", "scotland", "northern-ireland"]
NATION_IDS: tuple[Nation, ...] = ("england", "wales", "scotland", "northern-ireland")
CLOSING_MAX_WORDS = 50  # and the schools team line: the slide stays under 60

EMAIL_MAX = 254  # RFC 5321's longest address (a path of 256 less its angle brackets)
Slug = Annotated[str, pattern(r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Text = Annotated[str, STRIPPED]

# Every model: frozen, fields by keyword (so a subclass may add required fields after a
# base's defaults), and plain data once made (see rules.py for how pydantic checks them).
# dataclass_transform tells a type checker that what `model` makes is a dataclass.
@dataclass_transform(frozen_default=True, kw_only_default=True)
def model(cls: type[_T]) -> type[_T]:
    return dataclass(frozen=True, kw_only=True)(cls)


class Model:
    # Content is reviewed by people: a misspelt key must fail loudly, not vanish.
    __pydantic_config__ = FORBID


@model
class Translated(Model):
    """Content a pack prints, with its Welsh beside its English: `cy:` holds the same
    fields in Welsh, and `cy_reviewed` says whether a fluent speaker has checked them
    (content/translation.py puts them in place for a Welsh pack)."""

    cy: dict[str, Any] | None = None
    cy_reviewed: bool = False


@model
class Source(Model):
    """A seed press release or a piece of guidance named in CONTENT.md."""

    id: Slug
    kind: Literal["seed", "guidance", "project"]  # project: this pack's own notes, not cited
    title: Text
    file: str | None = None  # seed file name under shared/seeds
    publisher: Text
    # Guidance that only one nation's schools follow (England's RSHE, KCSIE, UKCIS on
    # sharing nudes): other nations' packs cite their own instead.
    nations: list[Nation] | None = None


@model
class Tagged(Translated):
    """An item that suits some key stages and cites where it came from."""

    id: Slug
    key_stages: Annotated[list[KeyStageId], length(1)]
    sources: Annotated[list[Slug], length(1)]


def looks_like_email(value: str) -> bool:
    """Something@domain.tld with no spaces: catches typos like a missing @ or a space, not
    every RFC corner. Linear in the text, and refused past 254 characters: a regular
    expression with two `+` runs backtracked for 45 s on `a@b.b.b.… x`."""
    if len(value) > EMAIL_MAX or not value.isprintable() or any(c.isspace() for c in value):
        return False
    local, _, domain = value.partition("@")
    return bool(local) and "@" not in domain and "." in domain[1:-1]


def _contact_value(value: str, info: Any) -> str:
    # A field's rule (not the model's) so that errors point at the value's line.
    kind = info.data.get("kind")
    if kind == "phone":
        check_uk_phone(value)
    if kind == "email" and not looks_like_email(value):
        raise ValueError(f"not an email address: {shown(value)}")
    return value


@model
class Contact(Translated):
    kind: Literal["phone", "textphone", "text", "website", "email", "online"]
    value: Annotated[Text, Rule(_contact_value, with_info=True)]
    label: str | None = None  # e.g. "24 hours", "free and confidential"


def check_uk_phone(number: str) -> None:
    """Raise ValueError unless `number` is a valid UK number or UK short code."""
    import phonenumbers  # ~10 ms to import: only when a phone number is checked

    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {number!r}") from exc
    if not (
        phonenumbers.is_valid_number(parsed)
        or phonenumbers.is_valid_short_number_for_region(parsed, "GB")
    ):
        raise ValueError(f"not a valid UK phone number: {number!r}")


@model
class KeyStage(Translated):
    id: KeyStageId
    name: Text  # "Key Stage 3"
    short: Text  # "KS3"
    years: Text
    ages: Text
    lesson_title: Text
    lesson_subtitle: Text
    covers: list[Text]
    leaves_out: list[Text]
    objectives: Annotated[list[Text], length(2)]
    outcomes: Annotated[list[Text], length(2)]
    max_reading_grade: float  # Flesch-Kincaid grade the pupil text should stay under
    sexual_terms: bool  # False: no sexual words or detail anywhere in the pack

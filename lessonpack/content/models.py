"""Lesson content's shared types: sources, contacts, phone numbers and key stages."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

KeyStageId = Literal["ks2", "ks3", "ks4", "ks5"]
KEY_STAGE_IDS: tuple[KeyStageId, ...] = ("ks2", "ks3", "ks4", "ks5")
Nation = Literal["england", "wales", "scotland", "northern-ireland"]
NATION_IDS: tuple[Nation, ...] = ("england", "wales", "scotland", "northern-ireland")
CLOSING_MAX_WORDS = 50  # and the schools team line: the slide stays under 60

# Deliberately loose: catches typos like a missing @ or a space, not every RFC corner.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Model(BaseModel):
    # Content is reviewed by people: a misspelt key must fail loudly, not vanish.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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


class Tagged(Model):
    """An item that suits some key stages and cites where it came from."""

    id: Slug
    key_stages: list[KeyStageId] = Field(min_length=1)
    sources: list[Slug] = Field(min_length=1)


class Contact(Model):
    kind: Literal["phone", "textphone", "text", "website", "email", "online"]
    value: Text
    label: str | None = None  # e.g. "24 hours", "free and confidential"

    @field_validator("value")
    @classmethod
    def _check_value(cls, value: str, info: ValidationInfo) -> str:
        # A field validator (not a model one) so that errors point at the value's line.
        kind = info.data.get("kind")
        if kind == "phone":
            check_uk_phone(value)
        if kind == "email" and not EMAIL.match(value):
            raise ValueError(f"not an email address: {value!r}")
        return value


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


class KeyStage(Model):
    id: KeyStageId
    name: Text  # "Key Stage 3"
    short: Text  # "KS3"
    years: Text
    ages: Text
    lesson_title: Text
    lesson_subtitle: Text
    covers: list[Text]
    leaves_out: list[Text]
    objectives: list[Text] = Field(min_length=2)
    outcomes: list[Text] = Field(min_length=2)
    max_reading_grade: float  # Flesch-Kincaid grade the pupil text should stay under
    sexual_terms: bool  # False: no sexual words or detail anywhere in the pack

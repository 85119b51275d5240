"""Where to get help: help routes, police forces, nations and national contacts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import (
    Field,
    field_validator,
)

from lessonpack.content.models import (
    CLOSING_MAX_WORDS,
    Contact,
    KeyStageId,
    Model,
    Nation,
    Slug,
    Text,
)


class HelpRoute(Model):
    id: Slug
    name: Text
    card: Text  # what it is for, in a few words, for the support card
    audience: Text
    age_limit: str | None = None
    nations: list[Nation] = Field(min_length=1)
    key_stages: list[KeyStageId] = Field(default_factory=list)  # pupil-facing lists
    for_parents: bool = False
    crisis: bool = False
    contacts: list[Contact] = Field(min_length=1)
    reviewed: dt.date
    source: Slug
    note: str | None = None

    def serves(self, nation: Nation | None) -> bool:
        return nation is None or nation in self.nations


class Force(Model):
    slug: Slug
    name: Text
    nation: Nation
    website: str | None = None
    contacts: list[Contact] = Field(default_factory=list)
    source: Slug | None = None  # the seed article the contacts come from
    article_name: str | None = None  # the force's name as its article gives it
    reviewed: dt.date
    # The force area's local authorities, as the DfE register names them: `batch` picks
    # the force's schools from the register by these.
    local_authorities: list[Text] = Field(default_factory=list)
    # Set by a force file (--force-file), not by the built-in catalogue:
    schools_email: str | None = None  # the force's schools team
    logo: Path | None = None
    closing: str | None = None  # "This lesson was prepared with ...", shown on a closing slide

    @field_validator("closing")
    @classmethod
    def _closing_fits_its_slide(cls, value: str | None) -> str | None:
        # One slide, read while pupils pack away: a long text would run off it.
        if value is not None and len(value.split()) > CLOSING_MAX_WORDS:
            raise ValueError(f"{len(value.split())} words; the closing slide holds at most "
                             f"{CLOSING_MAX_WORDS}: shorten it to a sentence or two")
        return value


class Stage(Model):
    """What a nation calls one of the four lessons."""

    name: Text  # "Key Stage 3", "S1 to S3"
    years: Text
    short: Text
    level: str | None = None  # Curriculum for Excellence level, Scotland only


class NationInfo(Model):
    id: Nation
    name: Text
    role: Text  # the school's safeguarding role, in lower case
    role_short: Text
    deputy_role: Text
    stages: dict[KeyStageId, Stage]
    stage_note: str | None = None
    curriculum: Text
    why_we_teach: Text
    why_we_teach_primary: Text
    parents_may_see: Text
    guidance: list[Text] = Field(min_length=1)
    disclosure_guidance: Text
    law_adult: Text
    extra_routes: list[Slug] = Field(default_factory=list)
    sources: list[Slug] = Field(min_length=1)


class NationalContacts(Model):
    """Used when no force is named: the police contacts that hold UK-wide."""

    name: Text
    contacts: list[Contact] = Field(min_length=1)
    reviewed: dt.date

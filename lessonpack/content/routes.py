"""Where to get help: help routes, police forces, nations and national contacts."""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from pathlib import Path
from typing import Annotated

from lessonpack.content.models import (
    CLOSING_MAX_WORDS,
    Contact,
    KeyStageId,
    Nation,
    Slug,
    Text,
    Translated,
    model,
)
from lessonpack.content.rules import Rule, length


def _closing_fits_its_slide(value: str | None) -> str | None:
    # One slide, read while pupils pack away: a long text would run off it.
    if value is not None and len(value.split()) > CLOSING_MAX_WORDS:
        raise ValueError(f"{len(value.split())} words; the closing slide holds at most "
                         f"{CLOSING_MAX_WORDS}: shorten it to a sentence or two")
    return value



@model
class HelpRoute(Translated):
    id: Slug
    name: Text
    card: Text  # what it is for, in a few words, for the support card
    audience: Text
    age_limit: str | None = None
    nations: Annotated[list[Nation], length(1)]
    key_stages: list[KeyStageId] = field(default_factory=list)  # pupil-facing lists
    for_parents: bool = False
    crisis: bool = False
    contacts: Annotated[list[Contact], length(1)]
    reviewed: dt.date
    source: Slug
    note: str | None = None

    def serves(self, nation: Nation | None) -> bool:
        return nation is None or nation in self.nations


@model
class Force(Translated):
    slug: Slug
    name: Text
    nation: Nation
    website: str | None = None
    contacts: list[Contact] = field(default_factory=list)
    source: Slug | None = None  # the seed article the contacts come from
    article_name: str | None = None  # the force's name as its article gives it
    reviewed: dt.date
    # The force area's local authorities, as the DfE register names them: `batch` picks
    # the force's schools from the register by these.
    local_authorities: list[Text] = field(default_factory=list)
    # Set by a force file (--force-file), not by the built-in catalogue:
    schools_email: str | None = None  # the force's schools team
    logo: Path | None = None
    # "This lesson was prepared with ...", shown on a closing slide
    closing: Annotated[str | None, Rule(_closing_fits_its_slide)] = None


@model
class Stage(Translated):
    """What a nation calls one of the four lessons."""

    name: Text  # "Key Stage 3", "S1 to S3"
    years: Text
    short: Text
    level: str | None = None  # Curriculum for Excellence level, Scotland only


@model
class NationInfo(Translated):
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
    guidance: Annotated[list[Text], length(1)]
    disclosure_guidance: Text
    law_adult: Text
    extra_routes: list[Slug] = field(default_factory=list)
    sources: Annotated[list[Slug], length(1)]


@model
class NationalContacts(Translated):
    """Used when no force is named: the police contacts that hold UK-wide."""

    name: Text
    contacts: Annotated[list[Contact], length(1)]
    reviewed: dt.date

"""Options and helpers shared by several commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lessonpack.main import library_for
from lessonpack.pack import Library

if TYPE_CHECKING:  # pydantic's school.toml schema: loaded only when a file is read
    from lessonpack.school.sections import Settings

KEY_STAGE_CHOICES = ["ks2", "ks3", "ks4", "ks5", "all"]

NATION_OPTION = click.option(
    "--nation", type=click.Choice(["england", "wales", "scotland", "northern-ireland"]),
    help="The UK nation the pack is for, when no force is given (a force's own nation "
    "wins): stage names, the safeguarding role, guidance, law and help routes. "
    "Example: --nation wales",
)
LANGUAGE_OPTION = click.option(
    "--language", type=click.Choice(["en", "cy", "en+cy"]),
    help="The pack's language (default: the school file's, else en): cy makes the whole pack "
    "in Welsh, en+cy both decks and documents and a bilingual parent letter and support card, "
    "Welsh first. Welsh packs are for schools in Wales. Example: --language cy",
)
SCHOOL_OPTION = click.option(
    "--school", "school_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Your school's settings (see 'lessonpack init'). Example: --school school.toml",
)


def load_library(settings: Settings | None = None) -> Library:
    """The library for these settings; LESSONPACK_LESSONS swaps the built-in content
    for an edited copy (for content editors)."""
    lessons = os.environ.get("LESSONPACK_LESSONS")
    return library_for(settings, Path(lessons) if lessons else None)

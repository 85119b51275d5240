"""school.toml's schema: its sections as pydantic models, and the Settings a file gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lessonpack.content.models import KeyStageId, Nation
from lessonpack.safe_io import LIMITS
from lessonpack.school.models import (
    MAX_ADDRESS_LINES,
    MAX_HELP_ROUTES,
    MAX_URN,
    LocalRoute,
    Person,
    School,
    check_colour,
    no_control,
)

MAX_TOML_DEPTH = 20  # a school file nests 3 deep
MAX_SCHOOL_FILE = LIMITS["school file"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SchoolSection(_Section):
    """[school]: the same limits as the School it makes (school/models.py)."""

    name: str = Field(min_length=1, max_length=300)
    address: list[str] = Field(default_factory=list, max_length=MAX_ADDRESS_LINES)
    urn: str | None = Field(default=None, max_length=MAX_URN)
    website: str | None = Field(default=None, max_length=300)
    logo: str | None = None
    colour: str | None = None
    # Used when [lesson] names no force; a force's own nation decides otherwise.
    nation: Nation | None = None
    # The pack's language: "en", "cy" (Welsh) or "en+cy" (both, the letter bilingual).
    language: Literal["en", "cy", "en+cy"] = "en"

    @field_validator("name", "urn", "website")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return no_control(value)

    @field_validator("colour")
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        return check_colour(value)


def _ks3() -> list[KeyStageId]:
    return ["ks3"]


class LessonSection(_Section):
    force: str | None = None
    key_stages: list[KeyStageId] = Field(default_factory=_ks3, min_length=1)
    minutes: int = Field(default=60, ge=20, le=180)

    @field_validator("key_stages", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return [v.lower() if isinstance(v, str) else v for v in value] if isinstance(value, list) else value


class ContentSection(_Section):
    exclude: list[str] = Field(default_factory=list)
    extra: str | None = None


class TemplatesSection(_Section):
    dir: str | None = None
    reference_pptx: str | None = None
    reference_docx: str | None = None


class SchoolFile(_Section):
    """The shape of school.toml. Only school.name is required."""

    school: SchoolSection
    dsl: Person | None = None
    deputy_dsl: Person | None = None
    signatory: Person | None = None
    lesson: LessonSection = Field(default_factory=LessonSection)
    help_routes: list[LocalRoute] = Field(default_factory=list, max_length=MAX_HELP_ROUTES)
    content: ContentSection = Field(default_factory=ContentSection)
    templates: TemplatesSection = Field(default_factory=TemplatesSection)


@dataclass(frozen=True)
class Settings:
    """A validated school file, with every path resolved against the file's folder."""

    path: Path
    school: School
    force: str | None
    key_stages: list[str]
    minutes: int
    exclude: list[str]
    extra_content: Path | None
    template_dir: Path | None
    reference_pptx: Path | None
    reference_docx: Path | None
    warnings: list[str] = field(default_factory=list)
    nation: Nation | None = None
    language: str = "en"

"""The typed data a pack's templates see: what `build_context` makes for one pack.

Templates read these by attribute (`{{ dsl.name }}`, `{% for r in routes %}`); nothing
here knows about files or Markdown. Content items (definitions, cards, chats, ...) are
passed through as their own pydantic models from `content.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from lessonpack.content.items import (
    Barrier,
    ChatScenario,
    Definition,
    Explainer,
    Figure,
    HardQuestion,
    Myth,
    Point,
    Quote,
    Statement,
)
from lessonpack.content.lessons import LessonPlan
from lessonpack.content.models import KeyStage, Source
from lessonpack.content.routes import Stage


@dataclass(frozen=True)
class Contact:
    kind: str  # phone, textphone, text, website, email, online
    value: str
    label: str | None = None


@dataclass(frozen=True)
class Route:
    """A help route as a pack lists it: the built-in ones and a school's own."""

    id: str
    name: str
    card: str  # what it is for, in a few words
    audience: str
    contacts: list[Contact]
    reviewed: str | None = None  # a long date; None for a school's own route
    age_limit: str | None = None
    crisis: bool = False
    note: str | None = None
    nations: list[str] = field(default_factory=list)
    local: bool = False


@dataclass(frozen=True)
class Police:
    named: bool  # False: no force, the national contacts
    name: str
    contacts: list[Contact]
    slug: str | None = None
    nation: str | None = None
    website: str | None = None
    article_name: str | None = None
    source: str | None = None
    schools_email: str | None = None
    closing: str | None = None


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    contacts: list[Contact] = field(default_factory=list)


@dataclass(frozen=True)
class Lead:
    """The school's safeguarding lead, by name or else by the role's name."""

    named: bool
    name: str  # "Ms Rivera", or "your child protection coordinator"
    role: str  # as a title: "Designated Safeguarding Lead"
    role_lower: str  # as it reads mid-sentence
    contacts: list[Contact]
    deputy: Person | None = None


@dataclass(frozen=True)
class Signatory:
    named: bool
    name: str | None
    role: str


@dataclass(frozen=True)
class SchoolData:
    named: bool
    name: str
    address: list[str]
    urn: str | None
    website: str | None


@dataclass(frozen=True)
class NationData:
    id: str
    name: str
    role: str
    stage_note: str | None
    guidance: list[str]
    disclosure_guidance: str
    why_we_teach: str
    why_we_teach_primary: str
    parents_may_see: str
    law_adult: str


@dataclass(frozen=True)
class Step:
    """One step of the lesson, fitted to the lesson's length."""

    id: str
    number: int  # 0: left out of this lesson
    title: str
    minutes: int  # in this lesson; 0: left out
    full: int  # in a 60-minute lesson
    shorter: dict[int, int]  # lesson length (50, 45) → this step's minutes
    grouping: str
    purpose: str
    teacher: str
    pupils: str
    worksheet: str | None  # "Part 3: A real case", numbered among the parts this lesson keeps
    worksheet_number: int = 0


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    name_note: str | None
    story: list[str]
    slides: list[list[str]]  # the story's paragraphs, grouped a slide at a time
    outcome: str | None
    outcome_notes: str | None
    questions: list[str]
    answers: list[str]
    source: str  # the publisher, as the slide credits it


@dataclass(frozen=True)
class PackContext:
    """What one pack's templates see, fixed once built (the deck's plan adds which slides
    each step uses: rendering/deck_plan.py)."""

    key_stage: str
    ks: KeyStage
    stage: Stage
    nation: NationData
    lesson_title: str
    content_version: str
    school: SchoolData
    dsl: Lead
    signatory: Signatory
    police: Police
    definitions: list[Definition]
    methods: list[Point]
    explainers: dict[str, list[Explainer]]  # step id → the explainers on its slides
    case: Case
    extension_cases: list[Case]
    quotes: list[Quote]
    figures: list[Figure]
    myths: list[Myth]
    chat: ChatScenario | None
    barriers: list[Barrier]
    friend_actions: list[Point]
    hard_questions: list[HardQuestion]
    baseline: list[Statement]
    warning_signs: list[Point]
    key_messages: list[Point]
    parent_signs: list[Point]
    parent_talk: list[Point]
    parent_actions: list[Point]
    letter_context: list[Point]  # the national picture, for the letter
    routes: list[Route]  # for pupils, without the police and the crisis lines
    route_groups: list[list[Route]]  # the same: under-18s and anyone, then adults only
    local_routes: list[Route]
    crisis_routes: list[Route]
    parent_routes: list[Route]
    help_route: dict[str, Route]
    steps: list[Step]  # the timed steps of this lesson, in order
    design: list[Step]  # every step of the 60-minute design, left-out ones included
    left_out: list[Step]  # fitted to 0 minutes: their slides go to the extension
    worksheet_part: dict[str, str]  # step id → its worksheet part ("Part 2: ...")
    part_no: dict[str, int]  # step id → its worksheet part's number
    minutes: int
    plan: LessonPlan
    date: str
    reviewed: str
    sources: list[Source]
    made_up: bool  # the pack holds a made-up chat
    # A translated pack not yet reviewed by a fluent speaker says so on the plan's first page.
    translation_note: str = ""

    def as_mapping(self, **extra: Any) -> dict[str, Any]:
        """The top-level names a template sees (not a deep copy: the values stay typed)."""
        return {f.name: getattr(self, f.name) for f in fields(self)} | extra

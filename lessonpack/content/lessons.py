"""Lessons and their plan, and Content: everything under lessons/ in one validated model."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from lessonpack.content.items import (
    Barrier,
    CaseStudy,
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
from lessonpack.content.models import (
    KEY_STAGE_IDS,
    NATION_IDS,
    KeyStage,
    KeyStageId,
    Model,
    Slug,
    Source,
    Text,
    Translated,
    model,
)
from lessonpack.content.routes import Force, HelpRoute, NationalContacts, NationInfo
from lessonpack.content.rules import length, number

LESSON_MINUTES = 60  # the length every lesson design is written for
MAX_STEPS = 9  # CEOP's hour has seven blocks, Childnet's five or six: room to do each well
# Where to get help and the close: the safeguarding end of the lesson, the part a
# crowded hour squeezes. Together they keep at least this long, in every length.
SAFEGUARDING_END = ("help", "close")
SAFEGUARDING_END_MINUTES = 8


@model
class LessonStep(Translated):
    id: Slug
    title: Text
    minutes: Annotated[int, number(gt=0)]  # in a 60-minute lesson
    # The least it can take in a shorter lesson; 0: can be left out.
    shortest: Annotated[int, number(ge=0)]
    cut: Annotated[int, number(ge=1)] | None = None  # 1 gives up time first; None never shrinks
    grouping: Literal["whole class", "alone", "pairs", "groups"]
    purpose: Text
    teacher: Text
    pupils: Text
    worksheet: str | None = None  # the worksheet part it uses

    def __post_init__(self) -> None:
        if self.shortest > self.minutes:
            raise ValueError(f"shortest ({self.shortest}) is more than minutes ({self.minutes})")
        if self.shortest < self.minutes and self.cut is None:
            raise ValueError("a step that can shrink needs a `cut` order")


@model
class Lesson(Model):
    """One key stage's lesson: the steps the deck, the plan and the worksheet share."""

    key_stage: KeyStageId
    case_study: Slug  # the real case taught in the lesson; the others go to the extension
    steps: Annotated[list[LessonStep], length(3, MAX_STEPS)]

    def __post_init__(self) -> None:
        total = sum(step.minutes for step in self.steps)
        if total != LESSON_MINUTES:
            raise ValueError(f"step minutes add up to {total}, not {LESSON_MINUTES}")
        ids = [s.id for s in self.steps]
        if len(ids) != len(set(ids)):
            raise ValueError("a step id is used twice")
        end = [s for s in self.steps if s.id in SAFEGUARDING_END]
        if [s.id for s in end] != list(SAFEGUARDING_END) or ids[-2:] != list(SAFEGUARDING_END):
            raise ValueError(f"the last two steps must be {' and '.join(SAFEGUARDING_END)}")
        if any(s.cut is not None for s in end):
            raise ValueError("where to get help and the close never give up time (no `cut`)")
        if sum(s.minutes for s in end) < SAFEGUARDING_END_MINUTES:
            raise ValueError(f"where to get help and the close need at least "
                             f"{SAFEGUARDING_END_MINUTES} minutes together")
        worksheets = [s.worksheet for s in self.steps if s.worksheet]
        if len(worksheets) != len(set(worksheets)):
            raise ValueError("two steps use the same worksheet part")

    @property
    def shortest(self) -> int:
        return sum(s.shortest for s in self.steps)


@model
class LessonPlan(Translated):
    checklist: list[Text]
    ground_rules: Annotated[list[Text], length(3)]
    adaptations: list[Text]
    safe_teaching: list[Text]
    disclosure: list[Text]
    question_box: Annotated[list[Text], length(1)]  # a question that may be a disclosure


@model
class Safety(Model):
    """Wording the pack must never use; checked by tests and by `check`."""

    victim_blaming: list[Text]
    ks2_forbidden: list[Text]


@model
class Meta(Model):
    version: Text
    title: Text


@model
class Content(Model):
    meta: Meta
    sources: list[Source]
    key_stages: list[KeyStage]
    definitions: list[Definition]
    methods: list[Point]
    explainers: list[Explainer]
    case_studies: list[CaseStudy]
    quotes: list[Quote]
    figures: list[Figure]
    myths: list[Myth]
    chat_scenarios: list[ChatScenario]
    barriers: list[Barrier]
    friend_actions: list[Point]
    hard_questions: list[HardQuestion]
    baseline: list[Statement]
    warning_signs: list[Point]
    parent_signs: list[Point]
    parent_talk: list[Point]
    parent_actions: list[Point]
    letter_context: list[Point]
    key_messages: list[Point]
    help_routes: list[HelpRoute]
    nations: list[NationInfo]
    lessons: list[Lesson]
    forces: list[Force]
    national: NationalContacts
    lesson_plan: LessonPlan
    safety: Safety
    fingerprint: str = ""  # SHA-256 over the content files, set by the loader

    def __post_init__(self) -> None:
        problems: list[str] = []
        source_ids = {s.id for s in self.sources}
        route_ids = {r.id for r in self.help_routes}
        cited: list[tuple[str, list[str]]] = []
        for field in (
            "definitions", "methods", "explainers", "case_studies", "quotes", "figures",
            "myths", "baseline", "warning_signs", "parent_signs", "parent_talk",
            "parent_actions", "letter_context", "key_messages", "chat_scenarios", "barriers",
            "friend_actions",
            "hard_questions",
        ):
            for item in getattr(self, field):
                cited.append((f"{field}/{item.id}", item.sources))
        cited += [(f"help_routes/{r.id}", [r.source]) for r in self.help_routes]
        cited += [(f"forces/{f.slug}", [f.source]) for f in self.forces if f.source]
        cited += [(f"nations/{n.id}", n.sources) for n in self.nations]
        for where, sources in cited:
            for source in sources:
                if source not in source_ids:
                    problems.append(f"{where} cites unknown source {source!r}")
        for nation in self.nations:
            for route in nation.extra_routes:
                if route not in route_ids:
                    problems.append(f"nations/{nation.id} names unknown help route {route!r}")
        if {n.id for n in self.nations} != set(NATION_IDS):
            problems.append(f"nations must define exactly {list(NATION_IDS)}")
        if sorted(lesson.key_stage for lesson in self.lessons) != sorted(KEY_STAGE_IDS):
            problems.append(f"lessons must define one lesson for each of {list(KEY_STAGE_IDS)}")
        for name in ("sources", "case_studies", "myths", "help_routes", "quotes", "definitions",
                     "methods", "explainers", "figures", "baseline", "warning_signs",
                     "parent_signs", "parent_talk", "parent_actions", "letter_context", "key_messages",
                     "chat_scenarios", "barriers", "friend_actions", "hard_questions"):
            ids = [item.id for item in getattr(self, name)]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                problems.append(f"{name}: duplicate ids {dupes}")
        slugs = [f.slug for f in self.forces]
        if len(slugs) != len(set(slugs)):
            problems.append("forces: duplicate slugs")
        if {k.id for k in self.key_stages} != set(KEY_STAGE_IDS):
            problems.append(f"key_stages must define exactly {list(KEY_STAGE_IDS)}")
        if problems:
            raise ValueError("; ".join(problems))

    @cached_property
    def forces_by_slug(self) -> dict[str, Force]:
        return {f.slug: f for f in self.forces}

    @cached_property
    def sources_by_id(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}

    @cached_property
    def routes_by_id(self) -> dict[str, HelpRoute]:
        return {r.id: r for r in self.help_routes}

    def key_stage(self, ks: str) -> KeyStage:
        return next(k for k in self.key_stages if k.id == ks)

    def lesson(self, ks: str) -> Lesson:
        return next(lesson for lesson in self.lessons if lesson.key_stage == ks)

    def nation(self, nation: str) -> NationInfo:
        return next(n for n in self.nations if n.id == nation)

    @property
    def reviewed(self) -> dt.date:
        """The oldest review date among the help routes: what a DSL should re-check."""
        return min(r.reviewed for r in self.help_routes)

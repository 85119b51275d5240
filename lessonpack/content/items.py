"""The lesson material itself: definitions, cases, quotes, myths, chats and statements."""

from __future__ import annotations

from typing import Annotated

from lessonpack.content.models import (
    KEY_STAGE_IDS,
    KeyStageId,
    Slug,
    Tagged,
    Text,
    Translated,
    model,
)
from lessonpack.content.rules import length


@model
class Definition(Tagged):
    text: Text


@model
class Explainer(Tagged):
    """A titled topic that only some key stages get (the law, AI images, ...)."""

    title: Text
    step: Slug  # the lesson step whose slides it joins
    points: Annotated[list[Text], length(1)]  # short, for the slide
    notes: Text  # what the teacher says: the detail lives here


@model
class CaseVersion(Translated):
    key_stages: Annotated[list[KeyStageId], length(1)]
    story: Annotated[list[Text], length(1)]
    outcome: str | None = None  # what happened next, only where the article says so
    outcome_notes: str | None = None  # what to ask about it; no more than the article says
    questions: Annotated[list[Text], length(2, 3)]
    answers: Annotated[list[Text], length(2, 3)]  # teacher's points to draw out

    def __post_init__(self) -> None:
        if len(self.answers) != len(self.questions):
            raise ValueError("each case-study question needs one answer for the teacher copy")
        if (self.outcome is None) != (self.outcome_notes is None):
            raise ValueError("a case's outcome and its outcome_notes come together")


@model
class CaseStudy(Translated):
    id: Slug
    title: Text
    name_note: str | None = None  # "Gary is not his real name."
    sources: Annotated[list[Slug], length(1)]
    versions: Annotated[list[CaseVersion], length(1)]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for version in self.versions:
            overlap = seen.intersection(version.key_stages)
            if overlap:
                raise ValueError(f"more than one version for {sorted(overlap)}")
            seen.update(version.key_stages)

    @property
    def key_stages(self) -> list[str]:
        return [ks for ks in KEY_STAGE_IDS if any(ks in v.key_stages for v in self.versions)]

    def version_for(self, key_stage: str) -> CaseVersion | None:
        return next((v for v in self.versions if key_stage in v.key_stages), None)


@model
class Quote(Tagged):
    speaker: Text
    role: Text
    organisation: Text
    text: Text  # verbatim from the seed article
    # A Welsh pack keeps the article's English and prints this beside it, marked as a
    # translation (set from `cy: text:` by content/translation.py, never in lessons/).
    translation: str | None = None
    on_slides: bool = False  # a few are shown in the deck; the plan lists them all


@model
class Figure(Tagged):
    text: Text  # a statistic, worded as the article gives it, with its attribution


@model
class Myth(Tagged):
    """A card in the myth-or-fact sort: a short statement only; the answer comes later."""

    statement: Text
    fact: bool
    why: Text  # said on the reveal, with its source


@model
class ChatLine(Translated):
    who: Text  # a made-up name, or "Story" for narration
    text: Text


@model
class ChatPart(Translated):
    lines: Annotated[list[ChatLine], length(1)]
    question: Text
    answers: Annotated[list[Text], length(1)]


@model
class ChatScenario(Tagged):
    """A made-up chat that turns, with stop points (CONTENT.md, "Made-up scenarios")."""

    title: Text
    intro: Text
    parts: Annotated[list[ChatPart], length(2)]


@model
class Barrier(Tagged):
    """A feeling that stops someone asking for help, and what to say back."""

    feeling: Text
    answer: Text


@model
class HardQuestion(Tagged):
    question: Text
    answer: Text


@model
class Statement(Tagged):
    """A true-or-false statement for the baseline activity, revisited at the end."""

    text: Text
    true: bool
    explanation: Text


@model
class Point(Tagged):
    """A short piece of advice or a sign: warning signs, key messages, tips."""

    title: str | None = None
    text: Text
    short: str | None = None  # the few words a slide shows; the rest goes in the notes

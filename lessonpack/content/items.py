"""The lesson material itself: definitions, cases, quotes, myths, chats and statements."""

from __future__ import annotations

from pydantic import (
    Field,
    model_validator,
)

from lessonpack.content.models import (
    KEY_STAGE_IDS,
    KeyStageId,
    Model,
    Slug,
    Tagged,
    Text,
)


class Definition(Tagged):
    text: Text


class Explainer(Tagged):
    """A titled topic that only some key stages get (the law, AI images, ...)."""

    title: Text
    step: Slug  # the lesson step whose slides it joins
    points: list[Text] = Field(min_length=1)  # short, for the slide
    notes: Text  # what the teacher says: the detail lives here


class CaseVersion(Model):
    key_stages: list[KeyStageId] = Field(min_length=1)
    story: list[Text] = Field(min_length=1)
    outcome: str | None = None  # what happened next, only where the article says so
    questions: list[Text] = Field(min_length=2, max_length=3)
    answers: list[Text] = Field(min_length=2, max_length=3)  # teacher's points to draw out

    @model_validator(mode="after")
    def _answers_match_questions(self) -> CaseVersion:
        if len(self.answers) != len(self.questions):
            raise ValueError("each case-study question needs one answer for the teacher copy")
        return self


class CaseStudy(Model):
    id: Slug
    title: Text
    name_note: str | None = None  # "Gary is not his real name."
    sources: list[Slug] = Field(min_length=1)
    versions: list[CaseVersion] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_version_per_stage(self) -> CaseStudy:
        seen: set[str] = set()
        for version in self.versions:
            overlap = seen.intersection(version.key_stages)
            if overlap:
                raise ValueError(f"more than one version for {sorted(overlap)}")
            seen.update(version.key_stages)
        return self

    @property
    def key_stages(self) -> list[str]:
        return [ks for ks in KEY_STAGE_IDS if any(ks in v.key_stages for v in self.versions)]

    def version_for(self, key_stage: str) -> CaseVersion | None:
        return next((v for v in self.versions if key_stage in v.key_stages), None)


class Quote(Tagged):
    speaker: Text
    role: Text
    organisation: Text
    text: Text  # verbatim from the seed article
    on_slides: bool = False  # a few are shown in the deck; the plan lists them all


class Figure(Tagged):
    text: Text  # a statistic, worded as the article gives it, with its attribution


class Myth(Tagged):
    """A card in the myth-or-fact sort: a short statement only; the answer comes later."""

    statement: Text
    fact: bool
    why: Text  # said on the reveal, with its source


class ChatLine(Model):
    who: Text  # a made-up name, or "Story" for narration
    text: Text


class ChatPart(Model):
    lines: list[ChatLine] = Field(min_length=1)
    question: Text
    answers: list[Text] = Field(min_length=1)


class ChatScenario(Tagged):
    """A made-up chat that turns, with stop points (CONTENT.md, "Made-up scenarios")."""

    title: Text
    intro: Text
    parts: list[ChatPart] = Field(min_length=2)


class Barrier(Tagged):
    """A feeling that stops someone asking for help, and what to say back."""

    feeling: Text
    answer: Text


class HardQuestion(Tagged):
    question: Text
    answer: Text


class Statement(Tagged):
    """A true-or-false statement for the baseline activity, revisited at the end."""

    text: Text
    true: bool
    explanation: Text


class Point(Tagged):
    """A short piece of advice or a sign: warning signs, key messages, tips."""

    title: str | None = None
    text: Text
    short: str | None = None  # the few words a slide shows; the rest goes in the notes

"""Lesson content: typed models for the YAML under lessons/, and their loader.

Everything a teacher reads comes from here as data; nothing in this module knows
about templates or file formats.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from lessonpack.content.yamlfile import load_yaml_with_lines
from lessonpack.diagnostics import Diagnostic, did_you_mean, line_of
from lessonpack.errors import ContentError

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


LESSON_MINUTES = 60  # the length every lesson design is written for


class LessonStep(Model):
    id: Slug
    title: Text
    minutes: int = Field(gt=0)  # in a 60-minute lesson
    shortest: int = Field(ge=0)  # the least it can take in a shorter lesson; 0: can be left out
    cut: int | None = Field(default=None, ge=1)  # 1 gives up time first; None never shrinks
    grouping: Literal["whole class", "alone", "pairs", "groups"]
    purpose: Text
    teacher: Text
    pupils: Text
    worksheet: str | None = None  # the worksheet part it uses

    @model_validator(mode="after")
    def _shortest_fits(self) -> LessonStep:
        if self.shortest > self.minutes:
            raise ValueError(f"shortest ({self.shortest}) is more than minutes ({self.minutes})")
        if self.shortest < self.minutes and self.cut is None:
            raise ValueError("a step that can shrink needs a `cut` order")
        return self


class Lesson(Model):
    """One key stage's lesson: the steps the deck, the plan and the worksheet share."""

    key_stage: KeyStageId
    case_study: Slug  # the real case taught in the lesson; the others go to the extension
    steps: list[LessonStep] = Field(min_length=3)

    @model_validator(mode="after")
    def _timings_add_up(self) -> Lesson:
        total = sum(step.minutes for step in self.steps)
        if total != LESSON_MINUTES:
            raise ValueError(f"step minutes add up to {total}, not {LESSON_MINUTES}")
        ids = [s.id for s in self.steps]
        if len(ids) != len(set(ids)):
            raise ValueError("a step id is used twice")
        return self

    @property
    def shortest(self) -> int:
        return sum(s.shortest for s in self.steps)


class LessonPlan(Model):
    checklist: list[Text]
    ground_rules: list[Text] = Field(min_length=3)
    adaptations: list[Text]
    safe_teaching: list[Text]
    disclosure: list[Text]
    question_box: list[Text] = Field(min_length=1)  # a question that may be a disclosure


class Safety(Model):
    """Wording the pack must never use; checked by tests and by `check`."""

    victim_blaming: list[Text]
    ks2_forbidden: list[Text]


class Meta(Model):
    version: Text
    title: Text


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
    key_messages: list[Point]
    help_routes: list[HelpRoute]
    nations: list[NationInfo]
    lessons: list[Lesson]
    forces: list[Force]
    national: NationalContacts
    lesson_plan: LessonPlan
    safety: Safety
    fingerprint: str = ""  # SHA-256 over the content files, set by the loader

    @model_validator(mode="after")
    def _cross_references(self) -> Content:
        problems: list[str] = []
        source_ids = {s.id for s in self.sources}
        route_ids = {r.id for r in self.help_routes}
        cited: list[tuple[str, list[str]]] = []
        for field in (
            "definitions", "methods", "explainers", "case_studies", "quotes", "figures",
            "myths", "baseline", "warning_signs", "parent_signs", "parent_talk",
            "parent_actions", "key_messages", "chat_scenarios", "barriers", "friend_actions",
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
                     "parent_signs", "parent_talk", "parent_actions", "key_messages",
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
        return self

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


# Which top-level keys each YAML file under lessons/ may hold. A file may hold
# several; every key of Content except `fingerprint` must come from exactly one file.
CONTENT_KEYS = set(Content.model_fields) - {"fingerprint"}


def load_content(
    directory: Path, extra_files: list[Path] | None = None, exclude: list[str] | None = None
) -> Content:
    """Load and validate every *.yaml file in `directory` into one Content.

    `extra_files` (a school's or force's own content, same schema) add items to the
    lists; `exclude` drops built-in items by id. Errors name the file and line of the
    offending value where YAML knows it, and every problem is reported, not just the first.
    """
    builtin = sorted(directory.glob("*.yaml"))
    if not builtin:
        raise ContentError(f"no lesson content (*.yaml) found in {directory}")
    merged: dict[str, Any] = {}
    # For each merged value, where it came from: list sections keep one origin per item.
    origins: dict[str, list[tuple[Path, dict, tuple]]] = {}
    digest = hashlib.sha256()
    problems: list[Diagnostic] = []
    for path in [*builtin, *(extra_files or [])]:
        is_extra = path not in builtin
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ContentError(f"{path}: cannot be read: {exc.strerror}") from None
        digest.update(path.name.encode() + b"\0" + raw)
        data, lines = load_yaml_with_lines(path, raw)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(Diagnostic("error", str(path), "expected a mapping of content sections", 1))
            continue
        for key, value in data.items():
            line = lines.get((key,), 1)
            if key not in CONTENT_KEYS:
                hint = did_you_mean(str(key), sorted(CONTENT_KEYS))
                problems.append(Diagnostic("error", str(path), f"unknown section {key!r}"
                                           + (f"; {hint}" if hint else ""), line))
            elif is_extra and key in merged and isinstance(merged[key], list):
                if not isinstance(value, list):
                    problems.append(Diagnostic("error", str(path), "must be a list of items", line, key))
                    continue
                merged[key] = [*merged[key], *value]
                origins[key] += [(path, lines, (key, i)) for i in range(len(value))]
            elif key in merged:
                first = origins[key][0][0].name
                problems.append(Diagnostic("error", str(path), f"section {key!r} is already in {first}"
                                + ("; extra content can only add items to lists" if is_extra else ""), line))
            else:
                merged[key] = value
                origins[key] = ([(path, lines, (key, i)) for i in range(len(value))]
                                if isinstance(value, list) else [(path, lines, (key,))])
    if exclude:
        _exclude(merged, origins, exclude, problems)
    if problems:
        raise ContentError.of(problems)
    try:
        return Content.model_validate({**merged, "fingerprint": digest.hexdigest()})
    except ValidationError as exc:
        raise ContentError.of(_describe(exc, merged, origins)) from None


def _exclude(merged: dict, origins: dict, exclude: list[str], problems: list[Diagnostic]) -> None:
    """Drop items by id from every list section; an id that matches nothing is an error."""
    wanted = set(exclude)
    found: set[str] = set()
    all_ids: list[str] = []
    for key, value in merged.items():
        if not isinstance(value, list):
            continue
        keep = []
        for item, origin in zip(value, origins[key], strict=True):
            item_id = item.get("id", item.get("slug")) if isinstance(item, dict) else None
            if item_id is not None:
                all_ids.append(str(item_id))
            if item_id in wanted:
                found.add(item_id)
            else:
                keep.append((item, origin))
        merged[key] = [item for item, _ in keep]
        origins[key] = [origin for _, origin in keep]
    for missing in sorted(wanted - found):
        hint = did_you_mean(missing, all_ids)
        problems.append(Diagnostic("error", "", f"no built-in item has the id {missing!r}"
                                   + (f"; {hint}" if hint else ""), key="content.exclude"))


def _describe(exc: ValidationError, merged: dict, origins: dict) -> list[Diagnostic]:
    found = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        key = loc[0] if loc else None
        if key in origins and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(origins[key]):
            path, lines, base = origins[key][loc[1]]
            file_loc = (*base, *loc[2:])
        elif key in origins:
            path, lines, _ = origins[key][0] if origins[key] else (Path("lessons"), {}, ())
            file_loc = loc
        else:
            found.append(Diagnostic("error", "lessons", message))
            continue
        dotted = "/".join(str(part) for part in loc)
        found.append(Diagnostic("error", str(path), message, line_of(lines, file_loc), dotted))
    return found

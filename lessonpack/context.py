"""Choose what fits one key stage, force and school: content → template data.

A pure step, tested on its own: no files are read or written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .content import (
    LESSON_MINUTES,
    Contact,
    Content,
    Force,
    HelpRoute,
    KeyStage,
    LessonStep,
    Nation,
    NationInfo,
    Tagged,
)
from .errors import LessonpackError
from .school import School

NATION_NAMES = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}


@dataclass(frozen=True)
class PackRequest:
    """Everything that decides one pack's content."""

    key_stage: str
    force: Force | None
    school: School = field(default_factory=School)
    lesson_date: dt.date = field(default_factory=dt.date.today)
    minutes: int = 60
    large_print: bool = False  # the pupil worksheet and the parent letter
    nation: Nation | None = None  # used when there is no force; England if neither is given

    @property
    def nation_id(self) -> Nation:
        if self.force is not None:
            return self.force.nation
        return self.nation or "england"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def scale_minutes(minutes: list[int], total: int) -> list[int]:
    """Rescale step timings to `total` so that they still add up exactly.

    Largest-remainder rounding; every step keeps at least one minute.
    """
    if total < len(minutes):
        raise ValueError(f"a {total}-minute lesson cannot hold {len(minutes)} steps")
    base = sum(minutes)
    exact = [m * total / base for m in minutes]
    scaled = [max(1, int(x)) for x in exact]
    order = sorted(range(len(minutes)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    i = 0
    while sum(scaled) < total:
        scaled[order[i % len(order)]] += 1
        i += 1
    while sum(scaled) > total:
        j = max((k for k in range(len(scaled)) if scaled[k] > 1), key=lambda k: scaled[k])
        scaled[j] -= 1
    return scaled


def fit_minutes(steps: list[LessonStep], total: int) -> list[int]:
    """Each step's minutes in a `total`-minute lesson.

    Longer lessons stretch every step in proportion. Shorter ones take time from the
    steps that can give it, in their `cut` order (the first step cut goes down to its
    shortest, or out, before the next one shrinks), so the core steps keep their time
    rather than every step being squeezed.
    """
    base = [s.minutes for s in steps]
    if total >= LESSON_MINUTES:
        return scale_minutes(base, total)
    shortest = sum(s.shortest for s in steps)
    if total < shortest:
        raise LessonpackError(
            f"a {total}-minute lesson is too short for this lesson: it needs at least "
            f"{shortest} minutes; use --minutes {shortest} or more")
    minutes = list(base)
    to_cut = LESSON_MINUTES - total
    order = sorted((i for i, s in enumerate(steps) if s.cut is not None),
                   key=lambda i: (steps[i].cut, -i))
    for i in order:
        take = min(to_cut, minutes[i] - steps[i].shortest)
        minutes[i] -= take
        to_cut -= take
        if not to_cut:
            break
    return minutes


POLICE_ROUTES = ("police-emergency", "police-non-emergency")
ADULTS = "18 and over"  # a help route's age_limit for the routes for adults
SLIDE_WORDS = 40  # about the most a slide should carry (titles and footers aside)


def slide_chunks(paragraphs: list[str], limit: int = SLIDE_WORDS) -> list[list[str]]:
    """Paragraphs grouped, in order, into slides of at most about `limit` words: a long
    story is split into steps rather than set in smaller type."""
    chunks: list[list[str]] = []
    words = 0
    for paragraph in paragraphs:
        count = len(paragraph.split())
        if chunks and words + count <= limit:
            chunks[-1].append(paragraph)
            words += count
        else:
            chunks.append([paragraph])
            words = count
    return chunks


def _suits(items: list, ks: str) -> list:
    return [item for item in items if ks in item.key_stages]


def _contact(c: Contact) -> dict[str, Any]:
    return {"kind": c.kind, "value": c.value, "label": c.label}


def _route(route: HelpRoute) -> dict[str, Any]:
    return {
        "reviewed": long_date(route.reviewed),
        "id": route.id,
        "name": route.name,
        "card": route.card,
        "audience": route.audience,
        "age_limit": route.age_limit,
        "crisis": route.crisis,
        "note": route.note,
        "nations": [NATION_NAMES[n] for n in route.nations],
        "contacts": [_contact(c) for c in route.contacts],
    }


def _police(content: Content, force: Force | None) -> dict[str, Any]:
    if force is None:
        return {
            "named": False,
            "slug": None,
            "name": content.national.name,
            "nation": None,
            "nation_name": "the UK",
            "website": None,
            "contacts": [_contact(c) for c in content.national.contacts],
            "article_name": None,
            "source": None,
            "schools_email": None,
            "closing": None,
        }
    contacts = [_contact(c) for c in force.contacts]
    values = {c["value"] for c in contacts}
    # A force's article may give no number at all: the national ones still apply.
    for national in content.national.contacts:
        if national.value not in values:
            contacts.append(_contact(national))
    return {
        "named": True,
        "slug": force.slug,
        "name": force.name,
        "nation": force.nation,
        "nation_name": NATION_NAMES[force.nation],
        "website": force.website,
        "contacts": contacts,
        "article_name": force.article_name,
        "source": force.source,
        "schools_email": force.schools_email,
        "closing": force.closing,
    }


def _localised(item: Any, words: dict[str, str]) -> Any:
    """`item` with `{role}` and the like in its text replaced by the nation's words."""
    if isinstance(item, str):
        return item.format_map(words) if "{" in item else item
    if isinstance(item, list):
        return [_localised(x, words) for x in item]
    if isinstance(item, dict):
        return {k: _localised(v, words) for k, v in item.items()}
    if isinstance(item, BaseModel):
        update = {name: _localised(getattr(item, name), words) for name in type(item).model_fields
                  if isinstance(getattr(item, name), str | list)}
        return item.model_copy(update=update)
    return item


def _nation_data(nation: NationInfo, ks_id: str, dsl_role: str | None) -> dict[str, Any]:
    stage = nation.stages[ks_id]
    return {
        "id": nation.id,
        "name": nation.name,
        "england": nation.id == "england",
        "role": nation.role,
        "role_short": nation.role_short,
        "stage": stage,
        "stage_note": nation.stage_note,
        "curriculum": nation.curriculum,
        "why_we_teach": nation.why_we_teach,
        "why_we_teach_primary": nation.why_we_teach_primary,
        "parents_may_see": nation.parents_may_see,
        "guidance": nation.guidance,
        "disclosure_guidance": nation.disclosure_guidance,
        "law_adult": nation.law_adult,
        "school_role": dsl_role or nation.role,
    }


def _steps(content: Content, ks_id: str, total: int) -> list[dict[str, Any]]:
    steps = content.lesson(ks_id).steps
    fitted = fit_minutes(steps, total)
    # What a 50- and a 45-minute lesson would give each step, for the plan's table.
    shorter = {m: fit_minutes(steps, m) for m in (50, 45) if m >= sum(s.shortest for s in steps)}
    return [
        {**s.model_dump(), "number": n, "minutes": m, "full": s.minutes,
         "shorter": {length: mins[n - 1] for length, mins in shorter.items()}}
        for n, (s, m) in enumerate(zip(steps, fitted, strict=True), start=1)
    ]


def build_context(content: Content, request: PackRequest) -> dict[str, Any]:
    """The template data for one pack. Slide numbers per step are added later by the pack."""
    ks_id = request.key_stage
    ks: KeyStage = content.key_stage(ks_id)
    nation = request.nation_id
    nation_info = content.nation(nation)
    school = request.school
    dsl = school.dsl_data(nation_info.role, nation_info.deputy_role)
    words = {"role": dsl["role_lower"], "disclosure_guidance": nation_info.disclosure_guidance}
    cited: set[str] = set(nation_info.sources)

    def pick(items: list[Tagged]) -> list:
        chosen = _suits(items, ks_id)
        for item in chosen:
            cited.update(item.sources)
        return chosen

    cases = []
    for case in content.case_studies:
        version = case.version_for(ks_id)
        if version is None:
            continue
        cited.update(case.sources)
        cases.append(
            {
                "id": case.id,
                "title": case.title,
                "name_note": case.name_note,
                "story": version.story,
                "slides": slide_chunks(version.story),
                "outcome": version.outcome,
                "questions": version.questions,
                "answers": _localised(version.answers, words),
                "source": content.sources_by_id[case.sources[0]].publisher,
            }
        )

    pupil_routes = [r for r in content.help_routes if ks_id in r.key_stages and r.serves(nation)]
    parent_routes = [r for r in content.help_routes if r.for_parents and r.serves(nation)]
    for route in [*pupil_routes, *parent_routes]:
        cited.add(route.source)
    police = _police(content, request.force)
    if police["source"]:
        cited.add(police["source"])

    plan = _localised(content.lesson_plan, words)
    steps = _steps(content, ks_id, request.minutes)
    explainers = pick(content.explainers)
    lesson_stage = nation_info.stages[ks_id]
    return {
        "ks": ks,
        "stage": lesson_stage,
        "nation": _nation_data(nation_info, ks_id, None),
        "key_stage": ks_id,
        "content_version": content.meta.version,
        "lesson_title": ks.lesson_title,
        "school": school.template_data(),
        "dsl": dsl,
        "signatory": school.signatory_data(nation_info.role),
        "police": police,
        "definitions": pick(content.definitions),
        "methods": pick(content.methods),
        "explainers": {s["id"]: [e for e in explainers if e.step == s["id"]] for s in steps},
        "case": next(c for c in cases if c["id"] == content.lesson(ks_id).case_study),
        "extension_cases": [c for c in cases if c["id"] != content.lesson(ks_id).case_study],
        "quotes": pick(content.quotes),
        "figures": pick(content.figures),
        "myths": pick(content.myths),
        "chat": next(iter(pick(content.chat_scenarios)), None),
        "barriers": pick(content.barriers),
        "friend_actions": pick(content.friend_actions),
        "hard_questions": pick(content.hard_questions),
        "baseline": pick(content.baseline),
        "warning_signs": pick(content.warning_signs),
        "key_messages": _localised(pick(content.key_messages), words),
        "parent_signs": pick(content.parent_signs),
        "parent_talk": pick(content.parent_talk),
        "parent_actions": _localised(pick(content.parent_actions), words),
        # The police are listed once, from the force's own contacts (or the national ones).
        "routes": [_route(r) for r in pupil_routes if not r.crisis and r.id not in POLICE_ROUTES],
        # The deck shows the routes for over-18s on a slide of their own (KS5).
        "route_groups": [
            [_route(r) for r in pupil_routes if not r.crisis and r.id not in POLICE_ROUTES
             and (r.age_limit == ADULTS) == adults]
            for adults in (False, True)
        ],
        "local_routes": [r.template_data() for r in school.help_routes],
        "crisis_routes": [_route(r) for r in pupil_routes if r.crisis],
        "parent_routes": [_route(r) for r in parent_routes if r.id not in POLICE_ROUTES],
        "help_route": {r.id: _route(r) for r in content.help_routes if r.serves(nation)},
        "steps": steps,
        "step_minutes": {s["id"]: s["minutes"] for s in steps},
        "worksheet_part": {s["id"]: s["worksheet"] for s in steps if s["worksheet"]},
        "minutes": request.minutes,
        "plan": plan,
        "date": long_date(request.lesson_date),
        "reviewed": long_date(content.reviewed),
        "sources": [content.sources_by_id[s] for s in sorted(cited)
                    if s in content.sources_by_id and content.sources_by_id[s].kind != "project"
                    and nation in (content.sources_by_id[s].nations or [nation])],
        "made_up": "content-made-up-scenarios" in cited,
        "slides_for_step": {},
    }

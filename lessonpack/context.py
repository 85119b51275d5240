"""Choose what fits one key stage, force and school: content → template data.

A pure step, tested on its own: no files are read or written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .content import Contact, Content, Force, HelpRoute, KeyStage, Tagged
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


def _suits(items: list, ks: str) -> list:
    return [item for item in items if ks in item.key_stages]


def _contact(c: Contact) -> dict[str, Any]:
    return {"kind": c.kind, "value": c.value, "label": c.label}


def _route(route: HelpRoute) -> dict[str, Any]:
    return {
        "id": route.id,
        "name": route.name,
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


def build_context(content: Content, request: PackRequest) -> dict[str, Any]:
    """The template data for one pack. Slide numbers per step are added later by the pack."""
    ks_id = request.key_stage
    ks: KeyStage = content.key_stage(ks_id)
    nation = request.force.nation if request.force else None
    cited: set[str] = set()

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
                "outcome": version.outcome,
                "questions": version.questions,
                "answers": version.answers,
                "source": content.sources_by_id[case.sources[0]].publisher,
            }
        )

    pupil_routes = [r for r in content.help_routes if ks_id in r.key_stages and r.serves(nation)]
    # With no force there is no nation to choose by, so nation-specific routes (Report
    # Fraud, and Police Scotland for fraud in Scotland) are all listed, each marked with
    # where it applies.
    parent_routes = [r for r in content.help_routes if r.for_parents and r.serves(nation)]
    for route in [*pupil_routes, *parent_routes]:
        cited.add(route.source)
    police = _police(content, request.force)
    if police["source"]:
        cited.add(police["source"])

    plan = content.lesson_plan
    minutes = scale_minutes([s.minutes for s in plan.steps], request.minutes)
    steps = [
        {"id": s.id, "title": s.title, "minutes": m, "activity": s.activity,
         "teacher_notes": s.teacher_notes}
        for s, m in zip(plan.steps, minutes, strict=True)
    ]
    explainers = pick(content.explainers)
    school = request.school
    return {
        "ks": ks,
        "key_stage": ks_id,
        "content_version": content.meta.version,
        "lesson_title": ks.lesson_title,
        "school": school.template_data(),
        "dsl": school.dsl_data(),
        "signatory": school.signatory_data(),
        "police": police,
        "definitions": pick(content.definitions),
        "methods": pick(content.methods),
        "explainers": {step: [e for e in explainers if e.step == step] for step in
                       {s.id for s in plan.steps}},
        "case_studies": cases,
        "quotes": pick(content.quotes),
        "figures": pick(content.figures),
        "myths": pick(content.myths),
        "baseline": pick(content.baseline),
        "warning_signs": pick(content.warning_signs),
        "key_messages": pick(content.key_messages),
        "scenarios": [
            {"text": s.text, "routes": [content.routes_by_id[r].name for r in s.routes]}
            for s in pick(content.scenarios)
        ],
        "parent_signs": pick(content.parent_signs),
        "parent_talk": pick(content.parent_talk),
        "parent_actions": pick(content.parent_actions),
        "routes": [_route(r) for r in pupil_routes if not r.crisis],
        "local_routes": [r.template_data() for r in school.help_routes],
        "crisis_routes": [_route(r) for r in pupil_routes if r.crisis],
        "parent_routes": [_route(r) for r in parent_routes],
        "help_route": {r.id: _route(r) for r in content.help_routes if r.serves(nation)},
        "steps": steps,
        "step_minutes": {s["id"]: s["minutes"] for s in steps},
        "minutes": request.minutes,
        "plan": plan,
        "date": long_date(request.lesson_date),
        "reviewed": long_date(content.reviewed),
        "sources": [content.sources_by_id[s] for s in sorted(cited) if s in content.sources_by_id],
        "slides_for_step": {},
    }

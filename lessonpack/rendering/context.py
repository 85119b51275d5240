"""Choose what fits one key stage, force, nation and school: content → template data.

A pure step, tested on its own: no files are read or written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, TypeVar

from lessonpack.cache import PackCache
from lessonpack.content.lessons import Content
from lessonpack.content.models import Contact as ContentContact
from lessonpack.content.models import Nation, Tagged
from lessonpack.content.routes import Force, HelpRoute, NationInfo
from lessonpack.content.translation import localised, localised_item
from lessonpack.rendering.i18n import gettext as _
from lessonpack.rendering.i18n import long_date as _long_date
from lessonpack.rendering.i18n import translation_note
from lessonpack.rendering.template_data import (
    Case,
    Contact,
    Lead,
    NationData,
    PackContext,
    Person,
    Police,
    Route,
    SchoolData,
    Signatory,
    Step,
)
from lessonpack.rendering.timings import fit_minutes, scale_minutes, slide_chunks
from lessonpack.school.models import LocalRoute, School, slugify, title_case

__all__ = ["Nation", "PackRequest", "build_context", "fit_minutes", "long_date", "scale_minutes"]

POLICE_ROUTES = ("police-emergency", "police-non-emergency")  # listed from the force instead
ADULTS = "18 and over"  # a help route's age_limit for the routes for adults
SHORTER_LESSONS = (50, 45)  # the lengths the plan prints timings for, beside 60
_Item = TypeVar("_Item", bound=Tagged)


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
    language: str = "en"  # "en" or "cy" (rendering/i18n.py); "en+cy" is two packs' worth

    @property
    def nation_id(self) -> Nation:
        if self.force is not None:
            return self.force.nation
        return self.nation or "england"


def long_date(day: dt.date) -> str:
    """'1 December 2026', in the language being rendered."""
    return _long_date(day)


def _contact(c: ContentContact) -> Contact:
    return Contact(kind=c.kind, value=c.value, label=c.label)


def _own_contacts(**given: str | None) -> list[Contact]:
    """A school's own phone, website or email, in the order given, as the templates list them."""
    return [Contact(kind=kind, value=value, label=None) for kind, value in given.items() if value]


def _route(route: HelpRoute) -> Route:
    return Route(
        id=route.id, name=route.name, card=route.card, audience=route.audience,
        contacts=[_contact(c) for c in route.contacts], reviewed=long_date(route.reviewed),
        age_limit=route.age_limit, crisis=route.crisis, note=route.note,
        nations=[str(n) for n in route.nations],
    )


def _local_route(route: LocalRoute) -> Route:
    return Route(id=slugify(route.name), name=route.name, card=route.audience, audience=route.audience,
                 contacts=_own_contacts(phone=route.phone, website=route.website, email=route.email),
                 local=True)


def _police(content: Content, force: Force | None) -> Police:
    if force is None:
        return Police(named=False, name=content.national.name,
                      contacts=[_contact(c) for c in content.national.contacts])
    contacts = [_contact(c) for c in force.contacts]
    values = {c.value for c in contacts}
    # A force's article may give no number at all: the national ones still apply.
    contacts += [_contact(c) for c in content.national.contacts if c.value not in values]
    return Police(named=True, name=force.name, contacts=contacts, slug=force.slug,
                  nation=force.nation, website=force.website, article_name=force.article_name,
                  source=force.source, schools_email=force.schools_email, closing=force.closing)


def _lead(school: School, nation: NationInfo) -> Lead:
    """The school's safeguarding lead, by the school's own title or else the nation's name
    for the role (in lower case, as it reads mid-sentence)."""
    deputy = None
    if school.deputy_dsl is not None:
        person = school.deputy_dsl
        deputy = Person(name=person.name, role=person.role or title_case(nation.deputy_role),
                        contacts=_own_contacts(phone=person.phone, email=person.email))
    own_role = school.dsl.role if school.dsl is not None else None
    role, role_lower = own_role or title_case(nation.role), own_role or nation.role
    if school.dsl is None:
        # Not named: "your designated safeguarding lead", in the pack's language.
        return Lead(named=False, name=_("your %(role)s") % {"role": nation.role}, role=role,
                    role_lower=role_lower,
                    contacts=[], deputy=deputy)
    return Lead(named=True, name=school.dsl.name, role=role, role_lower=role_lower,
                contacts=_own_contacts(phone=school.dsl.phone, email=school.dsl.email), deputy=deputy)


def _signatory(school: School, role: str) -> Signatory:
    person = school.signatory or school.dsl
    if person is None:
        return Signatory(named=False, name=None, role=title_case(role))
    return Signatory(named=True, name=person.name, role=person.role or "")


def _school(school: School) -> SchoolData:
    return SchoolData(named=school.name is not None, name=school.name or "your school",
                      address=school.address, urn=school.urn, website=school.website)


def _nation(nation: NationInfo) -> NationData:
    return NationData(
        id=nation.id, name=nation.name, role=nation.role, stage_note=nation.stage_note,
        guidance=nation.guidance, disclosure_guidance=nation.disclosure_guidance,
        why_we_teach=nation.why_we_teach, why_we_teach_primary=nation.why_we_teach_primary,
        parents_may_see=nation.parents_may_see, law_adult=nation.law_adult,
    )


def _localised(item: Any, words: dict[str, str]) -> Any:
    """`item` with `{role}` and the like in its text replaced by the nation's words."""
    if isinstance(item, str):
        return item.format_map(words) if "{" in item else item
    if isinstance(item, list):
        return [_localised(x, words) for x in item]
    if is_dataclass(item) and not isinstance(item, type):
        update = {f.name: _localised(getattr(item, f.name), words) for f in fields(item)
                  if isinstance(getattr(item, f.name), str | list)}
        return replace(item, **update)
    return item


def _steps(content: Content, ks_id: str, total: int, words: dict[str, str]) -> list[Step]:
    """Every step of the design, fitted to `total` minutes. A step fitted to 0 minutes is
    left out: it keeps no number and no worksheet part, so the parts that stay are
    numbered as the pupils meet them."""
    steps = content.lesson(ks_id).steps
    fitted = fit_minutes(steps, total)
    shortest = sum(s.shortest for s in steps)
    shorter = {m: fit_minutes(steps, m) for m in SHORTER_LESSONS if m >= shortest}
    result = []
    number = part = 0
    for i, (s, m) in enumerate(zip(steps, fitted, strict=True)):
        worksheet = None
        if m:
            number += 1
            if s.worksheet:
                part += 1
                worksheet = _("Part %(number)s: %(name)s") % {"number": part, "name": s.worksheet}
        result.append(Step(
            id=s.id, number=number if m else 0, title=s.title, minutes=m, full=s.minutes,
            shorter={length: mins[i] for length, mins in shorter.items()},
            grouping=s.grouping, purpose=s.purpose, teacher=_localised(s.teacher, words),
            pupils=s.pupils, worksheet=worksheet, worksheet_number=part if worksheet else 0))
    return result


def _cases(content: Content, ks_id: str, words: dict[str, str], cited: set[str]) -> list[Case]:
    cases = []
    for case in content.case_studies:
        version = case.version_for(ks_id)
        if version is not None:
            cited.update(case.sources)
            cases.append(Case(
                id=case.id, title=case.title, name_note=case.name_note, story=version.story,
                slides=slide_chunks(version.story), outcome=version.outcome,
                outcome_notes=version.outcome_notes,
                questions=version.questions, answers=_localised(version.answers, words),
                source=content.sources_by_id[case.sources[0]].publisher,
            ))
    return cases


def build_context(content: Content, request: PackRequest, cache: PackCache | None = None,
                  key: Hashable = None) -> PackContext:
    """The template data for one pack (the deck's plan adds which slides each step uses).

    What no school value goes into is made once for `key` (what the schools share, see
    lessonpack/cache.py) and kept in `cache`; the school's values are filled in last."""
    content = localised(content, request.language)
    nation_info = content.nation(request.nation_id)
    school = request.school
    dsl = _lead(school, nation_info)

    def make() -> dict[str, Any]:
        return _shared(content, request, nation_info, dsl.role_lower)

    shared = make() if cache is None else cache.remember("contexts", (key, dsl.role_lower), make, 64)
    return PackContext(
        **shared, school=_school(school), dsl=dsl, signatory=_signatory(school, nation_info.role),
        local_routes=[_local_route(r) for r in school.help_routes],
        date=long_date(request.lesson_date))


def _shared(content: Content, request: PackRequest, nation_info: NationInfo,
            role_lower: str) -> dict[str, Any]:
    """Every field of the context but the school's own and the date."""
    ks_id = request.key_stage
    ks = content.key_stage(ks_id)
    nation = request.nation_id
    # What a nation calls things, for `{role}`, `{ks4}` and the like in the content.
    words: dict[str, str] = {"role": role_lower, "disclosure_guidance": nation_info.disclosure_guidance,
             **{k: stage.short for k, stage in nation_info.stages.items()}}
    cited: set[str] = set(nation_info.sources)

    def pick(items: Sequence[_Item]) -> list[_Item]:
        chosen = [item for item in items if ks_id in item.key_stages]
        for item in chosen:
            cited.update(item.sources)
        return chosen

    lesson = content.lesson(ks_id)
    cases = _cases(content, ks_id, words, cited)
    pupil = [r for r in content.help_routes if ks_id in r.key_stages and r.serves(nation)]
    parents = [r for r in content.help_routes if r.for_parents and r.serves(nation)]
    cited.update(route.source for route in [*pupil, *parents])
    police = _police(content, localised_item(request.force, request.language))
    if police.source:
        cited.add(police.source)
    listed = [r for r in pupil if not r.crisis and r.id not in POLICE_ROUTES]
    design = _steps(content, ks_id, request.minutes, words)
    steps = [s for s in design if s.minutes]
    explainers = pick(content.explainers)
    sources = content.sources_by_id
    return dict(
        key_stage=ks_id, ks=_localised(ks, words), stage=nation_info.stages[ks.id],
        nation=_nation(nation_info),
        lesson_title=ks.lesson_title, content_version=content.meta.version,
        police=police,
        definitions=pick(content.definitions), methods=pick(content.methods),
        explainers={s.id: _localised([e for e in explainers if e.step == s.id], words)
                    for s in design},
        case=next(c for c in cases if c.id == lesson.case_study),
        extension_cases=[c for c in cases if c.id != lesson.case_study],
        quotes=pick(content.quotes), figures=pick(content.figures), myths=pick(content.myths),
        chat=_localised(next(iter(pick(content.chat_scenarios)), None), words),
        barriers=pick(content.barriers), friend_actions=pick(content.friend_actions),
        hard_questions=_localised(pick(content.hard_questions), words),
        baseline=pick(content.baseline),
        warning_signs=pick(content.warning_signs),
        key_messages=_localised(pick(content.key_messages), words),
        parent_signs=pick(content.parent_signs), parent_talk=pick(content.parent_talk),
        parent_actions=_localised(pick(content.parent_actions), words),
        letter_context=pick(content.letter_context),
        routes=[_route(r) for r in listed],
        route_groups=[[_route(r) for r in listed if (r.age_limit == ADULTS) == adults]
                      for adults in (False, True)],
        crisis_routes=[_route(r) for r in pupil if r.crisis],
        parent_routes=[_route(r) for r in parents if r.id not in POLICE_ROUTES],
        help_route={r.id: _route(r) for r in content.help_routes if r.serves(nation)},
        steps=steps, design=design, left_out=[s for s in design if not s.minutes],
        worksheet_part={s.id: s.worksheet for s in steps if s.worksheet},
        part_no={s.id: s.worksheet_number for s in steps if s.worksheet},
        minutes=request.minutes, plan=_localised(content.lesson_plan, words),
        reviewed=long_date(content.reviewed),
        sources=[sources[s] for s in sorted(cited)
                 if s in sources and sources[s].kind != "project"
                 and nation in (sources[s].nations or [nation])],
        made_up="content-made-up-scenarios" in cited,
        translation_note=translation_note(content, request.language),
    )

"""The page's form ↔ school.toml's settings, validated by the same models as school.toml.

A form is read into `FormState` (what the visitor typed, kept as typed so that nothing
is lost when a page is shown again), then checked: every problem is keyed by the form
field it belongs to, in plain words, all at once. The server keeps nothing between
requests, so every page after the form carries the state on in hidden fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from lessonpack.content.lessons import Content
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.school.build import build_school
from lessonpack.school.sections import SchoolFile
from lessonpack.web import adjust
from lessonpack.web.messages import for_error, say

PEOPLE = {"dsl": "designated safeguarding lead", "deputy_dsl": "deputy DSL", "signatory": "signatory"}
PERSON_FIELDS = ("name", "role", "email", "phone")
SIGNATORY_FIELDS = ("name", "role")
ROUTE_FIELDS = ("name", "audience", "phone", "website", "email")
SCHOOL_FIELDS = ("name", "address", "urn", "website", "colour", "nation", "language")
MAX_ROUTES = 20
BLANK_ROUTES = 1  # blank rows offered below those filled in, for when JavaScript is off
MAX_TEXT = 2000  # longer than any setting allows; longer input is cut before it is kept
DEFAULT_MINUTES = "60"


def person_fields(person: str) -> tuple[str, ...]:
    return SIGNATORY_FIELDS if person == "signatory" else PERSON_FIELDS


@dataclass
class FormState:
    """The form as the visitor filled it in, what is wrong with it, and what was changed."""

    values: dict[str, str] = field(default_factory=dict)  # "school.name" → text
    routes: list[dict[str, str]] = field(default_factory=list)
    key_stages: list[str] = field(default_factory=list)  # none chosen until the visitor does
    large_print: bool = False
    logo: bytes | None = None
    errors: dict[str, str] = field(default_factory=dict)  # field name → message
    notices: list[str] = field(default_factory=list)  # things to tell, not errors
    notes: dict[str, str] = field(default_factory=dict)  # field name → what the page changed
    blank_rows: int = 0  # blank help-route rows asked for with "Add another"

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def rows(self) -> list[dict[str, str]]:
        """The help-route rows to show: as sent, in place (so that each problem stays
        beside its row), then blank ones to type in."""
        rows = list(self.routes)
        blank = sum(not any(r.values()) for r in rows)
        wanted = max(BLANK_ROUTES, self.blank_rows)
        rows += [dict.fromkeys(ROUTE_FIELDS, "")] * max(wanted - blank, 0)
        return rows[:MAX_ROUTES]

    def filled(self, *names: str) -> bool:
        """Whether any of these fields holds something or has a problem (an optional
        section that does is shown open)."""
        return any(self.value(n).strip() or n in self.errors for n in names)

    def filled_routes(self) -> list[tuple[int, dict[str, str]]]:
        return [(i, r) for i, r in enumerate(self.routes) if any(v.strip() for v in r.values())]

    def typed(self) -> bool:
        """Whether anything has been typed or chosen that loading a file would replace."""
        values = {k: v for k, v in self.values.items() if v.strip()}
        if values.get("lesson.minutes") == DEFAULT_MINUTES:
            del values["lesson.minutes"]
        return bool(values or self.filled_routes() or self.key_stages)

    def hidden(self) -> list[tuple[str, str]]:
        """Everything typed, as (name, value) pairs for hidden fields on the next page."""
        out = [(k, v) for k, v in self.values.items() if v]
        out += [("lesson.key_stages", ks) for ks in self.key_stages]
        if self.large_print:
            out.append(("large_print", "on"))
        routes = [r for _, r in self.filled_routes()]
        out.append(("route-count", str(len(routes))))
        for i, route in enumerate(routes):
            out += [(f"route-{i}-{f}", v) for f, v in route.items() if v]
        return out


def read_form(form: Any) -> FormState:
    """A submitted form (Starlette's FormData) → FormState; nothing is checked here."""
    def text(name: str) -> str:
        value = form.get(name)
        return value[:MAX_TEXT] if isinstance(value, str) else ""

    values = {f"school.{f}": text(f"school.{f}") for f in SCHOOL_FIELDS}
    for person in PEOPLE:
        values |= {f"{person}.{f}": text(f"{person}.{f}") for f in person_fields(person)}
    values |= {"lesson.force": text("lesson.force"), "lesson.minutes": text("lesson.minutes")}
    try:
        count = min(MAX_ROUTES, max(0, int(text("route-count") or "0")))
    except ValueError:
        count = 0
    routes = [{f: text(f"route-{i}-{f}") for f in ROUTE_FIELDS} for i in range(count)]
    chosen = [v for v in form.getlist("lesson.key_stages") if isinstance(v, str)]
    return FormState(values=values, routes=routes,
                     key_stages=[ks for ks in KEY_STAGE_IDS if ks in chosen],
                     large_print=form.get("large_print") == "on")


@dataclass(frozen=True)
class Valid:
    """A form that passed: the settings as school.toml has them, and the force's slug."""

    settings: SchoolFile
    force: str | None
    large_print: bool
    logo: bytes | None


def _blank_to_none(data: dict[str, str]) -> dict[str, str]:
    return {k: v.strip() for k, v in data.items() if v.strip()}


def settings_data(state: FormState, content: Content) -> tuple[dict[str, Any], dict[int, int]]:
    """The form as school.toml's data, and which form row each help route came from."""
    v = state.values
    school = _blank_to_none({f: v.get(f"school.{f}", "") for f in SCHOOL_FIELDS if f != "address"})
    address = [line.strip() for line in v.get("school.address", "").splitlines() if line.strip()]
    data: dict[str, Any] = {"school": {"name": "", **school, "address": address}}
    for person in PEOPLE:
        given = _blank_to_none({f: v.get(f"{person}.{f}", "") for f in person_fields(person)})
        if given:
            data[person] = given
    lesson: dict[str, Any] = {"key_stages": state.key_stages}
    lesson["minutes"] = v.get("lesson.minutes", "").strip() or int(DEFAULT_MINUTES)
    force = v.get("lesson.force", "").strip()
    if force:
        lesson["force"] = force_slug(force, content)
    data["lesson"] = lesson
    routes: list[dict[str, str]] = []
    rows: dict[int, int] = {}
    for row, route in enumerate(state.routes):
        given = _blank_to_none(route)
        if given:
            rows[len(routes)] = row
            routes.append(given)
    data["help_routes"] = routes
    return data, rows


def force_slug(text: str, content: Content) -> str:
    """A force by slug or by name (an older school.toml may give either) → its slug."""
    key = text.strip().lower()
    by_name = {f.name.lower(): f.slug for f in content.forces}
    return by_name.get(key, key)


def validate(state: FormState, content: Content) -> Valid | None:
    """Check the form with school.toml's own models; on failure fill `state.errors`.

    Whatever the outcome, `state.notes` says what the page changed or filled in.
    """
    data, rows = settings_data(state, content)
    errors: dict[str, str] = {}
    parsed: SchoolFile | None = None
    try:
        parsed = SchoolFile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            name = field_name(error["loc"], rows)
            errors.setdefault(name, for_error(name, error))
    school = data["school"]
    try:  # the one School model, as the pack will be made: its rules, in the form's words
        build_school(dict(name=school["name"] or None, address=school["address"],
                          urn=school.get("urn"), website=school.get("website")))
    except ValidationError as exc:
        for error in exc.errors():
            name = field_name(("school", *error["loc"]), rows)
            errors.setdefault(name, for_error(name, error))
    force = data["lesson"].get("force")
    if force and force not in content.forces_by_slug:
        errors["lesson.force"] = say("rule", "force_unknown", value=state.value("lesson.force"))
    elif conflict := adjust.force_conflict(force, school.get("nation"), content):
        errors["lesson.force"] = conflict
    state.errors = dict(sorted((errors | state.errors).items(), key=lambda item: form_order(item[0])))
    state.notes = adjust.notes(state, data, content)
    if state.errors or parsed is None:
        return None
    return Valid(parsed, force, state.large_print, state.logo)


ORDER = ("school_toml", "lesson.key_stages", "lesson.force", "school.nation", "lesson.minutes",
         *(f"school.{f}" for f in ("name", "address", "urn", "website", "colour", "logo")),
         *(f"{p}.{f}" for p in PEOPLE for f in person_fields(p)))


def form_order(name: str) -> tuple[int, int, int]:
    """Where a field is on the page, so that the list of problems reads top to bottom."""
    if match := re.fullmatch(r"route-(\d+)(?:-(\w+))?", name):
        return (len(ORDER), int(match[1]), -1 if match[2] is None else ROUTE_FIELDS.index(match[2]))
    return (ORDER.index(name) if name in ORDER else len(ORDER) + 1, 0, 0)


def field_name(loc: tuple, rows: dict[int, int]) -> str:
    """A pydantic error's location → the form field it belongs to."""
    if loc and loc[0] == "help_routes" and len(loc) >= 2 and isinstance(loc[1], int):
        row = rows.get(loc[1], loc[1])
        return f"route-{row}-{loc[2]}" if len(loc) > 2 else f"route-{row}"
    if loc[:2] == ("lesson", "key_stages"):
        return "lesson.key_stages"
    return ".".join(str(p) for p in loc[:2])


def target(name: str) -> str:
    """The id of the control an error's summary link focuses: always one that takes focus
    (the first key stage's box, a route's phone box), never a fieldset."""
    if name == "lesson.key_stages":
        return f"f-ks-{KEY_STAGE_IDS[0]}"
    if re.fullmatch(r"route-\d+", name):
        return f"f-{name}-phone"
    return "f-" + name.replace(".", "-")

"""The page's form ↔ school.toml's settings, validated by the same models as school.toml.

A form is read into `FormState` (what the visitor typed, kept as typed so that nothing
is lost when the page is shown again), then checked: every problem is keyed by the
form field it belongs to, in plain words, all at once.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import tomli_w
from pydantic import ValidationError

from lessonpack.content import rules
from lessonpack.content.lessons import Content
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.school.models import School
from lessonpack.school.sections import SchoolFile

PEOPLE = {"dsl": "designated safeguarding lead", "deputy_dsl": "deputy DSL", "signatory": "signatory"}
PERSON_FIELDS = ("name", "role", "email", "phone")
SIGNATORY_FIELDS = ("name", "role")
ROUTE_FIELDS = ("name", "audience", "phone", "website", "email")
SCHOOL_FIELDS = ("name", "address", "urn", "website", "colour", "nation")
MAX_ROUTES = 20
BLANK_ROUTES = 1  # blank rows offered below those filled in, for when JavaScript is off
MIN_ROWS = 2
MAX_TEXT = 2000  # longer than any setting allows; longer input is cut before it is kept


def person_fields(person: str) -> tuple[str, ...]:
    return SIGNATORY_FIELDS if person == "signatory" else PERSON_FIELDS


@dataclass
class FormState:
    """The form as the visitor filled it in, and what is wrong with it."""

    values: dict[str, str] = field(default_factory=dict)  # "school.name" → text
    routes: list[dict[str, str]] = field(default_factory=list)
    key_stages: list[str] = field(default_factory=lambda: ["ks3"])
    large_print: bool = False
    logo: bytes | None = None
    errors: dict[str, str] = field(default_factory=dict)  # field name → message
    notices: list[str] = field(default_factory=list)  # things to tell, not errors
    blank_rows: int = 0  # blank help-route rows asked for with "Add another"

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def rows(self) -> list[dict[str, str]]:
        """The help-route rows to show: as sent, in place (so that each problem stays
        beside its row), then blank ones to type in."""
        rows = list(self.routes)
        blank = sum(not any(r.values()) for r in rows)
        wanted = max(BLANK_ROUTES, self.blank_rows)
        rows += [dict.fromkeys(ROUTE_FIELDS, "")] * max(wanted - blank, MIN_ROWS - len(rows), 0)
        return rows[:MAX_ROUTES]


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

    def toml(self, logo_name: str | None = None) -> str:
        return settings_toml(self.settings, logo_name)


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
    minutes = v.get("lesson.minutes", "").strip()
    lesson["minutes"] = minutes or 60
    force = v.get("lesson.force", "").strip()
    if force:
        lesson["force"] = force_slug(force, content)
    data["lesson"] = lesson
    routes, rows = [], {}
    for row, route in enumerate(state.routes):
        given = _blank_to_none(route)
        if given:
            rows[len(routes)] = row
            routes.append(given)
    data["help_routes"] = routes
    return data, rows


def force_slug(text: str, content: Content) -> str:
    """A force as typed, by slug or by name, → its slug (unknown text is left as it is)."""
    key = text.strip().lower()
    by_name = {f.name.lower(): f.slug for f in content.forces}
    return by_name.get(key, key)


def validate(state: FormState, content: Content) -> Valid | None:
    """Check the form with school.toml's own models; on failure fill `state.errors`."""
    data, rows = settings_data(state, content)
    errors: dict[str, str] = {}
    parsed: SchoolFile | None = None
    try:
        parsed = SchoolFile.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            errors.setdefault(field_name(error["loc"], rows), plain_message(error))
    school = data["school"]
    try:  # the School model has a few limits of its own (address lines, URN length)
        rules.validate(School, dict(name=school["name"] or None, address=school["address"],
                                    urn=school.get("urn"), website=school.get("website")))
    except ValidationError as exc:
        for error in exc.errors():
            errors.setdefault(field_name(("school", *error["loc"]), rows), plain_message(error))
    force = data["lesson"].get("force")
    if force and force not in content.forces_by_slug:
        shown = {f.name.lower(): f.name for f in content.forces} | {f.slug: f.name for f in content.forces}
        near = difflib.get_close_matches(force, list(shown), n=1, cutoff=0.5)
        hint = f" Did you mean {shown[near[0]]}?" if near else ""
        errors["lesson.force"] = f"We do not know the force “{force}”.{hint} Choose one from the list."
    state.errors = dict(sorted((errors | state.errors).items(), key=lambda item: form_order(item[0])))
    if state.errors or parsed is None:
        return None
    return Valid(parsed, force, state.large_print, state.logo)


def form_order(name: str) -> tuple[int, int, str]:
    """Where a field is on the page, so that the list of problems reads top to bottom."""
    if match := re.fullmatch(r"route-(\d+)(?:-(\w+))?", name):
        return (len(ORDER), int(match[1]), "" if match[2] is None else str(ROUTE_FIELDS.index(match[2])))
    return (ORDER.index(name) if name in ORDER else len(ORDER) + 1, 0, name)


ORDER = ("school_toml", *(f"school.{f}" for f in (*SCHOOL_FIELDS, "logo")),
         *(f"{p}.{f}" for p in PEOPLE for f in person_fields(p)),
         "lesson.force", "lesson.key_stages", "lesson.minutes")


def field_name(loc: tuple, rows: dict[int, int]) -> str:
    """A pydantic error's location → the form field it belongs to."""
    if loc and loc[0] == "help_routes" and len(loc) >= 2 and isinstance(loc[1], int):
        row = rows.get(loc[1], loc[1])
        return f"route-{row}-{loc[2]}" if len(loc) > 2 else f"route-{row}"
    if loc[:2] == ("lesson", "key_stages"):
        return "lesson.key_stages"
    return ".".join(str(p) for p in loc[:2])


def plain_message(error: dict) -> str:
    """pydantic's message in plain words, as a sentence."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if error["loc"][:2] == ("lesson", "key_stages"):
        return "Choose at least one key stage."
    words = {
        "missing": "Fill this in, or clear the other boxes in this group.",
        "string_too_short": "Fill this in.",
        "string_too_long": f"This is too long: use at most {ctx.get('max_length')} characters.",
        "too_long": f"Too many lines: use at most {ctx.get('max_length')}.",
        "int_parsing": "Give a whole number of minutes, like 60.",
        "int_from_float": "Give a whole number of minutes, like 60.",
        "greater_than_equal": f"Give at least {ctx.get('ge')}.",
        "less_than_equal": f"Give at most {ctx.get('le')}.",
    }
    if kind in words:
        return words[kind]
    message = error["msg"].removeprefix("Value error, ")
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", "?")) else ".")


# --- school.toml ----------------------------------------------------------------------


def settings_toml(settings: SchoolFile, logo_name: str | None = None) -> str:
    """The settings as a school.toml that `lessonpack generate --school` reads back."""
    data = settings.model_dump(mode="json", exclude_none=True,
                               exclude={"content", "templates"})
    school = data["school"]
    if not school.get("address"):
        school.pop("address", None)
    if logo_name:
        school["logo"] = logo_name
    if not data.get("help_routes"):
        data.pop("help_routes", None)
    head = ("# school.toml: your school's settings for lessonpack, saved from its web page.\n"
            "# Use it with: lessonpack generate --school school.toml\n"
            "# or load it back into the web page to change it.\n\n")
    return head + tomli_w.dumps(data)


def state_from_settings(settings: SchoolFile, content: Content) -> FormState:
    """A school.toml's settings → the form, filled in."""
    s = settings.school
    values = {"school.name": s.name, "school.address": "\n".join(s.address),
              "school.urn": s.urn or "", "school.website": s.website or "",
              "school.colour": s.colour or "", "school.nation": s.nation or ""}
    for person in PEOPLE:
        found = getattr(settings, person)
        for f in person_fields(person):
            values[f"{person}.{f}"] = (getattr(found, f) or "") if found else ""
    force = settings.lesson.force or ""
    known = content.forces_by_slug.get(force.lower())
    values["lesson.force"] = known.slug if known else force
    values["lesson.minutes"] = str(settings.lesson.minutes)
    routes = [{f: getattr(r, f) or "" for f in ROUTE_FIELDS} for r in settings.help_routes]
    return FormState(values=values, routes=routes,
                     key_stages=[ks for ks in KEY_STAGE_IDS if ks in settings.lesson.key_stages])

"""Contacts: every phone number, email and web address in a pack, and whether it is valid."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from lessonpack.check.problems import (
    Problem,
)
from lessonpack.content.lessons import Content
from lessonpack.content.models import check_uk_phone, looks_like_email
from lessonpack.content.routes import Force, HelpRoute
from lessonpack.diagnostics import shown

# Contacts


class ContactRef(NamedTuple):
    """One contact to check; `kind` as in lessons/ ("phone", "textphone", "text", "email",
    "website", "online")."""

    where: str
    kind: str
    value: str


class RouteRef(NamedTuple):
    """A help route: it must have at least one contact, and each must be valid."""

    where: str
    name: str
    contacts: Sequence[ContactRef]


# Relay UK: "18001 101" is the 18001 prefix followed by an ordinary number.
_RELAY_PREFIX = re.compile(r"^\s*1800[12]\s+")
_DIGITS = re.compile(r"\d[\d\s-]*\d|\d")


def check_contacts(
    contacts: Iterable[ContactRef | tuple[str, str, str]] = (),
    routes: Iterable[RouteRef | tuple[str, str, Sequence[tuple[str, str, str]]]] = (),
) -> list[Problem]:
    """Errors for contacts a pupil or parent could not use.

    `contacts`: (where, kind, value) for loose contacts such as the DSL's phone and email
    or a force's numbers. `routes`: (where, name, contacts) for each help route, which must
    have at least one contact, each checked like a loose one. Plain tuples will do;
    `gather_contacts` builds both lists from the models.

    Phone numbers ("phone", "textphone", and the number in a "text" contact such as
    "SHOUT to 85258") must be valid UK numbers or UK short codes (`check_uk_phone`: 101,
    999, 116 123, 18000 pass). Emails must look like an address (`looks_like_email`).
    Websites are not fetched: the check works offline.
    """
    problems = [p for c in contacts if (p := _contact_problem(ContactRef(*c)))]
    for route in routes:
        where, name, route_contacts = route
        if not route_contacts:
            problems.append(Problem("error", where, f"help route {name!r} has no contact: "
                                    "give a phone number, website or email"))
        problems += [p for c in route_contacts if (p := _contact_problem(ContactRef(*c)))]
    return problems


def _contact_problem(contact: ContactRef) -> Problem | None:
    kind, value = contact.kind, (contact.value or "").strip()
    if not value:
        return Problem("error", contact.where, f"empty {kind} contact")
    try:
        if kind == "phone":
            check_uk_phone(value)
        elif kind == "textphone":
            check_uk_phone(_RELAY_PREFIX.sub("", value))
        elif kind == "text":
            # "SHOUT to 85258": the keyword is free text, the number must be real.
            numbers = _DIGITS.findall(value)
            if not numbers:
                raise ValueError(f"no number to text in {value!r}")
            check_uk_phone(numbers[-1])
        elif kind == "email" and not looks_like_email(value):
            raise ValueError(f"not an email address: {shown(value)}")
    except ValueError as exc:
        return Problem("error", contact.where, str(exc))
    return None


def gather_contacts(
    content: Content | None = None, force: Force | None = None, school: Any = None,
    school_where: str = "school.toml",
) -> tuple[list[ContactRef], list[RouteRef]]:
    """The contacts of the content's help routes, a force and a school, for `check_contacts`.

    Models carry no line numbers, so `where` names the setting ("dsl.phone"); a caller that
    knows the line can build the tuples itself. `school` is a `School` (duck-typed: `dsl`
    and `deputy_dsl` with `phone`/`email`, `help_routes` with `name` and `phone`/`website`/
    `email`).
    """
    contacts: list[ContactRef] = []
    routes: list[RouteRef] = []
    if content is not None:
        routes += [_route_ref(route) for route in content.help_routes]
        contacts += [ContactRef(f"lessons: national/{c.kind}", c.kind, c.value)
                     for c in content.national.contacts]
    if force is not None:
        contacts += [ContactRef(f"force {force.slug}: {c.kind}", c.kind, c.value) for c in force.contacts]
        if force.schools_email:
            contacts.append(ContactRef(f"force {force.slug}: schools_email", "email", force.schools_email))
    if school is not None:
        for role in ("dsl", "deputy_dsl"):
            person = getattr(school, role, None)
            for kind in ("phone", "email"):
                if person is not None and getattr(person, kind, None):
                    contacts.append(ContactRef(f"{school_where}: {role}.{kind}", kind, getattr(person, kind)))
        for i, route in enumerate(getattr(school, "help_routes", []) or []):
            where = f"{school_where}: help_routes[{i}]"
            refs = [ContactRef(f"{where}.{kind}", kind, getattr(route, kind))
                    for kind in ("phone", "website", "email") if getattr(route, kind, None)]
            routes.append(RouteRef(where, getattr(route, "name", f"help route {i + 1}"), refs))
    return contacts, routes


def _route_ref(route: HelpRoute) -> RouteRef:
    where = f"lessons: help_routes/{route.id}"
    return RouteRef(where, route.name, [ContactRef(f"{where}/{c.kind}", c.kind, c.value)
                                        for c in route.contacts])


# ---------------------------------------------------------------------------
# Reading the built files

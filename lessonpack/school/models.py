"""The school a pack is for: its name, contacts and DSL, as templates see them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import field
from pathlib import Path
from typing import Annotated

from lessonpack.content.models import Model, check_uk_phone, looks_like_email, model
from lessonpack.content.rules import Convert, Rule, length
from lessonpack.diagnostics import shown
from lessonpack.safe_io import LIMITS
from lessonpack.school.logo import Logo, to_logo
from lessonpack.xmltext import CONTROL

DEFAULT_ROLE = "designated safeguarding lead"  # England's name; other nations pass theirs
DEFAULT_DEPUTY_ROLE = "deputy designated safeguarding lead"
DEFAULT_DSL = f"your {DEFAULT_ROLE}"
MAX_LOGO_BYTES = LIMITS["logo"]  # a logo, not a photograph: keeps packs small enough to email
MAX_ADDRESS_LINES = 8  # a letterhead's lines; school.toml's [school] section says the same
MAX_URN = 20
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def no_control(value: str | None) -> str | None:
    if value is None:
        return None
    if CONTROL.search(value):  # would corrupt XML or hide text; a name never needs them
        raise ValueError("contains control characters; remove them")
    return value.strip()


def _email(value: str) -> str:
    value = value.strip()
    if not looks_like_email(value):
        raise ValueError(f"not an email address: {shown(value)}")
    return value


def _phone(value: str) -> str:
    check_uk_phone(value)
    return value


def _name(value: str) -> str:
    value = no_control(value) or ""
    if not value:
        raise ValueError("must not be empty")
    return value


def _address(value: list[str]) -> list[str]:
    return [line for line in (no_control(v) for v in value) if line]


# A slide lists every local route: twenty already fill two. The web form offers as many.
MAX_HELP_ROUTES = 20

Email = Annotated[str, Rule(_email)]
UkPhone = Annotated[str, Rule(_phone)]
Name = Annotated[str, length(1, 200), Rule(no_control)]
Text200 = Annotated[str, length(maximum=200), Rule(no_control)]
Text300 = Annotated[str, length(maximum=300), Rule(no_control)]


@model
class Person(Model):
    name: Name
    role: Text200 | None = None
    email: Email | None = None
    phone: UkPhone | None = None


@model
class LocalRoute(Model):
    """A school's own help route, listed beside the national ones."""

    name: Name
    audience: Text300 = "anyone"
    phone: UkPhone | None = None
    website: Text300 | None = None
    email: Email | None = None

    def __post_init__(self) -> None:
        if not (self.phone or self.website or self.email):
            raise ValueError(f"help route {self.name!r} needs a phone, website or email")


@model
class School(Model):
    name: Annotated[str, length(maximum=300), Rule(_name)] | None = None
    address: Annotated[list[str], length(maximum=MAX_ADDRESS_LINES), Rule(_address)] = field(
        default_factory=list)
    urn: Annotated[str, length(maximum=MAX_URN), Rule(no_control)] | None = None
    website: Text300 | None = None
    # Read once into bytes wherever it comes from (school.toml, a schools file, the web form).
    logo: Annotated[Logo, Convert(to_logo, lambda logo: logo.digest)] | None = None
    colour: Annotated[str, Rule(check_colour)] | None = None  # brand colour, "#RRGGBB"
    dsl: Person | None = None
    deputy_dsl: Person | None = None
    signatory: Person | None = None
    help_routes: Annotated[list[LocalRoute], length(maximum=MAX_HELP_ROUTES)] = field(
        default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(self.name or "") or "school"


def title_case(role: str) -> str:
    """"designated safeguarding lead" → "Designated Safeguarding Lead"."""
    return " ".join(w if w in ("for", "and") else w[:1].upper() + w[1:] for w in role.split())


def check_colour(value: str | None) -> str | None:
    """"#RRGGBB" in capitals, or ValueError."""
    if value is None:
        return None
    if not _COLOUR.match(value.strip()):
        raise ValueError(f"{value!r} is not a colour like \"#1D4F91\"")
    return value.strip().upper()


def check_logo(path: Path) -> str:
    """The logo's format ("PNG" or "JPEG"), or ValueError saying what is wrong with it.

    The logo is opened as the writers will see it (see lessonpack.school.logo): a file that
    passes here is embedded correctly.
    """
    from lessonpack.school.logo import logo_format

    return logo_format(path)


def slugify(text: str, limit: int = 60) -> str:
    """A folder name from any text: ASCII letters, digits and hyphens only, never `..`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")

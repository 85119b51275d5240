"""The one place a School is made, whatever the source: school.toml (school/config.py),
the web form (web/forms.py, web/workers.py) or a row of a schools file
(batch/schools/plan.py). Each source gives the same fields; pydantic checks them against
School's own rules, and the logo is read once into bytes (school/logo.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lessonpack.content.rules import validate
from lessonpack.school.logo import Logo
from lessonpack.school.models import School

if TYPE_CHECKING:
    from lessonpack.school.sections import SchoolFile


def build_school(fields: dict[str, Any]) -> School:
    """The School these fields describe; pydantic's ValidationError names any refused."""
    return validate(School, fields)


def school_fields(parsed: SchoolFile, logo: Logo | Path | bytes | None = None) -> dict[str, Any]:
    """A school file's (or the web form's) fields as School takes them."""
    section = parsed.school
    return dict(
        name=section.name, address=section.address, urn=section.urn, website=section.website,
        logo=logo, colour=section.colour, dsl=parsed.dsl, deputy_dsl=parsed.deputy_dsl,
        signatory=parsed.signatory, help_routes=parsed.help_routes,
    )

"""school.toml for the web page: written into the zip, and read back into the form."""

from __future__ import annotations

import tomli_w

from lessonpack.content.lessons import Content
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.school.sections import SchoolFile
from lessonpack.web.forms import PEOPLE, ROUTE_FIELDS, FormState, person_fields
from lessonpack.web.language import gettext as _


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
    # In the page's language: the DSL who reads it is the one who used the page.
    notes = (_("school.toml: your school's settings for lessonpack, saved from its web page."),
             _("Use it with: lessonpack generate --school school.toml"),
             _("or load it back into the web page to change it."))
    head = "".join(f"# {' '.join(note.split())}\n" for note in notes)  # one line each, always
    return head + "\n" + tomli_w.dumps(data)


def state_from_settings(settings: SchoolFile, content: Content) -> FormState:
    """A school.toml's settings → the form, filled in."""
    s = settings.school
    values = {"school.name": s.name, "school.address": "\n".join(s.address),
              "school.urn": s.urn or "", "school.website": s.website or "",
              "school.colour": s.colour or "", "school.nation": s.nation or "",
              "school.language": s.language if s.language != "en" else ""}
    for person in PEOPLE:
        found = getattr(settings, person)
        for f in person_fields(person):
            values[f"{person}.{f}"] = (getattr(found, f) or "") if found else ""
    force = (settings.lesson.force or "").lower()
    by_name = {f.name.lower(): f.slug for f in content.forces}
    values["lesson.force"] = by_name.get(force, force)
    values["lesson.minutes"] = str(settings.lesson.minutes)
    routes = [{f: getattr(r, f) or "" for f in ROUTE_FIELDS} for r in settings.help_routes]
    return FormState(values=values, routes=routes,
                     key_stages=[ks for ks in KEY_STAGE_IDS if ks in settings.lesson.key_stages])

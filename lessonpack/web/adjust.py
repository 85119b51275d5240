"""What the page changes or fills in for the visitor, said beside the field, never silently.

A pale brand colour is darkened to be readable, the nation follows the force, a blank
"who it is for" and a blank DSL get the pack's default wording; a nation that disagrees
with the force is a problem to fix, not something the page decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lessonpack.content.lessons import Content
from lessonpack.rendering.i18n import N_
from lessonpack.school.colours import readable_accent
from lessonpack.school.models import DEFAULT_ROLE
from lessonpack.web.language import localised_text
from lessonpack.web.messages import say

if TYPE_CHECKING:
    from lessonpack.web.forms import FormState

COLOUR_DIGITS = 7  # "#RRGGBB"
# The nations' names, for a page in another language (Welsh content names Wales only).
NATION_NAMES = (N_("England"), N_("Wales"), N_("Scotland"), N_("Northern Ireland"))


def nation_name(nation: str, content: Content) -> str:
    """A nation's name in the page's language ("Cymru" on a Welsh page)."""
    return next((localised_text(n) for n in content.nations if n.id == nation), nation)


def force_conflict(force: str | None, nation: str | None, content: Content) -> str | None:
    """The message when the chosen nation is not the force's own, else None."""
    found = content.forces_by_slug.get(force or "")
    if found is None or not nation or nation == found.nation:
        return None
    if nation not in {n.id for n in content.nations}:
        return None  # an unknown nation has its own message beside its field
    return say("rule", "force_nation", force=localised_text(found), nation=nation_name(nation, content),
               force_nation=nation_name(found.nation, content))


def notes(state: FormState, data: dict[str, Any], content: Content) -> dict[str, str]:
    """Field name → what the pack will use instead of what was typed (or left blank)."""
    out: dict[str, str] = {}
    colour = data["school"].get("colour", "")
    if len(colour) == COLOUR_DIGITS and "school.colour" not in state.errors:
        try:
            used, changed = readable_accent(colour)
        except ValueError:
            changed = False
        if changed:
            out["school.colour"] = say("changed", "colour", colour=colour.upper(), used=used)
    force = content.forces_by_slug.get(data["lesson"].get("force") or "")
    if force is not None and not data["school"].get("nation"):
        out["school.nation"] = say("changed", "nation_from_force", force=localised_text(force),
                                   nation=nation_name(force.nation, content))
    if "dsl" not in data:
        nation = force.nation if force else data["school"].get("nation") or "england"
        try:
            role = localised_text(content.nation(nation), "role")
        except StopIteration:
            role = DEFAULT_ROLE
        out["dsl.name"] = say("changed", "dsl", role=role)
    if not state.value("lesson.minutes").strip():
        out["lesson.minutes"] = say("changed", "minutes")
    for i, route in state.filled_routes():
        if not route.get("audience", "").strip():
            out[f"route-{i}-audience"] = say("changed", "audience")
    return out

"""A pack's first phase: the deck rendered and laid out into a plan that nothing changes.

The lesson plan says which slides each step uses, and only the laid-out deck knows: the
deck is planned first (left-out steps moved to the extension, slides split to fit, each
slide's notes headed with its step), and the other documents are then rendered from the
frozen context and this plan. The layout itself is the writer's (its geometry), passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from lessonpack.errors import TemplateError
from lessonpack.rendering.document import Deck, Slide
from lessonpack.rendering.i18n import gettext as _
from lessonpack.rendering.template_data import PackContext, Step

EXTENSION = "extension"  # the optional slides after the lesson, outside its timings


@dataclass(frozen=True)
class DeckPlan:
    """The deck as it will be written, and which slides each step uses ("4", "7–9")."""

    deck: Deck
    slides_for_step: Mapping[str, str]

    def template_data(self) -> dict[str, object]:
        """What the other documents' templates see of the plan."""
        return {"slides_for_step": self.slides_for_step}


def plan_deck(rendered: Deck, context: PackContext, paginate: Callable[[Deck], Deck],
              template: str) -> DeckPlan:
    """The rendered deck fitted to the lesson's length, laid out, and its notes numbered."""
    laid_out = paginate(move_left_out(rendered, context.left_out, context.minutes))
    deck = Deck(title=laid_out.title, slides=number_steps(laid_out, context.steps, template))
    return DeckPlan(deck=deck, slides_for_step=MappingProxyType(slide_numbers(deck)))


def number_steps(deck: Deck, steps: list[Step], template: str) -> list[Slide]:
    """Check that the deck and the lesson design agree, and head each slide's notes
    with its step: number, title and minutes on the step's first slide, "continued"
    on the rest, so that no slide repeats a timing."""
    by_id = {s.id: s for s in steps}
    seen: set[str] = set()
    slides = []
    for slide in deck.slides:
        if slide.step == EXTENSION:
            notes = _("Extension (optional, not timed).") + "\n" + slide.notes
            slides.append(replace(slide, notes=notes.rstrip()))
            continue
        step = by_id.get(slide.step)
        if step is None:
            raise TemplateError(f"template {template}: slide {slide.title!r} names the step "
                                f"{slide.step!r}, which is not in this lesson's steps "
                                f"({', '.join(by_id)}) or {EXTENSION!r}")
        label = _("Step %(number)s of %(total)s: %(title)s") % {
            "number": step.number, "total": len(steps), "title": step.title}
        stop = "" if label.endswith(("?", ".", "!")) else "."
        minutes = _("1 minute") if step.minutes == 1 else _("%(n)s minutes") % {"n": step.minutes}
        head = (_("%(label)s, continued.") % {"label": label} if slide.step in seen
                else f"{label}{stop} {minutes}.")
        seen.add(slide.step)
        slides.append(replace(slide, notes=f"{head}\n{slide.notes}".rstrip()))
    missing = [s.id for s in steps if s.id not in seen]
    if missing:
        raise TemplateError(f"template {template}: no slide for the lesson step(s) {', '.join(missing)}")
    return slides


def move_left_out(deck: Deck, left_out: list[Step], minutes: int) -> Deck:
    """A step that a shorter lesson leaves out takes its slides out of the timed run: they
    follow the extension marker, where a teacher with time to spare still finds them,
    rather than sitting in the lesson with a note to skip them."""
    dropped = {s.id: s.title for s in left_out}
    if not dropped:
        return deck
    kept = [s for s in deck.slides if s.step not in dropped]
    left = _("Left out of the %(minutes)s-minute lesson (%(title)s): "
             "use it in a longer lesson or a follow-up.")
    moved = [replace(s, step=EXTENSION, notes=left % {"minutes": minutes, "title": dropped[s.step]}
                     + "\n" + s.notes)
             for s in deck.slides if s.step in dropped]
    at = next((i + 1 for i, s in enumerate(kept) if s.step == EXTENSION), len(kept))
    return Deck(title=deck.title, slides=kept[:at] + moved + kept[at:])


def slide_numbers(deck: Deck) -> dict[str, str]:
    """Which slides each lesson step uses, as a teacher reads them: "4", "7–9"."""
    numbers: dict[str, list[int]] = {}
    for number, slide in enumerate(deck.slides, start=1):
        numbers.setdefault(slide.step, []).append(number)
    return {
        step: str(n[0]) if len(n) == 1 else f"{n[0]}–{n[-1]}" for step, n in numbers.items()
    }

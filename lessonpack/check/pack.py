"""check_pack: one pack's files against its key stage: wording, the help slide, the crisis line."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from lessonpack.check.passages import Passage, passages
from lessonpack.check.problems import (
    ADULT_DOCS,
    DSL_WORDS,
    HELP_TITLE,
    OTHER_ROUTES_ON_HELP_SLIDE,
    READING_DOCS,
    SLIDES,
    Problem,
)
from lessonpack.check.reading import (
    _reading_level,
)
from lessonpack.content.lessons import Content
from lessonpack.content.models import KEY_STAGE_IDS
from lessonpack.content.routes import HelpRoute


def check_pack(
    key_stage: str, files: Mapping[str, bytes], content: Content, *, dsl_names: Sequence[str] = (),
    role: str = "designated safeguarding lead",
) -> list[Problem]:
    """Safety and reading-level problems in one built pack ({filename: bytes}).

    Errors: victim-blaming wording in any document (speaker notes and letterheads too);
    for a key stage without sexual terms (KS2), any word of `content.safety.ks2_forbidden`
    in any document but the parent letter; a deck without a help-routes slide, without a
    mention of the DSL on its slides ("designated safeguarding lead", "DSL", or one of
    `dsl_names`, the school's DSL and deputy), or, from KS3 up, without any crisis line.
    Warnings: a pupil-facing document whose Flesch–Kincaid grade is above the key stage's
    `max_reading_grade`.

    Phrases match case-insensitively where a word starts with them: "sex" finds "sexual"
    but not "Essex". Never raises on what a file holds: a file that cannot be opened is an
    error.
    """
    ks = content.key_stage(key_stage)
    problems: list[Problem] = []
    texts: dict[str, list[Passage]] = {}
    for name, data in files.items():
        try:
            texts[name] = passages(name, data)
        except Exception as exc:  # whatever the library raises, the file is unusable
            problems.append(Problem("error", f"{key_stage}/{name}", f"cannot be opened: {exc}"))
    for name, found in texts.items():
        where = f"{key_stage}/{name}"
        problems += _wording(where, found, content.safety.victim_blaming, "victim-blaming wording")
        if not ks.sexual_terms and name not in ADULT_DOCS:
            problems += _wording(where, found, content.safety.ks2_forbidden,
                                 f"not for {ks.short} pupils")
    if SLIDES in texts:
        problems += _deck_problems(key_stage, texts[SLIDES], content, dsl_names, role)
    elif SLIDES not in files:
        problems.append(Problem("error", f"{key_stage}/{SLIDES}", "the pack has no slides"))
    for name in READING_DOCS:
        grade = _reading_level(texts.get(name, []))
        if grade is not None and grade > ks.max_reading_grade:
            problems.append(Problem(
                "warning", f"{key_stage}/{name}",
                f"reading level {grade:.1f} (Flesch–Kincaid grade) is above {ks.max_reading_grade:g}, "
                f"the most {ks.short} pupils should meet: use shorter sentences and words"))
    return problems


def _wording(where: str, found: list[Passage], phrases: Sequence[str], what: str) -> list[Problem]:
    problems = []
    patterns = [(p, _phrase_pattern(p)) for p in phrases]
    for passage in found:
        text = _normal(passage.text)
        hits = [(phrase, m.span()) for phrase, pattern in patterns if (m := pattern.search(text))]
        for group in _overlapping(hits):
            names = ", ".join(repr(phrase) for phrase, _ in group)
            span = (min(s for _, (s, _) in group), max(e for _, (_, e) in group))
            problems.append(Problem("error", where, (
                f"{what}: {names}{_place(passage)}: \"{_excerpt(text, span)}\"")))
    return problems


Hit = tuple[str, tuple[int, int]]


def _overlapping(hits: list[Hit]) -> list[list[Hit]]:
    """Hits that share text, grouped, so that one piece of wording is one problem.

    A phrase found inside a longer one's match ("sex" in "sextortion") is dropped: the
    longer phrase says more.
    """
    def inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return b[0] <= a[0] and a[1] <= b[1] and a != b

    kept = sorted((h for h in hits if not any(inside(h[1], o[1]) for o in hits)), key=lambda h: h[1])
    groups: list[list[Hit]] = []
    for hit in kept:
        if groups and hit[1][0] < max(e for _, (_, e) in groups[-1]):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return groups


@lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = _normal(phrase).split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)), re.IGNORECASE)


def _normal(text: str) -> str:
    # Word and PowerPoint curl apostrophes; the lists are written with straight ones.
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'"))


def _place(passage: Passage) -> str:
    return f" in {passage.place}" if passage.place else ""


def _excerpt(text: str, span: tuple[int, int], width: int = 30) -> str:
    start, end = max(0, span[0] - width), min(len(text), span[1] + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _deck_problems(key_stage: str, found: list[Passage], content: Content,
                   dsl_names: Sequence[str], role: str) -> list[Problem]:
    where = f"{key_stage}/{SLIDES}"
    visible = [p for p in found if not p.place.endswith("notes")]
    slides: dict[str, list[Passage]] = {}
    for passage in visible:
        slides.setdefault(passage.place, []).append(passage)
    problems = []
    if not any(_is_help_slide(texts, content) for texts in slides.values()):
        problems.append(Problem("error", where, (
            f"no help-routes slide: keep a slide titled \"Where to get help\" that lists "
            f"{_route_name(content, 'childline')} and the other help routes")))
    deck_text = _normal("\n".join(p.text for p in visible))
    names = [n for n in dsl_names if n and n.strip()]
    if not (DSL_WORDS.search(deck_text) or any(_normal(n).casefold() in deck_text.casefold() for n in names)):
        problems.append(Problem("error", where, (
            f"the slides never mention the {role}: pupils must know who to go to in school")))
    if KEY_STAGE_IDS.index(key_stage) >= KEY_STAGE_IDS.index("ks3"):
        crisis = [r for r in content.help_routes if r.crisis]
        if not any(_lists(deck_text, route) for route in crisis):
            choice = ", ".join(r.name for r in crisis) or "a help route marked crisis: true"
            problems.append(Problem("error", where,
                                    f"no crisis line on the slides: list at least one of {choice}"))
    return problems


def _is_help_slide(texts: list[Passage], content: Content) -> bool:
    title = " ".join(p.text for p in texts if p.title).strip().casefold()
    if title.startswith(HELP_TITLE):
        return True
    text = _normal("\n".join(p.text for p in texts))
    childline = content.routes_by_id.get("childline")
    if childline is None or not _lists(text, childline, phone_only=True):
        return False
    others = sum(_lists(text, r) for r in content.help_routes if r.id != "childline")
    return others >= OTHER_ROUTES_ON_HELP_SLIDE


def _route_name(content: Content, route_id: str) -> str:
    route = content.routes_by_id.get(route_id)
    return route.name if route else "the help routes"


def _lists(text: str, route: HelpRoute, phone_only: bool = False) -> bool:
    """Whether any of the route's contacts appears in `text`."""
    kinds = ("phone",) if phone_only else None
    return any(_contact_pattern(c.kind, c.value).search(text)
               for c in route.contacts if kinds is None or c.kind in kinds)


@lru_cache(maxsize=1024)
def _contact_pattern(kind: str, value: str) -> re.Pattern[str]:
    if kind in ("phone", "textphone", "text"):
        digits = re.sub(r"\D", "", value)
        if digits:
            # "0800 1111" also matches "08001111" or "0800-1111", but not inside a longer number.
            return re.compile(r"(?<![\d])" + r"[\s-]?".join(digits) + r"(?![\d])")
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", value.strip(), flags=re.IGNORECASE).rstrip("/")
    return re.compile(re.escape(bare), re.IGNORECASE)

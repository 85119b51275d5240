"""The checks behind `lessonpack check`: contacts, safe wording and reading level.

Pure functions: they take what was built (the bytes of each file, the content, the
contacts) and return a list of `Problem`s. Nothing here prints or exits; the CLI
formats the problems and decides the exit status.

The packs are checked by re-opening the written .pptx and .docx bytes with
python-pptx and python-docx, not by looking at the Markdown or the document model
they were made from: what a school gets is the files, so the files are what is
checked, and a bug in a writer (text dropped, a slide lost in pagination) cannot
hide behind a clean model.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

from docx import Document as open_docx
from pptx import Presentation as open_pptx
from pptx.util import Pt

from lessonpack.content.lessons import Content
from lessonpack.content.models import EMAIL, KEY_STAGE_IDS, check_uk_phone
from lessonpack.content.routes import Force, HelpRoute
from lessonpack.diagnostics import Diagnostic

SLIDES = "slides.pptx"
# The pupil-facing documents whose reading level is measured (the answers copy is the teacher's).
READING_DOCS = (SLIDES, "worksheet.docx")
# Written for adults: exempt from the KS2 word list (it must name what the lesson is about).
ADULT_DOCS = ("parent-letter.docx",)
HELP_TITLE = "where to get help"
# Besides its title, a help-routes slide is known by listing Childline and at least this many
# other help routes. The closing "Remember" slide lists Childline and one crisis line, so
# Childline's number alone would find it and miss a deleted help slide.
OTHER_ROUTES_ON_HELP_SLIDE = 2
# The school's safeguarding role by each nation's name (CONTENT.md, "Nations").
DSL_WORDS = re.compile(
    r"\bdesignated\s+safeguarding\s+(leads?|persons?)\b|\bDSLs?\b|\bDSPs?\b"
    r"|\bchild\s+protection\s+coordinators?\b|\bdesignated\s+teachers?\s+for\s+child\s+protection\b",
    re.IGNORECASE)
# The running footer sits in the bottom 40 pt of every content slide (writers/pptx.py); it
# repeats the deck's title on each slide, so it is boilerplate, not reading, and is left out
# of the reading level (though not out of the wording checks).
FOOTER_BAND = Pt(44)


# A problem `check` found: where is the file (or "ks3/slides.pptx"), with the line and
# setting when known. One type for every diagnostic (lessonpack.diagnostics).
Problem = Diagnostic


# ---------------------------------------------------------------------------
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
    999, 116 123, 18000 pass). Emails must look like an address (`content.EMAIL`).
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
        elif kind == "email" and not EMAIL.match(value):
            raise ValueError(f"not an email address: {value!r}")
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


@dataclass(frozen=True)
class Passage:
    """A paragraph, bullet, table cell or title: a run of text that ends a sentence."""

    text: str
    place: str  # "slide 4", "slide 4 notes", "header": where in the document it is
    reading: bool  # counted in the reading level (pupil-facing, not notes or boilerplate)
    title: bool = False


def passages(name: str, data: bytes) -> list[Passage]:
    """Every piece of text in one file of a pack; files that are not documents have none.

    Raises whatever python-pptx or python-docx raise on a file that is not a document.
    """
    if name.endswith(".pptx"):
        return list(_deck_passages(data))
    if name.endswith(".docx"):
        return list(_docx_passages(data))
    return []


def _deck_passages(data: bytes) -> Iterator[Passage]:
    prs = open_pptx(io.BytesIO(data))
    footer_top = (prs.slide_height or 0) - FOOTER_BAND
    for number, slide in enumerate(prs.slides, start=1):
        place = f"slide {number}"
        title = slide.shapes.title
        for shape in _shapes(slide.shapes):
            is_title = title is not None and shape.shape_id == title.shape_id
            reading = shape.top is None or shape.top < footer_top
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    yield Passage(paragraph.text, place, reading, is_title)
            if getattr(shape, "has_table", False):
                for row in shape.table.rows:
                    for cell in row.cells:
                        for paragraph in cell.text_frame.paragraphs:
                            yield Passage(paragraph.text, place, reading)
        if slide.has_notes_slide:
            for paragraph in slide.notes_slide.notes_text_frame.paragraphs:
                yield Passage(paragraph.text, f"{place} notes", False)


def _shapes(shapes: Iterable) -> Iterator:
    for shape in shapes:
        if hasattr(shape, "shapes"):  # a group: its members are what hold text
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _docx_passages(data: bytes) -> Iterator[Passage]:
    doc = open_docx(io.BytesIO(data))
    for paragraph in doc.paragraphs:
        yield Passage(paragraph.text, "", True)
    for table in doc.tables:
        for cell in _cells(table):
            for paragraph in cell.paragraphs:
                yield Passage(paragraph.text, "table", True)
    # The letterhead and footers are the school's name and address, not reading.
    for section in doc.sections:
        for part, label in ((section.header, "header"), (section.footer, "footer")):
            for paragraph in part.paragraphs:
                yield Passage(paragraph.text, label, False)


def _cells(table: Any) -> Iterator:
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            # Merged cells come back once per grid column: count their text once.
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                yield cell
                for inner in cell.tables:
                    yield from _cells(inner)


# ---------------------------------------------------------------------------
# Reading level


@dataclass(frozen=True)
class ReadingStats:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch–Kincaid grade level:
        0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59.
        """
        if not self.words:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    def __add__(self, other: ReadingStats) -> ReadingStats:
        return ReadingStats(self.words + other.words, self.sentences + other.sentences,
                            self.syllables + other.syllables)


# A sentence ends at ., ! or ? (with any closing quotes or brackets) before a space or the
# end. "www.iwf.org.uk" has no space after its dots, so it is not split; "e.g. this" is
# split, a small overcount that slide fragments dwarf anyway.
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_URL_OR_EMAIL = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|\b\S+\.(?:uk|org|com|net)\b(?:/\S*)?",
                           re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+")
_APOSTROPHES = re.compile(r"['’]")


def text_stats(texts: Iterable[str]) -> ReadingStats:
    """Words, sentences and syllables in `texts`, each of which ends a sentence.

    Each text is a paragraph, bullet, table cell or title: slide text is mostly fragments
    without a full stop, and each one is read as a sentence of its own. Within a text,
    sentences end at ., ! or ?. A word is a space-separated token with at least one letter;
    web and email addresses are left out (they are read as contacts, not prose, and would
    count as one enormous word). Syllables: see `syllables`.
    """
    total = ReadingStats(0, 0, 0)
    for text in texts:
        text = _URL_OR_EMAIL.sub(" ", text)
        for sentence in _SENTENCE_END.split(text):
            words = [w for w in sentence.split() if _LETTERS.search(w)]
            if words:
                total += ReadingStats(len(words), 1, sum(syllables(w) for w in words))
    return total


@cache
def _hyphenator() -> pyphen.Pyphen:  # noqa: F821 (imported below, for check only)
    # en_GB ships inside pyphen: no download, so this works offline. left=right=1 lets it
    # break off one-letter syllables ("o-ver"); pyphen's default of 2 never does, and so
    # reads 1.5 to 2.4 grades low. Measured against the CMU Pronouncing Dictionary, these
    # settings put each built-in document's grade within 0.5 of the dictionary's, and other
    # prose (CONTENT.md, the seed articles) within 1. Single words are rougher ("and" counts
    # two, "people" one), but errors cancel over a document, which is all that is scored.
    import pyphen

    return pyphen.Pyphen(lang="en_GB", left=1, right=1)


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables in one word: hyphenation points + 1 (en_GB, pyphen), at least 1.

    Apostrophes are dropped ("don't" is one syllable), and a word with hyphens, digits or
    slashes ("under-18s") is the sum of its parts.
    """
    parts = _LETTERS.findall(_APOSTROPHES.sub("", word.lower()))
    count = sum(len(_hyphenator().positions(part)) + 1 for part in parts)
    return max(1, count)


def reading_levels(files: Mapping[str, bytes]) -> dict[str, float]:
    """Flesch–Kincaid grade of each pupil-facing document present, rounded to 0.1.

    FK grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59, counted by
    `text_stats` over the slide titles and body text (not speaker notes or the running
    footer) and the worksheet (not its letterhead). A document that cannot be opened or
    has no words is left out.
    """
    levels: dict[str, float] = {}
    for name in READING_DOCS:
        if name not in files:
            continue
        try:
            found = passages(name, files[name])
        except Exception:  # check_pack reports the file as unreadable
            continue
        grade = _reading_level(found)
        if grade is not None:
            levels[name] = grade
    return levels


def _reading_level(found: Iterable[Passage]) -> float | None:
    stats = text_stats(p.text for p in found if p.reading)
    return round(stats.grade, 1) if stats.words else None


# ---------------------------------------------------------------------------
# The pack


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

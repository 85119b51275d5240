"""One pack: render every document for one key stage, force and school, then write it safely."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lessonpack import __version__
from lessonpack.content.cache import load_content_cached
from lessonpack.content.lessons import Content
from lessonpack.errors import DateRangeError, LessonpackError, TemplateError
from lessonpack.output import pack_dir, write_pack  # noqa: F401 - where batch and tests find them
from lessonpack.rendering.context import PackRequest, build_context
from lessonpack.rendering.document import Deck, Document
from lessonpack.rendering.parsed import parse_deck, parse_document
from lessonpack.rendering.template_data import PackContext, Step
from lessonpack.rendering.templating import Templates
from lessonpack.resources import data_dir
from lessonpack.safe_io import read_zip_input
from lessonpack.school.colours import readable_accent
from lessonpack.school.logo import logo_bytes
from lessonpack.writers.docx import DocxTheme, write_docx
from lessonpack.writers.meta import DocMeta
from lessonpack.writers.pptx import PptxTheme, write_pptx

# file written → (template, extra template data)
DOCUMENTS: dict[str, tuple[str, dict]] = {
    "worksheet.docx": ("worksheet.md.j2", {"answers": False}),
    "worksheet-answers.docx": ("worksheet.md.j2", {"answers": True}),
    "parent-letter.docx": ("parent-letter.md.j2", {}),
    "lesson-plan.docx": ("lesson-plan.md.j2", {}),
    "support-card.docx": ("support-card.md.j2", {}),
    "card-sort.docx": ("card-sort.md.j2", {}),
}
SLIDES = ("slides.pptx", "slides.md.j2")
PACK_FILES = (SLIDES[0], *DOCUMENTS, "manifest.json")
LARGE_PRINT_FILES = ("worksheet.docx", "parent-letter.docx")
# Sheets pupils write on, cut out or keep: 12 pt at least (large print makes it 16).
PUPIL_SHEETS = ("worksheet.docx", "worksheet-answers.docx", "card-sort.docx")
PUPIL_PT = 12


@dataclass
class Library:
    """Content, templates and reference documents, loaded once per process."""

    content: Content
    templates: Templates
    pptx_theme: PptxTheme
    docx_theme: DocxTheme
    template_dirs: list[Path] = field(default_factory=list)

    @classmethod
    def load(
        cls,
        lessons: Path | None = None,
        template_dirs: list[Path] | None = None,
        reference_pptx: Path | None = None,
        reference_docx: Path | None = None,
        extra_content: Path | None = None,
        exclude: list[str] | None = None,
    ) -> Library:
        builtin = data_dir("templates")
        content = load_content_cached(
            lessons or data_dir("lessons"),
            extra_files=[extra_content] if extra_content else None,
            exclude=exclude,
        )
        return cls(
            content=content,
            templates=Templates(builtin, template_dirs, trusted=True),  # our own folder
            pptx_theme=_theme(PptxTheme, reference_pptx, builtin / "theme" / "reference.pptx"),
            docx_theme=_theme(DocxTheme, reference_docx, builtin / "theme" / "reference.docx"),
            template_dirs=list(template_dirs or []),
        )


def _theme(kind: type, given: Path | None, builtin: Path):
    theme = kind(given or builtin)
    if given is not None:
        # A school's reference document is read within its cap and checked as a zip
        # before python-docx or python-pptx unpacks it; the theme keeps these bytes.
        theme.__dict__["data"] = read_zip_input(given, "reference document")
    return theme


# Zip entries carry a two-byte DOS date: years 1980 to 2107.
FIRST_YEAR, LAST_YEAR = 1980, 2107


def check_date(when: dt.date) -> None:
    """Refuse a date that Office files (zips) cannot record."""
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise DateRangeError(f"the date {when.isoformat()} is outside what Office files can record "
                             f"({FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31); give --date in that range")


def build_time(request: PackRequest) -> dt.datetime:
    """The time written into files: SOURCE_DATE_EPOCH if set, else the lesson date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise LessonpackError(f"SOURCE_DATE_EPOCH must be whole seconds, not {epoch!r}") from None
        if when.year > LAST_YEAR:
            raise DateRangeError(f"SOURCE_DATE_EPOCH={epoch} is after {LAST_YEAR}, the last year "
                                 "a zip (and so an Office file) can record")
        return when
    check_date(request.lesson_date)
    return dt.datetime.combine(request.lesson_date, dt.time(), tzinfo=dt.UTC)


EXTENSION = "extension"  # the optional slides after the lesson, outside its timings


def number_steps(deck: Deck, steps: list[Step], template: str) -> None:
    """Check that the deck and the lesson design agree, and head each slide's notes
    with its step: number, title and minutes on the step's first slide, "continued"
    on the rest, so that no slide repeats a timing."""
    by_id = {s.id: s for s in steps}
    seen: set[str] = set()
    for slide in deck.slides:
        if slide.step == EXTENSION:
            slide.notes = f"Extension (optional, not timed).\n{slide.notes}".rstrip()
            continue
        step = by_id.get(slide.step)
        if step is None:
            raise TemplateError(f"template {template}: slide {slide.title!r} names the step "
                                f"{slide.step!r}, which is not in this lesson's steps "
                                f"({', '.join(by_id)}) or {EXTENSION!r}")
        label = f"Step {step.number} of {len(steps)}: {step.title}"
        stop = "" if label.endswith(("?", ".", "!")) else "."
        minutes = "1 minute" if step.minutes == 1 else f"{step.minutes} minutes"
        head = f"{label}, continued." if slide.step in seen else f"{label}{stop} {minutes}."
        seen.add(slide.step)
        slide.notes = f"{head}\n{slide.notes}".rstrip()
    missing = [s.id for s in steps if s.id not in seen]
    if missing:
        raise TemplateError(f"template {template}: no slide for the lesson step(s) {', '.join(missing)}")


def move_left_out(deck: Deck, left_out: list[Step], minutes: int) -> Deck:
    """A step that a shorter lesson leaves out takes its slides out of the timed run: they
    follow the extension marker, where a teacher with time to spare still finds them,
    rather than sitting in the lesson with a note to skip them."""
    dropped = {s.id: s.title for s in left_out}
    if not dropped:
        return deck
    kept = [s for s in deck.slides if s.step not in dropped]
    moved = [replace(s, step=EXTENSION, notes=f"Left out of the {minutes}-minute lesson "
                     f"({dropped[s.step]}): use it in a longer lesson or a follow-up.\n{s.notes}")
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


@dataclass
class PackModels:
    """Every document of one pack as the document model, before any writer runs: what the
    writers turn into files and the web page's preview shows, from the same source."""

    deck: Deck
    deck_meta: DocMeta
    documents: dict[str, tuple[Document, DocMeta]]  # file name → model and its metadata
    context: PackContext


def render_pack(library: Library, request: PackRequest) -> PackModels:
    """Render and parse every template of one pack; nothing is written."""
    context = build_context(library.content, request)
    ks = context.ks
    when = build_time(request)
    school = request.school.name or "lessonpack"
    accent, _ = readable_accent(request.school.colour)
    logo = logo_bytes(request.school.logo) if request.school.logo else None
    stage = context.stage
    # The footer is read on every slide: the school and the stage, in the nation's words,
    # and no more (the lesson's title is on the title slide). No England-only words here.
    meta: dict[str, Any] = dict(author=school, when=when, keywords=f"sextortion; safeguarding; {stage.short}",
                footer=f"{request.school.name} · {stage.short}" if request.school.name else stage.name,
                accent=accent, logo=logo, logo_alt=f"Logo of {school}")

    deck = library.pptx_theme.paginate(move_left_out(
        parse_deck(library.templates.render(SLIDES[1], context.as_mapping()), SLIDES[1]),
        context.left_out, request.minutes))
    number_steps(deck, context.steps, SLIDES[1])
    context = replace(context, slides_for_step=slide_numbers(deck))
    deck_meta = DocMeta(title=f"{ks.lesson_title} ({stage.short})", subject="Slides", **meta)
    documents = {}
    for filename, (template, extra) in DOCUMENTS.items():
        document = parse_document(library.templates.render(template, context.as_mapping(**extra)),
                                  template)
        # The logo heads the letter, as letterheads do; worksheets stay light to print.
        doc_meta = {**meta, "logo": meta["logo"] if filename == "parent-letter.docx" else None,
                    "large_print": request.large_print and filename in LARGE_PRINT_FILES,
                    "body_pt": PUPIL_PT if filename in PUPIL_SHEETS else 0}
        documents[filename] = (document, DocMeta(
            title=document.title, subject=f"{ks.lesson_title} ({stage.short})", **doc_meta))
    return PackModels(deck, deck_meta, documents, context)


def build_pack(library: Library, request: PackRequest) -> dict[str, bytes]:
    """Every file of one pack, in memory: nothing touches the disk here."""
    models = render_pack(library, request)
    files = {SLIDES[0]: write_pptx(models.deck, library.pptx_theme, models.deck_meta)}
    for filename, (document, meta) in models.documents.items():
        files[filename] = write_docx(document, library.docx_theme, meta)
    files["manifest.json"] = _manifest(library, request, models.context, files)
    return files


def _manifest(library: Library, request: PackRequest, context: PackContext, files: dict) -> bytes:
    content = library.content
    manifest = {
        "lessonpack": __version__,
        "content_version": content.meta.version,
        "content_sha256": content.fingerprint,
        "inputs": {
            "key_stage": request.key_stage,
            "force": request.force.slug if request.force else None,
            "school": request.school.name,
            "date": request.lesson_date.isoformat(),
            "minutes": request.minutes,
            "large_print": request.large_print,
            "nation": request.nation_id,
            "stage": context.stage.name,
        },
        "help_routes_reviewed": content.reviewed.isoformat(),
        "templates": {
            name: "custom" if library.templates.is_custom(name) else "built-in"
            for name in sorted({SLIDES[1], *(t for t, _ in DOCUMENTS.values())})
        } if library.template_dirs else "built-in",
        "slides": context.slides_for_step,
        "files": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        ],
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()

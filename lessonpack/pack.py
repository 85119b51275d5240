"""One pack: render every document for one key stage, force and school, then write it safely."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from lessonpack import __version__
from lessonpack.errors import DateRangeError, LessonpackError, TranslationError
from lessonpack.library import Library, LibrarySource  # noqa: F401 - where the commands, batch and web find them
from lessonpack.output import pack_dir, write_pack  # noqa: F401 - where batch and tests find them
from lessonpack.rendering import i18n
from lessonpack.rendering.alt_text import drawing_words
from lessonpack.rendering.context import PackRequest, build_context
from lessonpack.rendering.deck_plan import DeckPlan, plan_deck
from lessonpack.rendering.document import Deck, Document
from lessonpack.rendering.i18n import gettext as _
from lessonpack.rendering.parsed import parse_deck, parse_document
from lessonpack.rendering.template_data import PackContext
from lessonpack.rendering.translated import (
    continued_in_language,
    refuse_untranslated,
    translation_record,
)
from lessonpack.school.colours import readable_accent
from lessonpack.writers.docx import write_docx
from lessonpack.writers.meta import DocMeta
from lessonpack.writers.opc import zip_files  # noqa: F401 - the one zip writer, for batch and web
from lessonpack.writers.pptx import write_pptx

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
BOTH = "en+cy"  # both languages (lessonpack/bilingual.py)
LETTER_BOTH = "en+cy-letter"  # English, with the parent letter in Welsh and English
BILINGUAL = ("parent-letter.docx", "support-card.docx")  # one file each, Welsh then English


def welsh_name(filename: str) -> str:
    """A bilingual pack's Welsh copy of `filename`: slides.pptx → slides.cy.pptx."""
    stem, _dot, ext = filename.rpartition(".")
    return f"{stem}.cy.{ext}"


def pack_files(language: str) -> tuple[str, ...]:
    """The files a pack in `language` has, in the order they are written."""
    if language != BOTH:
        return PACK_FILES
    return (SLIDES[0], welsh_name(SLIDES[0]),
            *(n for d in DOCUMENTS for n in ((d,) if d in BILINGUAL else (d, welsh_name(d)))),
            "manifest.json")


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


@dataclass(frozen=True)
class PackModels:
    """Every document of one pack as the document model, before any writer runs: what the
    writers turn into files and the web page's preview shows, from the same source."""

    plan: DeckPlan
    deck_meta: DocMeta
    documents: Mapping[str, tuple[Document, DocMeta]]  # file name → model and its metadata
    context: PackContext

    @property
    def deck(self) -> Deck:
        return self.plan.deck

    def template_data(self, **extra: object) -> dict[str, object]:
        """What every document's template saw: the context, the deck's plan, `extra`."""
        return self.context.as_mapping(**self.plan.template_data(), **extra)


def plan_pack_deck(library: Library, context: PackContext) -> DeckPlan:
    """Phase 1: the deck rendered, laid out with the writer's geometry, its steps numbered."""
    rendered = parse_deck(library.templates.render(SLIDES[1], context.as_mapping()), SLIDES[1],
                          library.cache)
    return plan_deck(rendered, context,
                     lambda deck: continued_in_language(library.pptx_theme.paginate(deck)), SLIDES[1])


def render_documents(library: Library, context: PackContext, plan: DeckPlan,
                     meta: dict) -> dict[str, tuple[Document, DocMeta]]:
    """Phase 2: the other documents, from the frozen context and the deck's plan."""
    ks, stage = context.ks, context.stage
    documents = {}
    for filename, (template, extra) in DOCUMENTS.items():
        data = context.as_mapping(**plan.template_data(), **extra)
        document = parse_document(library.templates.render(template, data), template, library.cache)
        # The logo heads the letter, as letterheads do; worksheets stay light to print.
        doc_meta = {**meta, "logo": meta["logo"] if filename == "parent-letter.docx" else None,
                    "large_print": meta["large_print"] and filename in LARGE_PRINT_FILES,
                    "body_pt": PUPIL_PT if filename in PUPIL_SHEETS else 0}
        documents[filename] = (document, DocMeta(
            title=document.title, subject=f"{ks.lesson_title} ({stage.short})", **doc_meta))
    return documents


def render_pack(library: Library, request: PackRequest) -> PackModels:
    """Render and parse every template of one pack; nothing is written."""
    if request.language != "en" and request.nation_id != "wales":
        raise TranslationError(f"a pack in Welsh (--language {request.language}) is for schools "
                               f"in Wales: give a Welsh force or --nation wales")
    with library.cache.active(), i18n.speaking(request.language):
        # Read once per library (the cache): a built-in line left outside {% trans %}.
        unmarked = library.templates.unmarked_text() if request.language != "en" else []
        if unmarked:
            name, line, text = unmarked[0]
            raise TranslationError(f"template {name}, line {line}: {text[:60]!r} is not marked "
                                   f"for translation ({len(unmarked)} such lines); wrap it in "
                                   "{% trans %}...{% endtrans %}")
        models = _render_pack(library, request)
    if request.language != "en":
        refuse_untranslated((models.deck, models.deck_meta, dict(models.documents)),
                            library.content, request.language)
    return models


def _render_pack(library: Library, request: PackRequest) -> PackModels:
    context = build_context(library.content, request, library.cache, library.shared_key(request))
    when = build_time(request)
    school = request.school.name or "lessonpack"
    accent, _contrast = readable_accent(request.school.colour)
    logo = request.school.logo.data if request.school.logo else None
    stage = context.stage
    # The footer is read on every slide: the school and the stage, in the nation's words,
    # and no more (the lesson's title is on the title slide). No England-only words here.
    meta: dict[str, Any] = dict(
        author=school, when=when,
        keywords=_("sextortion; safeguarding; %(stage)s") % {"stage": stage.short},
        footer=f"{request.school.name} · {stage.short}" if request.school.name else stage.name,
        accent=accent, logo=logo, logo_alt=_("Logo of %(school)s") % {"school": school},
        language=i18n.LANGUAGES[request.language], drawings=drawing_words())
    plan = plan_pack_deck(library, context)
    deck_meta = DocMeta(title=f"{context.ks.lesson_title} ({stage.short})", subject=_("Slides"), **meta)
    documents = render_documents(library, context, plan, {**meta, "large_print": request.large_print})
    return PackModels(plan, deck_meta, MappingProxyType(documents), context)


def build_pack(library: Library, request: PackRequest) -> dict[str, bytes]:
    """Every file of one pack, in memory: nothing touches the disk here."""
    if request.language in (BOTH, LETTER_BOTH):
        from lessonpack.bilingual import build_both

        return build_both(library, request)
    models = render_pack(library, request)
    files = {SLIDES[0]: write_pptx(models.deck, library.pptx_theme, models.deck_meta)}
    for filename, (document, meta) in models.documents.items():
        files[filename] = write_docx(document, library.docx_theme, meta)
    files["manifest.json"] = manifest(library, request, models.context,
                                       models.plan.slides_for_step, files)
    return files


def manifest(library: Library, request: PackRequest, context: PackContext,
              slides_for_step: Mapping[str, str], files: dict) -> bytes:
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
            **({"language": request.language} if request.language != "en" else {}),
        },
        **({"translation": translation_record(content, request.language)}
           if request.language != "en" else {}),
        "help_routes_reviewed": content.reviewed.isoformat(),
        "templates": {
            name: "custom" if library.templates.is_custom(name) else "built-in"
            for name in sorted({SLIDES[1], *(t for t, _ in DOCUMENTS.values())})
        } if library.template_dirs else "built-in",
        "slides": dict(slides_for_step),
        "files": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        ],
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()

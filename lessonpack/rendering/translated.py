"""A pack in Welsh: refused if any string in it has no translation, and the record of
how much of its translation a fluent speaker has reviewed."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any

from lessonpack.content.lessons import Content
from lessonpack.content.translation import unreviewed, untranslated
from lessonpack.errors import TranslationError
from lessonpack.rendering import i18n
from lessonpack.rendering.document import Deck, Document, PageBreak
from lessonpack.rendering.i18n import gettext as _

NAMES = {"cy": "Welsh", "en": "English"}


def missing_texts(value: Any, found: list[str]) -> list[str]:
    """Every string in a document model (or any tree of dataclasses) marked MISSING."""
    if isinstance(value, str):
        if i18n.MISSING in value:
            found.append(value)
    elif isinstance(value, list | tuple):
        for v in value:
            missing_texts(v, found)
    elif isinstance(value, dict):
        for v in value.values():
            missing_texts(v, found)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            missing_texts(getattr(value, f.name), found)
    return found


def refuse_untranslated(models: Any, content: Content, language: str) -> None:
    """One line naming the first string the pack would print in English, and how many."""
    found = missing_texts(models, [])
    if not found:
        return
    english = found[0].split(i18n.MISSING, 1)[1].split("\n")[0].strip()
    where = _where(english, content, language)
    raise TranslationError(
        f"the {NAMES.get(language, language)} pack has {len(found)} text(s) with no "
        f"{NAMES.get(language, language)} translation, first {english[:70]!r} ({where}); "
        f"add it to {where if where.endswith('.po') else 'lessons/'} or see `lessonpack check`")


def _where(english: str, content: Content, language: str) -> str:
    for text, place in untranslated(content, language).items():
        if text.startswith(english) or english.startswith(text[:60]):
            return f"lessons: {place}"
    return str(i18n.catalogue_path(language).relative_to(i18n.LOCALE_DIR.parent.parent))


def continued_in_language(deck: Deck) -> Deck:
    """The continuation slides' titles and notes (made by the writer's pagination, in
    English) in the pack's language."""
    if i18n.current_language() == "en":
        return deck
    title, note = " (continued)", "(Continued from the previous slide.)"
    slides = [replace(s, title=s.title.removesuffix(title) + " (" + _("continued") + ")",
                      notes=s.notes.replace(note, _("(Continued from the previous slide.)"), 1))
              if s.continued else s
              for s in deck.slides]
    return Deck(title=deck.title, slides=slides)


def translation_record(content: Content, language: str) -> dict[str, Any]:
    """What the manifest says about a translated pack's review ("en+cy": the Welsh's)."""
    language = "cy" if "cy" in language else language
    found = i18n.catalogue(language)
    strings = len(found.unreviewed) if found else 0
    items = len(unreviewed(content, language))
    record: dict[str, Any] = {"translated_to": language, "unreviewed_strings": strings,
                              "unreviewed_content_items": items}
    if strings or items:
        record["note"] = i18n.UNREVIEWED_NOTE
    return record


def bilingual(first: Document, second: Document) -> tuple[Document, int]:
    """One document in two languages: `first` (Welsh, as the Welsh Language Standards
    ask), then from a new page `second`; and how many page breaks `first` holds."""
    breaks = sum(isinstance(b, PageBreak) for b in first.blocks)
    merged = Document(title=f"{first.title} / {second.title}",
                      blocks=[*first.blocks, PageBreak(), *second.blocks],
                      header=first.header, letterhead=first.letterhead)
    return merged, breaks

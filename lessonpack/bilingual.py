"""A pack in English and Welsh: `--language en+cy` (both decks and documents, the letter
and support card bilingual), and the English pack with a bilingual letter that an
English-medium school in Wales gets from `batch` (`en+cy-letter`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from lessonpack.pack import (
    BILINGUAL,
    BOTH,
    SLIDES,
    Library,
    PackModels,
    manifest,
    render_pack,
    welsh_name,
)
from lessonpack.rendering import i18n
from lessonpack.rendering.context import PackRequest
from lessonpack.rendering.translated import bilingual
from lessonpack.writers.docx import write_docx
from lessonpack.writers.pptx import write_pptx

# One file of a bilingual pack, before any writer runs: its name, model and metadata.
Part = tuple[str, Any, Any]


def both_parts(library: Library, request: PackRequest) -> tuple[PackModels, list[Part]]:
    """The English pack's models, and every file of the bilingual pack in pack order as a
    model: what `build_both` writes and the web page's preview shows, from one source."""
    everything = request.language == BOTH
    english = render_pack(library, replace(request, language="en"))
    welsh = render_pack(library, replace(request, language="cy"))
    parts: list[Part] = [(SLIDES[0], english.deck, english.deck_meta)]
    if everything:
        parts.append((welsh_name(SLIDES[0]), welsh.deck, welsh.deck_meta))
    merged_files = BILINGUAL if everything else BILINGUAL[:1]
    for filename, (document, meta) in english.documents.items():
        cy_document, cy_meta = welsh.documents[filename]
        if filename in merged_files:
            merged, breaks = bilingual(cy_document, document)
            # One file in both languages: what its drawings say, in both (Welsh first).
            drawings = tuple((key, f"{cy} / {en}")
                             for (key, cy), (_, en) in zip(cy_meta.drawings, meta.drawings, strict=True))
            parts.append((filename, merged, replace(
                cy_meta, title=merged.title, later_language=(i18n.LANGUAGES["en"], breaks),
                drawings=drawings)))
        else:
            parts.append((filename, document, meta))
            if everything:
                parts.append((welsh_name(filename), cy_document, cy_meta))
    return english, parts


def build_both(library: Library, request: PackRequest) -> dict[str, bytes]:
    """English under the usual names; with `en+cy`, each deck and document in Welsh too,
    as `name.cy.ext`. The letter (and with `en+cy` the support card) is one file, Welsh
    first as the Welsh Language Standards ask, then English from a new page."""
    english, parts = both_parts(library, request)
    files = {name: write_pptx(model, library.pptx_theme, meta) if name.endswith(".pptx")
             else write_docx(model, library.docx_theme, meta) for name, model, meta in parts}
    files["manifest.json"] = manifest(library, request, english.context,
                                      english.plan.slides_for_step, files)
    return files

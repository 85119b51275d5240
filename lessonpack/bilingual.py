"""A pack in English and Welsh: `--language en+cy` (both decks and documents, the letter
and support card bilingual), and the English pack with a bilingual letter that an
English-medium school in Wales gets from `batch` (`en+cy-letter`)."""

from __future__ import annotations

from dataclasses import replace

from lessonpack.pack import (
    BILINGUAL,
    BOTH,
    SLIDES,
    Library,
    manifest,
    render_pack,
    welsh_name,
)
from lessonpack.rendering import i18n
from lessonpack.rendering.context import PackRequest
from lessonpack.rendering.translated import bilingual
from lessonpack.writers.docx import write_docx
from lessonpack.writers.pptx import write_pptx


def build_both(library: Library, request: PackRequest) -> dict[str, bytes]:
    """English under the usual names; with `en+cy`, each deck and document in Welsh too,
    as `name.cy.ext`. The letter (and with `en+cy` the support card) is one file, Welsh
    first as the Welsh Language Standards ask, then English from a new page."""
    everything = request.language == BOTH
    english = render_pack(library, replace(request, language="en"))
    welsh = render_pack(library, replace(request, language="cy"))
    files = {SLIDES[0]: write_pptx(english.deck, library.pptx_theme, english.deck_meta)}
    if everything:
        files[welsh_name(SLIDES[0])] = write_pptx(welsh.deck, library.pptx_theme, welsh.deck_meta)
    merged_files = BILINGUAL if everything else BILINGUAL[:1]
    for filename, (document, meta) in english.documents.items():
        cy_document, cy_meta = welsh.documents[filename]
        if filename in merged_files:
            merged, breaks = bilingual(cy_document, document)
            files[filename] = write_docx(merged, library.docx_theme, replace(
                cy_meta, title=merged.title, later_language=(i18n.LANGUAGES["en"], breaks)))
        else:
            files[filename] = write_docx(document, library.docx_theme, meta)
            if everything:
                files[welsh_name(filename)] = write_docx(cy_document, library.docx_theme, cy_meta)
    files["manifest.json"] = manifest(library, request, english.context,
                                      english.plan.slides_for_step, files)
    return files

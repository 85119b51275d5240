"""A pack in English and Welsh (`--language en+cy`)."""

from __future__ import annotations

from dataclasses import replace

from lessonpack.pack import DOCUMENTS, SLIDES, Library, manifest, render_pack
from lessonpack.rendering import i18n
from lessonpack.rendering.context import PackRequest
from lessonpack.rendering.translated import bilingual
from lessonpack.writers.docx import write_docx
from lessonpack.writers.pptx import write_pptx

BILINGUAL = ("parent-letter.docx", "support-card.docx")  # one file, Welsh then English
# Every file of a bilingual pack, in the order written: English under the usual names.
FILES = (SLIDES[0], "slides.cy.pptx", *(n for d in DOCUMENTS for n in
         ((d,) if d in BILINGUAL else (d, d.replace(".docx", ".cy.docx")))), "manifest.json")


def build_both(library: Library, request: PackRequest) -> dict[str, bytes]:
    """English and Welsh: each deck and document in both, as `name.cy.ext` for the Welsh,
    and the letter and support card bilingual, Welsh first."""
    english = render_pack(library, replace(request, language="en"))
    welsh = render_pack(library, replace(request, language="cy"))
    files = {SLIDES[0]: write_pptx(english.deck, library.pptx_theme, english.deck_meta),
             welsh_name(SLIDES[0]): write_pptx(welsh.deck, library.pptx_theme, welsh.deck_meta)}
    for filename, (document, meta) in english.documents.items():
        cy_document, cy_meta = welsh.documents[filename]
        if filename in BILINGUAL:
            merged, breaks = bilingual(cy_document, document)
            files[filename] = write_docx(merged, library.docx_theme, replace(
                cy_meta, title=merged.title, later_language=(i18n.LANGUAGES["en"], breaks)))
        else:
            files[filename] = write_docx(document, library.docx_theme, meta)
            files[welsh_name(filename)] = write_docx(cy_document, library.docx_theme, cy_meta)
    files["manifest.json"] = manifest(library, request, english.context,
                                      english.plan.slides_for_step, files)
    return files


def welsh_name(filename: str) -> str:
    stem, _dot, ext = filename.rpartition(".")
    return f"{stem}.cy.{ext}"



"""Deck → .pptx. Knows slides and shapes, nothing about the lesson.

Each slide is built as an lxml tree (pptx_slides.py) and serialised once, into a zip made
from the reference deck's own parts (read once per library, see pptx_reference.py).
"""

from __future__ import annotations

import warnings

from lessonpack.cache import memoized
from lessonpack.errors import ReferenceWarning
from lessonpack.rendering.document import Deck
from lessonpack.resources import data_dir
from lessonpack.writers.drawingml import EMU_PER_INCH, Picture, emu, pt
from lessonpack.writers.language import relabel
from lessonpack.writers.meta import DocMeta, ReferenceFile
from lessonpack.writers.opc import (
    IMAGE_TYPES,
    ZipEntry,
    content_types_entry,
    core_properties,
    relationships_entry,
    write_zip,
)
from lessonpack.writers.oxml import qn, serialise, sub
from lessonpack.writers.pptx_reference import CT_PML, DeckReference, copy_presentation, read_reference
from lessonpack.writers.pptx_slides import content_slide, notes_slide, title_slide
from lessonpack.writers.slide_layout import Geometry, paginate


class PptxTheme(ReferenceFile):
    """The reference deck; each pack starts from its parts."""

    @property
    def prototype(self) -> DeckReference:
        return self.cache.remember("pptx-reference", self.digest, self._read, 4)

    def _read(self) -> DeckReference:
        """The deck's prototype; one that lacks the layouts a pack needs gives way to the
        built-in deck, with a warning saying so."""
        builtin = data_dir("templates") / "theme" / "reference.pptx"
        reference = read_reference(self.path, self.data,
                                   fallback=builtin if self.path.resolve() != builtin.resolve() else None)
        for warning in reference.warnings:
            warnings.warn(warning, ReferenceWarning, stacklevel=4)
        return reference

    @property
    def warnings(self) -> list[str]:
        return self.prototype.warnings

    @property
    def boxes(self) -> dict[str, tuple[int, int, int, int]]:
        return _boxes(self.prototype)

    @property
    def geometry(self) -> Geometry:
        return _geometry(self.prototype)

    def paginate(self, deck: Deck) -> Deck:
        with self.cache.active():
            return paginate(deck, self.geometry)


@memoized("pptx-boxes", 4)
def _boxes(proto: DeckReference) -> dict[str, tuple[int, int, int, int]]:
    width, height = proto.slide_size
    title = proto.title_only.title
    assert title is not None  # read_reference only keeps layouts with a title
    body_top = title.top + title.height + emu(6)
    footer_top = height - emu(40)
    return {
        "slide": (0, 0, width, height),
        "title": (title.left, title.top, title.width, title.height),
        "body": (title.left, body_top, title.width, footer_top - body_top - emu(6)),
        "footer": (title.left, footer_top, title.width, emu(28)),
    }

@memoized("pptx-geometry", 4)
def _geometry(proto: DeckReference) -> Geometry:
    _, _, width, height = _boxes(proto)["body"]
    # Leave room for the text box's own insets.
    return Geometry(width=pt(width) - 16, height=pt(height) - 10)


def write_pptx(deck: Deck, theme: PptxTheme, meta: DocMeta) -> bytes:
    """The deck as .pptx bytes; `deck` must already be paginated."""
    with theme.cache.active():
        return _write_pptx(deck, theme, meta)


def _write_pptx(deck: Deck, theme: PptxTheme, meta: DocMeta) -> bytes:
    proto = theme.prototype
    accent = meta.accent.lstrip("#").upper()
    width, height = proto.slide_size
    logo = None
    if meta.logo:
        logo = Picture.fit(meta.logo, meta.logo_alt, min(int(2.6 * EMU_PER_INCH), width // 3),
                           min(EMU_PER_INCH, height // 4))
    # The same logo, small, in the corner of every other slide: the school's own deck.
    small_logo = Picture.fit(meta.logo, meta.logo_alt, EMU_PER_INCH, EMU_PER_INCH * 4 // 10) \
        if meta.logo else None
    entries: list[ZipEntry] = []
    overrides = dict(proto.overrides)
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        rels = [("rId1", "slideLayout", "")]
        if slide.is_title:
            layout = proto.title_slide
            root = title_slide(slide, layout, theme.boxes, accent, logo)
            if logo:
                rels.append(("rId2", "image", f"../media/image1.{logo.ext}"))
        else:
            layout = proto.title_only
            root = content_slide(slide, layout, theme.boxes, theme.geometry, meta.footer, accent, number,
                                 total, small_logo, meta.drawings)
            if small_logo:
                rels.append(("rId2", "image", f"../media/image1.{small_logo.ext}"))
        rels[0] = ("rId1", "slideLayout", "../" + layout.part.removeprefix("ppt/"))
        rels.append((f"rId{len(rels) + 1}", "notesSlide", f"../notesSlides/notesSlide{number}.xml"))
        name, notes = f"ppt/slides/slide{number}.xml", f"ppt/notesSlides/notesSlide{number}.xml"
        entries += [
            ZipEntry.of(name, serialise(root)),
            relationships_entry(f"ppt/slides/_rels/slide{number}.xml.rels", tuple(rels)),
            notes_slide(notes, slide.notes),
            relationships_entry(f"ppt/notesSlides/_rels/notesSlide{number}.xml.rels", (
                ("rId1", "notesMaster", "../" + proto.notes_master.removeprefix("ppt/")),
                ("rId2", "slide", f"../slides/slide{number}.xml"))),
        ]
        overrides[name] = CT_PML + "slide+xml"
        overrides[notes] = CT_PML + "notesSlide+xml"
    defaults = dict(proto.defaults)
    if logo:
        defaults.setdefault(logo.ext, IMAGE_TYPES[logo.ext])
        entries.append(ZipEntry.of(f"ppt/media/image1.{logo.ext}", logo.blob, level=0))
    overrides.setdefault("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")
    return write_zip(relabel([
        content_types_entry(tuple(defaults.items()), tuple(overrides.items())),
        *proto.shared,
        *_presentation(proto, total),
        ZipEntry.of("docProps/core.xml", core_properties(
            meta.title, meta.subject, meta.author, meta.keywords, meta.when)),
        *entries,
    ], meta.language), meta.when)


@memoized("pptx-presentation", 64)  # decks of the same length share them
def _presentation(proto: DeckReference, total: int) -> tuple[ZipEntry, ZipEntry]:
    """presentation.xml and its relationships, naming this deck's slides."""
    presentation = copy_presentation(proto)
    id_list = presentation.find(qn("p:sldIdLst"))
    used = {rid for rid, _, _ in proto.rels}
    rels = list(proto.rels)
    number = 0
    for n in range(1, total + 1):
        number += 1
        while f"rId{number}" in used:
            number += 1
        rels.append((f"rId{number}", "slide", f"slides/slide{n}.xml"))
        sub(id_list, "p:sldId", {"id": 255 + n, "r:id": f"rId{number}"})
    folder, _, name = proto.presentation_part.rpartition("/")
    return (ZipEntry.of(proto.presentation_part, serialise(presentation)),
            relationships_entry(f"{folder}/_rels/{name}.rels", tuple(rels)))

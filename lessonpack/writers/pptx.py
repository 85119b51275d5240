"""Deck → .pptx. Knows slides and shapes, nothing about the lesson.

Each slide is built as an lxml tree and serialised once, into a zip made from the
reference deck's own parts (read once per process, see pptx_reference.py).
"""

from __future__ import annotations

import warnings
from functools import cached_property, lru_cache
from pathlib import Path

from lxml import etree

from lessonpack.errors import ReferenceWarning
from lessonpack.rendering.document import Deck, Heading, ListItem, Paragraph, Slide, Span, Table
from lessonpack.resources import data_dir
from lessonpack.writers.drawingml import (
    EMU_PER_INCH,
    EMU_PER_PT,
    Picture,
    emu,
    plain_paragraphs,
    text_body,
)
from lessonpack.writers.meta import DocMeta, ReferenceFile
from lessonpack.writers.opc import (
    IMAGE_TYPES,
    ZipEntry,
    content_types_entry,
    core_properties,
    relationships_entry,
    write_zip,
)
from lessonpack.writers.oxml import copy_of, el, nsmap, qn, serialise, sub
from lessonpack.writers.pptx_reference import (
    CT_PML,
    DeckReference,
    Layout,
    Placeholder,
    copy_presentation,
    read_reference,
)
from lessonpack.writers.pptx_shapes import (
    INK,
    MUTED,
    _nv_sp,
    _rectangle,
    _table,
    _text_box,
)
from lessonpack.writers.slide_layout import (
    BODY_PT,
    TITLE_PT,
    Geometry,
    fitting_size,
    paginate,
)


def _pt(value: int) -> float:
    return value / EMU_PER_PT


class PptxTheme(ReferenceFile):
    """The reference deck; each pack starts from its parts."""

    @property
    def prototype(self) -> DeckReference:
        return _reference(self.path, self.data)

    @property
    def warnings(self) -> list[str]:
        return self.prototype.warnings

    @cached_property
    def boxes(self) -> dict[str, tuple[int, int, int, int]]:
        proto = self.prototype
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

    @cached_property
    def geometry(self) -> Geometry:
        _, _, width, height = self.boxes["body"]
        # Leave room for the text box's own insets.
        return Geometry(width=_pt(width) - 16, height=_pt(height) - 10)

    def paginate(self, deck: Deck) -> Deck:
        return paginate(deck, self.geometry)


@lru_cache(maxsize=4)
def _reference(path: Path, data: bytes) -> DeckReference:
    """The deck's prototype; one that lacks the layouts a pack needs gives way to the built-in
    deck, with a warning saying so."""
    builtin = data_dir("templates") / "theme" / "reference.pptx"
    reference = read_reference(path, data, fallback=builtin if path.resolve() != builtin.resolve() else None)
    for warning in reference.warnings:
        warnings.warn(warning, ReferenceWarning, stacklevel=2)
    return reference


def write_pptx(deck: Deck, theme: PptxTheme, meta: DocMeta) -> bytes:
    """The deck as .pptx bytes; `deck` must already be paginated."""
    proto = theme.prototype
    accent = meta.accent.lstrip("#").upper()
    width, height = proto.slide_size
    logo = None
    if meta.logo:
        logo = Picture.fit(meta.logo, meta.logo_alt, min(int(2.6 * EMU_PER_INCH), width // 3),
                           min(EMU_PER_INCH, height // 4))
    entries: list[ZipEntry] = []
    overrides = dict(proto.overrides)
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        rels = [("rId1", "slideLayout", "")]
        if slide.is_title:
            layout = proto.title_slide
            shapes = _title_slide(slide, layout, theme, accent, logo)
            if logo:
                rels.append(("rId2", "image", f"../media/image1.{logo.ext}"))
        else:
            layout = proto.title_only
            shapes = _content_slide(slide, layout, theme, meta, accent, number, total)
        rels[0] = ("rId1", "slideLayout", "../" + layout.part.removeprefix("ppt/"))
        rels.append((f"rId{len(rels) + 1}", "notesSlide", f"../notesSlides/notesSlide{number}.xml"))
        name, notes = f"ppt/slides/slide{number}.xml", f"ppt/notesSlides/notesSlide{number}.xml"
        entries += [
            ZipEntry.of(name, serialise(_slide(shapes))),
            relationships_entry(f"ppt/slides/_rels/slide{number}.xml.rels", tuple(rels)),
            ZipEntry.of(notes, _notes_slide(slide.notes)),
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
    return write_zip([
        content_types_entry(tuple(defaults.items()), tuple(overrides.items())),
        *proto.shared,
        *_presentation(proto, total),
        ZipEntry.of("docProps/core.xml", core_properties(
            meta.title, meta.subject, meta.author, meta.keywords, meta.when)),
        *entries,
    ], meta.when)


def _presentation(proto: DeckReference, total: int) -> list[ZipEntry]:
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
    return [ZipEntry.of(proto.presentation_part, serialise(presentation)),
            relationships_entry(f"{folder}/_rels/{name}.rels", tuple(rels))]


def _group() -> list[etree._Element]:
    return [el("p:nvGrpSpPr", None, el("p:cNvPr", {"id": 1, "name": ""}), el("p:cNvGrpSpPr"),
               el("p:nvPr")), el("p:grpSpPr")]


def _slide(shapes: list[etree._Element]) -> etree._Element:
    slide = copy_of(_empty_slide)
    slide[0][0].extend(shapes)  # p:sld/p:cSld/p:spTree
    return slide


def _empty_slide() -> etree._Element:
    tree = el("p:spTree", None, *_group())
    return el("p:sld", None, el("p:cSld", None, tree),
              el("p:clrMapOvr", None, el("a:masterClrMapping")), namespaces=nsmap("a", "p", "r"))


# A slide's notes are the same pack after pack (they are the teacher's script, not the school's).
@lru_cache(maxsize=1024)
def _notes_slide(text: str) -> bytes:
    """A notes slide: the slide's picture, and the notes as PowerPoint keeps them."""
    notes = copy_of(_empty_notes)
    notes[0][0][-1][-1].extend(plain_paragraphs(text))  # …/p:spTree/(notes p:sp)/p:txBody
    return serialise(notes)


def _empty_notes() -> etree._Element:
    image = el("p:sp", None, _nv_sp(2, "Slide Image Placeholder 1", {"type": "sldImg"},
                                    {"noGrp": 1, "noRot": 1, "noChangeAspect": 1}), el("p:spPr"))
    body = el("p:txBody", None, el("a:bodyPr"), el("a:lstStyle"))
    notes = el("p:sp", None, _nv_sp(3, "Notes Placeholder 2", {"type": "body", "idx": 1}, {"noGrp": 1}),
               el("p:spPr"), body)
    return el("p:notes", None, el("p:cSld", None, el("p:spTree", None, *_group(), image, notes)),
              el("p:clrMapOvr", None, el("a:masterClrMapping")), namespaces=nsmap("a", "p", "r"))


class _Shapes:
    """A slide's shapes, numbered from 2 (the shape tree itself is 1)."""

    def __init__(self) -> None:
        self.items: list[etree._Element] = []
        self.next_id = 2

    def new(self) -> tuple[int, int]:
        shape_id = self.next_id
        self.next_id += 1
        return shape_id, shape_id - 1

    def placeholder(self, ph: Placeholder, body: etree._Element) -> None:
        shape_id, n = self.new()
        label = "Title" if ph.is_title else "Subtitle" if ph.kind == "subTitle" else "Text Placeholder"
        self.items.append(el("p:sp", None, _nv_sp(shape_id, f"{label} {n}", dict(ph.attrs), {"noGrp": 1}),
                             el("p:spPr"), body))


def _title_slide(slide: Slide, layout: Layout, theme: PptxTheme, accent: str,
                 logo: Picture | None) -> list[etree._Element]:
    _, _, width, _ = theme.boxes["slide"]
    shapes = _Shapes()
    title = layout.title
    assert title is not None
    size = fitting_size(slide.title, _pt(title.width) - 16, _pt(title.height), 44, 28)
    shapes.placeholder(title, text_body([Paragraph((Span(slide.title, bold=True),))], size, accent))
    sub_ph = layout.subtitle
    if sub_ph is not None:
        lines = [b for b in slide.blocks if isinstance(b, Paragraph | ListItem | Heading)]
        joined = " ".join("".join(sp.text for sp in b.spans) for b in lines)
        size = fitting_size(joined, _pt(sub_ph.width) - 16, _pt(sub_ph.height) - 20, 24, 14)
        shapes.placeholder(sub_ph, text_body(lines, size, MUTED, bullets=False))
    shapes.items.append(_rectangle(*shapes.new(), (0, 0, width, emu(18)), accent))
    if logo:
        shape_id, n = shapes.new()
        nv = el("p:nvPicPr", None, el("p:cNvPr", {"id": shape_id, "name": f"Picture {n}", "descr": logo.alt}),
                el("p:cNvPicPr", None, el("a:picLocks", {"noChangeAspect": 1})), el("p:nvPr"))
        left = width - logo.width - EMU_PER_INCH // 2
        shapes.items.append(el("p:pic", None, nv, logo.blip_fill("rId2", "p:blipFill"),
                               logo.shape_properties(left, EMU_PER_INCH // 2, "p:spPr")))
    return shapes.items


def _content_slide(slide: Slide, layout: Layout, theme: PptxTheme, meta: DocMeta, accent: str,
                   number: int, total: int) -> list[etree._Element]:
    shapes = _Shapes()
    title = layout.title
    assert title is not None
    size = fitting_size(slide.title, _pt(title.width) - 16, _pt(title.height) - 8, TITLE_PT, 24)
    shapes.placeholder(title, text_body([Paragraph((Span(slide.title, bold=True),))], size, accent,
                                        anchor="b"))
    left, top, width, _ = theme.boxes["body"]
    shapes.items.append(_rectangle(*shapes.new(), (left, top - emu(4), emu(72), emu(4)), accent))
    y = top
    run: list = []
    for block in [*slide.blocks, None]:
        if isinstance(block, Table) or block is None:
            if run:
                h = emu(sum(theme.geometry.block_height(b) for b in run) + 10)
                shapes.items.append(_text_box(*shapes.new(), (left, y, width, h),
                                              text_body(run, BODY_PT, INK)))
                y += h
                run = []
            if isinstance(block, Table):
                frame, height = _table(*shapes.new(), block, (left, y, width), theme.geometry, accent)
                shapes.items.append(frame)
                y += height
        else:
            run.append(block)
    footer = Paragraph((Span(f"{' '.join(meta.footer.split())}   ·   {number}/{total}"),))
    shapes.items.append(_text_box(*shapes.new(), theme.boxes["footer"],
                                  text_body([footer], 12, MUTED, bullets=False)))
    return shapes.items

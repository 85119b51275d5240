"""The slides of a deck as PresentationML trees: the title slide, content slides and notes."""

from __future__ import annotations

from lxml import etree

from lessonpack.cache import memoized
from lessonpack.rendering import alt_text
from lessonpack.rendering.document import Block, Heading, ListItem, Paragraph, Slide, Span, Table, block_text
from lessonpack.writers.drawingml import (
    EMU_PER_INCH,
    Picture,
    emu,
    plain_paragraphs,
    pt,
    text_body,
)
from lessonpack.writers.opc import ZipEntry
from lessonpack.writers.oxml import copy_of, el, nsmap, qn, serialise
from lessonpack.writers.pptx_design import draw_body
from lessonpack.writers.pptx_draw import Canvas, fit
from lessonpack.writers.pptx_reference import Layout, Placeholder
from lessonpack.writers.pptx_shapes import INK, MUTED, _nv_sp, _rectangle, _table, _text_box
from lessonpack.writers.slide_layout import (
    BODY_PT,
    BULLET_INDENT_PT,
    LINE,
    TITLE_PT,
    Geometry,
    fits,
    fitting_size,
)
from lessonpack.xmltext import xml_text


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


# A slide's notes are the same pack after pack (they are the teacher's script, not the
# school's): each distinct notes part is built, serialised and compressed once per library.
@memoized("pptx-notes", 512)
def notes_slide(name: str, text: str) -> ZipEntry:
    """A notes slide: the slide's picture, and the notes as PowerPoint keeps them."""
    notes = copy_of(_empty_notes)
    notes[0][0][-1][-1].extend(plain_paragraphs(text))  # …/p:spTree/(notes p:sp)/p:txBody
    return ZipEntry.of(name, serialise(notes))


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


def title_slide(slide: Slide, layout: Layout, boxes: dict[str, tuple[int, int, int, int]], accent: str,
                logo: Picture | None) -> etree._Element:
    _, _, width, _ = boxes["slide"]
    shapes = _Shapes()
    title = layout.title
    assert title is not None
    size = fitting_size(slide.title, pt(title.width) - 16, pt(title.height), 44, 28)
    shapes.placeholder(title, text_body([Paragraph((Span(slide.title, bold=True),))], size, accent))
    sub_ph = layout.subtitle
    if sub_ph is not None:
        lines = [b for b in slide.blocks if isinstance(b, Paragraph | ListItem | Heading)]
        joined = " ".join("".join(sp.text for sp in b.spans) for b in lines)
        size = fitting_size(joined, pt(sub_ph.width) - 16, pt(sub_ph.height) - 20, 24, 14)
        shapes.placeholder(sub_ph, text_body(lines, size, MUTED, bullets=False))
    shapes.items.append(_rectangle(*shapes.new(), (0, 0, width, emu(18)), accent))
    if logo:
        shape_id, _ = shapes.new()
        left = width - logo.width - EMU_PER_INCH // 2
        shapes.items.append(_picture(shape_id, logo, left, EMU_PER_INCH // 2))
    return _slide(shapes.items)


def content_slide(slide: Slide, layout: Layout, boxes: dict[str, tuple[int, int, int, int]],
                  geometry: Geometry, footer: str, accent: str, number: int, total: int,
                  logo: Picture | None = None,
                  drawings: tuple[tuple[str, str], ...] = alt_text.ENGLISH) -> etree._Element:
    """A content slide: its title, text and tables, then the footer that numbers it (and the
    school's logo in the corner, if it has one)."""
    root = _content(layout, boxes["body"], geometry, slide.title, tuple(slide.blocks),
                    slide.layout, drawings).__copy__()
    colour = xml_text(accent)
    for element in root.iter(_COLOUR):
        if element.get("val") == _ACCENT:
            element.set("val", colour)
    tree = root[0][0]  # p:sld/p:cSld/p:spTree: its two properties, then shapes 2, 3, …
    line = Paragraph((Span(f"{' '.join(footer.split())}   ·   {number}/{total}"),))
    # Shapes in groups (icons) have ids of their own: the footer's comes after them all.
    next_id = 1 + max(int(e.get("id")) for e in root.iter(*_SHAPE_PROPS))
    tree.append(_text_box(next_id, next_id - 1, boxes["footer"], text_body([line], 12, MUTED, bullets=False)))
    if logo:
        left, top, width, height = boxes["footer"]
        tree.append(_picture(next_id + 1, logo, left + width - logo.width, top + height - logo.height))
    return root


def _picture(shape_id: int, logo: Picture, left: int, top: int) -> etree._Element:
    nv = el("p:nvPicPr", None, el("p:cNvPr", {"id": shape_id, "name": f"Picture {shape_id - 1}",
                                              "descr": logo.alt}),
            el("p:cNvPicPr", None, el("a:picLocks", {"noChangeAspect": 1})), el("p:nvPr"))
    return el("p:pic", None, nv, logo.blip_fill("rId2", "p:blipFill"),
              logo.shape_properties(left, top, "p:spPr"))


# A content slide is the same for every school of a key stage but for its footer (the school's
# name, the slide's number) and the school's colour: each distinct slide is built once per
# process in a stand-in colour, which is not a colour at all so it cannot be mistaken for
# one, and copied whole after, the school's colour put in its place. A built slide takes
# about 120 kB: 160 hold every content slide of the four decks, with room to spare.
_ACCENT = "accent"
_COLOUR = qn("a:srgbClr")
_SHAPE_PROPS = (qn("p:cNvPr"),)


@memoized("pptx-slide-body", 160)
def _content(layout: Layout, body: tuple[int, int, int, int], geometry: Geometry, title_text: str,
             blocks: tuple[Block, ...], design: str = "",
             drawings: tuple[tuple[str, str], ...] = alt_text.ENGLISH) -> etree._Element:
    accent = _ACCENT
    shapes = _Shapes()
    title = layout.title
    assert title is not None
    # A title stays on one line where it can: 34 pt down to 24 pt, two lines only past that.
    one_line = fitting_size(title_text, pt(title.width) - 16, TITLE_PT * LINE, TITLE_PT, 24)
    size = one_line if fits(title_text, pt(title.width) - 16, TITLE_PT * LINE, one_line) else \
        fitting_size(title_text, pt(title.width) - 16, pt(title.height) - 8, TITLE_PT, 24)
    shapes.placeholder(title, text_body([Paragraph((Span(title_text, bold=True),))], size, accent,
                                        anchor="b"))
    left, top, width, height = body
    shapes.items.append(_rectangle(*shapes.new(), (left, top - emu(4), emu(72), emu(4)), accent))
    if design:
        canvas = Canvas(shapes.next_id, drawings)
        if draw_body(canvas, design, blocks, body, accent):
            shapes.items += canvas.items
            return _slide(shapes.items)
    # Plain text and tables: as large as fits the body (paginate() made it fit at BODY_PT).
    texts = [b for b in blocks if not isinstance(b, Table)]
    size = BODY_PT
    if not any(isinstance(b, Table) for b in blocks):
        size = max(BODY_PT, fit([block_text(b) for b in texts], (left, top, width - emu(BULLET_INDENT_PT),
                                                                 height), 32, BODY_PT))
    y = top
    run: list = []
    for block in [*blocks, None]:
        if isinstance(block, Table) or block is None:
            if run:
                h = emu(sum(geometry.block_height(b) for b in run) + 10) if size == BODY_PT else height
                shapes.items.append(_text_box(*shapes.new(), (left, y, width, h),
                                              text_body(run, size, INK)))
                y += h
                run = []
            if isinstance(block, Table):
                frame, table_height = _table(*shapes.new(), block, (left, y, width), geometry, accent)
                shapes.items.append(frame)
                y += table_height
        else:
            run.append(block)
    return _slide(shapes.items)

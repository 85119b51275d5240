"""Deck → .pptx with python-pptx. Knows slides and shapes, nothing about the lesson."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.parts.slide import NotesSlidePart
from pptx.util import Emu, Inches, Pt

from ..document import Deck, Heading, ListItem, Paragraph, Slide, Span, Table
from ..templating import clean_text
from .meta import DocMeta, save_reproducibly
from .slide_layout import (
    BODY_PT,
    BULLET_INDENT_PT,
    CELL_PAD_PT,
    LINE,
    PARA_GAP_PT,
    TABLE_PT,
    TITLE_PT,
    Geometry,
    fitting_size,
    paginate,
)

EMU_PER_PT = 12700
INK = RGBColor(0x1F, 0x1F, 0x1F)
MUTED = RGBColor(0x4A, 0x4A, 0x4A)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
STRIPE = RGBColor(0xF2, 0xF4, 0xF7)


def _pt(emu: int) -> float:
    return emu / EMU_PER_PT


@dataclass
class PptxTheme:
    """A reference deck read once per process; each pack starts from its bytes."""

    path: Path

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()

    @cached_property
    def boxes(self) -> dict[str, tuple[int, int, int, int]]:
        prs = Presentation(io.BytesIO(self.data))
        title = _layout(prs, "Title Only").placeholders[0]
        margin = title.left
        body_top = title.top + title.height + Emu(Pt(6))
        footer_top = prs.slide_height - Emu(Pt(40))
        return {
            "slide": (0, 0, prs.slide_width, prs.slide_height),
            "title": (title.left, title.top, title.width, title.height),
            "body": (margin, body_top, title.width, footer_top - body_top - Emu(Pt(6))),
            "footer": (margin, footer_top, title.width, Emu(Pt(28))),
        }

    @cached_property
    def geometry(self) -> Geometry:
        _, _, width, height = self.boxes["body"]
        # Leave room for the text box's own insets.
        return Geometry(width=_pt(width) - 16, height=_pt(height) - 10)

    def paginate(self, deck: Deck) -> Deck:
        return paginate(deck, self.geometry)


def _layout(prs, name: str):
    for layout in prs.slide_layouts:
        if layout.name == name:
            return layout
    return prs.slide_layouts[5 if name == "Title Only" else 0]


def write_pptx(deck: Deck, theme: PptxTheme, meta: DocMeta) -> bytes:
    """The deck as .pptx bytes; `deck` must already be paginated."""
    prs = Presentation(io.BytesIO(theme.data))
    accent = RGBColor.from_string(meta.accent.lstrip("#"))
    for number, slide in enumerate(deck.slides, start=1):
        if slide.is_title:
            _title_slide(prs, slide, theme, meta, accent)
        else:
            _content_slide(prs, slide, theme, meta, accent, number, len(deck.slides))
    return save_reproducibly(prs, meta)


def _title_slide(prs, slide: Slide, theme: PptxTheme, meta: DocMeta, accent: RGBColor) -> None:
    s = prs.slides.add_slide(_layout(prs, "Title Slide"))
    _, _, width, height = theme.boxes["slide"]
    band = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, width, Emu(Pt(18)))
    _flat(band, accent)
    if meta.logo:
        _logo(s, meta, width)
    title = s.shapes.title
    size = fitting_size(slide.title, _pt(title.width) - 16, _pt(title.height), 44, 28)
    _fill(title.text_frame, [Paragraph((Span(slide.title, bold=True),))], size, accent)
    subtitle_text = [b for b in slide.blocks if isinstance(b, Paragraph | ListItem | Heading)]
    sub = next((ph for ph in s.placeholders if ph.placeholder_format.idx == 1), None)
    if sub is not None:
        joined = " ".join(_plain(b) for b in subtitle_text)
        size = fitting_size(joined, _pt(sub.width) - 16, _pt(sub.height) - 20, 24, 14)
        _fill(sub.text_frame, subtitle_text, size, MUTED, bullets=False)
    _notes(s, slide.notes)


def _logo(s, meta: DocMeta, slide_width: int) -> None:
    """The school's logo, top right, at most 1 in high and 2.6 in wide, with alt text."""
    picture = s.shapes.add_picture(io.BytesIO(meta.logo), 0, Inches(0.5), height=Inches(1.0))
    if picture.width > Inches(2.6):
        scale = Inches(2.6) / picture.width
        picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
    picture.left = slide_width - picture.width - Inches(0.5)
    picture._element.nvPicPr.cNvPr.set("descr", clean_text(meta.logo_alt))


def _content_slide(prs, slide, theme, meta, accent, number: int, total: int) -> None:
    s = prs.slides.add_slide(_layout(prs, "Title Only"))
    title = s.shapes.title
    size = fitting_size(slide.title, _pt(title.width) - 16, _pt(title.height) - 8, TITLE_PT, 24)
    _fill(title.text_frame, [Paragraph((Span(slide.title, bold=True),))], size, accent)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    left, top, width, height = theme.boxes["body"]
    rule = s.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top - Emu(Pt(4)), Emu(Pt(72)), Emu(Pt(4)))
    _flat(rule, accent)
    y = top
    run: list = []
    for block in [*slide.blocks, None]:
        if isinstance(block, Table) or block is None:
            if run:
                h = sum(theme.geometry.block_height(b) for b in run) + 10
                box = s.shapes.add_textbox(left, y, width, Emu(Pt(h)))
                _fill(box.text_frame, run, BODY_PT, INK)
                y += Emu(Pt(h))
                run = []
            if isinstance(block, Table):
                y += _table(s, block, left, y, width, theme.geometry, accent)
        else:
            run.append(block)
    f_left, f_top, f_width, f_height = theme.boxes["footer"]
    footer = s.shapes.add_textbox(f_left, f_top, f_width, f_height)
    _fill(footer.text_frame, [Paragraph((Span(f"{clean_text(meta.footer)}   ·   {number}/{total}"),))], 12,
          MUTED, bullets=False)
    _notes(s, slide.notes)


def _notes(s, text: str) -> None:
    """Speaker notes for slide `s`.

    python-pptx builds each notes slide from the notes master (cloning placeholders and
    scanning every part name), a quarter of a deck's time. The first notes slide is made
    that way; the rest copy its empty XML, which is the same for every slide.
    """
    package = s.part.package
    blank = getattr(package, "_lessonpack_blank_notes", None)
    if blank is None:
        notes = s.notes_slide
        package._lessonpack_blank_notes = (copy.deepcopy(notes._element), 1)
    else:
        element, count = blank
        count += 1
        package._lessonpack_blank_notes = (element, count)
        part = NotesSlidePart(PackURI(f"/ppt/notesSlides/notesSlide{count}.xml"),
                              CT.PML_NOTES_SLIDE, package, copy.deepcopy(element))
        part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
        part.relate_to(s.part, RT.SLIDE)
        s.part.relate_to(part, RT.NOTES_SLIDE)
        notes = part.notes_slide
    notes.notes_text_frame.text = text


def _table(s, table: Table, left, top, width, geo: Geometry, accent: RGBColor) -> int:
    rows = [table.header, *table.rows]
    cols = max(len(r) for r in rows)
    heights = [Emu(Pt(geo.row_height(r))) for r in rows]
    frame = s.shapes.add_table(len(rows), cols, left, top, width, sum(heights))
    grid = frame.table
    for c in range(cols):
        grid.columns[c].width = int(width / cols)
    for r, row in enumerate(rows):
        grid.rows[r].height = heights[r]
        for c in range(cols):
            cell = grid.cell(r, c)
            spans = row[c] if c < len(row) else ()
            header = r == 0
            if header:
                spans = tuple(Span(sp.text, True, sp.italic) for sp in spans)
            _fill(cell.text_frame, [Paragraph(spans)], TABLE_PT, WHITE if header else INK,
                  bullets=False)
            cell.fill.solid()
            cell.fill.fore_color.rgb = accent if header else (STRIPE if r % 2 == 0 else WHITE)
            cell.margin_top = cell.margin_bottom = Emu(Pt(CELL_PAD_PT / 2))
    return sum(heights) + Emu(Pt(PARA_GAP_PT))


def _flat(shape, colour: RGBColor) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = colour
    shape.line.fill.background()
    shape.shadow.inherit = False


def _plain(block) -> str:
    return "".join(sp.text for sp in block.spans)


def _fill(frame, blocks, size: int, colour: RGBColor, bullets: bool = True) -> None:
    """Replace a text frame's paragraphs with `blocks`.

    The XML is built directly with lxml: python-pptx's property-by-property API made
    this the slowest step of a pack, and the result is the same markup.
    """
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    body = frame._txBody
    for old in body.findall(qn("a:p")):
        body.remove(old)
    for block in blocks:
        body.append(_paragraph(block, size, str(colour), bullets))


def _paragraph(block, size: int, colour: str, bullets: bool) -> etree._Element:
    p = etree.Element(qn("a:p"))
    ppr = etree.SubElement(p, qn("a:pPr"), algn="l")
    spacing = etree.SubElement(etree.SubElement(ppr, qn("a:lnSpc")), qn("a:spcPct"))
    spacing.set("val", str(int(LINE * 0.83 * 100000)))  # PowerPoint's 100% is ~1.2 × the size
    etree.SubElement(etree.SubElement(ppr, qn("a:spcAft")), qn("a:spcPts"),
                     val=str(PARA_GAP_PT * 100))
    if bullets and isinstance(block, ListItem):
        indent = int(BULLET_INDENT_PT * EMU_PER_PT)
        ppr.set("marL", str(indent * (block.level + 1)))
        ppr.set("indent", str(-indent))
        if block.number is not None:
            etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod", startAt=str(block.number))
        else:
            etree.SubElement(ppr, qn("a:buFont"), typeface="Arial")
            etree.SubElement(ppr, qn("a:buChar"), char="•" if block.level == 0 else "–")
    else:
        ppr.set("marL", "0")
        ppr.set("indent", "0")
        etree.SubElement(ppr, qn("a:buNone"))
    heading = isinstance(block, Heading)
    run_size = str((size + (2 if heading else 0)) * 100)
    for span in block.spans:
        r = etree.SubElement(p, qn("a:r"))
        rpr = etree.SubElement(r, qn("a:rPr"), lang="en-GB", sz=run_size)
        if span.bold or heading:
            rpr.set("b", "1")
        if span.italic:
            rpr.set("i", "1")
        etree.SubElement(etree.SubElement(rpr, qn("a:solidFill")), qn("a:srgbClr"), val=colour)
        etree.SubElement(r, qn("a:t")).text = span.text
    return p





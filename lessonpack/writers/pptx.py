"""Deck → .pptx. Knows slides and shapes, nothing about the lesson.

Slides are written as XML text into a zip made from the reference deck's own parts.
python-pptx is used once per reference deck (per process): to find the layouts and
their placeholders, and to make the parts that every deck shares (notes master and its
theme). Building each shape through python-pptx's objects took most of a pack's time;
the markup written here is the markup python-pptx wrote.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property, lru_cache

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn
from pptx.parts.coreprops import CorePropertiesPart
from pptx.parts.image import Image
from pptx.util import Emu, Inches, Pt

from ..document import Deck, Heading, ListItem, Paragraph, Slide, Span, Table
from ..templating import clean_text
from .meta import DocMeta, ReferenceFile, ZipEntry, set_core_properties, write_zip
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
INK = "1F1F1F"
MUTED = "4A4A4A"
WHITE = "FFFFFF"
STRIPE = "F2F4F7"

XML_HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
NS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS_HEAD = (XML_HEAD + '<Relationships '
             'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')


def _pt(emu: int) -> float:
    return emu / EMU_PER_PT


def _emu(points: float) -> int:
    return int(Emu(Pt(points)))


class PptxTheme(ReferenceFile):
    """The reference deck; each pack starts from its parts."""

    @property
    def prototype(self) -> _Prototype:
        return _prototype(self.data)

    @cached_property
    def boxes(self) -> dict[str, tuple[int, int, int, int]]:
        proto = self.prototype
        _, _, width, height = proto.slide_size
        title = proto.title_only.title
        margin = title.left
        body_top = title.top + title.height + _emu(6)
        footer_top = height - _emu(40)
        return {
            "slide": (0, 0, width, height),
            "title": (title.left, title.top, title.width, title.height),
            "body": (margin, body_top, title.width, footer_top - body_top - _emu(6)),
            "footer": (margin, footer_top, title.width, _emu(28)),
        }

    @cached_property
    def geometry(self) -> Geometry:
        _, _, width, height = self.boxes["body"]
        # Leave room for the text box's own insets.
        return Geometry(width=_pt(width) - 16, height=_pt(height) - 10)

    def paginate(self, deck: Deck) -> Deck:
        return paginate(deck, self.geometry)


# --- what is read once from the reference deck --------------------------------------------


@dataclass(frozen=True)
class _Placeholder:
    """A layout placeholder as python-pptx clones it onto a new slide."""

    xml: str  # the clone, empty, as written when we leave it alone
    head: str  # the clone up to its text body, to which we add our own text body
    idx: int
    is_title: bool
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class _Layout:
    target: str  # relationship target from a slide, "../slideLayouts/slideLayout1.xml"
    placeholders: tuple[_Placeholder, ...]

    @property
    def title(self) -> _Placeholder:
        return next(ph for ph in self.placeholders if ph.is_title)

    def by_idx(self, idx: int) -> _Placeholder | None:
        return next((ph for ph in self.placeholders if ph.idx == idx and not ph.is_title), None)


@dataclass(frozen=True)
class _Prototype:
    title_slide: _Layout
    title_only: _Layout
    slide_size: tuple[int, int, int, int]
    parts: tuple[tuple[str, ZipEntry | None], ...]  # in zip order; None: written per deck
    presentation: tuple[str, str]  # presentation.xml before and after the slide list
    presentation_rels: tuple[str, int]  # the rels without slides, and the last rId number
    content_types: str  # [Content_Types].xml without slides, notes or media
    core: bytes  # docProps/core.xml
    notes: tuple[str, str]  # a notes slide before and after its text
    notes_master: str  # relationship target from a notes slide


NOTES_MARK = "lessonpack-notes-go-here"
_PER_DECK = ("[Content_Types].xml", "ppt/presentation.xml", "ppt/_rels/presentation.xml.rels",
             "docProps/core.xml")


def _layout(prs, name: str):
    for layout in prs.slide_layouts:
        if layout.name == name:
            return layout
    return prs.slide_layouts[5 if name == "Title Only" else 0]


@lru_cache(maxsize=4)
def _prototype(data: bytes) -> _Prototype:
    """Everything a deck needs from the reference deck, worked out with python-pptx once.

    A slide of each layout we use and one notes slide are made and saved; their markup
    and the package around them become the templates each deck is written from. Slides
    already in the reference deck are dropped, as pandoc does with a reference document.
    """
    prs = Presentation(io.BytesIO(data))
    slide_ids = prs.slides._sldIdLst
    for sld_id in list(slide_ids):
        prs.part.drop_rel(sld_id.rId)
        slide_ids.remove(sld_id)
    layouts = []
    for name in ("Title Slide", "Title Only"):
        layout = _layout(prs, name)
        slide = prs.slides.add_slide(layout)
        layouts.append(_read_layout(slide, "../slideLayouts/" + layout.part.partname.filename))
    notes = prs.slides[0].notes_slide
    notes.notes_text_frame.text = NOTES_MARK
    notes_xml = etree.tostring(notes._element, encoding="unicode")
    marker = f"<a:p><a:r><a:t>{NOTES_MARK}</a:t></a:r></a:p>"
    before, after = notes_xml.split(marker)
    notes_master = "../notesMasters/" + prs.notes_master.part.partname.filename
    out = io.BytesIO()
    prs.save(out)
    with zipfile.ZipFile(out) as archive:
        saved = {name: archive.read(name) for name in archive.namelist()}
    presentation = saved["ppt/presentation.xml"].decode()
    head, _, rest = presentation.partition("<p:sldIdLst>")
    _, _, tail = rest.partition("</p:sldIdLst>")
    rels = re.sub(r'<Relationship [^>]*Type="[^"]*/slide"[^>]*/>', "",
                  saved["ppt/_rels/presentation.xml.rels"].decode())
    last_rid = max(int(n) for n in re.findall(r'Id="rId(\d+)"', rels))
    types = re.sub(r'<Override PartName="/ppt/(slides|notesSlides)/[^>]*/>', "",
                   saved["[Content_Types].xml"].decode())
    shared = tuple(
        (name, None if name in _PER_DECK else ZipEntry.of(name, content))
        for name, content in saved.items()
        if not name.startswith(("ppt/slides/", "ppt/notesSlides/"))
    )
    return _Prototype(
        title_slide=layouts[0], title_only=layouts[1],
        slide_size=(0, 0, prs.slide_width, prs.slide_height),
        parts=shared, presentation=(head + "<p:sldIdLst>", "</p:sldIdLst>" + tail),
        presentation_rels=(rels, last_rid), content_types=types,
        core=saved["docProps/core.xml"], notes=(before, after), notes_master=notes_master,
    )


_NS_DECL = re.compile(r' xmlns:\w+="[^"]*"')


def _markup(element) -> str:
    """An element's XML without namespace declarations (the slide's root declares them)."""
    text = etree.tostring(element, encoding="unicode")
    end = text.index(">")
    return _NS_DECL.sub("", text[:end]) + text[end:]


def _read_layout(slide, target: str) -> _Layout:
    title = slide.shapes.title
    placeholders = []
    for shape in slide.placeholders:
        element = shape._element
        whole = _markup(element)
        tx_body = element.find(qn("p:txBody"))
        if tx_body is not None:
            element.remove(tx_body)
        head = _markup(element).removesuffix("</p:sp>")
        placeholders.append(_Placeholder(
            xml=whole, head=head, idx=shape.placeholder_format.idx,
            is_title=title is not None and element is title._element,
            left=shape.left, top=shape.top, width=shape.width, height=shape.height,
        ))
    return _Layout(target=target, placeholders=tuple(placeholders))


# --- writing a deck ------------------------------------------------------------------------


@dataclass
class _Part:
    name: str
    xml: str


def write_pptx(deck: Deck, theme: PptxTheme, meta: DocMeta) -> bytes:
    """The deck as .pptx bytes; `deck` must already be paginated."""
    proto = theme.prototype
    accent = meta.accent.lstrip("#").upper()
    logo = _Logo.of(meta) if meta.logo else None
    parts: list[_Part] = []
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        rels = []
        if slide.is_title:
            layout = proto.title_slide
            shapes = _title_slide(slide, layout, theme, meta, accent, logo)
            if logo:
                rels.append(("image", f"../media/{logo.filename}"))
        else:
            layout = proto.title_only
            shapes = _content_slide(slide, layout, theme, meta, accent, number, total)
        rels.insert(0, ("slideLayout", layout.target))
        rels.append(("notesSlide", f"../notesSlides/notesSlide{number}.xml"))
        parts.append(_Part(f"ppt/slides/slide{number}.xml",
                           f"{XML_HEAD}<p:sld {NS}><p:cSld><p:spTree>{_GROUP}{shapes}"
                           "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/>"
                           "</p:clrMapOvr></p:sld>"))
        parts.append(_Part(f"ppt/slides/_rels/slide{number}.xml.rels", _rels(rels)))
        parts.append(_Part(f"ppt/notesSlides/notesSlide{number}.xml",
                           XML_HEAD + proto.notes[0] + _notes_text(slide.notes) + proto.notes[1]))
        parts.append(_Part(f"ppt/notesSlides/_rels/notesSlide{number}.xml.rels", _rels([
            ("notesMaster", proto.notes_master), ("slide", f"../slides/slide{number}.xml")])))
    return _package(proto, parts, total, meta, logo)


def _package(proto: _Prototype, parts: list[_Part], total: int, meta: DocMeta,
             logo: _Logo | None) -> bytes:
    """The reference deck's parts, with the slide list, content types and properties
    that name this deck's slides, then the slides themselves."""
    rels, last_rid = proto.presentation_rels
    slide_rels = "".join(
        f'<Relationship Id="rId{last_rid + n}" Type="{REL}/slide" Target="slides/slide{n}.xml"/>'
        for n in range(1, total + 1))
    slide_ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{last_rid + n}"/>'
                        for n in range(1, total + 1))
    types = "".join(
        f'<Override PartName="/{part.name}" ContentType="{_content_type(part.name)}"/>'
        for part in parts if not part.name.endswith(".rels"))
    if logo and f'Extension="{logo.ext}"' not in proto.content_types:
        types = f'<Default Extension="{logo.ext}" ContentType="{logo.content_type}"/>' + types
    per_deck = {
        "[Content_Types].xml": proto.content_types.replace("</Types>", types + "</Types>"),
        "ppt/presentation.xml": proto.presentation[0] + slide_ids + proto.presentation[1],
        "ppt/_rels/presentation.xml.rels": rels.replace("</Relationships>",
                                                        slide_rels + "</Relationships>"),
    }
    entries = []
    for name, entry in proto.parts:
        if entry is not None:
            entries.append(entry)
        elif name == "docProps/core.xml":
            entries.append(ZipEntry.of(name, _core(proto.core, meta)))
        else:
            entries.append(ZipEntry.of(name, per_deck[name].encode()))
    entries += [ZipEntry.of(part.name, part.xml.encode()) for part in parts]
    if logo:
        entries.append(ZipEntry.of(f"ppt/media/{logo.filename}", logo.blob, level=0))
    return write_zip(entries, meta.when)


def _content_type(name: str) -> str:
    return CT.PML_SLIDE if name.startswith("ppt/slides/") else CT.PML_NOTES_SLIDE


def _core(reference: bytes, meta: DocMeta) -> bytes:
    part = CorePropertiesPart.load(PackURI("/docProps/core.xml"), CT.OPC_CORE_PROPERTIES,
                                   None, reference)
    set_core_properties(part, meta)
    return part.blob


def _rels(rels: list[tuple[str, str]]) -> str:
    body = "".join(f'<Relationship Id="rId{n}" Type="{REL}/{kind}" Target="{target}"/>'
                   for n, (kind, target) in enumerate(rels, start=1))
    return f"{RELS_HEAD}{body}</Relationships>"


_GROUP = ('<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
          "<p:grpSpPr/>")


class _Shapes:
    """A slide's own shapes as XML, numbered as python-pptx numbers them: ids follow the
    placeholders' (the group is 1), and each name counts from its id - 1."""

    def __init__(self, layout: _Layout) -> None:
        self.xml: list[str] = []
        self.next_id = 2 + len(layout.placeholders)

    def new(self) -> tuple[int, int]:
        shape_id = self.next_id
        self.next_id += 1
        return shape_id, shape_id - 1


def _placeholders(layout: _Layout, bodies: dict[int | str, str]) -> str:
    """The layout's placeholders, in order; those in `bodies` (by idx, or "title") get
    that text body, the rest stay empty as python-pptx clones them."""
    out = []
    for ph in layout.placeholders:
        body = bodies.get("title" if ph.is_title else ph.idx)
        out.append(ph.xml if body is None else f"{ph.head}{body}</p:sp>")
    return "".join(out)


def _title_slide(slide: Slide, layout: _Layout, theme: PptxTheme, meta: DocMeta, accent: str,
                 logo: _Logo | None) -> str:
    _, _, width, _ = theme.boxes["slide"]
    title = layout.title
    size = fitting_size(slide.title, _pt(title.width) - 16, _pt(title.height), 44, 28)
    bodies: dict[int | str, str] = {
        "title": _text_body([Paragraph((Span(slide.title, bold=True),))], size, accent)}
    sub = layout.by_idx(1)
    if sub is not None:
        subtitle_text = [b for b in slide.blocks if isinstance(b, Paragraph | ListItem | Heading)]
        joined = " ".join(_plain(b) for b in subtitle_text)
        size = fitting_size(joined, _pt(sub.width) - 16, _pt(sub.height) - 20, 24, 14)
        bodies[sub.idx] = _text_body(subtitle_text, size, MUTED, bullets=False)
    shapes = _Shapes(layout)
    shapes.xml.append(_rectangle(*shapes.new(), 0, 0, width, _emu(18), accent))
    if logo:
        shapes.xml.append(logo.picture(*shapes.new(), width))
    return _placeholders(layout, bodies) + "".join(shapes.xml)


def _content_slide(slide: Slide, layout: _Layout, theme: PptxTheme, meta: DocMeta, accent: str,
                   number: int, total: int) -> str:
    title = layout.title
    size = fitting_size(slide.title, _pt(title.width) - 16, _pt(title.height) - 8, TITLE_PT, 24)
    title_body = _text_body([Paragraph((Span(slide.title, bold=True),))], size, accent,
                            anchor="b")
    left, top, width, _ = theme.boxes["body"]
    shapes = _Shapes(layout)
    shapes.xml.append(_rectangle(*shapes.new(), left, top - _emu(4), _emu(72), _emu(4),
                                 accent))
    y = top
    run: list = []
    for block in [*slide.blocks, None]:
        if isinstance(block, Table) or block is None:
            if run:
                h = _emu(sum(theme.geometry.block_height(b) for b in run) + 10)
                body = _text_body(run, BODY_PT, INK)
                shapes.xml.append(_text_box(*shapes.new(), left, y, width, h, body))
                y += h
                run = []
            if isinstance(block, Table):
                table, height = _table(block, width, theme.geometry, accent)
                shapes.xml.append(_frame(*shapes.new(), left, y, table))
                y += height
        else:
            run.append(block)
    f_left, f_top, f_width, f_height = theme.boxes["footer"]
    footer = _text_body([Paragraph((Span(f"{clean_text(meta.footer)}   ·   {number}/{total}"),))],
                        12, MUTED, bullets=False)
    shapes.xml.append(_text_box(*shapes.new(), f_left, f_top, f_width, f_height, footer))
    return _placeholders(layout, {"title": title_body}) + "".join(shapes.xml)


def _xfrm(left: int, top: int, width: int, height: int, tag: str = "a:xfrm") -> str:
    return f'<{tag}><a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/></{tag}>'


def _rectangle(shape_id: int, n: int, left: int, top: int, width: int, height: int,
               colour: str) -> str:
    """A flat rectangle: filled, no outline, no shadow."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Rectangle {n}"/><p:cNvSpPr/><p:nvPr/>'
        f'</p:nvSpPr><p:spPr>{_xfrm(left, top, width, height)}<a:prstGeom prst="rect">'
        f'<a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        '<a:ln><a:noFill/></a:ln><a:effectLst/></p:spPr><p:style><a:lnRef idx="1">'
        '<a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="3"><a:schemeClr val="accent1"/>'
        '</a:fillRef><a:effectRef idx="2"><a:schemeClr val="accent1"/></a:effectRef>'
        '<a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style><p:txBody>'
        '<a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p>'
        '</p:txBody></p:sp>'
    )


def _text_box(shape_id: int, n: int, left: int, top: int, width: int, height: int,
              body: str) -> str:
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="TextBox {n}"/><p:cNvSpPr txBox="1"/>'
        f'<p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(left, top, width, height)}<a:prstGeom prst="rect">'
        f'<a:avLst/></a:prstGeom><a:noFill/></p:spPr>{body}</p:sp>'
    )


def _frame(shape_id: int, n: int, left: int, top: int, table: _TableXml) -> str:
    return (
        f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Table {n}"/>'
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
        f'</p:nvGraphicFramePr>{_xfrm(left, top, table.width, table.height, "p:xfrm")}'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
        f'{table.xml}</a:graphicData></a:graphic></p:graphicFrame>'
    )


@dataclass(frozen=True)
class _TableXml:
    xml: str
    width: int
    height: int


# python-pptx's default for new tables: "Medium Style 2 - Accent 1".
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"


def _table(table: Table, width: int, geo: Geometry, accent: str) -> tuple[_TableXml, int]:
    """The table's XML, and how far down the slide it reaches (with the gap after it)."""
    rows = [table.header, *table.rows]
    cols = max(len(r) for r in rows)
    col_width = int(width / cols)
    margin = _emu(CELL_PAD_PT / 2)
    out = [f'<a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>{TABLE_STYLE}'
           '</a:tableStyleId></a:tblPr><a:tblGrid>', f'<a:gridCol w="{col_width}"/>' * cols,
           '</a:tblGrid>']
    heights = [_emu(geo.row_height(r)) for r in rows]
    for r, row in enumerate(rows):
        header = r == 0
        colour, fill = (WHITE, accent) if header else (INK, STRIPE if r % 2 == 0 else WHITE)
        out.append(f'<a:tr h="{heights[r]}">')
        for c in range(cols):
            spans = row[c] if c < len(row) else ()
            if header:
                spans = tuple(Span(sp.text, True, sp.italic) for sp in spans)
            body = _text_body([Paragraph(spans)], TABLE_PT, colour, bullets=False,
                              tag="a:txBody")
            out.append(f'<a:tc>{body}<a:tcPr marT="{margin}" marB="{margin}"><a:solidFill>'
                       f'<a:srgbClr val="{fill}"/></a:solidFill></a:tcPr></a:tc>')
        out.append("</a:tr>")
    out.append("</a:tbl>")
    height = sum(heights)
    return _TableXml("".join(out), col_width * cols, height), height + _emu(PARA_GAP_PT)


@dataclass(frozen=True)
class _Logo:
    """The school's logo as a picture part: at most 1 in high and 2.6 in wide."""

    blob: bytes
    ext: str
    content_type: str
    width: int
    height: int
    alt: str

    @property
    def filename(self) -> str:
        return f"image1.{self.ext}"

    @classmethod
    def of(cls, meta: DocMeta) -> _Logo:
        image = Image.from_blob(meta.logo)
        (px_w, px_h), (dpi_x, dpi_y) = image.size, image.dpi
        native_w, native_h = int(914400 * px_w / dpi_x), int(914400 * px_h / dpi_y)
        height = int(Inches(1.0))
        width = int(round(native_w * (height / native_h)))
        if width > Inches(2.6):
            scale = Inches(2.6) / width
            width, height = int(width * scale), int(height * scale)
        return cls(meta.logo, image.ext, image.content_type, width, height,
                   clean_text(meta.logo_alt))

    def picture(self, shape_id: int, n: int, slide_width: int) -> str:
        """Top right of the slide, with its alternative text (rId2: after the layout)."""
        left = slide_width - self.width - int(Inches(0.5))
        return (
            f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="Picture {n}" '
            f'descr="{_attr(self.alt)}"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/>'
            '</p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId2"/><a:stretch>'
            f'<a:fillRect/></a:stretch></p:blipFill><p:spPr>'
            f'{_xfrm(left, int(Inches(0.5)), self.width, self.height)}<a:prstGeom prst="rect">'
            '<a:avLst/></a:prstGeom></p:spPr></p:pic>'
        )


def _plain(block) -> str:
    return "".join(sp.text for sp in block.spans)


def _text(value: str) -> str:
    """Text content escaped as lxml escapes it."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _attr(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\n", "&#10;")
            .replace("\t", "&#9;"))


def _text_body(blocks, size: int, colour: str, bullets: bool = True, anchor: str = "",
               tag: str = "p:txBody") -> str:
    """A text body holding `blocks`: wrapped, never auto-fitted (we paginate instead)."""
    anchor_attr = f' anchor="{anchor}"' if anchor else ""
    paragraphs = "".join(_paragraph(block, size, colour, bullets) for block in blocks)
    return (f'<{tag}><a:bodyPr wrap="square"{anchor_attr}><a:noAutofit/></a:bodyPr>'
            f'<a:lstStyle/>{paragraphs or "<a:p/>"}</{tag}>')


# PowerPoint's 100% line spacing is ~1.2 × the size, so LINE is scaled to match.
_SPACING = (f'<a:lnSpc><a:spcPct val="{int(LINE * 0.83 * 100000)}"/></a:lnSpc>'
            f'<a:spcAft><a:spcPts val="{PARA_GAP_PT * 100}"/></a:spcAft>')
_INDENT = int(BULLET_INDENT_PT * EMU_PER_PT)


def _paragraph(block, size: int, colour: str, bullets: bool) -> str:
    if bullets and isinstance(block, ListItem):
        ppr = f'<a:pPr algn="l" marL="{_INDENT * (block.level + 1)}" indent="{-_INDENT}">'
        if block.number is not None:
            bullet = f'<a:buAutoNum type="arabicPeriod" startAt="{block.number}"/>'
        else:
            bullet = ('<a:buFont typeface="Arial"/>'
                      f'<a:buChar char="{"•" if block.level == 0 else "–"}"/>')
    else:
        ppr, bullet = '<a:pPr algn="l" marL="0" indent="0">', "<a:buNone/>"
    heading = isinstance(block, Heading)
    run_size = (size + (2 if heading else 0)) * 100
    runs = []
    for span in block.spans:
        flags = (' b="1"' if span.bold or heading else "") + (' i="1"' if span.italic else "")
        runs.append(f'<a:r><a:rPr lang="en-GB" sz="{run_size}"{flags}><a:solidFill>'
                    f'<a:srgbClr val="{colour}"/></a:solidFill></a:rPr>'
                    f'<a:t>{_text(span.text)}</a:t></a:r>')
    return f'<a:p>{ppr}{_SPACING}{bullet}</a:pPr>{"".join(runs)}</a:p>'


_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")


def _notes_text(text: str) -> str:
    """Speaker notes as python-pptx's `text_frame.text = text` writes them: a paragraph
    per line, a line break for each vertical tab, control characters spelled out."""
    paragraphs = []
    for line in text.split("\n"):
        parts = []
        for index, piece in enumerate(line.split("\v")):
            if index:
                parts.append("<a:br/>")
            if piece:
                piece = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", piece)
                parts.append(f"<a:r><a:t>{_text(piece)}</a:t></a:r>")
        paragraphs.append(f"<a:p>{''.join(parts)}</a:p>" if parts else "<a:p/>")
    return "".join(paragraphs)

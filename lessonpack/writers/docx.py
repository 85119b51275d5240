"""Document → .docx. Knows paragraphs and styles, nothing about the lesson.

The body and headers are built as lxml trees and serialised once, into a zip made from
the reference document's own parts (read once per process, see docx_reference.py).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from lessonpack.rendering.document import (
    Block,
    Document,
    Heading,
    ListItem,
    PageBreak,
    Paragraph,
    Span,
    Table,
    WriteSpace,
)
from lessonpack.writers.docx_reference import (
    CT_WML,
    SECT_ORDER,
    WIDE_MARGIN,
    DocumentReference,
    read_reference,
)
from lessonpack.writers.drawingml import EMU_PER_INCH, Picture
from lessonpack.writers.meta import DocMeta, ReferenceFile
from lessonpack.writers.opc import (
    IMAGE_TYPES,
    ZipEntry,
    content_types,
    core_properties,
    relationships,
    write_zip,
)
from lessonpack.writers.oxml import copy_of, el, insert_in_order, nsmap, qn, serialise, sub
from lessonpack.xmltext import xml_text

TWIPS_PER_EMU = 1 / 635
PIC_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"


class DocxTheme(ReferenceFile):
    """The reference .docx; each document starts from its parts."""

    @property
    def prototype(self) -> DocumentReference:
        return _reference(self.path, self.data)


@lru_cache(maxsize=4)
def _reference(path: Path, data: bytes) -> DocumentReference:
    return read_reference(path, data)


@dataclass
class _Parts:
    """What one document adds to its reference: headers, a logo, relationships."""

    ref: DocumentReference
    rels: list[tuple[str, str, str]] = field(default_factory=list)
    entries: list[ZipEntry] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rels = list(self.ref.rels)

    def free_name(self, pattern: str) -> str:
        taken = self.ref.taken | {e.name.decode() for e in self.entries}
        return next(pattern.format(n) for n in range(1, 10000) if pattern.format(n) not in taken)

    def add_rel(self, kind: str, target: str) -> str:
        used = {rid for rid, _, _ in self.rels}
        rid = next(f"rId{n}" for n in range(1, 100000) if f"rId{n}" not in used)
        self.rels.append((rid, kind, target))
        return rid


def write_docx(document: Document, theme: DocxTheme, meta: DocMeta) -> bytes:
    ref = theme.prototype
    root = ref.new_document()
    body = root.find(qn("w:body"))
    sect_pr = body[-1]
    if meta.large_print:
        margins = sect_pr.find(qn("w:pgMar"))
        if margins is None:
            margins = el("w:pgMar", {"w:header": 720, "w:footer": 720, "w:gutter": 0})
            insert_in_order(sect_pr, margins, SECT_ORDER)
        for side in ("top", "bottom", "left", "right"):
            margins.set(qn(f"w:{side}"), str(WIDE_MARGIN))
    line_width = _line_width(sect_pr)
    parts = _Parts(ref)
    if document.header:
        _header(parts, sect_pr, "default", document.header, line_width, meta, logo=None)
    if document.letterhead:
        # A letterhead heads the first page; later pages keep the running header, if any.
        logo = None
        if meta.logo:
            logo = Picture.fit(meta.logo, meta.logo_alt, int(line_width / TWIPS_PER_EMU),
                               int(1.6 / 2.54 * EMU_PER_INCH))
        _header(parts, sect_pr, "first", document.letterhead, line_width, meta, logo)
        insert_in_order(sect_pr, el("w:titlePg"), SECT_ORDER)
    for element in _blocks(document.blocks, ref.style_ids, line_width):
        sect_pr.addprevious(element)
    styles = ref.large_print_styles if meta.large_print else ref.styles_xml
    overrides = {**ref.overrides, **parts.overrides}
    overrides.setdefault("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")
    defaults = dict(ref.defaults)
    for entry in parts.entries:
        ext = entry.name.decode().rpartition(".")[2]
        if ext in IMAGE_TYPES:
            defaults.setdefault(ext, IMAGE_TYPES[ext])
    folder, _, name = ref.part.rpartition("/")
    entries = [
        ZipEntry.of("[Content_Types].xml", serialise(content_types(defaults, overrides))),
        *ref.shared,
        ZipEntry.of(ref.part, serialise(root)),
        ZipEntry.of(f"{folder}/_rels/{name}.rels", serialise(relationships(parts.rels))),
        ZipEntry.of("docProps/core.xml", core_properties(
            meta.title, meta.subject, meta.author, meta.keywords, meta.when)),
        *parts.entries,
    ]
    if ref.styles_part and styles is not None:
        entries.insert(3, ZipEntry.of(ref.styles_part, styles))
    return write_zip(entries, meta.when)


def _line_width(sect_pr: etree._Element) -> int:
    """The width between the margins, in twentieths of a point (A4 with 1 in margins if unsaid)."""
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))

    def twips(element, name: str, default: int) -> int:
        value = element.get(qn(f"w:{name}")) if element is not None else None
        return int(value) if value is not None and value.lstrip("-").isdigit() else default

    width = twips(size, "w", 11906) - twips(margins, "left", 1440) - twips(margins, "right", 1440)
    return max(width, 1440)


@dataclass
class _Para:
    """One w:p, its properties kept apart until built, so headers can adjust them."""

    runs: list[etree._Element] = field(default_factory=list)
    style: str | None = None
    keep_next: bool = False
    border: str | None = None  # colour of a rule below, "RRGGBB"
    before: int | None = None  # spacing, twentieths of a point
    after: int | None = None
    indent: tuple[int, int] | None = None  # (left, hanging), twentieths of a point

    def element(self) -> etree._Element:
        out = copy_of(_empty_paragraph, self.style, self.keep_next, self.border, self.before,
                      self.after, self.indent)
        out.extend(self.runs)
        return out


def _empty_paragraph(style: str | None, keep_next: bool, border: str | None, before: int | None,
                     after: int | None, indent: tuple[int, int] | None) -> etree._Element:
    # Properties in the order the schema requires.
    ppr = el("w:pPr")
    if style:
        sub(ppr, "w:pStyle", {"w:val": style})
    if keep_next:
        sub(ppr, "w:keepNext")
    if border:
        sub(ppr, "w:pBdr", None, el("w:bottom", {"w:val": "single", "w:sz": 6, "w:space": 1,
                                                  "w:color": border}))
    if before is not None or after is not None:
        sub(ppr, "w:spacing", {"w:before": before, "w:after": after})
    if indent:
        sub(ppr, "w:ind", {"w:left": indent[0], "w:hanging": indent[1]})
    return el("w:p", None, ppr if len(ppr) else None)


def _style(styles: dict[str, str], *names: str) -> str | None:
    name = next((n for n in names if n in styles), None)
    return styles[name] if name is not None and name != "Normal" else None


def _paras(blocks: list[Block], styles: dict[str, str], line_width: int) -> list[_Para | etree._Element]:
    out: list[_Para | etree._Element] = []
    for block in blocks:
        if isinstance(block, Table):
            out.append(_table(block, styles, line_width))
        elif isinstance(block, PageBreak):
            out.append(_Para([el("w:r", None, el("w:br", {"w:type": "page"}))]))
        elif isinstance(block, Heading):
            out.append(_Para(_runs(block.spans), _style(styles, f"Heading {min(block.level, 3)}"),
                             keep_next=True))
        elif isinstance(block, ListItem):
            if block.number is None:
                name = "List Bullet 2" if block.level else "List Bullet"
                out.append(_Para(_runs(block.spans), _style(styles, name)))
            else:
                # Explicit numbers: Word's shared list numbering would run on across lists.
                out.append(_Para(_runs((Span(f"{block.number}.\t"), *block.spans)),
                                 _style(styles, "List Paragraph"),
                                 indent=(20 * 22 * (block.level + 1), 20 * 16)))
        elif isinstance(block, WriteSpace):
            # Ruled lines to write on: empty paragraphs with a bottom border, 1 cm apart.
            out += [_Para(style=_style(styles, "Answer Line"), border="808080", before=280, after=0)
                    for _ in range(max(1, block.lines))]
        elif isinstance(block, Paragraph):
            out.append(_Para(_runs(block.spans)))
    return out


def _blocks(blocks: list[Block], styles: dict[str, str], line_width: int) -> list[etree._Element]:
    return [p.element() if isinstance(p, _Para) else p for p in _paras(blocks, styles, line_width)]


def _header(parts: _Parts, sect_pr: etree._Element, kind: str, blocks: list[Block], line_width: int,
            meta: DocMeta, logo: Picture | None) -> None:
    """A header part of `kind` ("default" or "first") in place of the reference's own."""
    styles = parts.ref.style_ids
    items = _paras(blocks, styles, line_width)
    paragraphs = [p for p in items if isinstance(p, _Para)]
    for index, paragraph in enumerate(paragraphs):
        if index == 0 and paragraph.style is None:
            paragraph.style = _style(styles, "Header")  # the header's own first paragraph
        paragraph.after = 0  # headers are compact
    if paragraphs:
        paragraphs[-1].border = meta.accent.lstrip("#")
    header = el("w:hdr", namespaces=nsmap("w", "r", "wp", "a", "pic"))
    name = parts.free_name("word/header{}.xml")
    header_rels = []
    if logo:
        media = parts.free_name(f"word/media/logo{{}}.{logo.ext}")
        parts.entries.append(ZipEntry.of(media, logo.blob, level=0))
        header_rels.append(("rId1", "image", posixpath.relpath(media, "word")))
        header.append(el("w:p", None, el("w:r", None, _inline_picture(logo, "rId1"))))
    header.extend(p.element() if isinstance(p, _Para) else p for p in items)
    if not len(header):
        sub(header, "w:p")
    parts.entries.append(ZipEntry.of(name, serialise(header)))
    if header_rels:
        parts.entries.append(ZipEntry.of(posixpath.join("word/_rels", posixpath.basename(name) + ".rels"),
                                         serialise(relationships(header_rels))))
    parts.overrides[name] = CT_WML + "header+xml"
    rid = parts.add_rel("header", posixpath.relpath(name, posixpath.dirname(parts.ref.part)))
    for old in sect_pr.findall(qn("w:headerReference")):
        if old.get(qn("w:type"), "default") == kind:
            sect_pr.remove(old)
    sect_pr.insert(0, el("w:headerReference", {"w:type": kind, "r:id": rid}))


def _inline_picture(picture: Picture, rid: str) -> etree._Element:
    """The logo in line with the text, with its alternative text."""
    pic = el("pic:pic", None,
             el("pic:nvPicPr", None, el("pic:cNvPr", {"id": 0, "name": f"logo.{picture.ext}"}),
                el("pic:cNvPicPr")),
             picture.blip_fill(rid, "pic:blipFill"), picture.shape_properties(0, 0, "pic:spPr"))
    inline = el("wp:inline", {"distT": 0, "distB": 0, "distL": 0, "distR": 0},
                el("wp:extent", {"cx": picture.width, "cy": picture.height}),
                el("wp:docPr", {"id": 1, "name": "Logo", "descr": picture.alt}),
                el("wp:cNvGraphicFramePr", None, el("a:graphicFrameLocks", {"noChangeAspect": 1})),
                el("a:graphic", None, el("a:graphicData", {"uri": PIC_URI}, pic)))
    return el("w:drawing", None, inline)


def _runs(spans) -> list[etree._Element]:
    """Runs: a tab character becomes Word's tab element, a line break Word's break."""
    out = []
    for span in spans:
        run = copy_of(_empty_run, span.bold, span.italic)
        for index, piece in enumerate(span.text.split("\t")):
            if index:
                sub(run, "w:tab")
            if piece:
                text = copy_of(_text)
                text.text = xml_text(piece)
                run.append(text)
        out.append(run)
    return out


def _empty_run(bold: bool, italic: bool) -> etree._Element:
    run = el("w:r")
    if bold or italic:
        sub(run, "w:rPr", None, el("w:b") if bold else None, el("w:i") if italic else None)
    return run


def _text() -> etree._Element:
    return el("w:t", {"xml:space": "preserve"})


def _empty_cell(width: int) -> etree._Element:
    return el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:type": "dxa", "w:w": width})))


def column_shares(table: Table, cols: int) -> list[float]:
    """Column widths as shares of the line, by how much text each column holds.

    Equal columns waste the page: a "Minutes" column does not need a third of it.
    """
    def length(cell) -> int:
        return sum(len(span.text) for span in cell)

    weights = []
    for c in range(cols):
        cells = [row[c] for row in table.rows if c < len(row)]
        mean = sum(length(cell) for cell in cells) / max(1, len(cells))
        header = length(table.header[c]) if c < len(table.header) else 0
        weights.append(max(mean, header, 4) ** 0.8)
    shares = [min(0.7, max(0.12, w / sum(weights))) for w in weights]
    return [share / sum(shares) for share in shares]


def _table(table: Table, styles: dict[str, str], line_width: int) -> etree._Element:
    """A fixed-layout, centred table; the header row marked, so it repeats on each page
    and screen readers announce it."""
    cols = max(len(table.header), *(len(r) for r in table.rows)) if table.rows else len(table.header)
    widths = [int(line_width * share) for share in column_shares(table, cols)]
    tbl_pr = el("w:tblPr", None,
                el("w:tblStyle", {"w:val": styles["Table Grid"]}) if "Table Grid" in styles else None,
                el("w:tblW", {"w:type": "auto", "w:w": 0}), el("w:jc", {"w:val": "center"}),
                el("w:tblLayout", {"w:type": "fixed"}),
                el("w:tblLook", {"w:firstColumn": 1, "w:firstRow": 1, "w:lastColumn": 0, "w:lastRow": 0,
                                 "w:noHBand": 0, "w:noVBand": 1, "w:val": "04A0"}))
    grid = el("w:tblGrid")
    for width in widths:
        sub(grid, "w:gridCol", {"w:w": width})
    out = el("w:tbl", None, tbl_pr, grid)
    for r, row in enumerate([table.header, *table.rows]):
        tr = sub(out, "w:tr", None, el("w:trPr", None, el("w:tblHeader")) if r == 0 else None)
        for c, width in enumerate(widths):  # Word reads the cell widths, LibreOffice the grid
            spans = row[c] if c < len(row) else ()
            if r == 0:
                spans = tuple(Span(s.text, True, s.italic) for s in spans)
            # Cell padding is spacing enough.
            cell = copy_of(_empty_cell, width)
            cell.append(_Para(_runs(spans), after=0).element())
            tr.append(cell)
    return out

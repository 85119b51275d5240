"""Document → .docx. Knows paragraphs and styles, nothing about the lesson.

The body and headers are built as lxml trees and serialised once, into a zip made from
the reference document's own parts (read once per library, see docx_reference.py).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from lxml import etree

from lessonpack.cache import Table as Memo
from lessonpack.cache import active_cache, memoized
from lessonpack.rendering.document import (
    Block,
    Document,
    Heading,
    ListItem,
    PageBreak,
    Paragraph,
    PocketCards,
    Span,
    Table,
    WriteSpace,
)
from lessonpack.writers.docx_blocks import _Para, _table, cut_out_table, ruled_lines
from lessonpack.writers.docx_pocket import QrCode, pocket_sheet, qr_png
from lessonpack.writers.docx_reference import (
    CT_WML,
    SECT_ORDER,
    WIDE_MARGIN,
    DocumentReference,
    large_print_styles,
    read_reference,
    styles_xml,
)
from lessonpack.writers.docx_styles import at_least, coloured
from lessonpack.writers.drawingml import EMU_PER_INCH, Picture
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
from lessonpack.writers.oxml import el, insert_in_order, nsmap, qn, serialise, sub

TWIPS_PER_EMU = 1 / 635
PIC_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"


class DocxTheme(ReferenceFile):
    """The reference .docx; each document starts from its parts."""

    @property
    def prototype(self) -> DocumentReference:
        return self.cache.remember("docx-reference", self.digest,
                                   lambda: read_reference(self.path, self.data), 4)


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
    with theme.cache.active():
        return _write_docx(document, theme.prototype, meta)


def _write_docx(document: Document, ref: DocumentReference, meta: DocMeta) -> bytes:
    blocks = tuple(document.blocks)
    line_width = _page(ref, meta.large_print)[1]
    parts = _Parts(ref)
    headers: list[tuple[str, str]] = []  # (kind, relationship id)
    if document.header:
        headers.append(("default", _header(parts, document.header, line_width, meta, logo=None)))
    if document.letterhead:
        # A letterhead heads the first page; later pages keep the running header, if any.
        logo = None
        if meta.logo:
            logo = Picture.fit(meta.logo, meta.logo_alt, int(line_width / TWIPS_PER_EMU),
                               int(1.6 / 2.54 * EMU_PER_INCH))
        headers.append(("first", _header(parts, document.letterhead, line_width, meta, logo)))
    qr: QrCode | None = None
    link = next((b.link for b in blocks if isinstance(b, PocketCards) and b.link), "")
    if link:
        media = parts.free_name("word/media/qr{}.png")
        parts.entries.append(ZipEntry.of(media, qr_png(link), level=0))
        # Its alternative text, in the document's language (rendering/alt_text.py).
        words = dict(meta.drawings).get("qr-code", "QR code that opens %(link)s")
        qr = (parts.add_rel("image", posixpath.relpath(media, posixpath.dirname(ref.part))),
              words % {"link": link})
    styles = large_print_styles(ref) if meta.large_print else styles_xml(ref)
    if styles is not None:
        styles = coloured(at_least(styles, meta.body_pt), meta.accent.lstrip("#").upper())
    overrides = {**ref.overrides, **parts.overrides}
    overrides.setdefault("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")
    defaults = dict(ref.defaults)
    for entry in parts.entries:
        ext = entry.name.decode().rpartition(".")[2]
        if ext in IMAGE_TYPES:
            defaults.setdefault(ext, IMAGE_TYPES[ext])
    folder, _, name = ref.part.rpartition("/")
    entries = [
        content_types_entry(tuple(defaults.items()), tuple(overrides.items())),
        *ref.shared,
        _document(ref, blocks, meta.large_print, tuple(headers), qr),
        relationships_entry(f"{folder}/_rels/{name}.rels", tuple(parts.rels)),
        ZipEntry.of("docProps/core.xml", core_properties(
            meta.title, meta.subject, meta.author, meta.keywords, meta.when)),
        *parts.entries,
    ]
    if ref.styles_part and styles is not None:
        entries.insert(3, ZipEntry.of(ref.styles_part, styles))
    return write_zip(relabel(entries, meta.language, meta.later_language), meta.when)


@memoized("docx-page", 8)
def _page(ref: DocumentReference, large_print: bool) -> tuple[etree._Element, int]:
    """The reference's document part, its body empty (wide margins for large print), and
    the width of its lines."""
    root = ref.new_document()
    sect_pr = root.find(qn("w:body"))[-1]
    if large_print:
        margins = sect_pr.find(qn("w:pgMar"))
        if margins is None:
            margins = el("w:pgMar", {"w:header": 720, "w:footer": 720, "w:gutter": 0})
            insert_in_order(sect_pr, margins, SECT_ORDER)
        for side in ("top", "bottom", "left", "right"):
            margins.set(qn(f"w:{side}"), str(WIDE_MARGIN))
    return root, _line_width(sect_pr)


# A document's body is the same for every school of a key stage and force (what differs,
# the school's name and letterhead, is in the headers, whose names and ids do not change):
# each distinct document part is built, serialised and compressed once per library.
@memoized("docx-document", 32)
def _document(ref: DocumentReference, blocks: tuple[Block, ...], large_print: bool,
              headers: tuple[tuple[str, str], ...], qr: QrCode | None = None) -> ZipEntry:
    """The document part: the body, and the section's references to its headers."""
    page, line_width = _page(ref, large_print)
    root = page.__copy__()
    sect_pr = root.find(qn("w:body"))[-1]
    for element in _blocks(list(blocks), ref, line_width, qr):
        sect_pr.addprevious(element)
    for kind, rid in headers:  # in place of the reference's own
        for old in sect_pr.findall(qn("w:headerReference")):
            if old.get(qn("w:type"), "default") == kind:
                sect_pr.remove(old)
        sect_pr.insert(0, el("w:headerReference", {"w:type": kind, "r:id": rid}))
        if kind == "first":
            insert_in_order(sect_pr, el("w:titlePg"), SECT_ORDER)
    return ZipEntry.of(ref.part, serialise(root))


def _line_width(sect_pr: etree._Element) -> int:
    """The width between the margins, in twentieths of a point (A4 with 1 in margins if unsaid)."""
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))

    def twips(element, name: str, default: int) -> int:
        value = element.get(qn(f"w:{name}")) if element is not None else None
        return int(value) if value is not None and value.lstrip("-").isdigit() else default

    width = twips(size, "w", 11906) - twips(margins, "left", 1440) - twips(margins, "right", 1440)
    return max(width, 1440)


def _style(styles: dict[str, str], name: str) -> str | None:
    """The style id of the style shown as `name`; none for Normal, which needs no id."""
    return styles.get(name) if name != "Normal" else None


def _paras(blocks: list[Block], styles: dict[str, str], line_width: int,
           qr: QrCode | None = None) -> list[_Para | etree._Element]:
    out: list[_Para | etree._Element] = []
    for block in blocks:
        if isinstance(block, PocketCards):
            out += pocket_sheet(block, line_width, qr, _style(styles, "Heading 3"))
            continue
        if isinstance(block, Table) and block.style in ("cards", "mat"):
            out.append(cut_out_table(block, line_width))
        elif isinstance(block, Table):
            out.append(_table(block, styles, line_width))
        elif isinstance(block, PageBreak):
            out.append(_Para(page_break=True))
        elif isinstance(block, Heading):
            out.append(_Para(block.spans, _style(styles, f"Heading {min(block.level, 3)}"),
                             keep_next=True))
        elif isinstance(block, ListItem):
            if block.number is None:
                name = "List Bullet 2" if block.level else "List Bullet"
                out.append(_Para(block.spans, _style(styles, name)))
            else:
                # Explicit numbers: Word's shared list numbering would run on across lists.
                out.append(_Para((Span(f"{block.number}.\t"), *block.spans),
                                 _style(styles, "List Paragraph"),
                                 indent=(20 * 22 * (block.level + 1), 20 * 16)))
        elif isinstance(block, WriteSpace):
            out.append(ruled_lines(block.lines, line_width))
            # A table that follows another merges with it in Word: an empty paragraph between.
            out.append(_Para(after=0))
        elif isinstance(block, Paragraph):
            out.append(_Para(block.spans))
    return out


def _blocks(blocks: list[Block], ref: DocumentReference, line_width: int,
            qr: QrCode | None = None) -> list[etree._Element]:
    """Each block's XML, built once per library for each distinct block and copied after:
    most blocks are the content's own text, the same for every school."""
    cache = active_cache()
    built = cache.table("docx-blocks", 4096) if cache is not None else Memo(len(blocks) + 1)
    out: list[etree._Element] = []
    for block in blocks:
        key = (block, ref, line_width, qr)
        xml = built.get(key)
        if xml is None:
            xml = built.put(key, tuple(p.element() if isinstance(p, _Para) else p
                                       for p in _paras([block], ref.style_ids, line_width, qr)))
        out += [element.__copy__() for element in xml]
    return out


def _header(parts: _Parts, blocks: list[Block], line_width: int, meta: DocMeta,
            logo: Picture | None) -> str:
    """A header part; its relationship's id, for the section to refer to it."""
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
        parts.entries.append(relationships_entry(
            posixpath.join("word/_rels", posixpath.basename(name) + ".rels"), tuple(header_rels)))
    parts.overrides[name] = CT_WML + "header+xml"
    return parts.add_rel("header", posixpath.relpath(name, posixpath.dirname(parts.ref.part)))


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

"""Document → .docx with python-docx. Knows paragraphs and styles, nothing about the lesson."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from docx import Document as open_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from ..document import (
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
from ..templating import clean_text
from .meta import DocMeta, save_reproducibly


@dataclass
class DocxTheme:
    """A reference document read once per process; each file starts from its bytes."""

    path: Path

    @cached_property
    def data(self) -> bytes:
        return self.path.read_bytes()


def write_docx(document: Document, theme: DocxTheme, meta: DocMeta) -> bytes:
    doc = open_docx(io.BytesIO(theme.data))
    body = doc.element.body
    for child in list(body):  # a reference document's own text is not ours to keep
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if meta.large_print:
        _large_print(doc)
    # Style ids looked up once: python-docx's lookup by name scans every style each time.
    styles = {s.name: s.style_id for s in doc.styles}
    section = doc.sections[0]
    line_width = section.page_width - section.left_margin - section.right_margin
    if document.header:
        _header(section.header, document.header, styles, line_width, meta, logo=False)
    if document.letterhead:
        # A letterhead heads the first page; later pages keep the running header, if any.
        section.different_first_page_header_footer = True
        _header(section.first_page_header, document.letterhead, styles, line_width, meta,
                logo=bool(meta.logo))
    _write_blocks(doc._body, document.blocks, styles, line_width)
    return save_reproducibly(doc, meta)


def _set_style(paragraph, styles: dict[str, str], *names: str) -> None:
    name = next((n for n in names if n in styles), None)
    if name is not None and name != "Normal":
        paragraph._p.style = styles[name]


def _add_paragraph(container) -> DocxParagraph:
    """A new paragraph at the end of `container` (the body, before its section settings).

    python-docx's add_paragraph searches the whole body for where to insert each time,
    which made long documents slow; the place is always just before sectPr.
    """
    element = container._element
    p = OxmlElement("w:p")
    sect_pr = element[-1] if len(element) and element[-1].tag == qn("w:sectPr") else None
    if sect_pr is not None:
        sect_pr.addprevious(p)
    else:
        element.append(p)
    return DocxParagraph(p, container)


def _write_blocks(container, blocks: list[Block], styles: dict[str, str], line_width: int,
                  first=None) -> None:
    pending_first = first
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if isinstance(block, Table):
            _table(container, block, styles, line_width)
            continue
        if isinstance(block, PageBreak):
            _add_paragraph(container).add_run().add_break(_page_break())
            continue
        if pending_first is not None:
            p, pending_first = pending_first, None
        else:
            p = _add_paragraph(container)
        if isinstance(block, Heading):
            _set_style(p, styles, f"Heading {min(block.level, 3)}")
            _runs(p, block.spans)
            p.paragraph_format.keep_with_next = True
        elif isinstance(block, ListItem):
            if block.number is None:
                _set_style(p, styles, "List Bullet 2" if block.level else "List Bullet")
                _runs(p, block.spans)
            else:
                # Explicit numbers: Word's shared list numbering would run on across lists.
                _set_style(p, styles, "List Paragraph")
                p.paragraph_format.left_indent = Pt(22 * (block.level + 1))
                p.paragraph_format.first_line_indent = Pt(-16)
                _runs(p, (Span(f"{block.number}.\t"), *block.spans))
        elif isinstance(block, WriteSpace):
            _set_style(p, styles, "Answer Line")
            _answer_lines(container, p, block.lines, styles)
        elif isinstance(block, Paragraph):
            _runs(p, block.spans)


LARGE_PRINT_SIZES = {"Normal": 16, "Heading 1": 24, "Heading 2": 20, "Heading 3": 18, "Title": 28}


def _large_print(doc) -> None:
    """RNIB-style large print: at least 16 pt sans-serif, 1.5 line spacing, wide margins."""
    for name, size in LARGE_PRINT_SIZES.items():
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.size = Pt(size)
        style.font.name = "Arial"
        style.paragraph_format.line_spacing = 1.5
    for name in ("List Bullet", "List Bullet 2", "List Paragraph", "Answer Line"):
        try:
            doc.styles[name].paragraph_format.line_spacing = 1.5
        except KeyError:
            continue
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _header(header, blocks: list[Block], styles: dict[str, str], line_width: int, meta: DocMeta,
            logo: bool) -> None:
    header.is_linked_to_previous = False
    first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    _write_blocks(header, blocks, styles, line_width, first=first)
    for paragraph in header.paragraphs:  # headers are compact
        paragraph.paragraph_format.space_after = Pt(0)
    _rule_below(header.paragraphs[-1], meta.accent)
    if logo:
        _logo(header.paragraphs[0], meta)


def _logo(first_paragraph, meta: DocMeta) -> None:
    """The school's logo above the letterhead text, 1.6 cm high, with alt text."""
    paragraph = first_paragraph.insert_paragraph_before()
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(meta.logo), height=Cm(1.6))
    for doc_pr in run._r.xpath(".//wp:docPr"):
        doc_pr.set("descr", clean_text(meta.logo_alt))


def _page_break():
    from docx.enum.text import WD_BREAK

    return WD_BREAK.PAGE


def _runs(paragraph, spans) -> None:
    """Append runs as XML: python-docx's run.text setter walks every character."""
    p = paragraph._p
    for span in spans:
        r = OxmlElement("w:r")
        if span.bold or span.italic:
            rpr = OxmlElement("w:rPr")
            if span.bold:
                rpr.append(OxmlElement("w:b"))
            if span.italic:
                rpr.append(OxmlElement("w:i"))
            r.append(rpr)
        for index, piece in enumerate(span.text.split("\t")):
            if index:
                r.append(OxmlElement("w:tab"))
            if piece:
                t = OxmlElement("w:t")
                t.text = piece
                t.set(qn("xml:space"), "preserve")
                r.append(t)
        p.append(r)


def _answer_lines(container, first, count: int, styles: dict[str, str]) -> None:
    """Ruled lines to write on: empty paragraphs with a bottom border, 1 cm apart."""
    paragraphs = [first] + [_add_paragraph(container) for _ in range(count - 1)]
    for p in paragraphs:
        _set_style(p, styles, "Answer Line")
        fmt = p.paragraph_format
        fmt.space_before = Pt(14)
        fmt.space_after = Pt(0)
        _rule_below(p, "#808080")


def _rule_below(paragraph, colour: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", colour.lstrip("#"))):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # pBdr sits after the style, keep and numbering settings in the schema's order.
    successors = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc",
                  "w:rPr")
    anchor = next((el for el in ppr if el.tag in {qn(t) for t in successors}), None)
    if anchor is None:
        ppr.append(borders)
    else:
        anchor.addprevious(borders)


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


def _table(container, table: Table, styles: dict[str, str], line_width: int) -> None:
    cols = max(len(table.header), *(len(r) for r in table.rows)) if table.rows else len(
        table.header
    )
    grid = container.add_table(1 + len(table.rows), cols, line_width)
    if "Table Grid" in styles:
        grid._tbl.tblStyle_val = styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [int(line_width * share) for share in column_shares(table, cols)]
    for c, width in enumerate(widths):
        grid.columns[c].width = width
    # All cells at once: python-docx recomputes the whole grid for each row's .cells.
    every_cell = grid._cells
    for r, row in enumerate([table.header, *table.rows]):
        cells = every_cell[r * cols:(r + 1) * cols]
        for c, width in enumerate(widths):
            cells[c].width = width  # Word reads the cell widths, LibreOffice the grid
        for c in range(cols):
            p = cells[c].paragraphs[0]
            spans = row[c] if c < len(row) else ()
            if r == 0:
                spans = tuple(Span(s.text, True, s.italic) for s in spans)
            _runs(p, spans)
            p.paragraph_format.space_after = Pt(0)  # cell padding is spacing enough
    # Mark the header row, so it repeats on each page and screen readers announce it.
    trpr = grid.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)

"""Document → .docx with python-docx. Knows paragraphs and styles, nothing about the lesson."""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as open_docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt

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
from .meta import DocMeta, ReferenceFile, save_reproducibly


class DocxTheme(ReferenceFile):
    """The reference .docx; each document starts from its bytes."""


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
    sect_pr = body[-1] if len(body) and body[-1].tag == qn("w:sectPr") else None
    for element in _elements(_blocks(document.blocks, styles, line_width)):
        if sect_pr is not None:
            sect_pr.addprevious(element)
        else:
            body.append(element)
    return save_reproducibly(doc, meta)


# The body is written as XML text and parsed once: python-docx's element-by-element API
# (each child placed by a search of the schema's order) took most of a document's time.
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SPACE_AFTER_NONE = 0


@dataclass
class _Para:
    """One w:p, its properties kept apart until written, so headers can adjust them."""

    runs: str = ""
    style: str | None = None
    keep_next: bool = False
    border: str | None = None  # colour of a rule below, "RRGGBB"
    before: int | None = None  # spacing, twentieths of a point
    after: int | None = None
    indent: tuple[int, int] | None = None  # (left, hanging), twentieths of a point

    def xml(self) -> str:
        # Properties in the order the schema requires.
        ppr = []
        if self.style:
            ppr.append(f'<w:pStyle w:val="{_attr(self.style)}"/>')
        if self.keep_next:
            ppr.append("<w:keepNext/>")
        if self.border:
            ppr.append(f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                       f'w:color="{self.border}"/></w:pBdr>')
        if self.before is not None or self.after is not None:
            spacing = (f' w:before="{self.before}"' if self.before is not None else "") + (
                f' w:after="{self.after}"' if self.after is not None else "")
            ppr.append(f"<w:spacing{spacing}/>")
        if self.indent:
            ppr.append(f'<w:ind w:left="{self.indent[0]}" w:hanging="{self.indent[1]}"/>')
        props = f"<w:pPr>{''.join(ppr)}</w:pPr>" if ppr else ""
        return f"<w:p>{props}{self.runs}</w:p>"


def _elements(parts: list[_Para | str]) -> list:
    """Paragraphs and tables as python-docx elements, parsed in one go."""
    if not parts:
        return []
    xml = "".join(p.xml() if isinstance(p, _Para) else p for p in parts)
    return list(parse_xml(f'<w:body xmlns:w="{W_NS}">{xml}</w:body>'))


def _style(styles: dict[str, str], *names: str) -> str | None:
    name = next((n for n in names if n in styles), None)
    return styles[name] if name is not None and name != "Normal" else None


def _blocks(blocks: list[Block], styles: dict[str, str], line_width: int) -> list[_Para | str]:
    out: list[_Para | str] = []
    for block in blocks:
        if isinstance(block, Table):
            out.append(_table(block, styles, line_width))
        elif isinstance(block, PageBreak):
            out.append(_Para(runs='<w:r><w:br w:type="page"/></w:r>'))
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
            line = _Para(style=_style(styles, "Answer Line"), border="808080", before=280,
                         after=0)
            out += [line] * max(1, block.lines)
        elif isinstance(block, Paragraph):
            out.append(_Para(_runs(block.spans)))
    return out


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
    parts = _blocks(blocks, styles, line_width)
    paragraphs = [p for p in parts if isinstance(p, _Para)]
    for index, paragraph in enumerate(paragraphs):
        if index == 0 and paragraph.style is None:
            paragraph.style = _style(styles, "Header")  # the header's own first paragraph
        paragraph.after = 0  # headers are compact
    if paragraphs:
        paragraphs[-1].border = meta.accent.lstrip("#")
    element = header._element
    for child in list(element):
        element.remove(child)
    for child in _elements(parts):
        element.append(child)
    if not paragraphs:
        header.add_paragraph()
    if logo:
        _logo(header.paragraphs[0], meta)


def _logo(first_paragraph, meta: DocMeta) -> None:
    """The school's logo above the letterhead text, 1.6 cm high, with alt text."""
    paragraph = first_paragraph.insert_paragraph_before()
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(meta.logo), height=Cm(1.6))
    for doc_pr in run._r.xpath(".//wp:docPr"):
        doc_pr.set("descr", clean_text(meta.logo_alt))


def _text(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _runs(spans) -> str:
    """Runs as XML: a tab character becomes Word's tab element."""
    out = []
    for span in spans:
        props = ("<w:b/>" if span.bold else "") + ("<w:i/>" if span.italic else "")
        out.append(f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>")
        for index, piece in enumerate(span.text.split("\t")):
            if index:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{_text(piece)}</w:t>')
        out.append("</w:r>")
    return "".join(out)


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


def _table(table: Table, styles: dict[str, str], line_width: int) -> str:
    """A fixed-layout, centred table; the header row marked, so it repeats on each page
    and screen readers announce it."""
    cols = max(len(table.header), *(len(r) for r in table.rows)) if table.rows else len(
        table.header
    )
    widths = [Length(int(line_width * share)).twips for share in column_shares(table, cols)]
    style = f'<w:tblStyle w:val="{_attr(styles["Table Grid"])}"/>' if "Table Grid" in styles else ""
    out = [f'<w:tbl><w:tblPr>{style}<w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
           '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" '
           'w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
           "</w:tblPr><w:tblGrid>",
           *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>"]
    for r, row in enumerate([table.header, *table.rows]):
        out.append('<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>' if r == 0 else "<w:tr>")
        for c, width in enumerate(widths):  # Word reads the cell widths, LibreOffice the grid
            spans = row[c] if c < len(row) else ()
            if r == 0:
                spans = tuple(Span(s.text, True, s.italic) for s in spans)
            # Cell padding is spacing enough.
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
                       f"{_Para(_runs(spans), after=0).xml()}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)

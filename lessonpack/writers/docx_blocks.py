"""Paragraphs, runs and tables as WordprocessingML: tabs and breaks kept, cells sized to content."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from lessonpack.rendering.document import (
    Span,
    Table,
)
from lessonpack.writers.oxml import copy_of, el, sub
from lessonpack.xmltext import xml_text


@dataclass
class _Para:
    """One w:p, its properties kept apart until built, so headers can adjust them."""

    spans: tuple[Span, ...] = ()
    style: str | None = None
    keep_next: bool = False
    border: str | None = None  # colour of a rule below, "RRGGBB"
    before: int | None = None  # spacing, twentieths of a point
    after: int | None = None
    indent: tuple[int, int] | None = None  # (left, hanging), twentieths of a point
    page_break: bool = False  # a paragraph holding only a page break

    def element(self) -> etree._Element:
        out = copy_of(_empty_paragraph, self.style, self.keep_next, self.border, self.before,
                      self.after, self.indent)
        if self.page_break:
            sub(out, "w:r", None, el("w:br", {"w:type": "page"}))
        out.extend(_runs(self.spans))
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


def _runs(spans: tuple[Span, ...]) -> list[etree._Element]:
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
            cell.append(_Para(spans, after=0).element())
            tr.append(cell)
    return out

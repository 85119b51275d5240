"""Paragraphs, runs and tables as WordprocessingML: tabs and breaks kept, cells sized to content."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from lessonpack.rendering.document import (
    Span,
    Table,
)
from lessonpack.writers.oxml import copy_of, el, qn, sub
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


MAX_KEPT_ROWS = 8  # a worksheet's card table; a letter's longer list of routes may split
WORD_EM = 0.62  # the widest a bold Arial letter runs on average, in ems (erring wide)
LARGEST_PT = 16  # sized for large print, so that no size breaks a word
CELL_MARGINS = 230  # a cell's left and right margins together, twentieths of a point


def unbroken(table: Table, widths: list[int]) -> list[int]:
    """Column widths widened so that no column is narrower than its heading's longest word
    (a header such as "False" must never break as "Fals/e"), the room taken from the widest
    columns. The body's words are left to wrap as the shares allow: widening for them
    would make every other column, and so the table, taller."""
    def longest(c: int) -> int:
        words = [w for span in table.header[c] for w in span.text.split()] if c < len(table.header) else []
        return max((len(w) for w in words), default=1)

    # A word too long for any column (a web address) wraps as it must; the rest never do.
    cap = sum(widths) * 0.3
    need = [min(int(longest(c) * WORD_EM * LARGEST_PT * 20) + CELL_MARGINS, int(cap))
            for c in range(len(widths))]
    if sum(need) > sum(widths):
        return widths
    short = sum(max(0, n - w) for n, w in zip(need, widths, strict=True))
    out = [max(n, w) for n, w in zip(need, widths, strict=True)]
    spare = [c for c in range(len(out)) if out[c] > need[c]]
    while short > 0 and spare:
        c = max(spare, key=lambda i: out[i] - need[i])
        take = min(short, out[c] - need[c])
        out[c] -= take
        short -= take
        spare.remove(c)
    return out


def _table(table: Table, styles: dict[str, str], line_width: int) -> etree._Element:
    """A fixed-layout, centred table; the header row marked, so it repeats on each page
    and screen readers announce it."""
    cols = max(len(table.header), *(len(r) for r in table.rows)) if table.rows else len(table.header)
    widths = unbroken(table, [int(line_width * share) for share in column_shares(table, cols)])
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
            # A short table keeps its rows on one page: each row is kept with the next.
            keep = len(table.rows) <= MAX_KEPT_ROWS and r < len(table.rows)
            cell.append(_Para(spans, after=0, keep_next=keep).element())
            tr.append(cell)
    return out


CARD_HEIGHT = 2592  # twentieths of a point: 1.8 in, room for four lines at 18 pt
MAT_HEIGHT = 9600  # the sorting mat's columns: most of an A4 page
CUT = {"w:val": "dashed", "w:sz": 8, "w:space": 0, "w:color": "808080"}


def _borders(tag: str, spec: dict) -> etree._Element:
    return el(tag, None, *(el(f"w:{side}", spec)
                           for side in ("top", "left", "bottom", "right", "insideH", "insideV")))


def cut_out_table(table: Table, line_width: int) -> etree._Element:
    """Cards to cut out (every cell a card, dashed cut lines) or a sorting mat (a bold
    heading over each tall column): one statement per card, 16 pt and up, centred."""
    mat = table.style == "mat"
    rows = [table.header, *table.rows]
    cols = max(len(r) for r in rows)
    width = line_width // cols
    out = el("w:tbl", None, el("w:tblPr", None, el("w:tblW", {"w:type": "dxa", "w:w": width * cols}),
                                el("w:jc", {"w:val": "center"}),
                                _borders("w:tblBorders", CUT if not mat else
                                         {"w:val": "single", "w:sz": 12, "w:space": 0, "w:color": "404040"}),
                                el("w:tblLayout", {"w:type": "fixed"}),
                                el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0,
                                                 "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1,
                                                 "w:noVBand": 1})),
             el("w:tblGrid", None, *(el("w:gridCol", {"w:w": width}) for _ in range(cols))))
    for r, row in enumerate(rows):
        height = (900 if r == 0 else MAT_HEIGHT) if mat else CARD_HEIGHT
        tr = sub(out, "w:tr", None, el("w:trPr", None, el("w:cantSplit"),
                                       el("w:trHeight", {"w:val": height, "w:hRule": "exact"})))
        for c in range(cols):
            spans = row[c] if c < len(row) else ()
            para = _Para(spans, after=0).element()
            ppr = para.find(qn("w:pPr"))
            if ppr is None:
                ppr = el("w:pPr")
                para.insert(0, ppr)
            ppr.append(el("w:jc", {"w:val": "center"}))
            size = 56 if mat else 36  # half-points: 28 pt headings, 18 pt cards
            for run in para.iter(qn("w:r")):
                rpr = run.find(qn("w:rPr"))
                if rpr is None:
                    rpr = el("w:rPr")
                    run.insert(0, rpr)
                if mat and rpr.find(qn("w:b")) is None:
                    rpr.insert(0, el("w:b"))
                rpr.append(el("w:sz", {"w:val": size}))
            cell = el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:type": "dxa", "w:w": width}),
                                       el("w:vAlign", {"w:val": "top" if mat else "center"})), para)
            tr.append(cell)
    return out


RULE_HEIGHT = 567  # twentieths of a point: 1 cm between lines, for handwriting
RULE = {"w:val": "single", "w:sz": 6, "w:space": 0, "w:color": "808080"}
NO_LINE = {"w:val": "nil"}


def ruled_lines(count: int, line_width: int) -> etree._Element:
    """Lines to write on, as the rows of a borderless table ruled under each row: Word and
    LibreOffice both draw every rule (paragraphs with the same border merge into one box,
    one rule under the lot), and a row of fixed height keeps the lines evenly spaced."""
    borders = el("w:tblBorders", None, el("w:top", NO_LINE), el("w:left", NO_LINE),
                 el("w:bottom", RULE), el("w:right", NO_LINE), el("w:insideH", RULE),
                 el("w:insideV", NO_LINE))
    out = el("w:tbl", None, el("w:tblPr", None, el("w:tblW", {"w:type": "dxa", "w:w": line_width}),
                                borders, el("w:tblLayout", {"w:type": "fixed"}),
                                el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0,
                                                 "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 1,
                                                 "w:noVBand": 1})),
             el("w:tblGrid", None, el("w:gridCol", {"w:w": line_width})))
    for _ in range(max(1, count)):
        sub(out, "w:tr", None, el("w:trPr", None, el("w:cantSplit"),
                                  el("w:trHeight", {"w:val": RULE_HEIGHT, "w:hRule": "exact"})),
            el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:type": "dxa", "w:w": line_width})),
               el("w:p", None, el("w:pPr", None, el("w:spacing", {"w:before": 0, "w:after": 0})))))
    return out

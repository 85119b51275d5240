"""Slide shapes as PresentationML elements: rectangles, text boxes and tables."""

from __future__ import annotations

from lxml import etree

from lessonpack.rendering.document import Paragraph, Span, Table
from lessonpack.writers.drawingml import (
    emu,
    rect_geometry,
    solid_fill,
    text_body,
    xfrm,
)
from lessonpack.writers.oxml import copy_of, el, sub
from lessonpack.writers.slide_layout import (
    CELL_PAD_PT,
    PARA_GAP_PT,
    TABLE_PT,
    Geometry,
)

INK = "1F1F1F"
MUTED = "4A4A4A"
WHITE = "FFFFFF"
STRIPE = "F2F4F7"


def _nv_sp(shape_id: int, name: str, ph: dict | None, locks: dict | None,
           text_box: bool = False) -> etree._Element:
    return copy_of(_build_nv_sp, shape_id, name, tuple(ph.items()) if ph is not None else None,
                   tuple(locks.items()) if locks else None, text_box)


def _build_nv_sp(shape_id: int, name: str, ph_items: tuple | None, locks_items: tuple | None,
                 text_box: bool) -> etree._Element:
    # copy_of keys its cache on hashable arguments, so the dicts arrive as item tuples.
    ph = dict(ph_items) if ph_items is not None else None
    locks = dict(locks_items) if locks_items else None
    c_nv_sp_pr = el("p:cNvSpPr", {"txBox": 1 if text_box else None},
                    el("a:spLocks", locks) if locks else None)
    nv_pr = el("p:nvPr", None, el("p:ph", ph) if ph is not None else None)
    return el("p:nvSpPr", None, el("p:cNvPr", {"id": shape_id, "name": name}), c_nv_sp_pr, nv_pr)


def _rectangle(shape_id: int, n: int, box: tuple[int, int, int, int], colour: str) -> etree._Element:
    """A flat rectangle: filled, no outline, no shadow, no text."""
    return copy_of(_build_rectangle, shape_id, n, tuple(box), colour)


def _build_rectangle(shape_id: int, n: int, box: tuple[int, int, int, int], colour: str) -> etree._Element:
    sp_pr = el("p:spPr", None, xfrm(*box), rect_geometry(), solid_fill(colour),
               el("a:ln", None, el("a:noFill")), el("a:effectLst"))
    return el("p:sp", None, _nv_sp(shape_id, f"Rectangle {n}", None, None), sp_pr)


def _text_box(shape_id: int, n: int, box: tuple[int, int, int, int],
              body: etree._Element) -> etree._Element:
    shape = copy_of(_empty_text_box, shape_id, n, tuple(box))
    shape.append(body)
    return shape


def _empty_text_box(shape_id: int, n: int, box: tuple[int, int, int, int]) -> etree._Element:
    sp_pr = el("p:spPr", None, xfrm(*box), rect_geometry(), el("a:noFill"))
    return el("p:sp", None, _nv_sp(shape_id, f"TextBox {n}", None, None, text_box=True), sp_pr)


def _cell_properties(margin: int, fill: str) -> etree._Element:
    return el("a:tcPr", {"marT": margin, "marB": margin}, solid_fill(fill))


# python-pptx's default for new tables: "Medium Style 2 - Accent 1".
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


def _table(shape_id: int, n: int, table: Table, box: tuple[int, int, int], geo: Geometry,
           accent: str) -> tuple[etree._Element, int]:
    """The table's frame, and how far down the slide it reaches (with the gap after it)."""
    rows = [table.header, *table.rows]
    cols = max(len(r) for r in rows)
    left, top, width = box
    col_width = int(width / cols)
    margin = emu(CELL_PAD_PT / 2)
    tbl = el("a:tbl", None, el("a:tblPr", {"firstRow": 1, "bandRow": 1},
                                el("a:tableStyleId", text=TABLE_STYLE)))
    grid = sub(tbl, "a:tblGrid")
    for _ in range(cols):
        sub(grid, "a:gridCol", {"w": col_width})
    heights = [emu(geo.row_height(r)) for r in rows]
    for r, row in enumerate(rows):
        header = r == 0
        colour, fill = (WHITE, accent) if header else (INK, STRIPE if r % 2 == 0 else WHITE)
        tr = sub(tbl, "a:tr", {"h": heights[r]})
        for c in range(cols):
            spans = row[c] if c < len(row) else ()
            if header:
                spans = tuple(Span(sp.text, True, sp.italic) for sp in spans)
            body = text_body([Paragraph(spans)], TABLE_PT, colour, bullets=False, tag="a:txBody")
            sub(tr, "a:tc", None, body, copy_of(_cell_properties, margin, fill))
    height = sum(heights)
    nv = el("p:nvGraphicFramePr", None, el("p:cNvPr", {"id": shape_id, "name": f"Table {n}"}),
            el("p:cNvGraphicFramePr", None, el("a:graphicFrameLocks", {"noGrp": 1})), el("p:nvPr"))
    frame = el("p:graphicFrame", None, nv, xfrm(left, top, col_width * cols, height, "p:xfrm"),
               el("a:graphic", None, el("a:graphicData", {"uri": TABLE_URI}, tbl)))
    return frame, height + emu(PARA_GAP_PT)

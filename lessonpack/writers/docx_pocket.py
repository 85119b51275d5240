"""Pocket cards as WordprocessingML: one credit-card-sized card (85 × 55 mm, ISO/IEC 7810
ID-1) repeated eight to an A4 sheet, fronts on one page and backs on the next at the same
places (both grids centred, so they meet when printed double-sided and flipped on the long
edge), every card edged with a dashed cut line. The back's web address is a QR code made
by segno, a PNG with alternative text.
"""

from __future__ import annotations

import io
from copy import copy

from lxml import etree

from lessonpack.cache import memoized
from lessonpack.rendering.document import Block, Heading, ListItem, Paragraph, PocketCards, Span
from lessonpack.writers.docx_blocks import CUT, _borders, _Para
from lessonpack.writers.oxml import el, qn, sub

CARD_W, CARD_H = 4819, 3118  # 85 × 55 mm in twentieths of a point
CELL_MARGIN = 170  # 3 mm inside each card
COLUMNS, ROWS = 2, 4  # eight cards to an A4 page, inside its margins
QR_EMU = 18 * 36000  # 18 mm: scans from a phone at arm's length
PIC_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
# Half-points: the back's list of routes, which shares its card with the QR code.
SMALL_SZ = 16
# A front's heading and text in half-points, by how many characters it holds: 12 pt text
# as on every sheet pupils keep, and a size or two smaller for a front that names the
# school and its lead with their contacts. A row of cards has an exact height, and Word
# and LibreOffice hide what runs past it (tests/test_libreoffice_design.py measures it).
FRONT_SIZES = ((240, 32, 24), (290, 28, 22), (None, 24, 18))
ROOMY_CHARS = FRONT_SIZES[0][0]


@memoized("qr-codes", 8)
def qr_png(link: str) -> bytes:
    """The QR code for `link`, as PNG bytes (the same bytes for the same link)."""
    import segno  # only for a pack that has pocket cards

    out = io.BytesIO()
    segno.make(link, error="m", micro=False).save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def _sized(para: etree._Element, size: int) -> etree._Element:
    for run in para.iter(qn("w:r")):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = el("w:rPr")
            run.insert(0, rpr)
        rpr.append(el("w:sz", {"w:val": size}))
    return para


def _side(blocks: tuple[Block, ...], small: bool, heading: str | None) -> list[etree._Element]:
    written = [b for b in blocks if isinstance(b, Heading | Paragraph | ListItem)]
    chars = sum(len(s.text) for b in written for s in b.spans)
    heading_size, text_size = next((h, t) for most, h, t in FRONT_SIZES if most is None or chars <= most)
    out = []
    for block in written:
        if isinstance(block, Heading):
            spans = tuple(Span(s.text, True, s.italic) for s in block.spans)
            out.append(_sized(_Para(spans, heading, before=0, after=40).element(), heading_size))
        else:
            out.append(_sized(_Para(block.spans, after=20 if small else 60).element(),
                              SMALL_SZ if small else text_size))
    return out or [el("w:p")]


# The QR code's relationship id and its alternative text ("QR code that opens ...").
QrCode = tuple[str, str]


def _qr(rid: str, alt: str, number: int) -> etree._Element:
    """The QR code in line, with the address it opens in its alternative text."""
    pic = el("pic:pic", None,
             el("pic:nvPicPr", None, el("pic:cNvPr", {"id": 0, "name": "qr.png", "descr": alt}),
                el("pic:cNvPicPr")),
             el("pic:blipFill", None, el("a:blip", {"r:embed": rid}),
                el("a:stretch", None, el("a:fillRect"))),
             el("pic:spPr", None, el("a:xfrm", None, el("a:off", {"x": 0, "y": 0}),
                                     el("a:ext", {"cx": QR_EMU, "cy": QR_EMU})),
                el("a:prstGeom", {"prst": "rect"}, el("a:avLst"))))
    inline = el("wp:inline", {"distT": 0, "distB": 0, "distL": 0, "distR": 0},
                el("wp:extent", {"cx": QR_EMU, "cy": QR_EMU}),
                el("wp:docPr", {"id": 100 + number, "name": f"QR code {number}", "descr": alt}),
                el("wp:cNvGraphicFramePr", None, el("a:graphicFrameLocks", {"noChangeAspect": 1})),
                el("a:graphic", None, el("a:graphicData", {"uri": PIC_URI}, pic)))
    return el("w:p", None, el("w:pPr", None, el("w:spacing", {"w:before": 40, "w:after": 0})),
              el("w:r", None, el("w:drawing", None, inline)))


QR_COLUMN = 1160  # twentieths of a point: the QR code's 18 mm and a little room


def _beside_qr(text: list[etree._Element], qr: etree._Element) -> list[etree._Element]:
    """The back's text on the left and the QR code on the right, in a table of two cells with
    no borders (a cell must end with a paragraph: one follows). The code has no caption: its
    address is too long for an 18 mm column, and its alternative text says where it goes."""
    inner = CARD_W - 2 * CELL_MARGIN
    none = {"w:val": "nil"}
    table = el("w:tbl", None,
               el("w:tblPr", None, el("w:tblW", {"w:type": "dxa", "w:w": inner}),
                  _borders("w:tblBorders", none), el("w:tblLayout", {"w:type": "fixed"}),
                  el("w:tblCellMar", None, *(el(f"w:{side}", {"w:type": "dxa", "w:w": 0})
                                             for side in ("top", "left", "bottom", "right"))),
                  el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0, "w:firstColumn": 0,
                                   "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1})),
               el("w:tblGrid", None, el("w:gridCol", {"w:w": inner - QR_COLUMN}),
                  el("w:gridCol", {"w:w": QR_COLUMN})),
               el("w:tr", None,
                  el("w:tc", None,
                     el("w:tcPr", None, el("w:tcW", {"w:type": "dxa", "w:w": inner - QR_COLUMN})), *text),
                  el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:type": "dxa", "w:w": QR_COLUMN})),
                     qr)))
    end = el("w:p", None, el("w:pPr", None, el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 20,
                                                            "w:lineRule": "exact"})))
    return [table, end]


def _grid(line_width: int, cells: list[list[etree._Element]]) -> etree._Element:
    width = CARD_W * COLUMNS
    indent = (line_width - width) // 2  # negative when the cards are wider than the margins
    out = el("w:tbl", None,
             el("w:tblPr", None, el("w:tblW", {"w:type": "dxa", "w:w": width}),
                el("w:tblInd", {"w:type": "dxa", "w:w": indent}), _borders("w:tblBorders", CUT),
                el("w:tblLayout", {"w:type": "fixed"}),
                el("w:tblCellMar", None, *(el(f"w:{side}", {"w:type": "dxa", "w:w": CELL_MARGIN})
                                           for side in ("top", "left", "bottom", "right"))),
                el("w:tblLook", {"w:val": "0000", "w:firstRow": 0, "w:lastRow": 0, "w:firstColumn": 0,
                                 "w:lastColumn": 0, "w:noHBand": 1, "w:noVBand": 1})),
             el("w:tblGrid", None, *(el("w:gridCol", {"w:w": CARD_W}) for _ in range(COLUMNS))))
    for r in range(ROWS):
        tr = sub(out, "w:tr", None, el("w:trPr", None, el("w:cantSplit"),
                                       el("w:trHeight", {"w:val": CARD_H, "w:hRule": "exact"})))
        for c in range(COLUMNS):
            tr.append(el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:type": "dxa", "w:w": CARD_W})),
                         *cells[r * COLUMNS + c]))
    return out


def pocket_sheet(cards: PocketCards, line_width: int, qr: QrCode | None,
                 heading: str | None) -> list[etree._Element]:
    """The fronts' grid, a page break, then the backs' grid (each back with its QR code)."""
    count = COLUMNS * ROWS
    # Each side is built once and copied: the cards are the same card.
    front = _side(cards.front, False, heading)
    back = _side(cards.back, True, heading)
    if qr and cards.link:
        back = _beside_qr(back, _qr(*qr, 1))
    fronts = [[e.__copy__() for e in front] for _ in range(count)]
    backs = [[e.__copy__() for e in back] for _ in range(count)]
    for n, cell in enumerate(backs):
        for picture in (p for e in cell for p in e.iter(qn("wp:docPr"))):
            picture.set("id", str(100 + n + 1))  # a drawing's id is its own in the document
            picture.set("name", f"QR code {n + 1}")
    # The break's own line, 1 pt high, is all that the backs' grid sits lower than the fronts'.
    tiny = el("w:rPr", None, el("w:sz", {"w:val": 2}))
    page_break = el("w:p", None, el("w:pPr", None, el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 20,
                                                                   "w:lineRule": "exact"}), tiny),
                    el("w:r", None, copy(tiny), el("w:br", {"w:type": "page"})))
    return [_grid(line_width, fronts), page_break, _grid(line_width, backs)]

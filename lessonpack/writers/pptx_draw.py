"""Drawing on a slide: preset shapes (rounded rectangles, chevrons, callouts) with real,
editable text, groups with alternative text, tints of the school's colour, and text sized
to fit its box.

Everything here is DrawingML that PowerPoint, Google Slides and LibreOffice all draw: no
picture of text, no effect a client may drop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lxml import etree

from lessonpack.rendering import alt_text
from lessonpack.writers.drawingml import emu, pt, text_body, xfrm
from lessonpack.writers.oxml import el, qn
from lessonpack.writers.slide_layout import LINE, PARA_GAP_PT, line_count

Box = tuple[int, int, int, int]  # left, top, width, height in EMU

INK = "1F1F1F"
MUTED = "4A4A4A"
WHITE = "FFFFFF"
BUBBLE = "E9E9EB"  # the other person's bubbles: a neutral grey, no app's colours
FRAME = "3A3A3C"
INSET_PT = 7.2  # the default inset of a text box, left and right (0.1 in)


def colour(value: str, tint: int | None = None) -> etree._Element:
    """A colour, or its tint: `tint` is the share (in %) of the colour kept, the rest white."""
    if tint is None:
        return el("a:srgbClr", {"val": value})
    return el("a:srgbClr", {"val": value}, el("a:lumMod", {"val": tint * 1000}),
              el("a:lumOff", {"val": (100 - tint) * 1000}))


def fill(value: str | None, tint: int | None = None) -> etree._Element:
    return el("a:noFill") if value is None else el("a:solidFill", None, colour(value, tint))


def line(value: str | None, width_pt: float = 1.5, dash: str | None = None) -> etree._Element:
    if value is None:
        return el("a:ln", None, el("a:noFill"))
    return el("a:ln", {"w": emu(width_pt)}, fill(value), el("a:prstDash", {"val": dash}) if dash else None)


class Canvas:
    """The shapes of one slide, numbered from `first` (the shape tree itself is 1)."""

    def __init__(self, first: int = 2, words: tuple[tuple[str, str], ...] = alt_text.ENGLISH) -> None:
        self.items: list[etree._Element] = []
        self.next_id = first
        self.words = dict(words)  # each drawing's alternative text, in the pack's language

    def take_id(self) -> int:
        shape_id = self.next_id
        self.next_id += 1
        return shape_id

    def shape(self, prst: str, box: Box, fill_colour: str | None = None, *, tint: int | None = None,
              outline: etree._Element | None = None, body: etree._Element | None = None,
              adjust: Sequence[tuple[str, int]] = (), name: str = "Shape", descr: str | None = None,
              into: list[etree._Element] | None = None) -> etree._Element:
        """A preset shape, optionally holding text; appended to the slide (or to `into`)."""
        shape_id = self.take_id()
        geometry = el("a:prstGeom", {"prst": prst},
                      el("a:avLst", None, *(el("a:gd", {"name": n, "fmla": f"val {v}"}) for n, v in adjust)))
        sp_pr = el("p:spPr", None, xfrm(*box), geometry, fill(fill_colour, tint),
                   outline if outline is not None else line(None))
        nv = el("p:nvSpPr", None, el("p:cNvPr", {"id": shape_id, "name": f"{name} {shape_id - 1}",
                                                 "descr": descr}),
                el("p:cNvSpPr"), el("p:nvPr"))
        shape = el("p:sp", None, nv, sp_pr, body)
        (self.items if into is None else into).append(shape)
        return shape

    def group(self, box: Box, descr: str, children: Iterable[etree._Element],
              name: str = "Icon") -> etree._Element:
        """Shapes drawn as one picture, with alternative text saying what it shows."""
        shape_id = self.take_id()
        left, top, width, height = box
        xf = el("a:xfrm", None, el("a:off", {"x": left, "y": top}), el("a:ext", {"cx": width, "cy": height}),
                el("a:chOff", {"x": left, "y": top}), el("a:chExt", {"cx": width, "cy": height}))
        nv = el("p:nvGrpSpPr", None, el("p:cNvPr", {"id": shape_id, "name": f"{name} {shape_id - 1}",
                                                    "descr": descr}),
                el("p:cNvGrpSpPr"), el("p:nvPr"))
        group = el("p:grpSp", None, nv, el("p:grpSpPr", None, xf), *children)
        self.items.append(group)
        return group


def text(blocks: Iterable, size: int, ink: str, *, align: str = "l", anchor: str = "t",
         insets: tuple[float, float] | None = None) -> etree._Element:
    """A text body for a shape: wrapped, aligned, its insets (left/right, top/bottom) in points."""
    body = text_body(blocks, size, ink, bullets=False, anchor=anchor)
    body_pr = body[0]
    if insets is not None:
        side, edge = (emu(v) for v in insets)
        for key, value in (("lIns", side), ("rIns", side), ("tIns", edge), ("bIns", edge)):
            body_pr.set(key, str(value))
    if align != "l":
        for ppr in body.iter(qn("a:pPr")):
            ppr.set("algn", align)
    return body


def text_height(texts: Iterable[str], width_pt: float, size: int) -> float:
    """Points that paragraphs `texts` take at `size` in a box `width_pt` wide (no insets)."""
    return sum(line_count(t, width_pt, size) * size * LINE + PARA_GAP_PT for t in texts)


def fit(texts: Sequence[str], box: Box, largest: int, smallest: int = 24,
        insets: tuple[float, float] = (INSET_PT, 3.6)) -> int:
    """The largest size (even points, `largest` down to `smallest`) at which `texts` fit `box`."""
    width = pt(box[2]) - 2 * insets[0] - 4  # erring narrow
    height = pt(box[3]) - 2 * insets[1]
    for size in range(largest, smallest - 1, -2):
        if text_height(texts, width, size) <= height:
            return size
    return smallest


def rows(count: int, columns: int) -> int:
    return -(-count // columns)


def grid(box: Box, count: int, columns: int, gap: int) -> list[Box]:
    """`count` equal cells in `box`, row by row, `gap` EMU apart."""
    left, top, width, height = box
    n_rows = max(1, rows(count, columns))
    cell_w = (width - gap * (columns - 1)) // columns
    cell_h = (height - gap * (n_rows - 1)) // n_rows
    return [(left + (i % columns) * (cell_w + gap), top + (i // columns) * (cell_h + gap), cell_w, cell_h)
            for i in range(count)]

"""Icons drawn from DrawingML preset shapes: a white pictogram on a disc of the school's
colour, grouped, with alternative text. Nothing is downloaded or shipped as a picture, so
each icon stays sharp and editable; none shows a person in any situation, only objects
and signs.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from lessonpack.rendering.document import Paragraph, Span
from lessonpack.writers.drawingml import emu
from lessonpack.writers.pptx_draw import WHITE, Box, Canvas, line, text

# name → what the icon shows, for its alternative text
ICONS = {
    "no-money": "a pound sign crossed out",
    "block": "a no-entry sign",
    "camera": "a camera",
    "flag": "a flag",
    "speech": "a speech bubble",
    "heart": "a heart",
    "tick": "a tick",
    "people": "two simple figures side by side",
    "phone": "a phone",
    "pencil": "a pencil",
    "question": "a question mark",
    "stop": "a stop sign",
    "school": "a school building",
    "ticket": "a ticket",
}


def _part(box: Box, x: float, y: float, w: float, h: float) -> Box:
    """A box given in shares of the icon's box."""
    left, top, width, height = box
    return (left + int(width * x), top + int(height * y), int(width * w), int(height * h))


def _shapes(canvas: Canvas, name: str, box: Box, accent: str) -> list[etree._Element]:
    out: list[etree._Element] = []

    def draw(prst: str, x: float, y: float, w: float, h: float, colour: str = WHITE, rot: int = 0,
             adjust: tuple = (), body: etree._Element | None = None, outline=None) -> None:
        shape = canvas.shape(prst, _part(box, x, y, w, h), colour, adjust=adjust, body=body,
                             outline=outline, name="Icon part", into=out)
        if rot:
            shape.find("{*}spPr/{*}xfrm").set("rot", str(rot * 60000))

    def glyph(char: str, size_share: float, colour: str) -> etree._Element:
        size = max(8, int(box[3] / 12700 * size_share))
        return text([Paragraph((Span(char, bold=True),))], size, colour, align="ctr", anchor="ctr",
                    insets=(0, 0))

    drawings: dict[str, Callable[[], None]] = {
        "no-money": lambda: (draw("ellipse", .22, .22, .56, .56, body=glyph("£", .34, accent)),
                             draw("noSmoking", .18, .18, .64, .64, adjust=(("adj", 12000),))),
        "block": lambda: (draw("ellipse", .2, .2, .6, .6), draw("rect", .3, .45, .4, .1, accent)),
        "camera": lambda: (draw("roundRect", .2, .32, .6, .42), draw("rect", .36, .25, .2, .1),
                           draw("ellipse", .38, .4, .24, .26, accent), draw("ellipse", .44, .47, .12, .12)),
        "flag": lambda: (draw("rect", .28, .2, .05, .62), draw("wave", .33, .22, .42, .3)),
        "speech": lambda: (draw("wedgeEllipseCallout", .2, .22, .6, .44,
                                adjust=(("adj1", -25000), ("adj2", 75000))),
                           *(draw("ellipse", x, .39, .08, .1, accent) for x in (.33, .46, .59))),
        "heart": lambda: draw("heart", .22, .25, .56, .52),
        "tick": lambda: (draw("roundRect", .27, .48, .1, .26, rot=-45),
                         draw("roundRect", .48, .25, .1, .5, rot=40)),
        "people": lambda: (draw("ellipse", .26, .22, .16, .16), draw("round2SameRect", .2, .41, .28, .33),
                           draw("ellipse", .56, .22, .16, .16), draw("round2SameRect", .5, .41, .28, .33)),
        "phone": lambda: (draw("roundRect", .34, .18, .32, .64), draw("rect", .38, .27, .24, .42, accent)),
        "pencil": lambda: (draw("rect", .44, .18, .12, .5, rot=35),
                           draw("triangle", .23, .64, .12, .12, rot=215)),
        "question": lambda: draw("ellipse", .2, .2, .6, .6, body=glyph("?", .38, accent)),
        "stop": lambda: draw("octagon", .2, .2, .6, .6, body=glyph("STOP", .13, accent)),
        "school": lambda: (draw("triangle", .2, .2, .6, .25), draw("rect", .26, .45, .48, .33),
                           draw("rect", .44, .6, .12, .18, accent)),
        "ticket": lambda: (draw("plaque", .18, .32, .64, .36),
                           draw("rect", .52, .36, .02, .28, accent,
                                outline=line(None))),
    }
    drawings.get(name, drawings["tick"])()
    return out


def icon(canvas: Canvas, name: str, box: Box, accent: str, disc: bool = True) -> etree._Element:
    """The icon `name` (an unknown name draws a tick) in `box`, grouped with its alt text."""
    children: list[etree._Element] = []
    if disc:
        canvas.shape("ellipse", box, accent, name="Icon disc", into=children)
    children += _shapes(canvas, name, box, accent)
    return canvas.group(box, f"Icon: {ICONS.get(name, ICONS['tick'])}", children)


def icon_size(height: int) -> int:
    return max(emu(36), height)

"""Icons drawn from DrawingML preset shapes: a white pictogram on a disc of the school's
colour, grouped, with alternative text. Nothing is downloaded or shipped as a picture, so
each icon stays sharp and editable; none shows a person in any situation, only objects
and signs.
"""

from __future__ import annotations

from lxml import etree

from lessonpack.rendering.document import Paragraph, Span
from lessonpack.writers.drawingml import emu
from lessonpack.writers.pptx_draw import WHITE, Box, Canvas, text

# The icons there are; what each says to a screen reader is the pack's (rendering/alt_text.py).
ICONS = ("no-money", "block", "camera", "flag", "speech", "heart", "tick", "people", "phone",
         "pencil", "question", "stop", "school", "ticket")


def _part(box: Box, x: float, y: float, w: float, h: float) -> Box:
    """A box given in shares of the icon's box."""
    left, top, width, height = box
    return (left + int(width * x), top + int(height * y), int(width * w), int(height * h))


# Each icon's parts: (preset, x, y, width, height) as shares of the icon's box, then its
# options: "accent" (drawn in the school's colour, not white), a rotation in degrees, the
# preset's adjustments, and a character set in the middle of it.
Part = tuple
DRAWINGS: dict[str, tuple[Part, ...]] = {
    # A prohibition sign: the ring and bar in the disc's colour over a white face, so that
    # the bar crosses the £ (drawn in white, the bar only cut the £ on a white face).
    "no-money": (("ellipse", .16, .16, .68, .68, {"glyph": ("£", .46)}),
                 ("noSmoking", .16, .16, .68, .68, {"accent": True, "adjust": (("adj", 9000),)})),
    "block": (("ellipse", .2, .2, .6, .6, {}), ("rect", .3, .45, .4, .1, {"accent": True})),
    "camera": (("roundRect", .2, .32, .6, .42, {}), ("rect", .36, .25, .2, .1, {}),
               ("ellipse", .38, .4, .24, .26, {"accent": True}), ("ellipse", .44, .47, .12, .12, {})),
    "flag": (("rect", .28, .2, .05, .62, {}), ("wave", .33, .22, .42, .3, {})),
    "speech": (("wedgeEllipseCallout", .2, .22, .6, .44, {"adjust": (("adj1", -25000), ("adj2", 75000))}),
               *(("ellipse", x, .39, .08, .1, {"accent": True}) for x in (.33, .46, .59))),
    "heart": (("heart", .22, .25, .56, .52, {}),),
    "tick": (("roundRect", .27, .48, .1, .26, {"rot": -45}), ("roundRect", .48, .25, .1, .5, {"rot": 40})),
    "people": (("ellipse", .26, .22, .16, .16, {}), ("round2SameRect", .2, .41, .28, .33, {}),
               ("ellipse", .56, .22, .16, .16, {}), ("round2SameRect", .5, .41, .28, .33, {})),
    "phone": (("roundRect", .34, .18, .32, .64, {}), ("rect", .38, .27, .24, .42, {"accent": True})),
    "pencil": (("rect", .44, .18, .12, .5, {"rot": 35}), ("triangle", .23, .64, .12, .12, {"rot": 215})),
    "question": (("ellipse", .2, .2, .6, .6, {"glyph": ("?", .38)}),),
    "stop": (("octagon", .2, .2, .6, .6, {"glyph": ("STOP", .13)}),),
    "school": (("triangle", .2, .2, .6, .25, {}), ("rect", .26, .45, .48, .33, {}),
               ("rect", .44, .6, .12, .18, {"accent": True})),
    "ticket": (("plaque", .18, .32, .64, .36, {}), ("rect", .52, .36, .02, .28, {"accent": True})),
}


def _shapes(canvas: Canvas, name: str, box: Box, accent: str) -> list[etree._Element]:
    out: list[etree._Element] = []
    for prst, x, y, w, h, options in DRAWINGS.get(name, DRAWINGS["tick"]):
        body = None
        if "glyph" in options:
            char, share = options["glyph"]
            size = max(8, int(box[3] / 12700 * share))
            body = text([Paragraph((Span(char, bold=True),))], size, accent, align="ctr", anchor="ctr",
                        insets=(0, 0))
        shape = canvas.shape(prst, _part(box, x, y, w, h), accent if options.get("accent") else WHITE,
                             adjust=options.get("adjust", ()), body=body, name="Icon part", into=out)
        if options.get("rot"):
            shape.find("{*}spPr/{*}xfrm").set("rot", str(options["rot"] * 60000))
    return out


def icon(canvas: Canvas, name: str, box: Box, accent: str, disc: bool = True) -> etree._Element:
    """The icon `name` (an unknown name draws a tick) in `box`, grouped with its alt text."""
    children: list[etree._Element] = []
    if disc:
        canvas.shape("ellipse", box, accent, name="Icon disc", into=children)
    children += _shapes(canvas, name, box, accent)
    drawn = name if name in ICONS else "tick"
    return canvas.group(box, canvas.words[f"icon.{drawn}"], children)


def icon_size(height: int) -> int:
    return max(emu(36), height)

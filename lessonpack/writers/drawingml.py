"""DrawingML, the part of Office XML that slides and pictures in documents share:
text bodies, colours, positions and pictures."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from lessonpack.errors import LessonpackError
from lessonpack.rendering.document import Heading, ListItem
from lessonpack.writers.oxml import copy_of, el, sub
from lessonpack.writers.slide_layout import BULLET_INDENT_PT, LINE, PARA_GAP_PT
from lessonpack.xmltext import xml_text

EMU_PER_PT = 12700
EMU_PER_INCH = 914400
_INDENT = BULLET_INDENT_PT * EMU_PER_PT
# PowerPoint's 100% line spacing is ~1.2 × the size, so LINE is scaled to match.
_LINE_PCT = int(LINE * 0.83 * 100000)


def emu(points: float) -> int:
    return int(points * EMU_PER_PT)


def pt(value: int) -> float:
    """EMU as points."""
    return value / EMU_PER_PT


def solid_fill(colour: str) -> etree._Element:
    return el("a:solidFill", None, el("a:srgbClr", {"val": colour}))


def xfrm(left: int, top: int, width: int, height: int, tag: str = "a:xfrm") -> etree._Element:
    return el(tag, None, el("a:off", {"x": left, "y": top}), el("a:ext", {"cx": width, "cy": height}))


def rect_geometry() -> etree._Element:
    return el("a:prstGeom", {"prst": "rect"}, el("a:avLst"))


def text_body(blocks: Iterable, size: int, colour: str, bullets: bool = True, anchor: str | None = None,
              tag: str = "p:txBody") -> etree._Element:
    """A text body holding `blocks`: wrapped, never auto-fitted (slides are paginated)."""
    body = copy_of(_empty_body, tag, anchor)
    for block in blocks:
        body.append(paragraph(block, size, colour, bullets))
    if len(body) == 2:
        sub(body, "a:p")
    return body


def _empty_body(tag: str, anchor: str | None) -> etree._Element:
    return el(tag, None, el("a:bodyPr", {"wrap": "square", "anchor": anchor}, el("a:noAutofit")),
              el("a:lstStyle"))


def paragraph(block, size: int, colour: str, bullets: bool) -> etree._Element:
    if bullets and isinstance(block, ListItem):
        # A number at a large size needs more room than a bullet's indent.
        indent = _INDENT if block.number is None else max(_INDENT, int(size * 1.5 * EMU_PER_PT))
        out = copy_of(_empty_paragraph, block.level, block.number, True, indent)
    else:
        out = copy_of(_empty_paragraph, 0, None, False)
    heading = isinstance(block, Heading)
    run_size = (size + (2 if heading else 0)) * 100
    for span in block.spans:
        run = copy_of(_empty_run, run_size, span.bold or heading, span.italic, colour)
        run[-1].text = xml_text(span.text)
        out.append(run)
    return out


def _empty_paragraph(level: int, number: int | None, listed: bool, indent: int = _INDENT) -> etree._Element:
    """A paragraph's properties: its bullet or number, spacing and indent."""
    if listed:
        ppr = el("a:pPr", {"algn": "l", "marL": indent * (level + 1), "indent": -indent})
        if number is not None:
            bullet = [el("a:buAutoNum", {"type": "arabicPeriod", "startAt": number})]
        else:
            bullet = [el("a:buFont", {"typeface": "Arial"}),
                      el("a:buChar", {"char": "•" if level == 0 else "–"})]
    else:
        ppr, bullet = el("a:pPr", {"algn": "l", "marL": 0, "indent": 0}), [el("a:buNone")]
    sub(ppr, "a:lnSpc", None, el("a:spcPct", {"val": _LINE_PCT}))
    sub(ppr, "a:spcAft", None, el("a:spcPts", {"val": PARA_GAP_PT * 100}))
    ppr.extend(bullet)
    return el("a:p", None, ppr)


def _empty_run(size: int, bold: bool, italic: bool, colour: str) -> etree._Element:
    """A run with its properties and an empty a:t for the text."""
    rpr = el("a:rPr", {"lang": "en-GB", "sz": size, "b": "1" if bold else None,
                       "i": "1" if italic else None}, solid_fill(colour))
    return el("a:r", None, rpr, el("a:t", text=""))


def plain_paragraphs(text: str) -> list[etree._Element]:
    """Plain text as paragraphs, a paragraph a line, a line break for each vertical tab
    (speaker notes, as PowerPoint keeps them)."""
    out = []
    for line in text.split("\n"):
        para = el("a:p")
        for index, piece in enumerate(line.split("\v")):
            if index:
                sub(para, "a:br")
            if piece:
                sub(para, "a:r", None, el("a:t", text=piece))
        out.append(para)
    return out


@dataclass(frozen=True)
class Picture:
    """An image scaled to fit a box, keeping its shape, never smaller than 1 EMU a side."""

    blob: bytes
    ext: str  # "png" or "jpeg"
    width: int  # EMU
    height: int
    alt: str

    @classmethod
    def fit(cls, blob: bytes, alt: str, max_width: int, max_height: int) -> Picture:
        from PIL import Image  # only when there is a logo

        try:
            with Image.open(io.BytesIO(blob)) as image:
                (px_w, px_h), kind = image.size, (image.format or "").lower()
                dpi_x, dpi_y = (float(d) or 72.0 for d in image.info.get("dpi", (72, 72)))
        except Exception:  # Pillow raises many kinds of error for a damaged image
            raise LessonpackError("the logo is not a readable PNG or JPEG image") from None
        if kind not in ("png", "jpeg"):
            raise LessonpackError("the logo is not a PNG or JPEG image")
        native_w, native_h = max(px_w, 1) / dpi_x, max(px_h, 1) / dpi_y
        scale = min(max_width / native_w, max_height / native_h)
        return cls(blob, kind, max(1, int(native_w * scale)), max(1, int(native_h * scale)), alt)

    def blip_fill(self, rid: str, tag: str) -> etree._Element:
        return el(tag, None, el("a:blip", {"r:embed": rid}), el("a:stretch", None, el("a:fillRect")))

    def shape_properties(self, left: int, top: int, tag: str) -> etree._Element:
        return el(tag, None, xfrm(left, top, self.width, self.height), rect_geometry())

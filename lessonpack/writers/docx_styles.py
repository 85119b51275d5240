"""A document's styles, adjusted for one pack: the school's colour on the headings, and a
smallest size for body text."""

from __future__ import annotations

from lessonpack.cache import memoized
from lessonpack.writers.oxml import parse, qn, serialise

HEADING_NAVY = b'w:color w:val="1D3A5F"'  # the built-in reference's headings and title


@memoized("docx-coloured-styles", 16)
def coloured(styles: bytes, accent: str) -> bytes:
    """The styles with the built-in headings' navy in the school's colour (which the pack
    has already darkened to WCAG AA on white, see school/colours.py); a school's own
    reference document, whose headings are not that navy, keeps its own colours."""
    return styles.replace(HEADING_NAVY, b'w:color w:val="' + accent.encode("ascii", "replace") + b'"')


@memoized("docx-sized-styles", 16)
def at_least(styles: bytes, body_pt: int) -> bytes:
    """The styles with Normal text (and the document defaults) at least `body_pt`."""
    if not body_pt:
        return styles
    root = parse(styles, "the reference document's styles")
    normal = [s for s in root.iter(qn("w:style")) if s.get(qn("w:type")) == "paragraph"
              and s.get(qn("w:default")) == "1"]
    for holder in [*root.iter(qn("w:rPrDefault")), *normal]:
        rpr = holder.find(qn("w:rPr"))
        if rpr is None:
            continue
        for tag in ("w:sz", "w:szCs"):
            size = rpr.find(qn(tag))
            value = size.get(qn("w:val")) if size is not None else None
            if size is not None and value is not None and value.isdigit() and int(value) < 2 * body_pt:
                size.set(qn("w:val"), str(2 * body_pt))
    return serialise(root)

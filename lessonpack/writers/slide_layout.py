"""Fit slide content into the body area: measure text, and continue what does not fit.

Measurement is an estimate from character widths (conservative for Arial/Calibri and
their metric twins), so that no line of text runs off the slide in any client.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from lessonpack.cache import memoized
from lessonpack.rendering.document import Block, Deck, Heading, ListItem, Slide, Table, block_text, plain

BODY_PT = 24  # never under 24 pt: legible from the back of a classroom
TABLE_PT = 24
# Layouts that fit their own text (writers/pptx_design.py), so are never continued.
DESIGNED = ("statement", "sequence", "checklist", "cards", "icon", "chat")
TITLE_PT = 34
LINE = 1.2  # line height as a multiple of the font size
PARA_GAP_PT = 8
CELL_PAD_PT = 10  # top and bottom margins of a table cell, together
BULLET_INDENT_PT = 24

_NARROW = set("ijlrtfI.,;:'!|()[] ")
_WIDE = set("mwMW@%")


def text_width_em(text: str) -> float:
    """Width of `text` in ems, erring wide."""
    width = 0.0
    for ch in text:
        if ch in _NARROW:
            width += 0.3
        elif ch in _WIDE:
            width += 0.85
        elif ch.isupper():
            width += 0.66
        elif ord(ch) > 0x2E80:  # CJK and other full-width scripts
            width += 1.0
        else:
            width += 0.51
    return width


# The same paragraphs are measured pack after pack (and twice a pack: to paginate, then to
# size the text boxes), so measurements are kept; bounded, so memory stays flat in a batch.
@memoized("line-count", 8192)
def line_count(text: str, width_pt: float, size_pt: float) -> int:
    """Lines `text` takes when word-wrapped into `width_pt` at `size_pt`."""
    if not text.strip():
        return 1
    limit = width_pt / size_pt
    lines, current = 1, 0.0
    space = text_width_em(" ")
    for word in text.split():
        w = text_width_em(word)
        if w > limit:  # a word longer than the line breaks across lines
            extra = w if current == 0 else current + space + w
            lines += math.ceil(extra / limit) - 1
            current = extra % limit
            continue
        needed = w if current == 0 else current + space + w
        if needed > limit:
            lines += 1
            current = w
        else:
            current = needed
    return lines


@dataclass(frozen=True)
class Geometry:
    """The body area of a content slide, in points."""

    width: float
    height: float
    table_columns: int = 2

    def block_height(self, block: Block) -> float:
        if isinstance(block, Table):
            return self.table_height(block.header, block.rows)
        size = BODY_PT
        width = self.width
        if isinstance(block, ListItem):
            width -= BULLET_INDENT_PT * (block.level + 1)
        if isinstance(block, Heading):
            size = BODY_PT + 2
        return line_count(block_text(block), width, size) * size * LINE + PARA_GAP_PT

    def row_height(self, row: tuple) -> float:
        column = self.width / max(1, len(row))
        lines = max(line_count(plain(cell), column - 14, TABLE_PT) for cell in row) if row else 1
        return lines * TABLE_PT * LINE + CELL_PAD_PT

    def table_height(self, header: tuple, rows: tuple) -> float:
        return self.row_height(header) + sum(self.row_height(r) for r in rows) + PARA_GAP_PT


def paginate(deck: Deck, geometry: Geometry) -> Deck:
    """Split every slide whose content is taller than the body into continuation slides."""
    slides: list[Slide] = []
    for slide in deck.slides:
        designed = slide.layout.split()[:1] and slide.layout.split()[0] in DESIGNED
        slides += [slide] if slide.is_title or designed else _split(slide, geometry)
    return Deck(title=deck.title, slides=slides)


def _split(slide: Slide, geo: Geometry) -> list[Slide]:
    pages: list[list[Block]] = [[]]
    used = 0.0

    def new_page() -> None:
        nonlocal used
        pages.append([])
        used = 0.0

    for block in slide.blocks:
        if isinstance(block, Table):
            rows: list[tuple] = []
            header_h = geo.row_height(block.header) + PARA_GAP_PT
            for row in block.rows:
                h = geo.row_height(row)
                start_h = header_h if not rows else 0.0
                if used + start_h + h > geo.height and (rows or pages[-1]):
                    if rows:
                        pages[-1].append(Table(block.header, tuple(rows)))
                    rows = []
                    new_page()
                    start_h = header_h
                rows.append(row)
                used += start_h + h
            if rows:
                pages[-1].append(Table(block.header, tuple(rows)))
            continue
        h = geo.block_height(block)
        if used + h > geo.height and pages[-1]:
            # Keep a heading or lead-in paragraph with what follows it.
            carry = []
            if pages[-1] and isinstance(pages[-1][-1], Heading):
                carry = [pages[-1].pop()]
            new_page()
            pages[-1].extend(carry)
            used = sum(geo.block_height(b) for b in carry)
        pages[-1].append(block)
        used += h
    pages = [p for p in pages if p] or [[]]
    out = []
    for index, blocks in enumerate(pages):
        if index == 0:
            out.append(replace(slide, blocks=blocks))
        else:
            out.append(
                replace(
                    slide,
                    title=f"{slide.title} (continued)",
                    blocks=blocks,
                    notes=f"(Continued from the previous slide.)\n{slide.notes}",
                    continued=True,
                )
            )
    return out


def fits(text: str, width_pt: float, height_pt: float, size_pt: float) -> bool:
    return line_count(text, width_pt, size_pt) * size_pt * LINE <= height_pt


def fitting_size(text: str, width_pt: float, height_pt: float, largest: int, smallest: int) -> int:
    """The largest font size from `largest` down to `smallest` at which `text` fits."""
    for size in range(largest, smallest - 1, -2):
        if fits(text, width_pt, height_pt, size):
            return size
    return smallest


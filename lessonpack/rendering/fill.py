"""Values put back into a parsed document.

Templates print placeholders, not values, so the Markdown of a pack is usually the same
for every school: it is parsed once (markup.py) into a pattern, a document model whose
text still holds placeholders, and each pack's values are filled into a copy here. A
block without a placeholder is shared between copies: the model is never changed once
made (slides are, so every slide is new).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lessonpack.errors import TemplateError
from lessonpack.rendering.document import (
    Block,
    Deck,
    Document,
    Heading,
    Inline,
    ListItem,
    Paragraph,
    PocketCards,
    Slide,
    Span,
    Table,
    WriteSpace,
)

Fill = Callable[[str], str]
MARK = "\ue000"  # every placeholder starts with it (templating.OPEN)


@dataclass(frozen=True)
class PendingLines:
    """`::: lines N` in a pattern: N may be a value, so it is read when filled."""

    info: str


def merge(spans: list[Span]) -> Inline:
    """Spans with empty ones dropped and neighbours of the same style joined."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (span.bold, span.italic):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic)
        else:
            merged.append(span)
    return tuple(merged)


def _spans(spans: Inline, fill: Fill) -> Inline:
    if not any(MARK in span.text for span in spans):
        return spans
    return merge([Span(fill(span.text), span.bold, span.italic) if MARK in span.text else span
                  for span in spans])


def line_count(info: str, name: str) -> int:
    words = info.split()
    try:
        return max(1, min(40, int(words[1])))
    except (IndexError, ValueError):
        raise TemplateError(f"{name}: '::: lines' needs a number, as in '::: lines 4'") from None


def _block(block: Block | PendingLines, fill: Fill, name: str) -> Block:
    if isinstance(block, Paragraph):
        spans = _spans(block.spans, fill)
        return block if spans is block.spans else Paragraph(spans)
    if isinstance(block, ListItem):
        spans = _spans(block.spans, fill)
        return block if spans is block.spans else ListItem(spans, block.level, block.number)
    if isinstance(block, Heading):
        spans = _spans(block.spans, fill)
        return block if spans is block.spans else Heading(block.level, spans)
    if isinstance(block, Table):
        header = tuple(_spans(cell, fill) for cell in block.header)
        rows = tuple(tuple(_spans(cell, fill) for cell in row) for row in block.rows)
        return Table(header, rows, block.style)
    if isinstance(block, PendingLines):
        return WriteSpace(line_count(fill(block.info), name))
    if isinstance(block, PocketCards):
        return PocketCards(tuple(_block(b, fill, name) for b in block.front),
                           tuple(_block(b, fill, name) for b in block.back), fill(block.link))
    return block


# The last filled copy of each pattern block, and the values that went into it. Most
# blocks print the content's own text, the same for every school: when a block's values
# are those of last time, last time's block is the answer, with no filling at all, and the
# writers, which know a block they have built by its identity, reuse its XML too. Each
# entry keeps its pattern block alive, so an id is never reused while it is here.
_LAST: dict[int, tuple[Block | PendingLines, Block, tuple[int, ...], tuple[str, ...] | None]] = {}
MAX_LAST = 4096
_INDEX = re.compile(f"{MARK}(\\d+)\ue001")  # a canonical placeholder (templating.py)


def _indices(block: Block | PendingLines) -> tuple[int, ...]:
    """The canonical placeholders in a pattern block, in order."""
    if isinstance(block, PendingLines):
        texts = [block.info]
    elif isinstance(block, PocketCards):
        return tuple(i for b in (*block.front, *block.back) for i in _indices(b)) + tuple(
            int(index) for index in _INDEX.findall(block.link))
    elif isinstance(block, Table):
        texts = [span.text for cell in (*block.header, *(c for row in block.rows for c in row))
                 for span in cell]
    else:
        texts = [span.text for span in getattr(block, "spans", ())]
    return tuple(int(index) for text in texts for index in _INDEX.findall(text))


def _blocks(blocks: list, fill: Fill, name: str, values: list[str] | None) -> list[Block]:
    """`values`: the render's values when the pattern is canonical, else None (no reuse)."""
    out = []
    for block in blocks:
        last = _LAST.get(id(block))
        if last is not None and last[0] is not block:
            last = None
        used = None
        if values is not None and last is not None:
            used = tuple(values[i] for i in last[2])
            # A value holding placeholders stands for other values: never reused.
            if used == last[3] and not any(MARK in value for value in used):
                out.append(last[1])
                continue
        filled = _block(block, fill, name)
        if filled is not block:
            if last is not None and last[1] == filled:
                filled = last[1]
            indices = last[2] if last is not None else _indices(block)
            if used is None and values is not None:
                used = tuple(values[i] for i in indices)
            if len(_LAST) >= MAX_LAST:
                del _LAST[next(iter(_LAST))]
            _LAST[id(block)] = (block, filled, indices, used)
        out.append(filled)
    return out


def fill_document(pattern: Document, fill: Fill, name: str,
                  values: list[str] | None = None) -> Document:
    return Document(title=fill(pattern.title), blocks=_blocks(pattern.blocks, fill, name, values),
                    header=_blocks(pattern.header, fill, name, values),
                    letterhead=_blocks(pattern.letterhead, fill, name, values))


def fill_deck(pattern: Deck, fill: Fill, name: str, values: list[str] | None = None) -> Deck:
    """The deck with values in; a pattern slide's `step` holds its whole `::: notes` line:
    `notes STEP [LAYOUT ARGS…]`."""
    slides = []
    for slide in pattern.slides:
        info = fill(slide.step).split()
        slides.append(Slide(title=fill(slide.title), blocks=_blocks(slide.blocks, fill, name, values),
                            notes=fill(slide.notes), step=info[1] if len(info) > 1 else "",
                            layout=" ".join(info[2:]), is_title=slide.is_title))
    missing = [s.title for s in slides if not s.notes]
    if missing:
        raise TemplateError(f"{name}: slides without speaker notes: {missing}")
    return Deck(title=slides[0].title if slides else name, slides=slides)

"""Values put back into a parsed document.

Templates print placeholders, not values, so the Markdown of a pack is usually the same
for every school: it is parsed once (markup.py) into a pattern, a document model whose
text still holds placeholders, and each pack's values are filled into a copy here. A
block without a placeholder is shared between copies: the model is never changed once
made.
"""

from __future__ import annotations

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


def _blocks(blocks: list, fill: Fill, name: str) -> list[Block]:
    return [_block(block, fill, name) for block in blocks]


def fill_document(pattern: Document, fill: Fill, name: str) -> Document:
    return Document(title=fill(pattern.title), blocks=_blocks(pattern.blocks, fill, name),
                    header=_blocks(pattern.header, fill, name),
                    letterhead=_blocks(pattern.letterhead, fill, name))


def fill_deck(pattern: Deck, fill: Fill, name: str) -> Deck:
    """The deck with values in; a pattern slide's `step` holds its whole `::: notes` line:
    `notes STEP [LAYOUT ARGS…]`."""
    slides = []
    for slide in pattern.slides:
        info = fill(slide.step).split()
        slides.append(Slide(title=fill(slide.title), blocks=_blocks(slide.blocks, fill, name),
                            notes=fill(slide.notes), step=info[1] if len(info) > 1 else "",
                            layout=" ".join(info[2:]), is_title=slide.is_title))
    missing = [s.title for s in slides if not s.notes]
    if missing:
        raise TemplateError(f"{name}: slides without speaker notes: {missing}")
    return Deck(title=slides[0].title if slides else name, slides=slides)

"""Values put back into a parsed document.

Templates print placeholders, not values, so the Markdown of a pack is usually the same
for every school: it is parsed once (markup.py) into a pattern, a document model whose
text still holds placeholders, and each pack's values are filled into a copy here. A
block without a placeholder is shared between copies: the model is never changed once
made.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, is_dataclass

from lessonpack.cache import active_cache
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


_INDEX = re.compile(f"{MARK}(\\d+)\ue001")  # a canonical placeholder (templating.py)


def _texts(item: object) -> Iterator[str]:
    """Every text in a block, however it nests (cells, cards' blocks, spans, links)."""
    if isinstance(item, str):
        yield item
    elif isinstance(item, tuple | list):
        for part in item:
            yield from _texts(part)
    elif is_dataclass(item):
        for f in fields(item):
            yield from _texts(getattr(item, f.name))


def _indices(block: Block | PendingLines) -> tuple[int, ...]:
    """The canonical placeholders in a pattern block, in order: the values it is filled with."""
    return tuple(int(index) for text in _texts(block) for index in _INDEX.findall(text))


def _blocks(blocks: list, fill: Fill, name: str, values: list[str] | None) -> list[Block]:
    """Each pattern block with its values in. `values`: the render's values when the pattern
    is canonical; a block filled with the same values before (most hold the content's own
    text, the same for every school) is then the library's filled block again."""
    cache = active_cache() if values is not None else None
    if cache is None or values is None:
        return [_block(block, fill, name) for block in blocks]
    indices, filled = cache.table("placeholders", 8192), cache.table("filled-blocks", 8192)
    out = []
    for block in blocks:
        where = indices.get(block)
        if where is None:
            where = indices.put(block, _indices(block))
        used = tuple(values[i] for i in where)
        if any(MARK in value for value in used):  # a value standing for other values: not kept
            out.append(_block(block, fill, name))
            continue
        key = (block, used)
        done = filled.get(key)
        out.append(done if done is not None else filled.put(key, _block(block, fill, name)))
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

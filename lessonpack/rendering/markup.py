"""Markdown (as the templates write it) → the document model.

The conventions, kept few so that a DSL can edit a template without a manual:

- `# Heading` … `### Heading`: headings; in a deck, `#` opens the title slide and
  `##` opens each content slide.
- `- item` and `1. item`: lists; `| a | b |` tables (the first row is the header).
- `---` on its own line: a page break in a document.
- `::: notes STEP` … `:::`: a slide's speaker notes, and the lesson step it belongs to
  (pandoc's convention for notes); `::: notes STEP LAYOUT ARGS` also names the slide's
  layout (writers/pptx_design.py: statement, sequence, checklist, cards, icon, chat).
- `::: header` … `:::`: a running header, repeated on every page.
- `::: letterhead` … `:::`: a letterhead, on the first page only (with the logo).
- `::: lines N` … `:::`: N ruled lines for a pupil to write on.
- `::: cards` … `:::` around a table: each cell a card to cut out (header row included);
  `::: mat` … `:::` around a table: a sorting mat, its columns the whole page tall.
- `::: front` … `:::` then `::: back URL` … `:::`: a pocket-sized card, printed eight to
  a sheet, the address URL on its back as a QR code.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from lessonpack.cache import memoized
from lessonpack.errors import TemplateError
from lessonpack.rendering.document import (
    Block,
    Deck,
    Document,
    Heading,
    Inline,
    ListItem,
    PageBreak,
    Paragraph,
    PocketCards,
    Slide,
    Span,
    Table,
    plain,
)
from lessonpack.rendering.fill import PendingLines, merge

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

CONTAINERS = ("notes", "header", "letterhead", "lines", "cards", "mat", "front", "back")


@memoized("markdown-parser", 1)
def _parser() -> MarkdownIt:
    # Imported when first needed: a run whose every parse is cached never loads it.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin

    # html off: a `<` in a value or template is text, never a tag.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    return md


class _Walker:
    """Turns markdown-it's flat token stream into blocks, one container at a time.

    Values are not filled in here: the result is a pattern, whose text still holds the
    placeholders (fill.py puts the values in)."""

    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.tokens = _parser().parse(text)
        self.pos = 0

    def inline(self, token: Token) -> Inline:
        spans: list[Span] = []
        bold = italic = False
        for child in token.children or []:
            kind = child.type
            if kind == "strong_open":
                bold = True
            elif kind == "strong_close":
                bold = False
            elif kind == "em_open":
                italic = True
            elif kind == "em_close":
                italic = False
            elif kind in ("text", "code_inline"):
                spans.append(Span(child.content, bold, italic))
            elif kind in ("softbreak", "hardbreak"):
                spans.append(Span(" ", bold, italic))
        return merge(spans)

    def blocks(self, until: str | None = None) -> list[Block]:
        """Read blocks up to the matching close token (or the end)."""
        out: list[Block] = []
        list_stack: list[int | None] = []  # per open list: next number, or None if bulleted
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            self.pos += 1
            kind = tok.type
            if until and kind == until:
                return out
            if kind == "heading_open":
                out.append(Heading(int(tok.tag[1]), self.inline(self.tokens[self.pos])))
                self.pos += 2
            elif kind == "bullet_list_open":
                list_stack.append(None)
            elif kind == "ordered_list_open":
                list_stack.append(int(tok.attrGet("start") or 1))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                list_stack.pop()
            elif kind == "list_item_open":
                spans = self._item_text()
                number = list_stack[-1]
                if number is not None:
                    list_stack[-1] = number + 1
                out.append(ListItem(spans, level=len(list_stack) - 1, number=number))
            elif kind == "paragraph_open":
                out.append(Paragraph(self.inline(self.tokens[self.pos])))
                self.pos += 2
            elif kind == "hr":
                out.append(PageBreak())
            elif kind == "table_open":
                out.append(self._table())
            elif kind == "container_lines_open":
                # A pattern's placeholder, not a Block: rendering/fill replaces it with the
                # filled lines before any writer sees the document.
                out.append(cast(Block, PendingLines(tok.info)))
                self.blocks(until="container_lines_close")
            elif kind == "container_front_open":
                out.append(PocketCards(tuple(self.blocks(until="container_front_close"))))
            elif kind == "container_back_open":
                words = tok.info.split()
                back = tuple(self.blocks(until="container_back_close"))
                last = out[-1] if out else None
                front = last.front if isinstance(last, PocketCards) else ()
                if isinstance(last, PocketCards):
                    out.pop()
                out.append(PocketCards(front, back, words[1] if len(words) > 1 else ""))
            elif kind in ("container_cards_open", "container_mat_open"):
                style = kind.split("_")[1]
                out += [replace(b, style=style) if isinstance(b, Table) else b
                        for b in self.blocks(until=f"container_{style}_close")]
            elif kind.startswith("container_") and kind.endswith("_open"):
                # notes and header are handled by the callers that expect them
                self.pos -= 1
                return out
        return out

    def _item_text(self) -> Inline:
        """The first paragraph of a list item; nested lists come back as their own items."""
        tok = self.tokens[self.pos]
        if tok.type == "paragraph_open":
            spans = self.inline(self.tokens[self.pos + 1])
            self.pos += 3
            return spans
        return ()

    def _table(self) -> Table:
        header: list[Inline] = []
        rows: list[tuple[Inline, ...]] = []
        row: list[Inline] = []
        in_head = False
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
            elif tok.type == "inline":
                row.append(self.inline(tok))
            elif tok.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
            elif tok.type == "table_close":
                break
        return Table(tuple(header), tuple(rows))

    def container_text(self, close: str) -> str:
        """A notes block as plain text: paragraphs and list items, one per line."""
        lines: list[str] = []
        for block in self.blocks(until=close):
            text = plain(block.spans) if isinstance(block, Paragraph | ListItem | Heading) else ""
            if isinstance(block, ListItem):
                text = f"- {text}"
            if text:
                lines.append(text)
        return "\n".join(lines)


def document_pattern(text: str, name: str) -> Document:
    """A document's Markdown as a pattern (placeholders not filled)."""
    walker = _Walker(text, name)
    blocks: list[Block] = []
    header: list[Block] = []
    letterhead: list[Block] = []
    while walker.pos < len(walker.tokens):
        blocks += walker.blocks()
        if walker.pos >= len(walker.tokens):
            break
        tok = walker.tokens[walker.pos]
        walker.pos += 1
        if tok.type == "container_header_open":
            header += walker.blocks(until="container_header_close")
        elif tok.type == "container_letterhead_open":
            letterhead += walker.blocks(until="container_letterhead_close")
        else:
            raise TemplateError(f"{name}: '::: {tok.info.strip()}' does not belong in a document")
    title = next((plain(b.spans) for b in blocks if isinstance(b, Heading)), name)
    return Document(title=title, blocks=blocks, header=header, letterhead=letterhead)


def deck_pattern(text: str, name: str) -> Deck:
    """A deck's Markdown as a pattern: each slide's `step` holds its whole notes line."""
    walker = _Walker(text, name)
    slides: list[Slide] = []
    while walker.pos < len(walker.tokens):
        blocks = walker.blocks()
        for block in blocks:
            if isinstance(block, Heading) and block.level <= 2:
                slides.append(Slide(title=plain(block.spans), is_title=block.level == 1))
            elif not slides:
                raise TemplateError(f"{name}: text before the first slide heading")
            else:
                slides[-1].blocks.append(block)
        if walker.pos >= len(walker.tokens):
            break
        tok = walker.tokens[walker.pos]
        walker.pos += 1
        if tok.type != "container_notes_open":
            raise TemplateError(f"{name}: '::: {tok.info.strip()}' does not belong in a deck")
        if not slides:
            raise TemplateError(f"{name}: notes before the first slide heading")
        slides[-1] = replace(slides[-1], step=tok.info,
                             notes=walker.container_text("container_notes_close"))
    title = slides[0].title if slides else name
    return Deck(title=title, slides=slides)

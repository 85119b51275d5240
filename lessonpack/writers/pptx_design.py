"""Designed slide bodies: a template names a layout after a slide's step
(`::: notes STEP LAYOUT ARGS`) and its blocks are drawn as that layout, in real,
editable shapes and text, 24 pt or larger:

- `statement`: a big statement, each paragraph a panel (a bold one in the school's colour);
- `sequence`: a numbered list as a row of chevrons, each step's words under its arrow;
- `checklist ICON,ICON,…`: a list as an icon checklist (icons from pptx_icons);
- `cards [COLUMNS]`: each list item (with the paragraphs after it) as a card in a grid;
- `icon NAME`: the text beside a large icon;
- `chat NAME`: a made-up chat in a phone frame (pptx_chat), NAME's messages on the right.

An unknown layout draws the text as it would be without one.
"""

from __future__ import annotations

from lessonpack.rendering.document import Block, Heading, ListItem, Paragraph, Span, plain
from lessonpack.writers.drawingml import emu, pt, text_body
from lessonpack.writers.pptx_chat import chat
from lessonpack.writers.pptx_draw import INK, WHITE, Box, Canvas, fit, grid, line, text, text_height
from lessonpack.writers.pptx_icons import icon
from lessonpack.writers.slide_layout import BULLET_INDENT_PT, DESIGNED, LINE

LAYOUTS = DESIGNED
GAP = emu(14)


def draw_body(canvas: Canvas, layout: str, blocks: tuple[Block, ...], body: Box, accent: str) -> bool:
    """Draw `blocks` in `body` as `layout`; False if the layout is not one of ours."""
    name, *args = layout.split()
    if name not in LAYOUTS:
        return False
    if name == "chat":
        chat(canvas, blocks, body, accent, " ".join(args))
    elif name == "statement":
        _statement(canvas, blocks, body, accent)
    elif name == "sequence":
        _sequence(canvas, blocks, body, accent)
    elif name == "checklist":
        _checklist(canvas, blocks, body, accent, (args[0] if args else "").split(","))
    elif name == "cards":
        _cards(canvas, blocks, body, accent, int(args[0]) if args and args[0].isdigit() else 2)
    else:
        _beside_icon(canvas, blocks, body, accent, args[0] if args else "tick")
    return True


def _words(blocks) -> list[str]:
    return [plain(b.spans) for b in blocks if isinstance(b, Paragraph | ListItem | Heading)]


PANEL_INSETS = (18.0, 10.0)


def _statement(canvas: Canvas, blocks, body: Box, accent: str) -> None:
    paras = [b for b in blocks if isinstance(b, Paragraph | ListItem | Heading)]
    if not paras:
        return
    left, top, width, height = body
    room = (left, top, width, height - GAP * (len(paras) - 1) - emu(2 * PANEL_INSETS[1]) * len(paras))
    size = fit(_words(paras), room, 32, 24, insets=PANEL_INSETS)
    inner = pt(width) - 2 * PANEL_INSETS[0] - 4
    heights = [emu(text_height([plain(p.spans)], inner, size) + 2 * PANEL_INSETS[1] + 6) for p in paras]
    y = top + max(0, (height - sum(heights) - GAP * (len(paras) - 1)) // 2)
    for para, h in zip(paras, heights, strict=True):
        strong = all(s.bold for s in para.spans)
        caption = all(s.italic for s in para.spans)
        canvas.shape("roundRect", (left, y, width, h), None if caption else accent,
                     tint=None if strong else 12,
                     adjust=(("adj", 8000),), name="Statement",
                     body=text([Paragraph(para.spans)], size, WHITE if strong else INK, anchor="ctr",
                               insets=PANEL_INSETS))
        y += h + GAP


def _sequence(canvas: Canvas, blocks, body: Box, accent: str) -> None:
    items = [b for b in blocks if isinstance(b, ListItem | Paragraph)]
    if not items:
        return
    columns = len(items) if len(items) <= 4 else -(-len(items) // 2)
    cells = grid(body, len(items), columns, GAP)
    arrow_h = min(emu(58), cells[0][3] // 3)
    label_boxes = [(x, y + arrow_h + emu(6), w, h - arrow_h - emu(6)) for x, y, w, h in cells]
    size = min(fit([plain(i.spans)], box, 30, 24, insets=(4, 2)) for i, box in zip(items, label_boxes,
                                                                                  strict=True))
    for index, (item, (x, y, w, _), label) in enumerate(zip(items, cells, label_boxes, strict=True)):
        number = item.number if isinstance(item, ListItem) and item.number is not None else index + 1
        first = index % columns == 0
        canvas.shape("homePlate" if first else "chevron", (x, y, w + (0 if first else GAP), arrow_h), accent,
                     adjust=(("adj", 30000),), name="Step",
                     body=text([Paragraph((Span(str(number), bold=True),))], 28, WHITE, align="ctr",
                               anchor="ctr", insets=(0, 0)))
        canvas.shape("rect", label, None, name="Step text",
                     body=text([Paragraph(item.spans)], size, INK, align="ctr", insets=(4, 2)))


def _checklist(canvas: Canvas, blocks, body: Box, accent: str, icons: list[str]) -> None:
    items = [b for b in blocks if isinstance(b, ListItem | Paragraph)]
    if not items:
        return
    columns = 2 if len(items) > 3 else 1
    cells = grid(body, len(items), columns, GAP)
    side = min(cells[0][3], emu(84))
    text_boxes = [(x + side + emu(12), y, w - side - emu(12), h) for x, y, w, h in cells]
    size = min(fit([plain(i.spans)], box, 32, 24) for i, box in zip(items, text_boxes, strict=True))
    for index, (item, (x, y, _, h), box) in enumerate(zip(items, cells, text_boxes, strict=True)):
        name = icons[index] if index < len(icons) and icons[index] else "tick"
        icon(canvas, name, (x, y + (h - side) // 2, side, side), accent)
        canvas.shape("rect", box, None, name="Checklist text",
                     body=text([Paragraph(item.spans)], size, INK, anchor="ctr"))


def _card_groups(blocks) -> list[list[Block]]:
    groups: list[list[Block]] = []
    for block in blocks:
        if isinstance(block, ListItem | Heading) or not groups:
            groups.append([block])
        elif isinstance(block, Paragraph):
            groups[-1].append(block)
    return groups


def _cards(canvas: Canvas, blocks, body: Box, accent: str, columns: int) -> None:
    groups = _card_groups(blocks)
    if not groups:
        return
    columns = max(1, min(columns, len(groups)))
    # Cells as for a full slide of cards (two rows at least), so that cards keep one size.
    cells = grid(body, max(len(groups), 2 * columns), columns, GAP)[:len(groups)]
    insets = (14.0, 8.0)
    cards = [_card(group) for group in groups]
    # Measured a fifth narrower than the card, with a line to spare: a card's first line is
    # bold, and a web address is one long word that LibreOffice moves whole to a new line.
    room = [(x, y, w * 8 // 10, h - emu(30 * LINE)) for x, y, w, h in cells]
    size = min(fit(_words(card), cell, 30, 24, insets=insets)
               for card, cell in zip(cards, room, strict=True))
    inner = pt(room[0][2]) - 2 * insets[0] - 4
    tallest = max(emu(text_height(_words(card), inner, size) + 2 * insets[1] + 8 + size * LINE)
                  for card in cards)
    # The words in the middle of their card: the height is measured with room to spare, and
    # words at the top of it left its lower half empty.
    for card, (x, y, w, h) in zip(cards, cells, strict=True):
        canvas.shape("roundRect", (x, y, w, min(h, tallest)), accent, tint=10, outline=line(accent, 2),
                     adjust=(("adj", 7000),), name="Card",
                     body=text(card, size, INK, anchor="ctr", insets=insets))


def _card(group: list[Block]) -> list[Paragraph]:
    """A card's paragraphs: its first line (numbered, as the list was, and bold), then the rest."""
    out = []
    for index, block in enumerate(group):
        if not isinstance(block, Paragraph | ListItem | Heading):
            continue
        spans = block.spans
        if index == 0 and isinstance(block, ListItem):
            if block.number is not None:
                spans = (Span(f"{block.number}. "), *spans)
            if not any(s.bold for s in spans):
                spans = tuple(Span(s.text, True, s.italic) for s in spans)
        out.append(Paragraph(spans))
    return out


def _beside_icon(canvas: Canvas, blocks, body: Box, accent: str, name: str) -> None:
    left, top, width, height = body
    side = min(height, width // 4)
    words = (left, top, width - side - emu(36), height)
    size = fit(_words(blocks), (*words[:2], words[2] - emu(BULLET_INDENT_PT), words[3]), 32, 24)
    canvas.shape("rect", words, None, name="Text",
                 body=text_body(list(blocks), size, INK, anchor="ctr"))
    icon(canvas, name, (left + width - side, top + (height - side) // 2, side, side), accent)

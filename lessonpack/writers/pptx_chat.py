"""A made-up chat drawn as a chat: message bubbles (rounded callouts) in a plain phone
frame, the named person's messages on the right and everyone else's on the left, what
happens between messages as a grey line across the screen, and the stop point beside the
phone. No real app's look or branding: a dark grey frame, white screen, grey bubbles.

The blocks, as the template writes them:
- a paragraph in italics: a label ("Made up: …"), shown as a tag above the stop point (and
  the words after an italic label, in the same paragraph, under it);
- `**Name:** words`: a message from Name;
- `**Stop:** question`: the stop point, beside the phone with a stop sign;
- any other paragraph: what happens; beside the phone if it comes before any message, else
  in the phone between the messages.
"""

from __future__ import annotations

from lessonpack.rendering.document import Paragraph, Span, plain
from lessonpack.writers.drawingml import emu, pt
from lessonpack.writers.pptx_draw import BUBBLE, FRAME, INK, MUTED, WHITE, Box, Canvas, fit, line, text
from lessonpack.writers.pptx_icons import icon
from lessonpack.writers.slide_layout import LINE, line_count, text_width_em

STOP = "Stop"
BUBBLE_INSETS = (10.0, 6.0)
NAME_PT = 20  # the sender's name over a run of their messages: a label, not body text
GAP = emu(8)


def _parts(blocks) -> tuple[list[tuple[str, str]], list[Paragraph], list[str]]:
    """(sender or "", words) in order; labels and what happens first; stop questions."""
    messages: list[tuple[str, str]] = []
    labels: list[Paragraph] = []
    stops: list[str] = []
    for block in blocks:
        if not isinstance(block, Paragraph) or not block.spans:
            continue
        spans = block.spans
        first = spans[0]
        if first.italic and not all(s.italic for s in spans):  # "*Made up: …* Ellie, 13, …"
            tag = tuple(s for s in spans if s.italic)
            rest = [s for s in spans if not s.italic]
            labels += [Paragraph(tag), Paragraph((Span(rest[0].text.lstrip(), rest[0].bold), *rest[1:]))]
        elif all(s.italic for s in spans):
            labels.append(block)
        elif first.bold and first.text.rstrip().endswith(":") and len(spans) > 1:
            who = first.text.strip().rstrip(":").strip()
            # In a bubble, the words need no quotation marks around them.
            words = "".join(s.text for s in spans[1:]).strip().strip('"“”')
            (stops.append(words) if who == STOP else messages.append((who, words)))
        elif not any(who for who, _ in messages):
            labels.append(block)
        else:
            messages.append(("", plain(spans)))
    return messages, labels, stops


def _height(words: str, width_pt: float, size: int) -> int:
    return emu(line_count(words, width_pt, size) * size * LINE + 2 * BUBBLE_INSETS[1] + 4)


def _layout(messages, screen_w: int, size: int) -> list[tuple[int, int, bool]]:
    """Each message's (bubble width, height, whether a name label goes above it)."""
    out = []
    previous = None
    widest = pt(screen_w) * 0.78
    for who, words in messages:
        if not who:  # what happens: across the screen
            out.append((screen_w, _height(words, pt(screen_w) - 2 * BUBBLE_INSETS[0] - 4, size), False))
            previous = None
            continue
        natural = text_width_em(words) * size + 2 * BUBBLE_INSETS[0] + 8
        width = min(widest, natural)
        out.append((emu(width), _height(words, width - 2 * BUBBLE_INSETS[0] - 4, size), who != previous))
        previous = who
    return out


def _total(layout, size: int) -> int:
    return sum(h + GAP + (emu(NAME_PT * LINE + 2) if named else 0) for _, h, named in layout)


def chat(canvas: Canvas, blocks, body: Box, accent: str, me: str) -> None:
    messages, labels, stops = _parts(blocks)
    left, top, width, height = body
    phone_w = int(width * 0.46)
    frame = (left, top, phone_w, height)
    canvas.shape("roundRect", frame, FRAME, adjust=(("adj", 9000),), name="Phone frame",
                 descr=canvas.words["phone-frame"])
    bezel = emu(10)
    screen = (left + bezel, top + bezel * 2, phone_w - 2 * bezel, height - bezel * 4)
    canvas.shape("roundRect", screen, WHITE, adjust=(("adj", 5000),), name="Phone screen")
    bar_h = emu(30)
    # The phone's top bar, with no app's name or look (and no words: the writer has none of
    # its own, so that a Welsh deck is all Welsh).
    canvas.shape("rect", (screen[0], screen[1] + emu(8), screen[2], bar_h), BUBBLE, name="Chat header")
    inner_x, inner_w = screen[0] + emu(10), screen[2] - emu(20)
    y0, room = screen[1] + emu(8) + bar_h + emu(10), screen[3] - bar_h - emu(26)
    size = next((s for s in (28, 26, 24) if _total(_layout(messages, inner_w, s), s) <= room), 24)
    y = y0
    for (who, words), (w, h, named) in zip(messages, _layout(messages, inner_w, size), strict=True):
        if not who:
            canvas.shape("rect", (inner_x, y, inner_w, h), None, name="What happens",
                         body=text([Paragraph((Span(words, italic=True),))], size, MUTED, align="ctr",
                                   anchor="ctr", insets=BUBBLE_INSETS))
            y += h + GAP
            continue
        mine = who == me
        x = inner_x + inner_w - w if mine else inner_x
        if named:
            name_h = emu(NAME_PT * LINE + 2)
            canvas.shape("rect", (x, y, w, name_h), None, name="Sender",
                         body=text([Paragraph((Span(who, bold=True),))], NAME_PT, MUTED,
                                   align="r" if mine else "l", anchor="b", insets=(4, 0)))
            y += name_h
        tail = 38000 if mine else -38000
        canvas.shape("wedgeRoundRectCallout", (x, y, w, h), accent if mine else BUBBLE,
                     adjust=(("adj1", tail), ("adj2", 62000), ("adj3", 16667)),
                     name=f"Message from {who}",
                     body=text([Paragraph((Span(words),))], size, WHITE if mine else INK, anchor="ctr",
                               insets=BUBBLE_INSETS))
        y += h + GAP
    _side(canvas, (left + phone_w + emu(30), top, width - phone_w - emu(30), height), labels, stops, accent)


def _side(canvas: Canvas, box: Box, labels: list[Paragraph], stops: list[str], accent: str) -> None:
    """Beside the phone: the "made up" tag, then the stop point with its sign."""
    left, top, width, height = box
    y = top
    for label in labels:
        tag = all(s.italic for s in label.spans)
        h = emu(line_count(plain(label.spans), pt(width) - 30, 24) * 24 * LINE + 16)
        if tag:
            canvas.shape("roundRect", (left, y, width, h), accent, tint=10, outline=line(accent, 1.5, "dash"),
                         adjust=(("adj", 30000),), name="Made up label",
                         body=text([label], 24, INK, anchor="ctr", insets=(12, 4)))
        else:
            canvas.shape("rect", (left, y, width, h), None, name="What happens",
                         body=text([label], 24, INK, anchor="ctr", insets=(12, 4)))
        y += h + emu(16)
    for question in stops:
        sign = emu(80)
        card_h = max(sign + emu(20), min(top + height - y, emu(200)))
        card = (left, y, width, card_h)
        canvas.shape("roundRect", card, accent, tint=14, outline=line(accent, 2.5), adjust=(("adj", 8000),),
                     name="Stop point")
        icon(canvas, "stop", (left + emu(14), y + (card_h - sign) // 2, sign, sign), accent)
        words = (left + sign + emu(24), y, width - sign - emu(32), card_h)
        size = fit([f"Stop: {question}"], words, 32, 24)
        canvas.shape("rect", words, None, name="Stop question",
                     body=text([Paragraph((Span("Stop: ", bold=True), Span(question)))], size, INK,
                               anchor="ctr"))
        y += card_h + emu(16)

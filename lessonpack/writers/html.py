"""Deck and Document → HTML, for the web page's preview of a pack.

It reads the same document model as the pptx and docx writers, so the preview shows
exactly the words the files hold: every paragraph of a slide here is a paragraph of
the slide in slides.pptx, and every paragraph of a page one of the .docx. Slides are
16:9 cards with their speaker notes underneath; documents are pages.

Built as lxml element trees, so a value can never become markup. Styling is left to
the page's stylesheet (class names only, no inline style: the page's Content Security
Policy forbids it).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

from lxml import html
from lxml.html import HtmlElement
from lxml.html.builder import E

from lessonpack.rendering.document import (
    Block,
    Deck,
    Document,
    Heading,
    ListItem,
    PageBreak,
    Paragraph,
    PocketCards,
    Slide,
    Span,
    Table,
    WriteSpace,
)
from lessonpack.writers.meta import DocMeta
from lessonpack.xmltext import clean_text

# XML 1.0 cannot hold these; the writers drop them too.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _INVALID.sub("", value)


def _spans(element: HtmlElement, spans: Iterable) -> HtmlElement:
    """Append runs of text to `element`: bold as <strong>, italic as <em>."""
    for span in spans:
        node: HtmlElement | str = _text(span.text)
        if span.italic:
            node = E.em(node)
        if span.bold:
            node = E.strong(node)
        if isinstance(node, str):
            if len(element):
                last = element[-1]
                last.tail = (last.tail or "") + node
            else:
                element.text = (element.text or "") + node
        else:
            element.append(node)
    return element


def _logo(meta: DocMeta, css: str) -> HtmlElement | None:
    if not meta.logo:
        return None
    kind = "png" if meta.logo.startswith(b"\x89PNG") else "jpeg"
    data = base64.b64encode(meta.logo).decode()
    return E.img(src=f"data:image/{kind};base64,{data}", alt=clean_text(meta.logo_alt),
                 **{"class": css})


def _list(items: list[ListItem], explicit_numbers: bool) -> HtmlElement:
    """Consecutive list items as one list; a nested item keeps its depth as a class.

    In a document the number is part of the text (as the .docx writes it); on a slide
    it is the list's own numbering (as PowerPoint's automatic numbers are).
    """
    numbered = items[0].number is not None
    if explicit_numbers and numbered:
        out = E.ol({"class": "numbers-in-text"})
    elif numbered:
        out = E.ol(start=str(items[0].number))
    else:
        out = E.ul()
    for item in items:
        li = E.li({"class": f"level-{item.level}"})
        if explicit_numbers and item.number is not None:
            li.append(E.span(f"{item.number}.", {"class": "number"}))
            li[-1].tail = "\t"
        out.append(_spans(li, item.spans))
    return out


def _table(table: Table) -> HtmlElement:
    cols = max([len(table.header), *(len(row) for row in table.rows)])
    head = E.tr(*(_spans(E.th(scope="col"), table.header[c] if c < len(table.header) else ())
                  for c in range(cols)))
    body = [E.tr(*(_spans(E.td(), row[c] if c < len(row) else ()) for c in range(cols)))
            for row in table.rows]
    return E.table(E.thead(head), E.tbody(*body))


def _blocks(blocks: list[Block], explicit_numbers: bool, heading_level: int) -> list[HtmlElement]:
    out: list[HtmlElement] = []
    pending: list[ListItem] = []
    for block in [*blocks, None]:
        if isinstance(block, ListItem) and (
            not pending or (block.number is None) == (pending[0].number is None)
        ):
            pending.append(block)
            continue
        if pending:
            out.append(_list(pending, explicit_numbers))
            pending = [block] if isinstance(block, ListItem) else []
            if pending:
                continue
        if isinstance(block, Heading):
            level = min(6, heading_level + block.level - 1)
            out.append(_spans(E(f"h{level}"), block.spans))
        elif isinstance(block, Paragraph):
            out.append(_spans(E.p(), block.spans))
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, WriteSpace):
            lines = max(1, block.lines)
            out.append(E.div(*(E.div({"class": "rule"}) for _ in range(lines)),
                             {"class": "write-space", "role": "img",
                              "aria-label": f"{lines} ruled lines to write on"}))
        elif isinstance(block, PageBreak):
            out.append(E.hr({"class": "page-break"}))
        elif isinstance(block, PocketCards):
            out += _pocket(block, heading_level)
    return out


POCKET_COPIES = 8  # as support-card.docx prints them: eight to a sheet


def _pocket(cards: PocketCards, heading_level: int) -> list[HtmlElement]:
    """The sheet of pocket cards: each front, then each back with its QR code's address."""
    # A card is read on its own, before the sheet's own "##" heading: its "##" sits one level up.
    fronts = [E.div(*_blocks(list(cards.front), True, heading_level - 1), {"class": "pocket-card"})
              for _ in range(POCKET_COPIES)]
    backs = []
    for _ in range(POCKET_COPIES):
        back = E.div(*_blocks(list(cards.back), True, heading_level - 1), {"class": "pocket-card"})
        if cards.link:  # the QR code, as its alternative text describes it
            label = f"QR code that opens {cards.link}"
            back.append(E.div({"class": "qr", "role": "img", "aria-label": label}))
        backs.append(back)
    return [E.div(*fronts, {"class": "pocket-sheet"}), E.div(*backs, {"class": "pocket-sheet"})]


# --- slides ---------------------------------------------------------------------------


def slide_footer(meta: DocMeta, number: int, total: int) -> str:
    """The footer line of a content slide, as slides.pptx prints it."""
    return f"{clean_text(meta.footer)}   ·   {number}/{total}"


def _slide(slide: Slide, number: int, total: int, meta: DocMeta) -> HtmlElement:
    title_id = f"slide-{number}"
    card = E.div({"class": "card title-card" if slide.is_title else "card"})
    card.append(_spans(E.h4({"class": "slide-title", "id": title_id}), [Span(slide.title)]))
    if slide.is_title:
        # The title slide shows its text without bullets, and no tables (as slides.pptx).
        for block in slide.blocks:
            if isinstance(block, Paragraph | ListItem | Heading):
                card.append(_spans(E.p({"class": "subtitle"}), block.spans))
        logo = _logo(meta, "slide-logo")
        if logo is not None:
            card.append(logo)
    else:
        card.append(E.div(*_blocks(slide.blocks, explicit_numbers=False, heading_level=5),
                          {"class": "slide-body"}))
        card.append(E.p(slide_footer(meta, number, total), {"class": "slide-footer"}))
    notes = E.div({"class": "notes"}, E.p(E.strong("Speaker notes"), {"class": "notes-label"}))
    for line in slide.notes.split("\n"):
        notes.append(E.p(_text(line)))
    return E.article({"class": "slide", "aria-labelledby": title_id},
                     E.p(f"Slide {number} of {total}", {"class": "slide-number"}), card, notes)


def deck_html(deck: Deck, meta: DocMeta) -> str:
    """The deck as a list of 16:9 cards, each with its speaker notes."""
    total = len(deck.slides)
    section = E.div({"class": "deck"},
                    *(_slide(s, n, total, meta) for n, s in enumerate(deck.slides, start=1)))
    return html.tostring(section, encoding="unicode")


# --- documents ------------------------------------------------------------------------


def document_html(document: Document, meta: DocMeta) -> str:
    """The document as pages: the letterhead on the first, the running header on each."""
    pages: list[list[Block]] = [[]]
    for block in document.blocks:
        if isinstance(block, PageBreak):
            pages.append([])
        else:
            pages[-1].append(block)
    out = E.div({"class": "pages large-print" if meta.large_print else "pages"})
    for number, blocks in enumerate(pages, start=1):
        page = E.div({"class": "page", "role": "group",
                      "aria-label": f"Page {number} of {len(pages)}"})
        first = number == 1 and document.letterhead
        header = document.letterhead if first else document.header
        if header:
            top = E.div({"class": "doc-letterhead" if first else "doc-header"})
            logo = _logo(meta, "letterhead-logo") if first else None
            if logo is not None:
                top.append(logo)
            for element in _blocks(header, explicit_numbers=True, heading_level=4):
                top.append(element)
            page.append(top)
        page.append(E.div(*_blocks(blocks, explicit_numbers=True, heading_level=4),
                          {"class": "doc-body"}))
        out.append(page)
    return html.tostring(out, encoding="unicode")
